package twiliofake

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

func TestSignDocumentedExample(t *testing.T) {
	t.Parallel()
	// www.twilio.com/docs/usage/webhooks/webhooks-security.
	params := url.Values{"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+12349013030"}, "Digits": {"1234"},
		"From": {"+12349013030"}, "To": {"+18005551212"}}
	if got := Sign("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params); got != "0/KCTR6DLpKmkAf8muzZqo1nDgQ=" {
		t.Errorf("Sign(documented example) = %s, want 0/KCTR6DLpKmkAf8muzZqo1nDgQ=", got)
	}
}

// apiResponse is a decoded answer of the fake's REST API.
type apiResponse struct {
	status int
	header http.Header
	body   map[string]any
}

func post(t *testing.T, srv *httptest.Server, path, user, pass string, form url.Values) apiResponse {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("response is not JSON: %v", err)
	}
	return apiResponse{resp.StatusCode, resp.Header, body}
}

func TestCreateMessage(t *testing.T) {
	t.Parallel()
	const path = "/2010-04-01/Accounts/" + DefaultAccountSID + "/Messages.json"
	ok := func(extra ...string) url.Values {
		f := url.Values{"To": {"+14155550123"}, "From": {DefaultNumber}, "Body": {"hi"}}
		for i := 0; i+1 < len(extra); i += 2 {
			f[extra[i]] = append(f[extra[i]][:0:0], extra[i+1])
		}
		return f
	}
	tests := []struct {
		name       string
		path, user string
		form       url.Values
		status     int
		code       float64
	}{
		{"no credentials", path, "", ok(), 401, 20003},
		{"wrong token", path, "bad", ok(), 401, 20003},
		{"another account's path", "/2010-04-01/Accounts/ACffffffffffffffffffffffffffffffff/Messages.json", DefaultAccountSID, ok(), 404, 20404},
		{"unknown path", "/2010-04-01/Accounts/" + DefaultAccountSID + "/Calls.json", DefaultAccountSID, ok(), 404, 20404},
		{"no To", path, DefaultAccountSID, ok("To", ""), 400, 21604},
		{"To not E.164", path, DefaultAccountSID, ok("To", "4155550123"), 400, 21211},
		{"no sender", path, DefaultAccountSID, ok("From", ""), 400, 21603},
		{"number not on the account", path, DefaultAccountSID, ok("From", "+14155559999"), 400, 21606},
		{"another service", path, DefaultAccountSID, ok("MessagingServiceSid", "MGffffffffffffffffffffffffffffffff"), 400, 21701},
		{"empty", path, DefaultAccountSID, ok("Body", ""), 400, 21602},
		{"too long", path, DefaultAccountSID, ok("Body", strings.Repeat("😀", 801)), 400, 21617},
		{"media not a URL", path, DefaultAccountSID, ok("MediaUrl", "file:///x"), 400, 21620},
		{"bad status callback", path, DefaultAccountSID, ok("StatusCallback", "/hook"), 400, 21609},
		{"sent", path, DefaultAccountSID, ok(), 201, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := New()
			srv := httptest.NewServer(f.Handler())
			defer srv.Close()
			pass := DefaultAuthToken
			if tt.user == "bad" {
				tt.user, pass = DefaultAccountSID, "wrong"
			}
			r := post(t, srv, tt.path, tt.user, pass, tt.form)
			if r.status != tt.status || tt.code != 0 && r.body["code"] != tt.code {
				t.Fatalf("POST = %d %v, want %d with code %v", r.status, r.body, tt.status, tt.code)
			}
			if tt.code != 0 {
				if r.body["more_info"] == "" || r.body["message"] == "" || r.body["status"] != float64(tt.status) {
					t.Errorf("error body %v lacks Twilio's fields", r.body)
				}
				if n := len(f.Sent()); n != 0 {
					t.Errorf("the fake recorded %d messages", n)
				}
				return
			}
			sent := f.Sent()
			if len(sent) != 1 || r.body["sid"] != sent[0].SID || r.body["status"] != "queued" || r.body["num_segments"] != "1" {
				t.Errorf("POST = %v; recorded %+v", r.body, sent)
			}
		})
	}
}

func TestCreateMessageSegments(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		body string
		want int
	}{
		{"hi", 1}, {strings.Repeat("a", 160), 1}, {strings.Repeat("a", 161), 2}, {strings.Repeat("€", 80), 1},
		{strings.Repeat("ж", 70), 1}, {strings.Repeat("ж", 71), 2}, {strings.Repeat("😀", 35), 1},
	} {
		if got := segmentsOf(tt.body); got != tt.want {
			t.Errorf("segmentsOf(%.20q…) = %d, want %d", tt.body, got, tt.want)
		}
	}
}

