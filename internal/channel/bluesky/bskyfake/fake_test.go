package bskyfake

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

const (
	brand = "did:plc:u5cwb2mwiv2bfq53cjufe6yn"
	ana   = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
	pass  = "abcd-efgh-ijkl-mnop"
)

var start = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

type client struct {
	t    *testing.T
	srv  *httptest.Server
	f    *Fake
	now  time.Time
	auth string
}

func newClient(t *testing.T) *client {
	t.Helper()
	c := &client{t: t, f: New(), now: start}
	c.f.SetClock(func() time.Time { return c.now })
	c.f.AddAccount(Account{DID: brand, Handle: "acme.example.com", AppPassword: pass, Email: "support@acme.example.com"})
	c.f.AddAccount(Account{DID: ana, Handle: "ana.bsky.social", DisplayName: "Ana", Followers: 7})
	c.srv = httptest.NewServer(c.f)
	t.Cleanup(c.srv.Close)
	return c
}

// call makes an XRPC call and returns the status, the decoded body and the
// headers.
func (c *client) call(method, nsid string, q url.Values, body any, header ...string) (int, map[string]any, http.Header) {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.srv.URL+"/xrpc/"+nsid+"?"+q.Encode(), r)
	if c.auth != "" {
		req.Header.Set("Authorization", "Bearer "+c.auth)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.srv.Client().Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out, resp.Header
}

func (c *client) login() map[string]any {
	c.t.Helper()
	code, s, _ := c.call("POST", CreateSession, nil, map[string]string{"identifier": "acme.example.com", "password": pass})
	if code != 200 {
		c.t.Fatalf("createSession = %d %v", code, s)
	}
	c.auth = s["accessJwt"].(string)
	return s
}

func TestSessions(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	if code, body, _ := c.call("POST", CreateSession, nil, map[string]string{"identifier": "acme.example.com", "password": "wrong"}); code != 401 || body["error"] != "AuthenticationRequired" {
		t.Errorf("wrong password = %d %v", code, body)
	}
	s := c.login()
	if s["did"] != brand || s["handle"] != "acme.example.com" {
		t.Errorf("session = %v", s)
	}
	payload, _ := base64.RawURLEncoding.DecodeString(strings.Split(c.auth, ".")[1])
	var claims struct{ Exp int64 }
	json.Unmarshal(payload, &claims)
	if claims.Exp != start.Add(2*time.Hour).Unix() {
		t.Errorf("access exp = %d, want two hours on", claims.Exp)
	}
	if code, _, _ := c.call("GET", GetProfiles, url.Values{"actors": {ana}}, nil); code != 200 {
		t.Errorf("getProfiles = %d", code)
	}
	c.f.ExpireAccessTokens()
	if code, body, _ := c.call("GET", GetProfiles, url.Values{"actors": {ana}}, nil); code != 400 || body["error"] != "ExpiredToken" {
		t.Errorf("expired token = %d %v", code, body)
	}
	refresh := s["refreshJwt"].(string)
	c.auth = refresh
	code, s2, _ := c.call("POST", RefreshSession, nil, nil)
	if code != 200 || s2["accessJwt"] == "" {
		t.Fatalf("refreshSession = %d %v", code, s2)
	}
	if code, body, _ := c.call("POST", RefreshSession, nil, nil); code != 400 || body["error"] != "InvalidToken" {
		t.Errorf("reused refresh token = %d %v", code, body)
	}
	c.f.RevokeRefreshTokens()
	c.auth = s2["refreshJwt"].(string)
	if code, body, _ := c.call("POST", RefreshSession, nil, nil); code != 400 || body["error"] != "ExpiredToken" {
		t.Errorf("revoked refresh token = %d %v", code, body)
	}
	c.auth = ""
	if code, body, _ := c.call("GET", GetProfiles, nil, nil); code != 401 || body["error"] != "AuthenticationRequired" {
		t.Errorf("no token = %d %v", code, body)
	}
}

func TestCreateSessionLimit(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	c.f.SetLimit(CreateSession, 2)
	c.login()
	c.login()
	code, body, h := c.call("POST", CreateSession, nil, map[string]string{"identifier": "support@acme.example.com", "password": pass})
	if code != 429 || body["error"] != "RateLimitExceeded" || h.Get("RateLimit-Remaining") != "0" || h.Get("RateLimit-Policy") != "2;w=300" {
		t.Fatalf("third login = %d %v %v", code, body, h)
	}
	if reset, _ := strconv.ParseInt(h.Get("RateLimit-Reset"), 10, 64); reset != start.Add(Window).Unix() {
		t.Errorf("RateLimit-Reset = %d, want the window's end in Unix seconds", reset)
	}
	c.now = c.now.Add(Window)
	c.login()
}

