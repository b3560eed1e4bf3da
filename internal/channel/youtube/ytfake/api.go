package ytfake

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// token is Google's token endpoint for the refresh grant
// (developers.google.com/identity/protocols/oauth2/web-server#offline):
// the client's id and secret in the form (or Basic), the refresh token,
// and an access token back that lives an hour.
func (f *Fake) token(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tokenCalls++
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	oauthError := func(status int, code, description string) {
		writeJSON(w, status, map[string]string{"error": code, "error_description": description})
	}
	if err := r.ParseForm(); err != nil {
		oauthError(http.StatusBadRequest, "invalid_request", "Bad Request")
		return
	}
	if gt := r.PostForm.Get("grant_type"); gt != "refresh_token" {
		oauthError(http.StatusBadRequest, "unsupported_grant_type", "Invalid grant_type: "+gt)
		return
	}
	id, secret, basic := r.BasicAuth()
	if basic {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != f.ClientID || secret != f.ClientSecret {
		oauthError(http.StatusUnauthorized, "invalid_client", "Unauthorized")
		return
	}
	if f.revoked || r.PostForm.Get("refresh_token") != f.RefreshToken {
		oauthError(http.StatusBadRequest, "invalid_grant", "Token has been expired or revoked.")
		return
	}
	f.seq++
	access := "ya29.parley-fake-" + strconv.FormatInt(f.seq, 10)
	f.tokens[access] = f.now().Add(TokenLifetime)
	w.Header().Set("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate")
	writeJSON(w, http.StatusOK, map[string]any{"access_token": access, "expires_in": int(TokenLifetime / time.Second), "scope": Scope, "token_type": "Bearer"})
}

// listThreads is commentThreads.list
// (developers.google.com/youtube/v3/docs/commentThreads/list).
func (f *Fake) listThreads(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	parts, ok := partsOf(q.Get("part"), "id", "snippet", "replies")
	if !ok {
		writeError(w, http.StatusBadRequest, "missingRequiredParameter", "global", "No filter selected. Expected one of: part")
		return
	}
	format, size, ok := listOptions(w, q)
	if !ok {
		return
	}
	status := cmp.Or(q.Get("moderationStatus"), Published)
	switch {
	case filters(q, "allThreadsRelatedToChannelId", "channelId", "id", "videoId") != 1:
		writeError(w, http.StatusBadRequest, "invalidFilters", "youtube.parameter", "The request specifies an invalid filter parameter.")
		return
	case status != Published && status != HeldForReview && status != LikelySpam:
		writeError(w, http.StatusBadRequest, "invalidParameter", "youtube.parameter", "Invalid value for moderationStatus.")
		return
	case q.Get("order") != "" && q.Get("order") != "time" && q.Get("order") != "relevance":
		writeError(w, http.StatusBadRequest, "invalidParameter", "youtube.parameter", "Invalid value for order.")
		return
	}
	ids := map[string]bool{}
	for _, id := range strings.Split(q.Get("id"), ",") {
		ids[id] = id != ""
	}
	var listed []*stored
	for _, t := range f.threads {
		all, ch, video, id := q.Get("allThreadsRelatedToChannelId"), q.Get("channelId"), q.Get("videoId"), q.Get("id")
		switch {
		case all != "" && all != f.ChannelID,
			ch != "" && (ch != f.ChannelID || t.VideoID != ""),
			video != "" && t.VideoID != video,
			id != "" && !ids[t.ID]:
			continue
		}
		if matches(t, status) {
			listed = append(listed, t)
		}
	}
	// order=time: newest thread first, by its top-level comment.
	slices.SortFunc(listed, func(a, b *stored) int {
		return cmp.Or(b.PublishedAt.Compare(a.PublishedAt), cmp.Compare(b.seq, a.seq))
	})
	page, next, ok := paginate(w, q, "threads", listed, size)
	if !ok {
		return
	}
	resp := listResponse{Kind: "youtube#commentThreadListResponse", Etag: etag("threads", strconv.Itoa(len(listed)), next), NextPageToken: next,
		PageInfo: pageInfo{TotalResults: len(listed), ResultsPerPage: size}, Items: []any{}}
	for _, t := range page {
		resp.Items = append(resp.Items, f.thread(t, format, parts, status))
	}
	writeJSON(w, http.StatusOK, resp)
}

// matches reports whether thread t is listed for moderationStatus status:
// "a comment thread can be included in the response if the top-level
// comment or at least one of the replies to that comment" has it, the
// top-level comment for published.
func matches(t *stored, status string) bool {
	if t.ModerationStatus == status {
		return true
	}
	if status == Published {
		return false
	}
	for _, r := range t.replies {
		if r.ModerationStatus == status {
			return true
		}
	}
	return false
}

// listComments is comments.list by parentId or id
// (developers.google.com/youtube/v3/docs/comments/list): a thread's
// published replies, oldest first.
func (f *Fake) listComments(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	parts, ok := partsOf(q.Get("part"), "id", "snippet")
	if !ok {
		writeError(w, http.StatusBadRequest, "missingRequiredParameter", "global", "No filter selected. Expected one of: part")
		return
	}
	format, size, ok := listOptions(w, q)
	if !ok {
		return
	}
	if filters(q, "id", "parentId") != 1 {
		writeError(w, http.StatusBadRequest, "invalidFilters", "youtube.parameter", "The request specifies an invalid filter parameter.")
		return
	}
	var all []*stored
	if q.Get("parentId") != "" {
		p, ok := f.byID[q.Get("parentId")]
		if !ok || p.ParentID != "" {
			// comments.list words commentNotFound its own way
			// (developers.google.com/youtube/v3/docs/comments/list, "Errors").
			writeError(w, http.StatusNotFound, "commentNotFound", "youtube.comment",
				"One or more of the specified comments cannot be found. Check the values of the request's id and parentId parameters to ensure that they are correct.")
			return
		}
		all = f.published(p.replies)
	} else {
		for _, id := range strings.Split(q.Get("id"), ",") {
			if c, ok := f.byID[id]; ok {
				all = append(all, c)
			}
		}
	}
	page, next, ok := paginate(w, q, "replies:"+q.Get("parentId"), all, size)
	if !ok {
		return
	}
	resp := listResponse{Kind: "youtube#commentListResponse", Etag: etag("comments", strconv.Itoa(len(all)), next), NextPageToken: next,
		PageInfo: pageInfo{TotalResults: len(all), ResultsPerPage: size}, Items: []any{}}
	for _, c := range page {
		resp.Items = append(resp.Items, f.resource(c, format, parts["snippet"]))
	}
	writeJSON(w, http.StatusOK, resp)
}

// insertComment is comments.insert
// (developers.google.com/youtube/v3/docs/comments/insert): the channel
// replies to a top-level comment.
func (f *Fake) insertComment(w http.ResponseWriter, r *http.Request) {
	if parts, ok := partsOf(r.URL.Query().Get("part"), "id", "snippet"); !ok || !parts["snippet"] {
		writeError(w, http.StatusBadRequest, "missingRequiredParameter", "global", "Required parameter: part")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var req struct {
		Snippet struct {
			ParentID     string `json:"parentId"`
			TextOriginal string `json:"textOriginal"`
		} `json:"snippet"`
	}
	if err != nil || json.Unmarshal(body, &req) != nil {
		writeError(w, http.StatusBadRequest, "invalidCommentMetadata", "youtube.comment", messageOf("invalidCommentMetadata"))
		return
	}
	s := req.Snippet
	parent, known := f.byID[s.ParentID]
	switch {
	case s.ParentID == "":
		writeError(w, http.StatusBadRequest, "parentIdMissing", "youtube.comment", messageOf("parentIdMissing"))
		return
	case !known || parent.ModerationStatus != Published:
		writeError(w, http.StatusNotFound, "parentCommentNotFound", "youtube.comment", messageOf("parentCommentNotFound"))
		return
	case parent.ParentID != "":
		writeError(w, http.StatusBadRequest, "operationNotSupported", "youtube.comment", messageOf("operationNotSupported"))
		return
	case f.disabled[parent.VideoID]:
		writeError(w, http.StatusForbidden, "commentsDisabled", "youtube.comment", messageOf("commentsDisabled"))
		return
	}
	if ok, reason := validText(s.TextOriginal); !ok {
		writeError(w, http.StatusBadRequest, reason, "youtube.comment", messageOf(reason))
		return
	}
	c := f.add(f.owner(), parent.VideoID, parent.ID, s.TextOriginal)
	f.posted = append(f.posted, Posted{ID: c.ID, ParentID: parent.ID, Text: s.TextOriginal, Body: body, At: c.PublishedAt})
	if f.drops > 0 {
		f.drops--
		writeError(w, http.StatusServiceUnavailable, "backendError", "global", messageOf("backendError"))
		return
	}
	writeJSON(w, http.StatusOK, f.resource(c, "html", true))
}

// setModerationStatus is comments.setModerationStatus
// (developers.google.com/youtube/v3/docs/comments/setModerationStatus):
// 204 No Content.
func (f *Fake) setModerationStatus(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var ids []string
	for _, id := range strings.Split(q.Get("id"), ",") {
		if id != "" {
			ids = append(ids, id)
		}
	}
	status := q.Get("moderationStatus")
	ban := q.Get("banAuthor") == "true"
	switch {
	case len(ids) == 0 || status == "":
		writeError(w, http.StatusBadRequest, "missingRequiredParameter", "global", "Required parameters: id, moderationStatus")
		return
	case status != HeldForReview && status != Published && status != Rejected:
		writeError(w, http.StatusBadRequest, "invalidModerationStatus", "youtube.comment", "Invalid value for moderationStatus.")
		return
	case ban && status != Rejected:
		writeError(w, http.StatusBadRequest, "banWithoutReject", "youtube.comment", messageOf("banWithoutReject"))
		return
	}
	for _, id := range ids {
		if _, ok := f.byID[id]; !ok {
			writeError(w, http.StatusNotFound, "commentNotFound", "youtube.comment", messageOf("commentNotFound"))
			return
		}
	}
	for _, id := range ids {
		f.byID[id].ModerationStatus = status
	}
	f.moderations = append(f.moderations, Moderation{IDs: ids, Status: status, BanAuthor: ban, At: f.now()})
	w.WriteHeader(http.StatusNoContent)
}

// partsOf reads the part parameter: a comma-separated list of the names
// allowed. ok is false when it is empty or names another.
func partsOf(s string, allowed ...string) (map[string]bool, bool) {
	parts := map[string]bool{}
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if !slices.Contains(allowed, p) {
			return nil, false
		}
		parts[p] = true
	}
	return parts, len(parts) > 0
}

// filters counts the filter parameters present.
func filters(q url.Values, names ...string) int {
	n := 0
	for _, name := range names {
		if q.Get(name) != "" {
			n++
		}
	}
	return n
}

// listOptions reads textFormat and maxResults, answering 400 for a value
// out of bounds.
func listOptions(w http.ResponseWriter, q url.Values) (format string, size int, ok bool) {
	format = cmp.Or(q.Get("textFormat"), "html")
	if format != "html" && format != "plainText" {
		writeError(w, http.StatusBadRequest, "invalidParameter", "youtube.parameter", "Invalid value for textFormat.")
		return "", 0, false
	}
	size = 20
	if s := q.Get("maxResults"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100 {
			writeError(w, http.StatusBadRequest, "invalidParameter", "youtube.parameter", "Invalid value for maxResults: must be between 1 and 100.")
			return "", 0, false
		}
		size = n
	}
	return format, size, true
}

// paginate returns the page of all that pageToken names, size long, and
// the token of the next page. An unknown token is answered 400
// invalidPageToken.
func paginate(w http.ResponseWriter, q url.Values, scope string, all []*stored, size int) ([]*stored, string, bool) {
	offset := 0
	if t := q.Get("pageToken"); t != "" {
		b, err := base64.RawURLEncoding.DecodeString(t)
		s, n, found := strings.Cut(string(b), "|")
		o, err2 := strconv.Atoi(n)
		if err != nil || !found || s != scope || err2 != nil || o < 0 {
			writeError(w, http.StatusBadRequest, "invalidPageToken", "youtube.parameter", messageOf("invalidPageToken"))
			return nil, "", false
		}
		offset = o
	}
	if offset > len(all) {
		offset = len(all)
	}
	end := min(offset+size, len(all))
	next := ""
	if end < len(all) {
		next = base64.RawURLEncoding.EncodeToString([]byte(scope + "|" + strconv.Itoa(end)))
	}
	return all[offset:end], next, true
}
