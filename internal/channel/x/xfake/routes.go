package xfake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Handler returns the fake's API as an http.Handler.
func (f *Fake) Handler() http.Handler { return f }

// ServeHTTP serves the API.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) { f.mux.ServeHTTP(w, r) }

func (f *Fake) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /i/oauth2/authorize", f.authorize)
	mux.HandleFunc("POST /2/oauth2/token", f.token)
	mux.HandleFunc("GET /2/users/me", f.api(UsersMe, false, f.me))
	mux.HandleFunc("POST /2/tweets", f.api(CreatePost, true, f.createPost))
	mux.HandleFunc("POST /2/dm_conversations/with/{participant}/messages", f.api(SendDM, true, f.sendDM))
	mux.HandleFunc("GET /2/users/{id}/mentions", f.api(Mentions, false, f.mentions))
	mux.HandleFunc("GET /2/users/{id}/tweets", f.api(UserPosts, false, f.userPosts))
	mux.HandleFunc("GET /2/dm_events", f.api(DMEvents, false, f.dmEvents))
	mux.HandleFunc("GET /2/dm_conversations/with/{participant}/dm_events", f.api(ConversationDMEvents, false, f.conversationEvents))
	mux.HandleFunc("GET /2/tweets/search/recent", f.api(SearchRecent, false, f.searchRecent))
	mux.HandleFunc("GET /1.1/ton/data/dm/{dm}/{media}/{name}", f.dmMedia)
	return mux
}

// reply is a handler's answer: a status and a JSON body.
type reply struct {
	status int
	body   any
}

// handler runs with the fake locked, for the user the bearer token acts for.
type handler func(r *http.Request, body []byte, caller User) reply

// api wraps a handler with what every endpoint does: count the call, inject
// a failure, check the token, spend the rate-limit budget and send its
// headers; and, for writes, lose the response when asked to.
func (f *Fake) api(e Endpoint, write bool, h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		f.mu.Lock()
		f.calls[e]++
		if len(f.fail) > 0 {
			rep := f.fail[0]
			f.fail = f.fail[1:]
			f.mu.Unlock()
			writeJSON(w, rep.status, rep.body)
			return
		}
		token, bearer := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		userID := f.tokens[token]
		if !bearer || token == "" {
			userID = f.oauth1User(r)
		}
		caller, known := f.users[userID]
		if userID == "" || !known {
			f.mu.Unlock()
			writeJSON(w, http.StatusUnauthorized, problemBody(http.StatusUnauthorized, "Unauthorized"))
			return
		}
		now := f.now()
		k := windowKey{e, userID}
		win := f.windows[k]
		if win == nil || now.Sub(win.start) >= Window {
			win = &window{start: now}
			f.windows[k] = win
		}
		limit := f.limits[e]
		day, perDay := f.day(e, userID, now)
		if win.used >= limit || day != nil && day.used >= perDay {
			setRateHeaders(w, limit, max(limit-win.used, 0), win.start.Add(Window))
			if day != nil {
				setDayHeaders(w, perDay, max(perDay-day.used, 0), day.start.Add(Day))
			}
			f.mu.Unlock()
			writeJSON(w, http.StatusTooManyRequests, problemBody(http.StatusTooManyRequests, "Too Many Requests"))
			return
		}
		win.used++
		setRateHeaders(w, limit, limit-win.used, win.start.Add(Window))
		if day != nil {
			day.used++
			setDayHeaders(w, perDay, perDay-day.used, day.start.Add(Day))
		}
		rep := h(r, body, caller)
		lose := write && f.lose > 0 && rep.status < 300
		if lose {
			f.lose--
		}
		f.mu.Unlock()
		if lose {
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		writeJSON(w, rep.status, rep.body)
	}
}

func setRateHeaders(w http.ResponseWriter, limit, remaining int, reset time.Time) {
	h := w.Header()
	h.Set("x-rate-limit-limit", strconv.Itoa(limit))
	h.Set("x-rate-limit-remaining", strconv.Itoa(remaining))
	// Rounded up, so a client waiting until reset is past the window.
	h.Set("x-rate-limit-reset", strconv.FormatInt(reset.Add(time.Second-1).Unix(), 10))
}

