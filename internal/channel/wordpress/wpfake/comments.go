package wpfake

import (
	"cmp"
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The comments endpoints, as WP_REST_Comments_Controller answers them
// (wp-includes/rest-api/endpoints/class-wp-rest-comments-controller.php).

const (
	dateLayout = "2006-01-02T15:04:05" // mysql_to_rfc3339
	// maxContentBytes is comment_content's limit: a TEXT column, less 10.
	maxContentBytes = 65_525
)

// moderator reports whether the request's user can moderate comments.
func (c *call) moderator() bool { return c.user != nil && c.user.Moderator }

// authzStatus is the status of a refusal for want of a capability, as
// rest_authorization_required_code() answers it: 401 when no user is
// logged in, 403 when one is
// (developer.wordpress.org/reference/functions/rest_authorization_required_code/).
func (c *call) authzStatus() int {
	if c.user == nil {
		return http.StatusUnauthorized
	}
	return http.StatusForbidden
}

// listComments is GET /wp/v2/comments.
func (f *Fake) listComments(c *call) {
	q := c.r.URL.Query()
	context := q.Get("context")
	switch {
	case context != "" && context != "view" && context != "edit" && context != "embed":
		writeInvalidParam(c.w, "context", "context is not one of view, embed, and edit.")
		return
	case context == "edit" && !c.moderator():
		writeError(c.w, c.authzStatus(), "rest_forbidden_context", "Sorry, you are not allowed to edit comments.")
		return
	}
	status := q.Get("status")
	if status == "" {
		status = "approve"
	}
	typ := q.Get("type")
	if typ == "" {
		typ = "comment"
	}
	if (status != "approve" || typ != "comment" || len(list(q, "author")) > 0) && !c.moderator() {
		writeError(c.w, c.authzStatus(), "rest_forbidden_param", "Query parameter not permitted: status")
		return
	}
	perPage, page := 10, 1
	if s := q.Get("per_page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100 {
			writeInvalidParam(c.w, "per_page", "per_page must be between 1 (inclusive) and 100 (inclusive)")
			return
		}
		perPage = n
	}
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			writeInvalidParam(c.w, "page", "page must be greater than or equal to 1")
			return
		}
		page = n
	}
	var after, before time.Time
	for _, p := range []struct {
		name string
		t    *time.Time
	}{{"after", &after}, {"before", &before}} {
		if s := q.Get(p.name); s != "" {
			t, ok := f.localParam(s)
			if !ok {
				writeInvalidParam(c.w, p.name, "Invalid date.")
				return
			}
			*p.t = t
		}
	}
	order := q.Get("order")
	if order == "" {
		order = "desc"
	}
	if order != "asc" && order != "desc" {
		writeInvalidParam(c.w, "order", "order is not one of asc and desc.")
		return
	}
	orderby := q.Get("orderby")
	if orderby == "" {
		orderby = "date_gmt"
	}
	posts, parents, authors := list(q, "post"), list(q, "parent"), list(q, "author")
	var out []*Comment
	for _, cm := range f.comments {
		local := cm.DateGMT.In(f.loc())
		// WP_Date_Query compares the local comment_date, to the second,
		// with the parameter converted to the site's zone; after and
		// before are exclusive.
		local = time.Date(local.Year(), local.Month(), local.Day(), local.Hour(), local.Minute(), local.Second(), 0, time.UTC)
		switch {
		case !statusMatches(cm.Status, status):
		case !after.IsZero() && !local.After(after):
		case !before.IsZero() && !local.Before(before):
		case len(posts) > 0 && !slices.Contains(posts, cm.PostID):
		case len(parents) > 0 && !slices.Contains(parents, cm.ParentID):
		case len(authors) > 0 && !slices.Contains(authors, cm.UserID):
		case typ != "comment" && typ != "all":
		default:
			out = append(out, cm)
		}
	}
	key := func(cm *Comment) (int64, int) {
		switch orderby {
		case "id", "include":
			return int64(cm.ID), cm.ID
		case "post":
			return int64(cm.PostID), cm.ID
		case "parent":
			return int64(cm.ParentID), cm.ID
		}
		return cm.DateGMT.Unix(), cm.ID // date and date_gmt order alike here
	}
	slices.SortStableFunc(out, func(a, b *Comment) int {
		ka, ia := key(a)
		kb, ib := key(b)
		d := cmp.Compare(ka, kb)
		if d == 0 {
			d = cmp.Compare(ia, ib)
		}
		if order == "desc" {
			d = -d
		}
		return d
	})
	total := len(out)
	pages := (total + perPage - 1) / perPage
	from := min((page-1)*perPage, total)
	out = out[from:min(from+perPage, total)]
	c.w.Header().Set("X-WP-Total", strconv.Itoa(total))
	c.w.Header().Set("X-WP-TotalPages", strconv.Itoa(pages))
	body := make([]map[string]any, len(out))
	for i, cm := range out {
		body[i] = f.commentJSON(cm, context == "edit")
	}
	writeJSON(c.w, http.StatusOK, body)
}

