package mastofake

import (
	"bufio"
	"context"
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

var (
	testNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	anna    = Account{ID: "42", Username: "anna", Domain: "example.social", DisplayName: "Anna"}
)

func newServer(t *testing.T) (*Fake, *httptest.Server) {
	t.Helper()
	f := New()
	f.Now = func() time.Time { return testNow }
	srv := httptest.NewServer(f.Handler())
	t.Cleanup(func() {
		f.CutStreams()
		srv.CloseClientConnections()
		srv.Close()
	})
	return f, srv
}

// do makes a request with the fake's token and returns the response and
// its body.
func do(t *testing.T, srv *httptest.Server, method, path, contentType, body string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+DefaultToken)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func ids(t *testing.T, body []byte) []string {
	t.Helper()
	var ns []struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	}
	if err := json.Unmarshal(body, &ns); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	var out []string
	for _, n := range ns {
		out = append(out, n.ID)
	}
	return out
}

// TestNotificationsPaging checks the fake's paging against Mastodon's
// rules: newest first, since_id and max_id bound from the newest end,
// min_id pages forward from the oldest, Link headers name both ways.
func TestNotificationsPaging(t *testing.T) {
	t.Parallel()
	f, srv := newServer(t)
	var n []string
	for i := range 6 {
		if i == 2 {
			f.Notify("favourite", anna, "")
		}
		n = append(n, f.Mention(Mention{From: anna, Text: "hi"}).NotificationID)
	}
	tests := []struct {
		query string
		want  []string
	}{
		{"types[]=mention", []string{n[5], n[4], n[3], n[2], n[1], n[0]}},
		{"types[]=mention&limit=2", []string{n[5], n[4]}},
		{"types[]=mention&limit=2&since_id=" + n[1], []string{n[5], n[4]}},
		{"types[]=mention&limit=2&max_id=" + n[4], []string{n[3], n[2]}},
		{"types[]=mention&limit=2&min_id=" + n[1], []string{n[3], n[2]}},
		{"types[]=mention&min_id=" + n[3] + "&max_id=" + n[5], []string{n[4]}},
		{"types[]=mention&since_id=" + n[5], nil},
		{"exclude_types[]=mention", nil}, // the favourite has no status: kept
		{"limit=0&types[]=mention", []string{n[5], n[4], n[3], n[2], n[1], n[0]}},
	}
	for _, tt := range tests {
		resp, body := do(t, srv, "GET", "/api/v1/notifications?"+tt.query, "", "")
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", tt.query, resp.StatusCode, body)
		}
		got := ids(t, body)
		if strings.HasPrefix(tt.query, "exclude") {
			if len(got) != 1 {
				t.Errorf("%s: %v, want the favourite", tt.query, got)
			}
			continue
		}
		if !cmp.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.query, got, tt.want)
		}
	}
	resp, _ := do(t, srv, "GET", "/api/v1/notifications?types[]=mention&limit=2&min_id="+n[1], "", "")
	link := resp.Header.Get("Link")
	wantNext := "max_id=" + n[2]
	wantPrev := "min_id=" + n[3]
	if !strings.Contains(link, wantNext) || !strings.Contains(link, wantPrev) || !strings.Contains(link, `rel="next"`) || !strings.Contains(link, "types%5B%5D=mention") {
		t.Errorf("Link = %q, want next with %s and prev with %s", link, wantNext, wantPrev)
	}
	// A deleted post's notification goes with it.
	var first struct {
		Status struct {
			ID string `json:"id"`
		} `json:"status"`
	}
	_, body := do(t, srv, "GET", "/api/v1/notifications?types[]=mention&limit=1", "", "")
	var page []json.RawMessage
	_ = json.Unmarshal(body, &page)
	_ = json.Unmarshal(page[0], &first)
	f.Delete(first.Status.ID)
	_, body = do(t, srv, "GET", "/api/v1/notifications?types[]=mention&limit=1", "", "")
	if got := ids(t, body); !cmp.Equal(got, []string{n[4]}) {
		t.Errorf("after the deletion the newest is %v, want %s", got, n[4])
	}
}

func TestAuthAndLimits(t *testing.T) {
	t.Parallel()
	f, srv := newServer(t)
	resp, err := srv.Client().Get(srv.URL + "/api/v1/notifications")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("no token: %d", resp.StatusCode)
	}
	resp, _ = do(t, srv, "GET", "/api/v1/accounts/verify_credentials", "", "")
	if h := resp.Header; h.Get("X-RateLimit-Limit") != "300" || h.Get("X-RateLimit-Remaining") != "298" || h.Get("X-RateLimit-Reset") != "2026-11-24T10:05:00.000000Z" {
		t.Errorf("rate-limit headers %v", h)
	}
	f.Throttle(1)
	resp, body := do(t, srv, "GET", "/api/v1/accounts/verify_credentials", "", "")
	if resp.StatusCode != http.StatusTooManyRequests || string(body) != "{\"error\":\"Too many requests\"}\n" || resp.Header.Get("X-RateLimit-Remaining") != "0" {
		t.Errorf("throttled: %d %s %v", resp.StatusCode, body, resp.Header)
	}
	f.Now = func() time.Time { return testNow.Add(RateWindow) }
	f.FailNext(1)
	if resp, _ := do(t, srv, "GET", "/api/v1/accounts/verify_credentials", "", ""); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("failing: %d", resp.StatusCode)
	}
	resp, body = do(t, srv, "GET", "/api/v1/accounts/verify_credentials", "", "")
	var acct struct {
		ID, Acct string
		Source   map[string]any
	}
	if err := json.Unmarshal(body, &acct); err != nil || resp.StatusCode != 200 || acct.ID != DefaultBrandID || acct.Acct != "acme" || acct.Source == nil {
		t.Errorf("verify_credentials after the window: %d %s", resp.StatusCode, body)
	}
	_, body = do(t, srv, "GET", "/api/v2/instance", "", "")
	var inst struct {
		Domain        string
		Configuration struct {
			Statuses struct {
				MaxCharacters int `json:"max_characters"`
			}
		}
	}
	if err := json.Unmarshal(body, &inst); err != nil || inst.Domain != DefaultDomain || inst.Configuration.Statuses.MaxCharacters != 500 {
		t.Errorf("instance: %s", body)
	}
}

