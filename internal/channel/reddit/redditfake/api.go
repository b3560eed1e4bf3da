package redditfake

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// limited wraps every handler: the User-Agent Reddit requires, the
// period's budget with its X-Ratelimit headers, and the failures asked
// for.
func (f *Fake) limited(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ua := r.Header.Get("User-Agent")
		f.mu.Lock()
		f.agents = append(f.agents, ua)
		f.rollWindow()
		code := 0
		switch {
		case !descriptive(ua):
			// "Many default User-Agents (like "Python/urllib" or "Java")
			// are drastically limited" (Reddit's API rules).
			code = http.StatusTooManyRequests
		case f.throttle > 0:
			f.throttle--
			f.used = RateLimit
			code = http.StatusTooManyRequests
		case f.used >= RateLimit:
			code = http.StatusTooManyRequests
		case f.failures > 0:
			f.failures--
			code = http.StatusInternalServerError
		default:
			f.used++
		}
		hd := w.Header()
		hd.Set("X-Ratelimit-Used", strconv.Itoa(f.used))
		hd.Set("X-Ratelimit-Remaining", strconv.Itoa(RateLimit-f.used)+".0")
		hd.Set("X-Ratelimit-Reset", strconv.Itoa(int(f.window.Add(RateWindow).Sub(f.now()).Seconds())))
		f.mu.Unlock()
		if code != 0 {
			writeHTTPError(w, code)
			return
		}
		next(w, r)
	}
}

// api wraps an API handler: limited, and a valid bearer token.
func (f *Fake) api(next http.HandlerFunc) http.HandlerFunc {
	return f.limited(func(w http.ResponseWriter, r *http.Request) {
		if !f.authorized(r) {
			w.Header().Set("Www-Authenticate", `Bearer realm="reddit", error="invalid_token"`)
			writeHTTPError(w, http.StatusUnauthorized)
			return
		}
		next(w, r)
	})
}

// descriptive reports whether ua is a User-Agent Reddit serves: not empty
// and not a library's default.
func descriptive(ua string) bool {
	l := strings.ToLower(ua)
	for _, generic := range []string{"go-http-client", "python-urllib", "python-requests", "java", "curl/", "okhttp"} {
		if strings.HasPrefix(l, generic) {
			return false
		}
	}
	return len(ua) >= 8
}

func (f *Fake) authorized(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "bearer") {
		return false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	exp, ok := f.tokens[tok]
	return ok && f.now().Before(exp)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// writeHTTPError answers as Reddit's API does: {"message": "Forbidden",
// "error": 403}.
func writeHTTPError(w http.ResponseWriter, code int) {
	writeJSON(w, code, map[string]any{"message": http.StatusText(code), "error": code})
}

// writeErrors answers an api_type=json request with errors, with 200 as
// Reddit does: {"json": {"errors": [[code, message, field]]}}.
func writeErrors(w http.ResponseWriter, errs ...[3]string) {
	list := make([][]string, 0, len(errs))
	for _, e := range errs {
		list = append(list, e[:])
	}
	writeJSON(w, http.StatusOK, map[string]any{"json": map[string]any{"errors": list}})
}

// accessToken serves POST /api/v1/access_token: the app in Basic auth,
// then the password or refresh_token grant. A wrong password answers 200
// with {"error": "invalid_grant"}, as Reddit does.
func (f *Fake) accessToken(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	if !ok || id != f.ClientID || secret != f.ClientSecret {
		writeHTTPError(w, http.StatusUnauthorized)
		return
	}
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request"})
		return
	}
	switch r.PostForm.Get("grant_type") {
	case "password":
		if !strings.EqualFold(r.PostForm.Get("username"), f.Username) || r.PostForm.Get("password") != f.Password || f.Password == "" {
			writeJSON(w, http.StatusOK, map[string]string{"error": "invalid_grant"})
			return
		}
	case "refresh_token":
		if r.PostForm.Get("refresh_token") != f.RefreshToken || f.RefreshToken == "" {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant"})
			return
		}
	default:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type"})
		return
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	tok := "fake-" + hex.EncodeToString(b)
	f.mu.Lock()
	f.tokens[tok] = f.now().Add(f.TokenLifetime)
	f.tokenRequests++
	f.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"access_token": tok, "token_type": "bearer",
		"expires_in": int(f.TokenLifetime.Seconds()), "scope": "identity privatemessages submit read history modposts"})
}

