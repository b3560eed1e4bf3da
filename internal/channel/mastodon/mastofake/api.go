package mastofake

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// rest wraps a REST handler: the bearer token, the rate limit and the
// failures asked for, as Mastodon answers them.
func (f *Fake) rest(h func(w http.ResponseWriter, r *http.Request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		switch f.limit(w) {
		case http.StatusTooManyRequests:
			writeError(w, http.StatusTooManyRequests, "Too many requests")
			return
		case http.StatusServiceUnavailable:
			writeError(w, http.StatusServiceUnavailable, "Service Unavailable")
			return
		}
		if !f.authorized(r) {
			writeError(w, http.StatusUnauthorized, "The access token is invalid")
			return
		}
		h(w, r)
	}
}

func (f *Fake) authorized(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && tok == f.Token
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, errorJSON{Error: msg})
}

// verifyCredentials answers GET /api/v1/accounts/verify_credentials with
// the brand's CredentialAccount.
func (f *Fake) verifyCredentials(w http.ResponseWriter, r *http.Request) {
	a := f.accountJSON(f.Brand, f.Domain)
	a.Source = &sourceJSON{Privacy: "public", Language: "en", Note: f.Brand.DisplayName, Fields: a.Fields}
	writeJSON(w, http.StatusOK, a)
}

// instance answers GET /api/v2/instance, the parts a client reads.
func (f *Fake) instance(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"domain": f.Domain, "title": "Mastodon (mastofake)", "version": "4.5.0", "source_url": "https://github.com/mastodon/mastodon",
		"description": "A local stand-in for a Mastodon instance.",
		"usage":       map[string]any{"users": map[string]any{"active_month": 3}},
		"languages":   []string{"en"},
		"configuration": map[string]any{
			"urls":              map[string]any{"streaming": "ws://" + r.Host, "status": nil, "about": "https://" + f.Domain + "/about"},
			"accounts":          map[string]any{"max_featured_tags": 10, "max_pinned_statuses": 5},
			"statuses":          map[string]any{"max_characters": f.MaxCharacters, "max_media_attachments": 4, "characters_reserved_per_url": 23},
			"media_attachments": map[string]any{"image_size_limit": 16777216, "video_size_limit": 103809024},
			"polls":             map[string]any{"max_options": 4, "max_characters_per_option": 50},
		},
		"registrations": map[string]any{"enabled": false, "approval_required": false, "message": nil},
		"contact":       map[string]any{"email": "admin@" + f.Domain, "account": f.accountJSON(f.Brand, f.Domain)},
		"rules":         []any{},
	})
}

// listNotifications answers GET /api/v1/notifications with Mastodon's
// paging (app/models/concerns/paginable.rb, paginate_by_id): with min_id,
// the limit oldest after it; otherwise the limit newest before max_id and
// after since_id; newest first either way, with Link headers to the next
// (older) and previous (newer) pages. limit defaults to 40 and is capped at
// 80; types[] and exclude_types[] filter, account_id keeps one sender's.
func (f *Fake) listNotifications(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f.mu.Lock()
	f.queries = append(f.queries, r.URL.RawQuery)
	f.mu.Unlock()
	limit := 40
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			n = 40
		}
		limit = min(n, 80)
	}
	maxID, sinceID, minID := idParam(q, "max_id"), idParam(q, "since_id"), idParam(q, "min_id")
	types, exclude := q["types[]"], q["exclude_types[]"]
	accountID := q.Get("account_id")

	f.mu.Lock()
	var match []*notification
	for _, n := range f.notifications {
		if len(types) > 0 && !slices.Contains(types, n.typ) || slices.Contains(exclude, n.typ) ||
			accountID != "" && n.account.ID != accountID {
			continue
		}
		if s, ok := f.statuses[n.statusID]; n.statusID != "" && (!ok || s.deleted) {
			continue // deleted with its post
		}
		if maxID >= 0 && n.id >= maxID || sinceID >= 0 && n.id <= sinceID || minID >= 0 && n.id <= minID {
			continue
		}
		match = append(match, n)
	}
	var page []*notification
	if minID >= 0 {
		page = match[:min(limit, len(match))] // oldest after min_id
	} else {
		page = match[max(len(match)-limit, 0):] // newest
	}
	base := "http://" + r.Host
	out := make([]notificationJSON, 0, len(page))
	for i := len(page) - 1; i >= 0; i-- {
		out = append(out, *f.notificationJSONValue(page[i]))
	}
	f.mu.Unlock()

	if len(page) > 0 {
		link := func(param string, id int64) string {
			v := url.Values{}
			for _, k := range []string{"limit", "account_id", "include_filtered"} {
				if q.Has(k) {
					v.Set(k, q.Get(k))
				}
			}
			for _, k := range []string{"types[]", "exclude_types[]"} {
				v[k] = q[k]
			}
			v.Set(param, strconv.FormatInt(id, 10))
			return base + "/api/v1/notifications?" + v.Encode()
		}
		w.Header().Set("Link", `<`+link("max_id", page[0].id)+`>; rel="next", <`+link("min_id", page[len(page)-1].id)+`>; rel="prev"`)
	}
	writeJSON(w, http.StatusOK, out)
}

