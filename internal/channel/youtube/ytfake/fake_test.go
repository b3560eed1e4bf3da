package ytfake_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/channel/youtube/ytfake"
)

// client talks to a fake as Parley does, with a token from its endpoint.
type client struct {
	t     *testing.T
	srv   *httptest.Server
	fake  *ytfake.Fake
	token string
	clock *clock
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newClient(t *testing.T) *client {
	t.Helper()
	c := &client{t: t, fake: ytfake.New(), clock: &clock{t: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)}}
	c.fake.Now = c.clock.Now
	c.srv = httptest.NewServer(c.fake.Handler())
	t.Cleanup(c.srv.Close)
	c.login()
	return c
}

// login gets an access token from the fake's token endpoint.
func (c *client) login() {
	t := c.t
	t.Helper()
	status, body := c.tokenRequest(url.Values{"grant_type": {"refresh_token"}, "client_id": {ytfake.DefaultClientID},
		"client_secret": {ytfake.DefaultClientSecret}, "refresh_token": {ytfake.DefaultRefreshToken}})
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
		TokenType   string `json:"token_type"`
	}
	if err := json.Unmarshal(body, &tok); status != 200 || err != nil || tok.AccessToken == "" || tok.ExpiresIn != 3599 || tok.TokenType != "Bearer" {
		t.Fatalf("token = %d %s", status, body)
	}
	c.token = tok.AccessToken
}

func (c *client) tokenRequest(form url.Values) (int, []byte) {
	c.t.Helper()
	resp, err := http.PostForm(c.srv.URL+"/token", form)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// do makes an API request and returns its status and decoded body.
func (c *client) do(method, path string, q url.Values, body string) (int, map[string]any) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.srv.URL+path+"?"+q.Encode(), strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.srv.Client().Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	b, _ := io.ReadAll(resp.Body)
	if len(b) > 0 {
		if err := json.Unmarshal(b, &out); err != nil {
			c.t.Fatalf("%s %s answered %d with %q, not JSON", method, path, resp.StatusCode, b)
		}
	}
	return resp.StatusCode, out
}

// reason is the Google error reason of a body.
func reason(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	errs, _ := e["errors"].([]any)
	if len(errs) == 0 {
		return ""
	}
	d, _ := errs[0].(map[string]any)
	r, _ := d["reason"].(string)
	return r
}

func threadsQuery(extra ...string) url.Values {
	q := url.Values{"part": {"snippet,replies"}, "allThreadsRelatedToChannelId": {ytfake.DefaultChannelID}, "maxResults": {"100"}, "textFormat": {"plainText"}}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return q
}

func TestToken(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	for _, tt := range []struct {
		form   url.Values
		status int
		code   string
	}{
		{url.Values{"grant_type": {"authorization_code"}}, 400, "unsupported_grant_type"},
		{url.Values{"grant_type": {"refresh_token"}, "client_id": {"other"}, "client_secret": {ytfake.DefaultClientSecret}, "refresh_token": {ytfake.DefaultRefreshToken}}, 401, "invalid_client"},
		{url.Values{"grant_type": {"refresh_token"}, "client_id": {ytfake.DefaultClientID}, "client_secret": {ytfake.DefaultClientSecret}, "refresh_token": {"stolen"}}, 400, "invalid_grant"},
	} {
		status, body := c.tokenRequest(tt.form)
		var e struct{ Error string }
		if json.Unmarshal(body, &e); status != tt.status || e.Error != tt.code {
			t.Errorf("token(%v) = %d %s; want %d %s", tt.form, status, body, tt.status, tt.code)
		}
	}
	if n := c.fake.TokenRequests(); n != 4 {
		t.Errorf("TokenRequests = %d, want 4", n)
	}
}

func TestAuth(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	if status, _ := c.do("GET", "/youtube/v3/commentThreads", threadsQuery(), ""); status != 200 {
		t.Fatalf("with the token: %d", status)
	}
	c.fake.RevokeAccessTokens()
	status, body := c.do("GET", "/youtube/v3/commentThreads", threadsQuery(), "")
	if status != 401 || reason(body) != "authError" {
		t.Errorf("with a revoked token: %d %v", status, body)
	}
	c = newClient(t)
	c.clock.Add(ytfake.TokenLifetime)
	if status, _ := c.do("GET", "/youtube/v3/commentThreads", threadsQuery(), ""); status != 401 {
		t.Errorf("with an expired token: %d", status)
	}
	c.fake.RevokeRefreshToken()
	if status, _ := c.tokenRequest(url.Values{"grant_type": {"refresh_token"}, "client_id": {ytfake.DefaultClientID},
		"client_secret": {ytfake.DefaultClientSecret}, "refresh_token": {ytfake.DefaultRefreshToken}}); status != 400 {
		t.Errorf("a revoked refresh token: %d", status)
	}
}

