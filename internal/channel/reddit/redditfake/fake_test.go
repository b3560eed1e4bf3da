package redditfake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

const ua = "test:org.parleyhq.redditfake:v1 (by /u/AcmeSupport)"

// client talks to a fake as a well-behaved Reddit client.
type client struct {
	t     *testing.T
	srv   *httptest.Server
	token string
}

func newClient(t *testing.T, f *Fake) *client {
	t.Helper()
	srv := httptest.NewServer(f.Handler())
	t.Cleanup(srv.Close)
	c := &client{t: t, srv: srv}
	status, body, _ := c.do(http.MethodPost, "/api/v1/access_token", url.Values{"grant_type": {"password"}, "username": {Username}, "password": {Password}}, func(r *http.Request) {
		r.SetBasicAuth(ClientID, ClientSecret)
	})
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if status != 200 || json.Unmarshal(body, &tok) != nil || tok.AccessToken == "" || tok.ExpiresIn != 3600 {
		t.Fatalf("token: %d %s", status, body)
	}
	c.token = tok.AccessToken
	return c
}

func (c *client) do(method, path string, form url.Values, edit func(*http.Request)) (int, []byte, http.Header) {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.srv.URL+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("User-Agent", ua)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "bearer "+c.token)
	}
	if edit != nil {
		edit(req)
	}
	resp, err := c.srv.Client().Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header
}

// names returns the fullnames of a listing's children, in order, and its
// before and after.
func names(t *testing.T, body []byte) (list []string, before, after string) {
	t.Helper()
	var l struct {
		Kind string `json:"kind"`
		Data struct {
			Before   *string `json:"before"`
			After    *string `json:"after"`
			Children []struct {
				Kind string `json:"kind"`
				Data struct {
					Name string `json:"name"`
				} `json:"data"`
			} `json:"children"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &l); err != nil || l.Kind != "Listing" {
		t.Fatalf("not a listing: %v %s", err, body)
	}
	for _, c := range l.Data.Children {
		list = append(list, c.Data.Name)
	}
	if l.Data.Before != nil {
		before = *l.Data.Before
	}
	if l.Data.After != nil {
		after = *l.Data.After
	}
	return list, before, after
}

func TestTokenEndpoint(t *testing.T) {
	f := New()
	srv := httptest.NewServer(f.Handler())
	defer srv.Close()
	c := &client{t: t, srv: srv}
	basic := func(id, secret string) func(*http.Request) {
		return func(r *http.Request) { r.SetBasicAuth(id, secret) }
	}
	tests := []struct {
		name       string
		form       url.Values
		edit       func(*http.Request)
		wantStatus int
		wantBody   string
	}{
		{"wrong client", url.Values{"grant_type": {"password"}, "username": {Username}, "password": {Password}}, basic(ClientID, "nope"), 401, `"error":401`},
		{"no client", url.Values{"grant_type": {"password"}}, nil, 401, `"message":"Unauthorized"`},
		{"wrong password is 200 invalid_grant", url.Values{"grant_type": {"password"}, "username": {Username}, "password": {"x"}}, basic(ClientID, ClientSecret), 200, `{"error":"invalid_grant"}`},
		{"password", url.Values{"grant_type": {"password"}, "username": {"acmesupport"}, "password": {Password}}, basic(ClientID, ClientSecret), 200, `"token_type":"bearer"`},
		{"refresh", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {RefreshToken}}, basic(ClientID, ClientSecret), 200, `"access_token":"fake-`},
		{"bad refresh", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"x"}}, basic(ClientID, ClientSecret), 400, `"invalid_grant"`},
		{"other grant", url.Values{"grant_type": {"client_credentials"}}, basic(ClientID, ClientSecret), 400, `unsupported_grant_type`},
		{"generic user agent", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {RefreshToken}}, func(r *http.Request) {
			r.SetBasicAuth(ClientID, ClientSecret)
			r.Header.Set("User-Agent", "Go-http-client/1.1")
		}, 429, `Too Many Requests`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.t = t
			status, body, h := c.do(http.MethodPost, "/api/v1/access_token", tt.form, tt.edit)
			if status != tt.wantStatus || !strings.Contains(string(body), tt.wantBody) {
				t.Errorf("status %d body %s; want %d with %s", status, body, tt.wantStatus, tt.wantBody)
			}
			if h.Get("X-Ratelimit-Remaining") == "" || h.Get("X-Ratelimit-Reset") == "" || h.Get("X-Ratelimit-Used") == "" {
				t.Errorf("no rate-limit headers: %v", h)
			}
		})
	}
	if n := f.TokenRequests(); n != 2 {
		t.Errorf("TokenRequests = %d, want 2", n)
	}
}