// setDayHeaders sends a daily cap as X does on the endpoints that have one:
// x-user-limit-24hour-limit, -remaining and -reset.
func setDayHeaders(w http.ResponseWriter, limit, remaining int, reset time.Time) {
	h := w.Header()
	h.Set("x-user-limit-24hour-limit", strconv.Itoa(limit))
	h.Set("x-user-limit-24hour-remaining", strconv.Itoa(remaining))
	h.Set("x-user-limit-24hour-reset", strconv.FormatInt(reset.Add(time.Second-1).Unix(), 10))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// problemBody is an RFC 7807 problem as X's v2 API returns it.
func problemBody(status int, detail string) map[string]any {
	title := http.StatusText(status)
	if status == http.StatusTooManyRequests {
		title = "Too Many Requests"
	}
	return map[string]any{"title": title, "detail": detail, "type": "about:blank", "status": status}
}

func invalidRequest(msg string) reply {
	return reply{http.StatusBadRequest, map[string]any{
		"errors": []map[string]any{{"message": msg}},
		"title":  "Invalid Request", "detail": "One or more parameters to your request was invalid.",
		"type": "https://api.x.com/2/problems/invalid-request",
	}}
}

// replyTargetGone is X's own wording for a reply to a post that is deleted
// or hidden from the caller, as developers report it with its 403
// (github.com/plhery/node-twitter-api-v2/issues/366,
// github.com/IBBoard/cawbird/issues/8).
const replyTargetGone = "You attempted to reply to a Tweet that is deleted or not visible to you."

// Messages of the fake's refusals.
const (
	notSummoned     = "Reply to this conversation is not allowed because you have not been mentioned or otherwise engaged by the author of the post you are replying to."
	duplicatePost   = "You are not allowed to create a Tweet with duplicate content."
	dmNotPermitted  = "You cannot send messages to this user: they do not accept messages from you."
	maxPostRunes    = 25000
	maxDMRunes      = 10000
	maxMentionsKept = 800
)

func (f *Fake) createPost(r *http.Request, body []byte, caller User) reply {
	var req struct {
		Text  string `json:"text"`
		Reply *struct {
			InReplyToTweetID string `json:"in_reply_to_tweet_id"`
		} `json:"reply"`
		QuoteTweetID string `json:"quote_tweet_id"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return invalidRequest("The request body is not valid JSON.")
	}
	switch n := len([]rune(req.Text)); {
	case strings.TrimSpace(req.Text) == "":
		return invalidRequest("text is required.")
	case n > maxPostRunes:
		return invalidRequest("text is too long.")
	}
	p := Post{AuthorID: caller.ID, Text: req.Text, Quotes: req.QuoteTweetID}
	if req.Reply != nil {
		target := f.post(req.Reply.InReplyToTweetID)
		if target == nil || target.Deleted {
			// X answers 403, not 404 or 400, for a post that is gone or
			// hidden from the caller (v1.1 code 385).
			return reply{http.StatusForbidden, problemBody(http.StatusForbidden, replyTargetGone)}
		}
		if !f.summons(target, caller.ID) {
			return reply{http.StatusForbidden, problemBody(http.StatusForbidden, notSummoned)}
		}
		p.InReplyTo = target.ID
	}
	for _, q := range f.posts {
		if q.AuthorID == caller.ID && q.Text == req.Text && !q.Deleted {
			return reply{http.StatusForbidden, problemBody(http.StatusForbidden, duplicatePost)}
		}
	}
	stored := f.addPost(p)
	return reply{http.StatusCreated, map[string]any{"data": map[string]any{
		"id": stored.ID, "text": stored.Text, "edit_history_tweet_ids": []string{stored.ID}}}}
}

// summons reports whether p lets user reply to it: p is user's own, or
// @mentions user, or quotes one of user's posts.
func (f *Fake) summons(p *Post, user string) bool {
	if p.AuthorID == user || slices.Contains(p.Mentions, user) {
		return true
	}
	q := f.post(p.Quotes)
	return q != nil && q.AuthorID == user
}

func (f *Fake) sendDM(r *http.Request, body []byte, caller User) reply {
	var req struct {
		Text string `json:"text"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return invalidRequest("The request body is not valid JSON.")
	}
	to, ok := f.users[r.PathValue("participant")]
	switch {
	case !ok:
		return invalidRequest("participant_id is not a known user.")
	case to.ID == caller.ID:
		return invalidRequest("You cannot send a message to yourself.")
	case strings.TrimSpace(req.Text) == "":
		return invalidRequest("text is required.")
	case len([]rune(req.Text)) > maxDMRunes:
		return invalidRequest("text is too long.")
	}
	if !to.OpenDMs && !slices.ContainsFunc(f.dms, func(d *DM) bool { return d.SenderID == to.ID && d.RecipientID == caller.ID }) {
		return reply{http.StatusForbidden, problemBody(http.StatusForbidden, dmNotPermitted)}
	}
	d := f.addDM(DM{SenderID: caller.ID, RecipientID: to.ID, Text: req.Text})
	return reply{http.StatusCreated, map[string]any{"data": map[string]any{
		"dm_conversation_id": conversationID(d.SenderID, d.RecipientID), "dm_event_id": d.ID}}}
}

// pageQuery is a list request's paging: at most max items, newest first,
// newer than sinceID and older than before (from the pagination token).
type pageQuery struct {
	max     int
	sinceID string
	before  string
}

func parsePageQuery(r *http.Request, lo, hi, def int) (pageQuery, *reply) {
	q := r.URL.Query()
	pq := pageQuery{max: def, sinceID: q.Get("since_id")}
	if v := q.Get("max_results"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			rep := invalidRequest(fmt.Sprintf("max_results must be between %d and %d.", lo, hi))
			return pq, &rep
		}
		pq.max = n
	}
	if t := q.Get("pagination_token"); t != "" {
		id, ok := strings.CutPrefix(t, "before-")
		if !ok || id == "" {
			rep := invalidRequest("pagination_token is not valid.")
			return pq, &rep
		}
		pq.before = id
	}
	return pq, nil
}