func TestThrottleAndFailures(t *testing.T) {
	t.Parallel()
	f := New()
	srv := httptest.NewServer(f.Handler())
	defer srv.Close()
	path := "/2010-04-01/Accounts/" + DefaultAccountSID + "/Messages.json"
	form := url.Values{"To": {"+14155550123"}, "MessagingServiceSid": {DefaultServiceSID}, "Body": {"hi"}}

	f.Throttle(1, "3")
	if r := post(t, srv, path, DefaultAccountSID, DefaultAuthToken, form); r.status != 429 || r.body["code"] != float64(20429) || r.header.Get("Retry-After") != "3" {
		t.Errorf("throttled POST = %d %v Retry-After %q", r.status, r.body, r.header.Get("Retry-After"))
	}
	f.FailNext(1)
	if r := post(t, srv, path, DefaultAccountSID, DefaultAuthToken, form); r.status != 500 || r.body["code"] != float64(20500) {
		t.Errorf("failing POST = %d %v", r.status, r.body)
	}
	if r := post(t, srv, path, DefaultAccountSID, DefaultAuthToken, form); r.status != 201 || r.body["status"] != "accepted" || r.body["num_segments"] != "0" {
		t.Errorf("POST through the service = %d %v", r.status, r.body)
	}
}

// hook records the webhooks it receives and checks their signatures as
// the URL Twilio was given, signed says.
type hook struct {
	mu     sync.Mutex
	got    []url.Values
	bad    int
	signed func(r *http.Request) string
}

func (h *hook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	p, _ := url.ParseQuery(string(b))
	h.mu.Lock()
	defer h.mu.Unlock()
	if r.Header.Get("X-Twilio-Signature") != Sign(DefaultAuthToken, h.signed(r), p) ||
		r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		h.bad++
		w.WriteHeader(http.StatusForbidden)
		return
	}
	h.got = append(h.got, p)
}

func TestWebhooks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := &hook{}
	srv := httptest.NewServer(h)
	defer srv.Close()
	h.signed = func(r *http.Request) string { return srv.URL + r.URL.RequestURI() }

	f := New()
	f.WebhookURL = srv.URL + "/webhooks/7?x=1"
	f.AdvancedOptOut = true
	sid, err := f.Deliver(ctx, Message{From: "+14155550123", Body: "Stop", Media: []Media{{URL: "https://m.example/1", ContentType: "image/png"}}})
	if err != nil {
		t.Fatalf("Deliver = %v", err)
	}
	if !strings.HasPrefix(sid, "MM") || len(sid) != 34 || !f.OptedOut("+14155550123") {
		t.Errorf("Deliver = %s; opted out %v", sid, f.OptedOut("+14155550123"))
	}
	p := h.got[0]
	for k, want := range map[string]string{"MessageSid": sid, "AccountSid": DefaultAccountSID, "From": "+14155550123",
		"To": DefaultNumber, "Body": "Stop", "NumMedia": "1", "MediaUrl0": "https://m.example/1",
		"MediaContentType0": "image/png", "OptOutType": "STOP", "SmsStatus": "received"} {
		if p.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, p.Get(k), want)
		}
	}
	if _, err := f.Deliver(ctx, Message{From: "+14155550123", Body: "start"}); err != nil || f.OptedOut("+14155550123") {
		t.Errorf("after START: %v, opted out %v", err, f.OptedOut("+14155550123"))
	}

	// A sent message's statuses go to its StatusCallback.
	api := httptest.NewServer(f.Handler())
	defer api.Close()
	form := url.Values{"To": {"+14155550123"}, "From": {DefaultNumber}, "Body": {"hi"}, "StatusCallback": {srv.URL + "/webhooks/7"}}
	r := post(t, api, "/2010-04-01/Accounts/"+DefaultAccountSID+"/Messages.json", DefaultAccountSID, DefaultAuthToken, form)
	out := r.body["sid"].(string)
	for _, want := range []string{"sent", "delivered"} {
		if n, err := f.Advance(ctx); n != 1 || err != nil {
			t.Fatalf("Advance = %d, %v", n, err)
		}
		if p := h.got[len(h.got)-1]; p.Get("MessageStatus") != want || p.Get("MessageSid") != out {
			t.Errorf("status callback %v, want %s of %s", p, want, out)
		}
	}
	if n, err := f.Advance(ctx); n != 0 || err != nil {
		t.Errorf("Advance after delivered = %d, %v; want nothing", n, err)
	}
	if err := f.Status(ctx, out, "undelivered", 30003); err != nil {
		t.Fatal(err)
	}
	if p := h.got[len(h.got)-1]; p.Get("ErrorCode") != "30003" {
		t.Errorf("failure callback %v", p)
	}
	if err := f.Status(ctx, "SMnope", "sent", 0); err == nil {
		t.Error("Status of an unknown message succeeded")
	}

	// A URL without a port, signed with the default one: hooks.example
	// is served by srv.
	f.SignWithPort = true
	f.WebhookURL = "http://hooks.example/webhooks/7"
	f.Client = &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, srv.Listener.Addr().String())
	}}}
	defer f.Client.CloseIdleConnections()
	h.mu.Lock()
	h.signed = func(r *http.Request) string { return "http://" + r.Host + ":80" + r.URL.RequestURI() }
	h.mu.Unlock()
	if _, err := f.Deliver(ctx, Message{From: "+14155550123", Body: "hi"}); err != nil {
		t.Errorf("Deliver signed with the port = %v", err)
	}
	if h.bad != 0 {
		t.Errorf("%d webhooks had a bad signature", h.bad)
	}
	if got := withDefaultPort("https://a.example/x?y"); got != "https://a.example:443/x?y" {
		t.Errorf("withDefaultPort = %s", got)
	}
}