// me serves GET /api/v1/me, the parts a client reads.
func (f *Fake) me(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	u := f.userLocked(f.Username)
	created := float64(f.now().AddDate(-3, 0, 0).Unix())
	f.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"name": u.name, "id": u.id, "created_utc": created,
		"has_verified_email": true, "is_mod": len(f.Moderates) > 0, "link_karma": 1200, "comment_karma": 5400})
}

// listMessages serves GET /message/{where}: inbox, unread, messages,
// comments, selfreply, mentions and sent, with before, after and limit
// (25 by default, at most 100). mark (true unless "false") marks what the
// inbox and unread listings show as read.
func (f *Fake) listMessages(w http.ResponseWriter, r *http.Request) {
	where := r.PathValue("where")
	q := r.URL.Query()
	f.mu.Lock()
	defer f.mu.Unlock()
	if where == "inbox" {
		f.queries = append(f.queries, r.URL.RawQuery)
	}
	var names []string
	switch where {
	case "sent":
		names = f.sent
	case "inbox", "unread", "messages", "comments", "selfreply", "mentions":
		for _, n := range f.inbox {
			it := f.things[n]
			keep := true
			switch where {
			case "unread":
				keep = it.unread
			case "messages":
				keep = it.kind == "t4"
			case "comments":
				keep = it.notice == "comment_reply" || it.notice == "post_reply"
			case "selfreply":
				keep = it.notice == "post_reply"
			case "mentions":
				keep = it.notice == "username_mention"
			}
			if keep {
				names = append(names, n)
			}
		}
	default:
		writeHTTPError(w, http.StatusNotFound)
		return
	}
	page, before, after := paginate(names, q.Get("before"), q.Get("after"), limitOf(q.Get("limit")))
	children := make([]any, 0, len(page))
	for _, n := range page {
		children = append(children, f.messageJSON(f.things[n]))
		if (where == "inbox" || where == "unread") && q.Get("mark") != "false" {
			f.things[n].unread = false
		}
	}
	writeJSON(w, http.StatusOK, listingJSON(children, before, after))
}