// idParam reads a numeric id parameter, -1 when absent or not a number.
func idParam(q url.Values, name string) int64 {
	n, err := strconv.ParseInt(q.Get(name), 10, 64)
	if err != nil || !q.Has(name) {
		return -1
	}
	return n
}

// getStatus answers GET /api/v1/statuses/:id.
func (f *Fake) getStatus(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.statuses[r.PathValue("id")]
	if !ok || s.deleted {
		writeError(w, http.StatusNotFound, "Record not found")
		return
	}
	writeJSON(w, http.StatusOK, f.statusJSON(s))
}

// postStatus answers POST /api/v1/statuses, from JSON or form data, as
// StatusesController#create does: an Idempotency-Key seen in the last hour
// returns the status it posted; a reply to a post that is gone is 404; no
// text is 422, as is text over MaxCharacters or an unknown visibility.
func (f *Fake) postStatus(w http.ResponseWriter, r *http.Request) {
	var p struct {
		Status      string `json:"status"`
		InReplyToID string `json:"in_reply_to_id"`
		Visibility  string `json:"visibility"`
		SpoilerText string `json:"spoiler_text"`
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeError(w, http.StatusBadRequest, "Could not read the request")
		return
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(body, &p); err != nil {
			writeError(w, http.StatusBadRequest, "Error occurred while parsing request parameters")
			return
		}
	} else {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			writeError(w, http.StatusBadRequest, "Error occurred while parsing request parameters")
			return
		}
		p.Status, p.InReplyToID, p.Visibility, p.SpoilerText = form.Get("status"), form.Get("in_reply_to_id"), form.Get("visibility"), form.Get("spoiler_text")
	}
	key := r.Header.Get("Idempotency-Key")

	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	if id, ok := f.idempotency[key]; ok && key != "" {
		if s := f.statuses[id]; s != nil && now.Sub(s.createdAt) < time.Hour {
			writeJSON(w, http.StatusOK, f.statusJSON(s))
			return
		}
	}
	var parent *status
	if p.InReplyToID != "" {
		parent = f.statuses[p.InReplyToID]
		if parent == nil || parent.deleted {
			writeError(w, http.StatusNotFound, "The post you are trying to reply to does not appear to exist.")
			return
		}
	}
	if p.Visibility == "" {
		p.Visibility = "public"
	}
	switch {
	case strings.TrimSpace(p.Status) == "":
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: Text can't be blank")
		return
	case utf8.RuneCountInString(p.SpoilerText+p.Status) > f.MaxCharacters:
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: Text character limit of "+strconv.Itoa(f.MaxCharacters)+" exceeded")
		return
	case !slices.Contains([]string{"public", "unlisted", "private", "direct"}, p.Visibility):
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: Visibility is not included in the list")
		return
	}
	s := &status{id: f.nextStatusID(), createdAt: now, account: f.Brand, visibility: p.Visibility, spoilerText: p.SpoilerText,
		content: "<p>" + strings.ReplaceAll(html.EscapeString(p.Status), "\n", "<br />") + "</p>"}
	if parent != nil {
		s.inReplyToID, s.inReplyToAccountID = parent.id, parent.account.ID
		s.mentions = []Account{parent.account}
	}
	f.statuses[s.id] = s
	if key != "" {
		f.idempotency[key] = s.id
	}
	f.posted = append(f.posted, Posted{ID: s.id, Status: p.Status, InReplyToID: p.InReplyToID, Visibility: p.Visibility,
		SpoilerText: p.SpoilerText, IdempotencyKey: key, At: now})
	writeJSON(w, http.StatusOK, f.statusJSON(s))
}