func TestPostStatus(t *testing.T) {
	t.Parallel()
	f, srv := newServer(t)
	m := f.Mention(Mention{From: anna, Text: "help"})
	resp, body := do(t, srv, "POST", "/api/v1/statuses", "application/json",
		`{"status":"@anna@example.social on it","in_reply_to_id":"`+m.StatusID+`","visibility":"direct"}`, "Idempotency-Key", "k1")
	var s struct {
		ID, Visibility string
		InReplyToID    *string `json:"in_reply_to_id"`
		Content        string
	}
	if err := json.Unmarshal(body, &s); err != nil || resp.StatusCode != 200 || s.Visibility != "direct" || s.InReplyToID == nil || *s.InReplyToID != m.StatusID {
		t.Fatalf("post: %d %s", resp.StatusCode, body)
	}
	_, again := do(t, srv, "POST", "/api/v1/statuses", "application/json", `{"status":"different"}`, "Idempotency-Key", "k1")
	if !strings.Contains(string(again), `"id":"`+s.ID+`"`) || len(f.Posted()) != 1 {
		t.Errorf("a repeated key posted again: %s", again)
	}
	form := url.Values{"status": {"form post"}, "visibility": {"unlisted"}}.Encode()
	if resp, body := do(t, srv, "POST", "/api/v1/statuses", "application/x-www-form-urlencoded", form); resp.StatusCode != 200 || f.Posted()[1].Visibility != "unlisted" {
		t.Errorf("form post: %d %s", resp.StatusCode, body)
	}
	for _, tt := range []struct {
		body string
		code int
		msg  string
	}{
		{`{"status":"  "}`, 422, "Validation failed: Text can't be blank"},
		{`{"status":"` + strings.Repeat("a", 501) + `"}`, 422, "Validation failed: Text character limit of 500 exceeded"},
		{`{"status":"x","visibility":"secret"}`, 422, "Validation failed: Visibility is not included in the list"},
		{`{"status":"x","in_reply_to_id":"1"}`, 404, "The post you are trying to reply to does not appear to exist."},
		{`{"status":`, 400, "Error occurred while parsing request parameters"},
	} {
		resp, body := do(t, srv, "POST", "/api/v1/statuses", "application/json", tt.body)
		var e struct{ Error string }
		_ = json.Unmarshal(body, &e)
		if resp.StatusCode != tt.code || e.Error != tt.msg {
			t.Errorf("POST %s = %d %s, want %d %q", tt.body, resp.StatusCode, body, tt.code, tt.msg)
		}
	}
	if resp, _ := do(t, srv, "GET", "/api/v1/statuses/"+m.StatusID, "", ""); resp.StatusCode != 200 {
		t.Errorf("GET status: %d", resp.StatusCode)
	}
	f.Delete(m.StatusID)
	if resp, _ := do(t, srv, "GET", "/api/v1/statuses/"+m.StatusID, "", ""); resp.StatusCode != 404 {
		t.Errorf("GET deleted status: %d", resp.StatusCode)
	}
}

// TestStreaming reads the user stream as a client would: the opening
// comment, notifications and deletions as frames, heartbeats; the
// notification stream has no deletions; a cut ends both.
func TestStreaming(t *testing.T) {
	t.Parallel()
	f, srv := newServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	open := func(path string) *bufio.Reader {
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+DefaultToken)
		resp, err := srv.Client().Do(req)
		if err != nil || resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
			t.Fatalf("open %s: %v %v", path, err, resp)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return bufio.NewReader(resp.Body)
	}
	line := func(r *bufio.Reader) string {
		s, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		return strings.TrimSuffix(s, "\n")
	}
	user := open("/api/v1/streaming/user")
	notes := open("/api/v1/streaming/user/notification")
	for _, r := range []*bufio.Reader{user, notes} {
		if got := line(r); got != ":)" {
			t.Errorf("opening %q", got)
		}
	}
	for f.Streams() != 2 {
		time.Sleep(time.Millisecond)
	}
	m := f.Mention(Mention{From: anna, Text: "hi"})
	f.Delete(m.StatusID)
	f.Heartbeat()
	for _, r := range []*bufio.Reader{user, notes} {
		if got := line(r); got != "event: notification" {
			t.Errorf("event line %q", got)
		}
		if got := line(r); !strings.HasPrefix(got, `data: {"id":"`+m.NotificationID+`","type":"mention"`) {
			t.Errorf("data line %q", got)
		}
		line(r)
	}
	if got := line(user) + "|" + line(user) + "|" + line(user) + "|" + line(user); got != "event: delete|data: "+m.StatusID+"||:thump" {
		t.Errorf("user stream after the mention: %q", got)
	}
	if got := line(notes); got != ":thump" {
		t.Errorf("notification stream after the mention: %q", got)
	}
	if n := f.CutStreams(); n != 2 || f.Streams() != 0 || f.Connections() != 2 {
		t.Errorf("cut %d, %d open, %d opened", n, f.Streams(), f.Connections())
	}
	if _, err := user.ReadString('\n'); err == nil {
		t.Error("a cut stream goes on")
	}
	resp, err := srv.Client().Get(srv.URL + "/api/v1/streaming/user")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("stream without a token: %d", resp.StatusCode)
	}
}