// info serves GET /api/info?id=<fullnames, comma-separated>: the posts
// and comments named, as a Listing, in the order asked, leaving out what
// the fake does not have. Reddit takes at most 100 names.
func (f *Fake) info(w http.ResponseWriter, r *http.Request) {
	names := strings.Split(r.URL.Query().Get("id"), ",")
	if len(names) > 100 {
		writeHTTPError(w, http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.infoQueries = append(f.infoQueries, r.URL.RawQuery)
	children := []any{}
	for _, n := range names {
		switch it := f.things[n]; {
		case it == nil:
		case it.kind == "t1":
			children = append(children, thingJSON("t1", f.commentJSON(it)))
		case it.kind == "t3":
			children = append(children, thingJSON("t3", f.linkJSON(it)))
		}
	}
	writeJSON(w, http.StatusOK, listingJSON(children, "", ""))
}

// userComments serves GET /user/{name}/comments for the brand, newest
// first; other users have none.
func (f *Fake) userComments(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f.mu.Lock()
	defer f.mu.Unlock()
	var names []string
	if f.isBrand(r.PathValue("name")) {
		names = f.comments
	}
	page, before, after := paginate(names, q.Get("before"), q.Get("after"), limitOf(q.Get("limit")))
	children := make([]any, 0, len(page))
	for _, n := range page {
		children = append(children, thingJSON("t1", f.commentJSON(f.things[n])))
	}
	writeJSON(w, http.StatusOK, listingJSON(children, before, after))
}

// postComment serves POST /api/comment: a comment on a post or comment,
// or a reply to a message, answered as r2's POST_comment does.
func (f *Fake) postComment(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeHTTPError(w, http.StatusBadRequest)
		return
	}
	form := r.PostForm
	if form.Get("api_type") != "json" {
		// Without api_type=json, r2 answers jQuery commands.
		writeJSON(w, http.StatusOK, map[string]any{"jquery": [][]any{}, "success": false})
		return
	}
	thingID, text := form.Get("thing_id"), form.Get("text")
	f.mu.Lock()
	defer f.mu.Unlock()
	parent := f.things[thingID]
	switch {
	case parent == nil:
		writeErrors(w, [3]string{"NO_THING_ID", "id not specified", "parent"})
		return
	case strings.TrimSpace(text) == "":
		writeErrors(w, [3]string{"NO_TEXT", "we need something here", "text"})
		return
	case utf8.RuneCountInString(text) > MaxTextChars:
		writeErrors(w, [3]string{"TOO_LONG", "this is too long (max: 10000)", "text"})
		return
	case len(f.refusals) > 0:
		e := f.refusals[0]
		f.refusals = f.refusals[1:]
		writeErrors(w, e)
		return
	case len(f.slowDown) > 0:
		msg := f.slowDown[0]
		f.slowDown = f.slowDown[1:]
		writeErrors(w, [3]string{"RATELIMIT", msg, "ratelimit"})
		return
	}
	brand := f.userLocked(f.Username)
	if parent.kind == "t4" {
		other := parent.author
		if f.isBrand(other) {
			other = parent.dest
		}
		if !f.isBrand(parent.author) && !f.isBrand(parent.dest) {
			writeHTTPError(w, http.StatusForbidden)
			return
		}
		if f.blockedBy[strings.ToLower(other)] {
			writeErrors(w, [3]string{"USER_BLOCKED", "you can't send to a user that you have blocked", "parent"})
			return
		}
		first := parent.first
		if first == "" {
			first = parent.name()
		}
		it := &item{kind: "t4", id: f.nextID(), author: brand.name, authorID: brand.id, body: text, dest: other,
			subject: "re: " + strings.TrimPrefix(parent.subject, "re: "), parent: parent.name(), first: first, created: f.now()}
		f.things[it.name()] = it
		f.sent = append(f.sent, it.name())
		f.posted = append(f.posted, Posted{Kind: "reply", Name: it.name(), ThingID: thingID, Text: text,
			UserAgent: r.Header.Get("User-Agent"), At: it.created})
		writeJSON(w, http.StatusOK, map[string]any{"json": map[string]any{"errors": []any{},
			"data": map[string]any{"things": []any{f.messageJSON(it)}}}})
		return
	}
	link := parent
	if parent.kind == "t1" {
		link = f.things[parent.link]
	}
	switch {
	case parent.deleted && parent.kind == "t1":
		writeErrors(w, [3]string{"DELETED_COMMENT", "that comment has been deleted", "parent"})
		return
	case link != nil && link.deleted:
		writeErrors(w, [3]string{"DELETED_LINK", "the link you are commenting on has been deleted", "parent"})
		return
	case link != nil && link.locked:
		writeErrors(w, [3]string{"THREAD_LOCKED", "Comments are locked.", "parent"})
		return
	}
	it := &item{kind: "t1", id: f.nextID(), author: brand.name, authorID: brand.id, body: text, subreddit: parent.subreddit,
		parent: parent.name(), link: parent.link, created: f.now()}
	if parent.kind == "t3" {
		it.link = parent.name()
	}
	f.things[it.name()] = it
	f.comments = append(f.comments, it.name())
	f.posted = append(f.posted, Posted{Kind: "comment", Name: it.name(), ThingID: thingID, Text: text,
		UserAgent: r.Header.Get("User-Agent"), At: it.created})
	writeJSON(w, http.StatusOK, map[string]any{"json": map[string]any{"errors": []any{},
		"data": map[string]any{"things": []any{thingJSON("t1", f.commentJSON(it))}}}})
}

// compose serves POST /api/compose: a new message to a user ("name",
// "u/name", "/u/name") or a subreddit ("r/name", "#name"). Like Reddit, it
// answers {"json": {"errors": []}} without the message's id.
func (f *Fake) compose(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeHTTPError(w, http.StatusBadRequest)
		return
	}
	form := r.PostForm
	if form.Get("api_type") != "json" {
		writeJSON(w, http.StatusOK, map[string]any{"jquery": [][]any{}, "success": false})
		return
	}
	to := strings.TrimPrefix(strings.TrimPrefix(form.Get("to"), "/"), "u/")
	subject, text := form.Get("subject"), form.Get("text")
	f.mu.Lock()
	defer f.mu.Unlock()
	var dest string
	switch {
	case to == "":
		writeErrors(w, [3]string{"NO_USER", "please enter a username", "to"})
		return
	case strings.HasPrefix(to, "r/") || strings.HasPrefix(to, "#"):
		dest = "#" + strings.TrimPrefix(strings.TrimPrefix(to, "r/"), "#")
	default:
		u := f.users[strings.ToLower(to)]
		if u == nil {
			writeErrors(w, [3]string{"USER_DOESNT_EXIST", "that user doesn't exist", "to"})
			return
		}
		dest = u.name
	}
	switch {
	case strings.TrimSpace(subject) == "":
		writeErrors(w, [3]string{"NO_SUBJECT", "please enter a subject", "subject"})
		return
	case utf8.RuneCountInString(subject) > MaxSubjectChars:
		writeErrors(w, [3]string{"TOO_LONG", "this is too long (max: 100)", "subject"})
		return
	case strings.TrimSpace(text) == "":
		writeErrors(w, [3]string{"NO_TEXT", "we need something here", "text"})
		return
	case utf8.RuneCountInString(text) > MaxTextChars:
		writeErrors(w, [3]string{"TOO_LONG", "this is too long (max: 10000)", "text"})
		return
	case f.blockedBy[strings.ToLower(dest)]:
		writeErrors(w, [3]string{"USER_BLOCKED", "you can't send to a user that you have blocked", "to"})
		return
	case len(f.refusals) > 0:
		e := f.refusals[0]
		f.refusals = f.refusals[1:]
		writeErrors(w, e)
		return
	case len(f.slowDown) > 0:
		msg := f.slowDown[0]
		f.slowDown = f.slowDown[1:]
		writeErrors(w, [3]string{"RATELIMIT", msg, "ratelimit"})
		return
	}
	brand := f.userLocked(f.Username)
	it := &item{kind: "t4", id: f.nextID(), author: brand.name, authorID: brand.id, body: text, dest: dest, subject: subject, created: f.now()}
	f.things[it.name()] = it
	f.sent = append(f.sent, it.name())
	f.posted = append(f.posted, Posted{Kind: "compose", Name: it.name(), To: form.Get("to"), Subject: subject, Text: text,
		UserAgent: r.Header.Get("User-Agent"), At: it.created})
	writeErrors(w)
}