// pick returns the ids (newest first) that pass the query, and the next
// token when more remain.
func (pq pageQuery) pick(ids []string) (out []string, next string) {
	for i := len(ids) - 1; i >= 0; i-- {
		id := ids[i]
		if pq.before != "" && compareIDs(id, pq.before) >= 0 || pq.sinceID != "" && compareIDs(id, pq.sinceID) <= 0 {
			continue
		}
		if len(out) == pq.max {
			return out, "before-" + out[len(out)-1]
		}
		out = append(out, id)
	}
	return out, ""
}

func (f *Fake) mentions(r *http.Request, _ []byte, _ User) reply {
	pq, bad := parsePageQuery(r, 5, 100, 10)
	if bad != nil {
		return *bad
	}
	user := r.PathValue("id")
	var ids []string
	for _, p := range f.posts {
		if !p.Deleted && p.AuthorID != user && slices.Contains(p.Mentions, user) {
			ids = append(ids, p.ID)
		}
	}
	// X keeps only the 800 most recent mentions available.
	if len(ids) > maxMentionsKept {
		ids = ids[len(ids)-maxMentionsKept:]
	}
	picked, next := pq.pick(ids)
	return f.postPage(picked, next)
}

func (f *Fake) userPosts(r *http.Request, _ []byte, _ User) reply {
	pq, bad := parsePageQuery(r, 5, 100, 10)
	if bad != nil {
		return *bad
	}
	user := r.PathValue("id")
	var ids []string
	for _, p := range f.posts {
		if !p.Deleted && p.AuthorID == user {
			ids = append(ids, p.ID)
		}
	}
	picked, next := pq.pick(ids)
	return f.postPage(picked, next)
}