func TestThreads(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	ana := ytfake.Viewer{Handle: "anasilva"}
	first := c.fake.Comment(ana, ytfake.DefaultVideoID, "first <b>bold</b>\nline")
	for i := range 7 {
		c.clock.Add(time.Second)
		c.fake.Reply(ytfake.Viewer{DisplayName: "Ben J"}, first, "reply "+string(rune('0'+i)))
	}
	c.clock.Add(time.Second)
	second := c.fake.Comment(ana, "", "about the channel")

	status, body := c.do("GET", "/youtube/v3/commentThreads", threadsQuery("maxResults", "1"), "")
	items, _ := body["items"].([]any)
	if status != 200 || body["kind"] != "youtube#commentThreadListResponse" || len(items) != 1 || body["nextPageToken"] == nil {
		t.Fatalf("first page = %d %v", status, body)
	}
	if id := items[0].(map[string]any)["id"]; id != second {
		t.Errorf("first thread = %v, want the newest, %s", id, second)
	}
	status, body = c.do("GET", "/youtube/v3/commentThreads", threadsQuery("maxResults", "1", "pageToken", body["nextPageToken"].(string)), "")
	items, _ = body["items"].([]any)
	if status != 200 || len(items) != 1 || body["nextPageToken"] != nil {
		t.Fatalf("second page = %d %v", status, body)
	}
	th := items[0].(map[string]any)
	sn := th["snippet"].(map[string]any)
	top := sn["topLevelComment"].(map[string]any)["snippet"].(map[string]any)
	replies := th["replies"].(map[string]any)["comments"].([]any)
	if sn["totalReplyCount"] != 7.0 || len(replies) != ytfake.EmbeddedReplies || sn["videoId"] != ytfake.DefaultVideoID || top["textDisplay"] != "first <b>bold</b>\nline" ||
		top["authorChannelUrl"] != "http://www.youtube.com/@anasilva" || top["authorDisplayName"] != "@anasilva" || top["publishedAt"] != "2026-11-24T10:00:00Z" {
		t.Errorf("thread = %v", th)
	}
	// HTML by default.
	_, body = c.do("GET", "/youtube/v3/commentThreads", threadsQuery("textFormat", "", "videoId", ytfake.DefaultVideoID, "allThreadsRelatedToChannelId", ""), "")
	html := body["items"].([]any)[0].(map[string]any)["snippet"].(map[string]any)["topLevelComment"].(map[string]any)["snippet"].(map[string]any)["textDisplay"]
	if html != "first &lt;b&gt;bold&lt;/b&gt;<br>line" {
		t.Errorf("textDisplay in HTML = %v", html)
	}

	// The rest of the replies, oldest first.
	status, body = c.do("GET", "/youtube/v3/comments", url.Values{"part": {"snippet"}, "parentId": {first}, "maxResults": {"100"}}, "")
	items, _ = body["items"].([]any)
	if status != 200 || body["kind"] != "youtube#commentListResponse" || len(items) != 7 {
		t.Fatalf("replies = %d %v", status, body)
	}
	r6 := items[6].(map[string]any)
	if s := r6["snippet"].(map[string]any); s["textOriginal"] != "reply 6" || s["parentId"] != first || !strings.HasPrefix(r6["id"].(string), first+".") ||
		!strings.HasPrefix(s["authorChannelUrl"].(string), "http://www.youtube.com/channel/UC") || s["authorDisplayName"] != "Ben J" {
		t.Errorf("last reply = %v", r6)
	}

	for _, tt := range []struct {
		path   string
		q      url.Values
		status int
		reason string
	}{
		{"/youtube/v3/commentThreads", threadsQuery("pageToken", "bm9wZQ"), 400, "invalidPageToken"},
		{"/youtube/v3/commentThreads", threadsQuery("maxResults", "101"), 400, "invalidParameter"},
		{"/youtube/v3/commentThreads", threadsQuery("videoId", "x"), 400, "invalidFilters"},
		{"/youtube/v3/commentThreads", url.Values{"allThreadsRelatedToChannelId": {ytfake.DefaultChannelID}}, 400, "missingRequiredParameter"},
		{"/youtube/v3/comments", url.Values{"part": {"snippet"}, "parentId": {"UgzNope"}}, 404, "commentNotFound"},
		{"/youtube/v3/nothing", nil, 404, "notFound"},
	} {
		if status, body := c.do("GET", tt.path, tt.q, ""); status != tt.status || reason(body) != tt.reason {
			t.Errorf("GET %s?%s = %d %s, want %d %s", tt.path, tt.q.Encode(), status, reason(body), tt.status, tt.reason)
		}
	}
}