func TestAuthAndRateLimit(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	f := New()
	f.Now = func() time.Time { return now }
	c := newClient(t, f)
	status, _, h := c.do(http.MethodGet, "/api/v1/me", nil, nil)
	if status != 200 || h.Get("X-Ratelimit-Used") != "2" || h.Get("X-Ratelimit-Remaining") != "998.0" || h.Get("X-Ratelimit-Reset") != "600" {
		t.Errorf("me: %d, headers used %q remaining %q reset %q", status, h.Get("X-Ratelimit-Used"), h.Get("X-Ratelimit-Remaining"), h.Get("X-Ratelimit-Reset"))
	}
	f.RevokeTokens()
	if status, body, h := c.do(http.MethodGet, "/api/v1/me", nil, nil); status != 401 || !strings.Contains(string(body), `"error":401`) || h.Get("Www-Authenticate") == "" {
		t.Errorf("revoked token: %d %s", status, body)
	}
	f.Throttle(1)
	if status, _, h := c.do(http.MethodGet, "/api/v1/me", nil, nil); status != 429 || h.Get("X-Ratelimit-Remaining") != "0.0" {
		t.Errorf("throttled: %d, remaining %q", status, h.Get("X-Ratelimit-Remaining"))
	}
	now = now.Add(RateWindow)
	f.FailNext(1)
	if status, _, _ := c.do(http.MethodGet, "/api/v1/me", nil, nil); status != 500 {
		t.Errorf("FailNext: %d", status)
	}
	if status, _, _ := c.do(http.MethodGet, "/nowhere", nil, nil); status != 404 {
		t.Errorf("unknown path: %d", status)
	}
}