// moderate serves POST /api/remove and /api/approve: only in a subreddit
// the brand moderates; elsewhere 403. Both answer {}.
func (f *Fake) moderate(action string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			writeHTTPError(w, http.StatusBadRequest)
			return
		}
		id := r.PostForm.Get("id")
		f.mu.Lock()
		defer f.mu.Unlock()
		it := f.things[id]
		if it == nil || it.kind == "t4" || !f.moderatesLocked(it.subreddit) {
			writeHTTPError(w, http.StatusForbidden)
			return
		}
		it.removed = action == "remove"
		f.moderations = append(f.moderations, Moderation{Action: action, ID: id, Spam: r.PostForm.Get("spam") == "true"})
		writeJSON(w, http.StatusOK, map[string]any{})
	}
}

func (f *Fake) moderatesLocked(sr string) bool {
	for _, m := range f.Moderates {
		if strings.EqualFold(m, sr) {
			return true
		}
	}
	return false
}

// limitOf reads a listing's limit: 25 by default, at most 100.
func limitOf(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return 25
	}
	return min(n, 100)
}

// paginate pages names (oldest first) as a Listing does, newest first:
// with before, the limit items immediately newer than it; with after,
// those immediately older; otherwise the newest. Like Reddit's, a listing
// holds only the newest ListingCap items, and an anchor no longer in it
// gives an empty page. before and after are the listing's cursors, "" for
// null.
func paginate(names []string, beforeName, afterName string, limit int) (page []string, before, after string) {
	names = names[max(len(names)-ListingCap, 0):]
	index := func(n string) int {
		for i, m := range names {
			if m == n {
				return i
			}
		}
		return -1
	}
	var lo, hi int // names[lo:hi], oldest first
	switch {
	case beforeName != "":
		i := index(beforeName)
		if i < 0 {
			return nil, "", ""
		}
		lo, hi = i+1, min(i+1+limit, len(names))
	case afterName != "":
		i := index(afterName)
		if i < 0 {
			return nil, "", ""
		}
		lo, hi = max(i-limit, 0), i
	default:
		lo, hi = max(len(names)-limit, 0), len(names)
	}
	for i := hi - 1; i >= lo; i-- {
		page = append(page, names[i])
	}
	if len(page) == 0 {
		return nil, "", ""
	}
	if hi < len(names) {
		before = names[hi-1]
	}
	if lo > 0 {
		after = names[lo]
	}
	return page, before, after
}