// statusMatches is WP_Comment_Query's status clause.
func statusMatches(stored, want string) bool {
	switch want {
	case "approve":
		return stored == "approved"
	case "hold":
		return stored == "hold"
	case "all":
		return stored == "approved" || stored == "hold"
	case "any":
		return true
	}
	return stored == want
}

// localParam reads an after or before parameter as WordPress does: a
// date with a zone converted to the site's, one without read in it. The
// result carries the local wall clock in a UTC time.
func (f *Fake) localParam(s string) (time.Time, bool) {
	var t time.Time
	if v, err := time.Parse(time.RFC3339, s); err == nil {
		t = v.In(f.loc())
	} else if v, err := time.ParseInLocation(dateLayout, s, f.loc()); err == nil {
		t = v
	} else {
		return time.Time{}, false
	}
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC), true
}

// list reads an array parameter, as name[]=1&name[]=2 or name=1,2.
func list(q map[string][]string, name string) []int {
	var out []int
	for _, v := range append(slices.Clone(q[name]), q[name+"[]"]...) {
		for _, s := range strings.Split(v, ",") {
			if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

func writeInvalidParam(w http.ResponseWriter, param, msg string) {
	writeJSON(w, http.StatusBadRequest, map[string]any{"code": "rest_invalid_param", "message": "Invalid parameter(s): " + param,
		"data": map[string]any{"status": 400, "params": map[string]string{param: msg}}})
}

// getComment is GET /wp/v2/comments/<id>.
func (f *Fake) getComment(c *call, id int) {
	cm := f.comment(id)
	edit := c.r.URL.Query().Get("context") == "edit"
	switch {
	case cm == nil:
		writeError(c.w, http.StatusNotFound, "rest_comment_invalid_id", "Invalid comment ID.")
	case edit && !c.moderator():
		writeError(c.w, c.authzStatus(), "rest_forbidden_context", "Sorry, you are not allowed to edit comments.")
	case cm.Status != "approved" && !c.moderator():
		writeError(c.w, c.authzStatus(), "rest_cannot_read", "Sorry, you are not allowed to read this comment.")
	default:
		writeJSON(c.w, http.StatusOK, f.commentJSON(cm, edit))
	}
}

// createComment is POST /wp/v2/comments.
func (f *Fake) createComment(c *call) {
	if c.user == nil {
		writeError(c.w, http.StatusUnauthorized, "rest_comment_login_required", "Sorry, you must be logged in to comment.")
		return
	}
	var req struct {
		Post    json.Number     `json:"post"`
		Parent  json.Number     `json:"parent"`
		Content json.RawMessage `json:"content"`
	}
	if err := json.Unmarshal(c.body, &req); err != nil {
		writeError(c.w, http.StatusBadRequest, "rest_invalid_json", "Invalid JSON body passed.")
		return
	}
	postID, _ := strconv.Atoi(req.Post.String())
	parentID, _ := strconv.Atoi(req.Parent.String())
	var content string
	if json.Unmarshal(req.Content, &content) != nil {
		var raw struct {
			Raw string `json:"raw"`
		}
		_ = json.Unmarshal(req.Content, &raw)
		content = raw.Raw
	}
	p := f.post(postID)
	switch {
	case postID == 0 || p == nil:
		writeError(c.w, http.StatusForbidden, "rest_comment_invalid_post_id", "Sorry, you are not allowed to create this comment without a post.")
		return
	case p.closed:
		writeError(c.w, http.StatusForbidden, "rest_comment_closed", "Sorry, comments are closed for this item.")
		return
	case strings.TrimSpace(content) == "":
		writeError(c.w, http.StatusBadRequest, "rest_comment_content_invalid", "Invalid comment content.")
		return
	case len(content) > maxContentBytes:
		writeError(c.w, http.StatusBadRequest, "comment_content_column_length", "Comment field exceeds maximum length allowed.")
		return
	}
	// wp_allow_comment's duplicate check: same post, parent, author and
	// content, not in the trash.
	for _, cm := range f.comments {
		if cm.PostID == postID && cm.ParentID == parentID && cm.Status != "trash" && cm.AuthorName == c.user.Name &&
			cm.AuthorEmail == c.user.Email && cm.Content == content {
			writeError(c.w, http.StatusConflict, "comment_duplicate", "Duplicate comment detected; it looks as though you&#8217;ve already said that!")
			return
		}
	}
	cm := &Comment{PostID: postID, ParentID: parentID, UserID: c.user.ID, AuthorName: c.user.Name, AuthorEmail: c.user.Email,
		Content: strings.TrimSpace(content), Status: "hold", DateGMT: f.now(), ViaAPI: true}
	if c.user.Moderator {
		cm.Status = "approved"
	}
	f.insert(cm)
	if f.lose > 0 {
		f.lose--
		c.w.Header().Set("Content-Type", "text/html")
		c.w.WriteHeader(http.StatusBadGateway)
		_, _ = c.w.Write([]byte("<html><body><h1>502 Bad Gateway</h1></body></html>\n"))
		return
	}
	c.w.Header().Set("Location", f.Site+"/wp-json/wp/v2/comments/"+strconv.Itoa(cm.ID))
	writeJSON(c.w, http.StatusCreated, f.commentJSON(cm, c.user.Moderator))
}

// updateComment is POST, PUT or PATCH /wp/v2/comments/<id>: a change of
// status (handle_status_param) or of content.
func (f *Fake) updateComment(c *call, id int) {
	cm := f.comment(id)
	switch {
	case cm == nil:
		writeError(c.w, http.StatusNotFound, "rest_comment_invalid_id", "Invalid comment ID.")
		return
	case !c.moderator():
		writeError(c.w, c.authzStatus(), "rest_cannot_edit", "Sorry, you are not allowed to edit this comment.")
		return
	}
	var req struct {
		Status  *string `json:"status"`
		Content *string `json:"content"`
	}
	if err := json.Unmarshal(c.body, &req); err != nil {
		writeError(c.w, http.StatusBadRequest, "rest_invalid_json", "Invalid JSON body passed.")
		return
	}
	if req.Content != nil {
		cm.Content = *req.Content
	}
	if req.Status != nil {
		next := ""
		switch *req.Status {
		case "hold", "0":
			next = "hold"
		case "approve", "approved", "1", "unspam", "untrash":
			next = "approved"
		case "spam", "trash":
			next = *req.Status
		default:
			writeError(c.w, http.StatusInternalServerError, "rest_comment_failed_edit", "Updating comment status failed.")
			return
		}
		cm.Status = next
		f.moderations = append(f.moderations, Moderation{CommentID: cm.ID, Status: next, By: c.user.Username})
	}
	writeJSON(c.w, http.StatusOK, f.commentJSON(cm, true))
}

// deleteComment is DELETE /wp/v2/comments/<id>: to the trash, or for good
// with force=true.
func (f *Fake) deleteComment(c *call, id int) {
	cm := f.comment(id)
	switch {
	case cm == nil:
		writeError(c.w, http.StatusNotFound, "rest_comment_invalid_id", "Invalid comment ID.")
		return
	case !c.moderator():
		writeError(c.w, c.authzStatus(), "rest_cannot_delete", "Sorry, you are not allowed to delete this comment.")
		return
	}
	if force, _ := strconv.ParseBool(c.r.URL.Query().Get("force")); force {
		prev := f.commentJSON(cm, true)
		f.comments = slices.DeleteFunc(f.comments, func(x *Comment) bool { return x.ID == id })
		f.moderations = append(f.moderations, Moderation{CommentID: id, Status: "deleted", By: c.user.Username})
		writeJSON(c.w, http.StatusOK, map[string]any{"deleted": true, "previous": prev})
		return
	}
	switch {
	case f.TrashDisabled:
		writeError(c.w, http.StatusNotImplemented, "rest_trash_not_supported", "The comment does not support trashing. Set 'force=true' to delete.")
	case cm.Status == "trash":
		writeError(c.w, http.StatusGone, "rest_already_trashed", "The comment has already been trashed.")
	default:
		cm.Status = "trash"
		f.moderations = append(f.moderations, Moderation{CommentID: id, Status: "trash", By: c.user.Username})
		writeJSON(c.w, http.StatusOK, f.commentJSON(cm, true))
	}
}

// commentJSON is a comment as the API writes it, in context view, or
// edit (which adds the author's email, IP and user agent, and the raw
// content).
func (f *Fake) commentJSON(cm *Comment, edit bool) map[string]any {
	p := f.post(cm.PostID)
	link := f.Site + "/?p=" + strconv.Itoa(cm.PostID) + "#comment-" + strconv.Itoa(cm.ID)
	if p != nil {
		link = f.Site + "/" + p.slug + "/#comment-" + strconv.Itoa(cm.ID)
	}
	content := map[string]any{"rendered": render(cm.Content)}
	v := map[string]any{
		"id": cm.ID, "post": cm.PostID, "parent": cm.ParentID, "author": cm.UserID, "author_name": cm.AuthorName,
		"author_url": cm.AuthorURL, "date": cm.DateGMT.In(f.loc()).Format(dateLayout), "date_gmt": cm.DateGMT.UTC().Format(dateLayout),
		"content": content, "link": link, "status": cm.Status, "type": "comment",
		"author_avatar_urls": map[string]string{
			"24": "https://secure.gravatar.com/avatar/?s=24&d=mm&r=g",
			"48": "https://secure.gravatar.com/avatar/?s=48&d=mm&r=g",
			"96": "https://secure.gravatar.com/avatar/?s=96&d=mm&r=g",
		},
		"meta": []any{},
		"_links": map[string]any{
			"self":       []map[string]string{{"href": f.Site + "/wp-json/wp/v2/comments/" + strconv.Itoa(cm.ID)}},
			"collection": []map[string]string{{"href": f.Site + "/wp-json/wp/v2/comments"}},
		},
	}
	if edit {
		v["author_email"], v["author_ip"], v["author_user_agent"] = cm.AuthorEmail, "127.0.0.1", "Mozilla/5.0"
		content["raw"] = cm.Content
	}
	return v
}

var blankLines = regexp.MustCompile(`\n\s*\n`)

// render is content.rendered: the comment_text filters, roughly
// (wptexturize's apostrophe, wpautop's paragraphs and line breaks).
func render(content string) string {
	var b strings.Builder
	for _, para := range blankLines.Split(strings.TrimSpace(strings.ReplaceAll(content, "\r\n", "\n")), -1) {
		if para = strings.TrimSpace(para); para == "" {
			continue
		}
		para = strings.ReplaceAll(para, "'", "&#8217;")
		b.WriteString("<p>" + strings.ReplaceAll(para, "\n", "<br />\n") + "</p>\n")
	}
	return b.String()
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// slug is a post's name in its address, from its title.
func slug(title string, id int) string {
	s := strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(html.UnescapeString(title)), "-"), "-")
	if s == "" {
		return strconv.Itoa(id)
	}
	return s
}