func TestInboxListing(t *testing.T) {
	f := New()
	c := newClient(t, f)
	post := f.Post(Username, "Ask us anything", "")
	other := f.Post("someone", "Router thread", "")
	var inbox []string
	inbox = append(inbox, f.Comment(Comment{From: "anna", Parent: post, Body: "hello"}))             // post_reply
	mine := f.Comment(Comment{From: Username, Parent: other, Body: "We can help"})                   // the brand's own
	inbox = append(inbox, f.Comment(Comment{From: "ben", Parent: mine, Body: "thanks"}))             // comment_reply
	inbox = append(inbox, f.Comment(Comment{From: "cleo", Parent: other, Body: "cc u/acmesupport"})) // username_mention
	f.Comment(Comment{From: "dan", Parent: other, Body: "u/AcmeSupportFan is not the brand"})
	inbox = append(inbox, f.Message(Message{From: "anna", Subject: "Order", Body: "where is it"}))
	reverse := func(s []string) []string {
		var r []string
		for i := len(s) - 1; i >= 0; i-- {
			r = append(r, s[i])
		}
		return r
	}

	status, body, _ := c.do(http.MethodGet, "/message/inbox?mark=false", nil, nil)
	got, before, after := names(t, body)
	if status != 200 || !cmp.Equal(got, reverse(inbox)) || before != "" || after != "" {
		t.Errorf("inbox = %d %v (before %q after %q), want %v", status, got, before, after, reverse(inbox))
	}
	if !f.Unread(inbox[0]) {
		t.Error("mark=false marked an item read")
	}
	// before: the items immediately newer than the anchor, newest first.
	_, body, _ = c.do(http.MethodGet, "/message/inbox?limit=2&before="+inbox[0], nil, nil)
	if got, before, after := names(t, body); !cmp.Equal(got, []string{inbox[2], inbox[1]}) || before != inbox[2] || after != inbox[1] {
		t.Errorf("before = %v (before %q after %q)", got, before, after)
	}
	if f.Unread(inbox[1]) {
		t.Error("a listing without mark=false left an item unread")
	}
	_, body, _ = c.do(http.MethodGet, "/message/inbox?limit=2&after="+inbox[2], nil, nil)
	if got, _, after := names(t, body); !cmp.Equal(got, []string{inbox[1], inbox[0]}) || after != "" {
		t.Errorf("after = %v (after %q)", got, after)
	}
	_, body, _ = c.do(http.MethodGet, "/message/mentions", nil, nil)
	if got, _, _ := names(t, body); !cmp.Equal(got, []string{inbox[2]}) {
		t.Errorf("mentions = %v", got)
	}
	_, body, _ = c.do(http.MethodGet, "/message/messages", nil, nil)
	if got, _, _ := names(t, body); !cmp.Equal(got, []string{inbox[3]}) {
		t.Errorf("messages = %v", got)
	}
	// An anchor that left the listing gives an empty page.
	f.DropFromInbox(inbox[3])
	_, body, _ = c.do(http.MethodGet, "/message/inbox?before="+inbox[3], nil, nil)
	if got, _, _ := names(t, body); len(got) != 0 {
		t.Errorf("a vanished anchor listed %v", got)
	}
	// The shape of a t1 inbox item.
	_, body, _ = c.do(http.MethodGet, "/message/inbox?limit=1&after="+inbox[2], nil, nil)
	var l struct {
		Data struct {
			Children []struct {
				Kind string         `json:"kind"`
				Data map[string]any `json:"data"`
			} `json:"children"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &l); err != nil || len(l.Data.Children) != 1 {
		t.Fatalf("%v %s", err, body)
	}
	d := l.Data.Children[0].Data
	if l.Data.Children[0].Kind != "t1" || d["type"] != "comment_reply" || d["was_comment"] != true || d["parent_id"] != mine ||
		d["link_title"] != "Router thread" || !strings.HasPrefix(d["context"].(string), "/r/acme/comments/") || d["author"] != "ben" {
		t.Errorf("comment reply = %v", d)
	}
}

func TestComment(t *testing.T) {
	f := New()
	c := newClient(t, f)
	post := f.Post("anna", "Broken router", "")
	comment := f.Comment(Comment{From: "anna", Parent: post, Body: "u/AcmeSupport help"})
	send := func(thing, text string) (int, string) {
		status, body, _ := c.do(http.MethodPost, "/api/comment", url.Values{"api_type": {"json"}, "thing_id": {thing}, "text": {text}}, nil)
		return status, string(body)
	}
	status, body := send(comment, "We are on it")
	if status != 200 || !strings.Contains(body, `"errors":[]`) || !strings.Contains(body, `"kind":"t1"`) || !strings.Contains(body, `"parent_id":"`+comment+`"`) {
		t.Errorf("comment: %d %s", status, body)
	}
	if p := f.Posted(); len(p) != 1 || p[0].Kind != "comment" || p[0].ThingID != comment || p[0].Text != "We are on it" || p[0].UserAgent != ua {
		t.Errorf("Posted = %+v", p)
	}
	for _, tt := range []struct {
		name, thing, text, want string
		before                  func()
	}{
		{"no thing", "t1_zzzzzz", "x", `"NO_THING_ID"`, nil},
		{"empty", comment, "  ", `"NO_TEXT"`, nil},
		{"too long", comment, strings.Repeat("é", MaxTextChars+1), `"TOO_LONG"`, nil},
		{"ratelimit", comment, "x", `["RATELIMIT","you are doing that too much. try again in 5 minutes.","ratelimit"]`, func() {
			f.SlowDown("you are doing that too much. try again in 5 minutes.")
		}},
		{"refused", comment, "x", `["TOO_LONG","this is too long (max: 10000)","text"]`, func() {
			f.Refuse("TOO_LONG", "this is too long (max: 10000)", "text")
		}},
		{"locked", comment, "x", `"THREAD_LOCKED"`, func() { f.Lock(post) }},
		{"deleted", comment, "x", `"DELETED_COMMENT"`, func() { f.Delete(comment) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c.t = t
			if tt.before != nil {
				tt.before()
			}
			if status, body := send(tt.thing, tt.text); status != 200 || !strings.Contains(body, tt.want) {
				t.Errorf("%d %s, want %s", status, body, tt.want)
			}
		})
	}
	if status, body := send(comment, strings.Repeat("a", MaxTextChars)); !strings.Contains(body, `"DELETED_COMMENT"`) {
		t.Errorf("after the errors: %d %s", status, body)
	}
	if len(f.Posted()) != 1 {
		t.Errorf("refused comments were posted: %+v", f.Posted())
	}
	status, raw, _ := c.do(http.MethodPost, "/api/comment", url.Values{"thing_id": {post}, "text": {"x"}}, nil)
	if status != 200 || !strings.Contains(string(raw), "jquery") {
		t.Errorf("without api_type=json: %d %s", status, raw)
	}
}

func TestMessages(t *testing.T) {
	f := New()
	c := newClient(t, f)
	first := f.Message(Message{From: "anna", Subject: "Order #5521", Body: "where is it"})
	status, body, _ := c.do(http.MethodPost, "/api/comment", url.Values{"api_type": {"json"}, "thing_id": {first}, "text": {"Let me check"}}, nil)
	if status != 200 || !strings.Contains(string(body), `"kind":"t4"`) || !strings.Contains(string(body), `"first_message_name":"`+first+`"`) {
		t.Errorf("reply: %d %s", status, body)
	}
	reply := f.Posted()[0].Name
	answer := f.Message(Message{From: "anna", Body: "thanks", ReplyTo: reply})
	_, body, _ = c.do(http.MethodGet, "/message/inbox?limit=1", nil, nil)
	if !strings.Contains(string(body), `"parent_id":"`+reply+`"`) || !strings.Contains(string(body), `"subject":"re: Order #5521"`) || !strings.Contains(string(body), answer) {
		t.Errorf("the answer in the inbox: %s", body)
	}
	compose := func(to, subject, text string) string {
		_, body, _ := c.do(http.MethodPost, "/api/compose", url.Values{"api_type": {"json"}, "to": {to}, "subject": {subject}, "text": {text}}, nil)
		return string(body)
	}
	if body := compose("anna", "Re: Broken router", "Hi Anna"); body != "{\"json\":{\"errors\":[]}}\n" {
		t.Errorf("compose answered %s", body)
	}
	_, body, _ = c.do(http.MethodGet, "/message/sent", nil, nil)
	if got, _, _ := names(t, body); len(got) != 2 || !strings.Contains(string(body), `"dest":"anna"`) {
		t.Errorf("sent = %v %s", got, body)
	}
	for _, tt := range []struct{ to, subject, text, want string }{
		{"nobody_here", "s", "x", "USER_DOESNT_EXIST"},
		{"", "s", "x", "NO_USER"},
		{"anna", "", "x", "NO_SUBJECT"},
		{"anna", strings.Repeat("s", 101), "x", `"TOO_LONG","this is too long (max: 100)","subject"`},
		{"u/anna", "s", "", "NO_TEXT"},
	} {
		if body := compose(tt.to, tt.subject, tt.text); !strings.Contains(body, tt.want) {
			t.Errorf("compose(%q, %q, %q) = %s, want %s", tt.to, tt.subject, tt.text, body, tt.want)
		}
	}
	f.Block("anna")
	if body := compose("/u/anna", "s", "x"); !strings.Contains(body, "USER_BLOCKED") {
		t.Errorf("blocked compose = %s", body)
	}
	_, body, _ = c.do(http.MethodPost, "/api/comment", url.Values{"api_type": {"json"}, "thing_id": {answer}, "text": {"x"}}, nil)
	if !strings.Contains(string(body), "USER_BLOCKED") {
		t.Errorf("blocked reply = %s", body)
	}
}

func TestModerationAndUserComments(t *testing.T) {
	f := New()
	c := newClient(t, f)
	own := f.Comment(Comment{From: "anna", Parent: f.Post("anna", "t", ""), Body: "spam spam"})
	elsewhere := f.Comment(Comment{From: "anna", Parent: f.PostIn("routers", "anna", "t", ""), Body: "x"})
	for _, tt := range []struct {
		path, id   string
		wantStatus int
	}{
		{"/api/remove", own, 200},
		{"/api/approve", own, 200},
		{"/api/remove", elsewhere, 403},
		{"/api/remove", "t1_nothere", 403},
	} {
		status, body, _ := c.do(http.MethodPost, tt.path, url.Values{"id": {tt.id}, "spam": {"false"}}, nil)
		if status != tt.wantStatus {
			t.Errorf("%s %s = %d %s, want %d", tt.path, tt.id, status, body, tt.wantStatus)
		}
	}
	want := []Moderation{{Action: "remove", ID: own}, {Action: "approve", ID: own}}
	if diff := cmp.Diff(want, f.Moderations()); diff != "" || f.Removed(own) {
		t.Errorf("moderations (-want +got):\n%s removed %v", diff, f.Removed(own))
	}
	c.do(http.MethodPost, "/api/comment", url.Values{"api_type": {"json"}, "thing_id": {own}, "text": {"hi"}}, nil)
	_, body, _ := c.do(http.MethodGet, "/user/AcmeSupport/comments?sort=new", nil, nil)
	if got, _, _ := names(t, body); len(got) != 1 || !strings.Contains(string(body), `"parent_id":"`+own+`"`) {
		t.Errorf("user comments = %v %s", got, body)
	}
}