// TestNoChannel shows a comment by an account without a channel as
// YouTube serves it: a display name, no authorChannelId or
// authorChannelUrl.
func TestNoChannel(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	c.fake.Comment(ytfake.Viewer{DisplayName: "Jane Doe", NoChannel: true}, ytfake.DefaultVideoID, "no channel here")
	_, body := c.do("GET", "/youtube/v3/commentThreads", threadsQuery(), "")
	items, _ := body["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("threads = %v", body)
	}
	sn := items[0].(map[string]any)["snippet"].(map[string]any)["topLevelComment"].(map[string]any)["snippet"].(map[string]any)
	_, id := sn["authorChannelId"]
	_, u := sn["authorChannelUrl"]
	if id || u || sn["authorDisplayName"] != "Jane Doe" || sn["textOriginal"] != "no channel here" {
		t.Errorf("snippet = %v, want a display name and no channel", sn)
	}
}

func TestInsert(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	ana := ytfake.Viewer{Handle: "anasilva"}
	top := c.fake.Comment(ana, ytfake.DefaultVideoID, "a question")
	reply, _ := c.fake.Reply(ana, top, "a reply")
	off := c.fake.Comment(ana, "offvideo123", "comments go off")
	c.fake.DisableComments("offvideo123")
	q := url.Values{"part": {"snippet"}}
	body := func(parent, text string) string {
		b, _ := json.Marshal(map[string]any{"snippet": map[string]string{"parentId": parent, "textOriginal": text}})
		return string(b)
	}
	status, res := c.do("POST", "/youtube/v3/comments", q, body(top, "an answer"))
	if status != 200 || res["kind"] != "youtube#comment" || !strings.HasPrefix(res["id"].(string), top+".") {
		t.Fatalf("insert = %d %v", status, res)
	}
	if s := res["snippet"].(map[string]any); s["authorChannelId"].(map[string]any)["value"] != ytfake.DefaultChannelID || s["parentId"] != top {
		t.Errorf("inserted = %v", res)
	}
	posted := c.fake.Replies()
	if len(posted) != 1 || posted[0].ParentID != top || posted[0].Text != "an answer" || posted[0].ID != res["id"] {
		t.Errorf("Replies = %+v", posted)
	}
	for _, tt := range []struct {
		body   string
		status int
		reason string
	}{
		{"not json", 400, "invalidCommentMetadata"},
		{body("", "x"), 400, "parentIdMissing"},
		{body("UgzNope", "x"), 404, "parentCommentNotFound"},
		{body(reply, "x"), 400, "operationNotSupported"},
		{body(off, "x"), 403, "commentsDisabled"},
		{body(top, ""), 400, "commentTextRequired"},
		{body(top, strings.Repeat("é", ytfake.MaxTextChars+1)), 400, "commentTextTooLong"},
	} {
		if status, res := c.do("POST", "/youtube/v3/comments", q, tt.body); status != tt.status || reason(res) != tt.reason {
			t.Errorf("insert %.40s = %d %s, want %d %s", tt.body, status, reason(res), tt.status, tt.reason)
		}
	}
	// A lost answer: stored, answered 503.
	c.fake.DropInsertResponses(1)
	if status, res := c.do("POST", "/youtube/v3/comments", q, body(top, "lost")); status != 503 || reason(res) != "backendError" || len(c.fake.Replies()) != 2 {
		t.Errorf("insert with its answer dropped = %d %v, %d replies", status, res, len(c.fake.Replies()))
	}
}