func (f *Fake) postPage(ids []string, next string) reply {
	meta := map[string]any{"result_count": len(ids)}
	if len(ids) == 0 {
		return reply{http.StatusOK, map[string]any{"meta": meta}}
	}
	data := make([]any, len(ids))
	var authors []any
	seen := map[string]bool{}
	for i, id := range ids {
		p := f.post(id)
		data[i] = f.v2Post(p)
		if u, ok := f.users[p.AuthorID]; ok && !seen[u.ID] {
			seen[u.ID] = true
			authors = append(authors, v2User(u))
		}
	}
	meta["newest_id"], meta["oldest_id"] = ids[0], ids[len(ids)-1]
	if next != "" {
		meta["next_token"] = next
	}
	resp := map[string]any{"data": data, "meta": meta}
	if len(authors) > 0 {
		resp["includes"] = map[string]any{"users": authors}
	}
	return reply{http.StatusOK, resp}
}

func (f *Fake) dmEvents(r *http.Request, _ []byte, caller User) reply {
	return f.dmPage(r, caller, func(d *DM) bool { return d.SenderID == caller.ID || d.RecipientID == caller.ID })
}

func (f *Fake) conversationEvents(r *http.Request, _ []byte, caller User) reply {
	other := r.PathValue("participant")
	return f.dmPage(r, caller, func(d *DM) bool {
		return d.SenderID == caller.ID && d.RecipientID == other || d.SenderID == other && d.RecipientID == caller.ID
	})
}

func (f *Fake) dmPage(r *http.Request, _ User, match func(*DM) bool) reply {
	pq, bad := parsePageQuery(r, 1, 100, 100)
	if bad != nil {
		return *bad
	}
	pq.sinceID = "" // the DM endpoints take no since_id
	var ids []string
	byID := map[string]*DM{}
	for _, d := range f.dms {
		if match(d) {
			ids = append(ids, d.ID)
			byID[d.ID] = d
		}
	}
	picked, next := pq.pick(ids)
	meta := map[string]any{"result_count": len(picked)}
	if next != "" {
		meta["next_token"] = next
	}
	if len(picked) == 0 {
		return reply{http.StatusOK, map[string]any{"meta": meta}}
	}
	data := make([]any, len(picked))
	var senders, media []any
	seen := map[string]bool{}
	for i, id := range picked {
		d := byID[id]
		ev := map[string]any{"id": d.ID, "event_type": "MessageCreate", "text": d.Text, "sender_id": d.SenderID,
			"dm_conversation_id": conversationID(d.SenderID, d.RecipientID), "created_at": d.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z")}
		if m := d.Media; m != nil {
			// A v2 media object: media_key, type, and url for a photo
			// (v2 Media object; expansions=attachments.media_keys).
			key := mediaKey(m)
			ev["attachments"] = map[string]any{"media_keys": []string{key}}
			mo := map[string]any{"media_key": key, "type": m.Type}
			if m.Type == "photo" {
				mo["url"] = f.mediaURL(d, m)
			}
			media = append(media, mo)
		}
		data[i] = ev
		if u, ok := f.users[d.SenderID]; ok && !seen[u.ID] {
			seen[u.ID] = true
			senders = append(senders, v2User(u))
		}
	}
	resp := map[string]any{"data": data, "meta": meta}
	includes := map[string]any{}
	if len(senders) > 0 {
		includes["users"] = senders
	}
	if len(media) > 0 {
		includes["media"] = media
	}
	if len(includes) > 0 {
		resp["includes"] = includes
	}
	return reply{http.StatusOK, resp}
}

// mediaKey is m's v2 media key: a type prefix (3 a photo, 7 a video, 16 an
// animated GIF) and the media id.
func mediaKey(m *DMMedia) string {
	switch m.Type {
	case "video":
		return "7_" + m.ID
	case "animated_gif":
		return "16_" + m.ID
	}
	return "3_" + m.ID
}

// conversationID is a one-to-one conversation's id: the two user ids,
// smaller first, joined by a hyphen.
func conversationID(a, b string) string {
	if compareIDs(a, b) > 0 {
		a, b = b, a
	}
	return a + "-" + b
}