func TestPostsAndNotifications(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	root, err := c.f.Publish(brand, PostInput{Text: "Sale!"})
	if err != nil {
		t.Fatal(err)
	}
	var last Post
	for i := range 3 {
		c.now = c.now.Add(time.Second)
		if last, err = c.f.Publish(ana, PostInput{Text: "@acme.example.com #" + strconv.Itoa(i), ReplyTo: root.URI}); err != nil {
			t.Fatal(err)
		}
	}
	c.login()
	code, page, _ := c.call("GET", ListNotifications, url.Values{"limit": {"2"}, "reasons": {"reply", "mention"}}, nil)
	notes, _ := page["notifications"].([]any)
	if code != 200 || len(notes) != 2 || page["cursor"] == nil {
		t.Fatalf("first page = %d %v", code, page)
	}
	if n := notes[0].(map[string]any); n["uri"] != last.URI || n["reason"] != "reply" || n["reasonSubject"] != root.URI {
		t.Errorf("newest notification = %v", n)
	}
	_, page, _ = c.call("GET", ListNotifications, url.Values{"limit": {"2"}, "cursor": {page["cursor"].(string)}}, nil)
	if notes, _ := page["notifications"].([]any); len(notes) != 1 {
		t.Errorf("second page = %v", page)
	}
	if _, page, _ := c.call("GET", ListNotifications, url.Values{"reasons": {"quote"}}, nil); len(page["notifications"].([]any)) != 0 {
		t.Errorf("quotes = %v", page)
	}
	// A reply with the wrong root, then a good one at a chosen key, then
	// the same key again.
	bad := map[string]any{"repo": brand, "collection": "app.bsky.feed.post", "record": map[string]any{"$type": "app.bsky.feed.post",
		"text": "hi", "createdAt": "2026-11-24T10:00:00.000Z",
		"reply": map[string]any{"root": StrongRef{last.URI, last.CID}, "parent": StrongRef{last.URI, last.CID}}}}
	if code, body, _ := c.call("POST", CreateRecord, nil, bad); code != 400 || body["error"] != "InvalidRequest" {
		t.Errorf("reply with the wrong root = %d %v", code, body)
	}
	good := bad
	good["rkey"] = "3lbqaaaaaaa2a"
	good["record"].(map[string]any)["reply"] = map[string]any{"root": StrongRef{root.URI, root.CID}, "parent": StrongRef{last.URI, last.CID}}
	code, body, h := c.call("POST", CreateRecord, nil, good)
	if code != 200 || body["uri"] != "at://"+brand+"/app.bsky.feed.post/3lbqaaaaaaa2a" || h.Get("RateLimit-Limit") != "3000" {
		t.Fatalf("createRecord = %d %v", code, body)
	}
	if code, body, _ := c.call("POST", CreateRecord, nil, good); code != 500 || body["error"] != "InternalServerError" {
		t.Errorf("the same key again = %d %v", code, body)
	}
	if code, body, _ := c.call("GET", GetRecord, url.Values{"repo": {"acme.example.com"}, "collection": {"app.bsky.feed.post"}, "rkey": {"3lbqaaaaaaa2a"}}, nil); code != 200 || body["cid"] == "" {
		t.Errorf("getRecord = %d %v", code, body)
	}
	if code, body, _ := c.call("GET", GetRecord, url.Values{"repo": {brand}, "collection": {"app.bsky.feed.post"}, "rkey": {"nope"}}, nil); code != 400 || body["error"] != "RecordNotFound" {
		t.Errorf("getRecord of nothing = %d %v", code, body)
	}
	if code, body, _ := c.call("GET", ResolveHandle, url.Values{"handle": {"Ana.Bsky.Social"}}, nil); code != 200 || body["did"] != ana {
		t.Errorf("resolveHandle = %d %v", code, body)
	}
	if code, body, _ := c.call("GET", GetPosts, url.Values{"uris": {root.URI, "at://nobody/app.bsky.feed.post/x"}}, nil); code != 200 || len(body["posts"].([]any)) != 1 {
		t.Errorf("getPosts = %d %v", code, body)
	}
	if code, _, _ := c.call("GET", GetPosts, url.Values{"uris": {root.URI}}, nil, "atproto-proxy", "did:web:elsewhere#x"); code != 400 {
		t.Errorf("getPosts to an unknown service = %d, want 400", code)
	}
	// Brand notified? No: its own post notifies Ana of a reply.
	if n := len(c.f.Posts()); n != 5 {
		t.Errorf("%d posts, want 5", n)
	}
}