func TestModeration(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	top := c.fake.Comment(ytfake.Viewer{Handle: "spammer"}, ytfake.DefaultVideoID, "spam")
	set := func(id, status string, ban bool) (int, map[string]any) {
		q := url.Values{"id": {id}, "moderationStatus": {status}}
		if ban {
			q.Set("banAuthor", "true")
		}
		return c.do("POST", "/youtube/v3/comments/setModerationStatus", q, "")
	}
	if status, body := set(top, ytfake.HeldForReview, false); status != 204 || body != nil {
		t.Fatalf("hold = %d %v", status, body)
	}
	if _, body := c.do("GET", "/youtube/v3/commentThreads", threadsQuery(), ""); len(body["items"].([]any)) != 0 {
		t.Error("a held comment is listed as published")
	}
	if _, body := c.do("GET", "/youtube/v3/commentThreads", threadsQuery("moderationStatus", ytfake.HeldForReview), ""); len(body["items"].([]any)) != 1 {
		t.Error("a held comment is not listed as held")
	}
	if status, body := set(top, ytfake.Published, true); status != 400 || reason(body) != "banWithoutReject" {
		t.Errorf("ban without reject = %d %v", status, body)
	}
	if status, body := set("UgzNope", ytfake.Rejected, false); status != 404 || reason(body) != "commentNotFound" {
		t.Errorf("unknown comment = %d %v", status, body)
	}
	if status, _ := set(top, ytfake.Rejected, true); status != 204 {
		t.Errorf("reject and ban = %d", status)
	}
	mods := c.fake.Moderations()
	if len(mods) != 2 || mods[1].Status != ytfake.Rejected || !mods[1].BanAuthor {
		t.Errorf("Moderations = %+v", mods)
	}
	if got, _ := c.fake.Get(top); got.ModerationStatus != ytfake.Rejected {
		t.Errorf("status = %s", got.ModerationStatus)
	}
}

func TestQuota(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	c.fake.DailyQuota = 52
	top := c.fake.Comment(ytfake.Viewer{Handle: "anasilva"}, ytfake.DefaultVideoID, "q")
	c.do("GET", "/youtube/v3/commentThreads", threadsQuery(), "")
	ins := `{"snippet":{"parentId":"` + top + `","textOriginal":"a"}}`
	if status, _ := c.do("POST", "/youtube/v3/comments", url.Values{"part": {"snippet"}}, ins); status != 200 {
		t.Fatalf("insert within the quota = %d", status)
	}
	c.do("GET", "/youtube/v3/commentThreads", threadsQuery(), "")
	status, body := c.do("GET", "/youtube/v3/commentThreads", threadsQuery(), "")
	e, _ := body["error"].(map[string]any)
	errs, _ := e["errors"].([]any)
	if status != 403 || reason(body) != "quotaExceeded" || errs[0].(map[string]any)["domain"] != "youtube.quota" || e["code"] != 403.0 {
		t.Errorf("past the quota = %d %v", status, body)
	}
	if used := c.fake.QuotaUsed(); used != 52 {
		t.Errorf("QuotaUsed = %d, want 52", used)
	}
	// Midnight Pacific Time, 08:00 UTC, starts a new day.
	c.clock.Add(22 * time.Hour)
	c.login()
	if status, _ := c.do("GET", "/youtube/v3/commentThreads", threadsQuery(), ""); status != 200 || c.fake.QuotaUsed() != 1 {
		t.Errorf("after the reset = %d, used %d", status, c.fake.QuotaUsed())
	}
	// Injected failures cost a unit and can aim at one path.
	c.fake.FailNextOn("/youtube/v3/comments", 1, 503, "backendError")
	if status, _ := c.do("GET", "/youtube/v3/commentThreads", threadsQuery(), ""); status != 200 {
		t.Errorf("a request to another path failed: %d", status)
	}
	if status, body := c.do("GET", "/youtube/v3/comments", url.Values{"part": {"snippet"}, "parentId": {top}}, ""); status != 503 || reason(body) != "backendError" {
		t.Errorf("aimed failure = %d %v", status, body)
	}
	reqs := c.fake.Requests()
	if last := reqs[len(reqs)-1]; last.Status != 503 || last.Units != 1 || last.Path != "/youtube/v3/comments" {
		t.Errorf("last request = %+v", last)
	}
}

// TestDelete: a deleted thread leaves the list, and its replies with it;
// comments.list by its id answers 404 commentNotFound.
func TestDelete(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	ana := ytfake.Viewer{Handle: "anasilva"}
	top := c.fake.Comment(ana, ytfake.DefaultVideoID, "soon gone")
	reply, _ := c.fake.Reply(ana, top, "and this")
	kept := c.fake.Comment(ana, ytfake.DefaultVideoID, "stays")
	if err := c.fake.Delete(top); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.fake.Get(reply); ok {
		t.Error("the deleted thread's reply is still there")
	}
	status, body := c.do("GET", "/youtube/v3/commentThreads", threadsQuery(), "")
	items, _ := body["items"].([]any)
	if status != 200 || len(items) != 1 || items[0].(map[string]any)["id"] != kept {
		t.Errorf("threads after the delete = %d %v", status, body)
	}
	status, body = c.do("GET", "/youtube/v3/comments", url.Values{"part": {"snippet"}, "parentId": {top}}, "")
	if status != 404 || reason(body) != "commentNotFound" {
		t.Errorf("replies of the deleted thread = %d %v", status, body)
	}
	if err := c.fake.Delete(top); err == nil {
		t.Error("deleting twice succeeded")
	}
}