func (f *Fake) statusJSON(s *status) *statusJSON {
	host := s.account.Domain
	if host == "" {
		host = f.Domain
	}
	out := &statusJSON{
		ID: s.id, CreatedAt: s.createdAt.Format(timeFormat), Sensitive: s.spoilerText != "", SpoilerText: s.spoilerText,
		Visibility: s.visibility, URI: "https://" + host + "/users/" + s.account.Username + "/statuses/" + s.id,
		URL: "https://" + host + "/@" + s.account.Username + "/" + s.id, Content: s.content,
		Filtered: []any{}, Account: f.accountJSON(s.account, f.Domain), MediaAttachments: []mediaJSON{},
		Mentions: []mentionJSON{}, Tags: []any{}, Emojis: []any{},
	}
	if s.inReplyToID != "" {
		out.InReplyToID = &s.inReplyToID
		if s.inReplyToAccountID != "" {
			out.InReplyToAccountID = &s.inReplyToAccountID
		}
	}
	if s.account.ID == f.Brand.ID {
		out.Application = &applicationJSON{Name: "Parley"}
	}
	if s.published {
		f.publishedJSON(out, s)
	}
	for i, m := range s.media {
		d := m.Description
		mj := mediaJSON{ID: strconv.Itoa(22_345_792 + i), Type: m.Type, URL: m.URL, PreviewURL: m.URL, Meta: map[string]any{}}
		if d != "" {
			mj.Description = &d
		}
		out.MediaAttachments = append(out.MediaAttachments, mj)
	}
	for _, m := range s.mentions {
		h := m.Domain
		if h == "" {
			h = f.Domain
		}
		out.Mentions = append(out.Mentions, mentionJSON{ID: m.ID, Username: m.Username, URL: "https://" + h + "/@" + m.Username, Acct: m.Acct()})
	}
	if len(s.poll) > 0 {
		expires := s.createdAt.Add(24 * time.Hour).Format(timeFormat)
		voters := int64(0)
		pj := &pollJSON{ID: "34830", ExpiresAt: &expires, VotersCount: &voters, Emojis: []any{}, OwnVotes: []int{}}
		for _, o := range s.poll {
			pj.Options = append(pj.Options, pollOptionJSON{Title: o})
		}
		out.Poll = pj
	}
	return out
}

func (f *Fake) notificationJSONValue(n *notification) *notificationJSON {
	id := strconv.FormatInt(n.id, 10)
	out := &notificationJSON{ID: id, Type: n.typ, GroupKey: "ungrouped-" + id, CreatedAt: n.createdAt.Format(timeFormat),
		Account: f.accountJSON(n.account, f.Domain)}
	if s, ok := f.statuses[n.statusID]; ok {
		out.Status = f.statusJSON(s)
	}
	return out
}

// notificationJSON is a notification as the streaming API sends it.
func (f *Fake) notificationJSON(n *notification) []byte {
	b, _ := json.Marshal(f.notificationJSONValue(n))
	return b
}

// mentions reports whether text mentions account a of the instance at
// domain, as "@user" or "@user@domain".
func mentions(text string, a Account, domain string) bool {
	for _, form := range []string{"@" + a.Username + "@" + domain, "@" + a.Username} {
		for i := 0; ; {
			j := strings.Index(text[i:], form)
			if j < 0 {
				break
			}
			end := i + j + len(form)
			if end == len(text) || !isUsernameByte(text[end]) {
				return true
			}
			i = end
		}
	}
	return false
}

func isUsernameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}