func TestChat(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	c.login()
	proxy := []string{"atproto-proxy", ChatProxy}
	if code, body, _ := c.call("GET", GetLog, nil, nil); code != 400 || body["error"] != "InvalidRequest" {
		t.Errorf("getLog without the proxy header = %d %v", code, body)
	}
	code, body, _ := c.call("GET", GetLog, nil, nil, proxy...)
	cursor, _ := body["cursor"].(string)
	if code != 200 || len(body["logs"].([]any)) != 0 || cursor == "" {
		t.Fatalf("first getLog = %d %v", code, body)
	}
	c.now = c.now.Add(time.Second)
	if _, err := c.f.SendDM(ana, brand, "hello"); err != nil {
		t.Fatal(err)
	}
	_, body, _ = c.call("GET", GetLog, url.Values{"cursor": {cursor}}, nil, proxy...)
	logs := body["logs"].([]any)
	if len(logs) != 2 || logs[0].(map[string]any)["$type"] != "chat.bsky.convo.defs#logBeginConvo" ||
		logs[1].(map[string]any)["message"].(map[string]any)["text"] != "hello" {
		t.Fatalf("getLog = %v", body)
	}
	code, body, _ = c.call("GET", GetConvoForMembers, url.Values{"members": {ana}}, nil, proxy...)
	convo, _ := body["convo"].(map[string]any)
	if code != 200 || convo["id"] != c.f.Messages()[0].ConvoID {
		t.Fatalf("getConvoForMembers = %d %v", code, body)
	}
	code, body, _ = c.call("POST", SendMessage, nil, map[string]any{"convoId": convo["id"], "message": map[string]string{"text": "hi Ana"}}, proxy...)
	if code != 200 || body["$type"] != "chat.bsky.convo.defs#messageView" || body["sender"].(map[string]any)["did"] != brand {
		t.Errorf("sendMessage = %d %v", code, body)
	}
	c.f.AddAccount(Account{DID: ana, Handle: "ana.bsky.social", AllowIncoming: "none"})
	if code, body, _ := c.call("GET", GetConvoForMembers, url.Values{"members": {ana}}, nil, proxy...); code != 400 || !strings.Contains(body["message"].(string), "disabled") {
		t.Errorf("DM to someone who accepts none = %d %v", code, body)
	}
	c.f.AddAccount(Account{DID: brand, Handle: "acme.example.com", AppPassword: pass, NoDMAccess: true})
	c.login()
	if code, body, _ := c.call("GET", GetLog, nil, nil, proxy...); code != 400 || body["message"] != "Bad token method" {
		t.Errorf("getLog without DM access = %d %v", code, body)
	}
}

func TestFaults(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	c.login()
	c.f.FailNext(GetProfiles, 1, 429)
	code, body, h := c.call("GET", GetProfiles, url.Values{"actors": {ana}}, nil)
	if code != 429 || body["error"] != "RateLimitExceeded" || h.Get("RateLimit-Remaining") != "0" {
		t.Errorf("injected 429 = %d %v %v", code, body, h)
	}
	c.f.FailNext("", 1, 502)
	if code, body, _ := c.call("GET", GetProfiles, url.Values{"actors": {ana}}, nil); code != 502 || body["error"] != "UpstreamFailure" {
		t.Errorf("injected 502 = %d %v", code, body)
	}
	// A lost answer: the post is made, the client hears nothing. (A GET
	// would be retried by Go's transport on a reused connection.)
	c.f.LoseNext(CreateRecord, 1)
	rec := map[string]any{"repo": brand, "collection": "app.bsky.feed.post",
		"record": map[string]any{"$type": "app.bsky.feed.post", "text": "lost", "createdAt": "2026-11-24T10:00:00.000Z"}}
	b, _ := json.Marshal(rec)
	req, _ := http.NewRequest("POST", c.srv.URL+"/xrpc/"+CreateRecord, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+c.auth)
	if resp, err := c.srv.Client().Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("lost answer arrived: %d", resp.StatusCode)
	}
	if posts := c.f.Posts(); len(posts) != 1 || posts[0].Text != "lost" {
		t.Errorf("posts after a lost answer = %+v", posts)
	}
	if code, body, _ := c.call("GET", "com.example.nothing", nil, nil); code != 501 || body["error"] != "MethodNotImplemented" {
		t.Errorf("unknown method = %d %v", code, body)
	}
	if n := c.f.Calls(GetProfiles); n != 2 {
		t.Errorf("getProfiles calls = %d, want 2", n)
	}
}

func TestApproxGraphemes(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]int{"": 0, "abc": 3, "e\u0301": 1, "👍🏽": 1, "👨\u200d👩\u200d👧": 1, "🇫🇷🇩🇪": 2, "❤\ufe0f": 1} {
		if got := approxGraphemes(s); got != want {
			t.Errorf("approxGraphemes(%q) = %d, want %d", s, got, want)
		}
	}
}
