package phonefake

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/channel/apiinbox"
	"github.com/parleyhq/parley/internal/channel/phone"
	"github.com/parleyhq/parley/internal/channel/sms/twiliofake"
)

// hook keeps the requests it receives and answers status.
type hook struct {
	mu     sync.Mutex
	got    []*http.Request
	bodies [][]byte
	status int
}

func (h *hook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	h.got, h.bodies = append(h.got, r), append(h.bodies, b)
	status := h.status
	h.mu.Unlock()
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	io.WriteString(w, "answer")
}

// TestReport: every kind of call the fake reports is a record the phone
// adapter takes, signed so that it verifies.
func TestReport(t *testing.T) {
	t.Parallel()
	h := &hook{}
	srv := httptest.NewServer(h)
	defer srv.Close()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	const secret = "whsec_0123456789abcdef0123456789abcdef"
	f := New(srv.URL, secret)
	f.Now = func() time.Time { return now }
	calls := []Call{
		{Customer: "+14155550123", Duration: time.Minute, Agent: "sam@acme.example", RecordingURL: "https://r.example/1.mp3"},
		{Outbound: true, Customer: "+14155550123", Outcome: "busy"},
		{Customer: "+14155550123", Outcome: "voicemail", Duration: 20 * time.Second, Transcript: "Call me"},
		{Outcome: "missed"},
		{Customer: "+14155550123", Outcome: "abandoned", Queue: "Sales"},
	}
	for i, c := range calls {
		id, err := f.Report(context.Background(), c)
		if err != nil || id == "" {
			t.Fatalf("Report(%+v) = %q, %v", c, id, err)
		}
		r, body := h.got[i], h.bodies[i]
		if err := apiinbox.Verify(r.Header.Get(apiinbox.SignatureHeader), []byte(secret), body, now, 0); err != nil {
			t.Errorf("call %d: signature: %v", i, err)
		}
		rec, err := phone.DecodeRecord(body, now)
		if err != nil {
			t.Errorf("call %d: %s: %v", i, body, err)
			continue
		}
		if rec.CallID != id || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("call %d: record %+v, id %q", i, rec, id)
		}
	}
	if d := f.Deliveries(); len(d) != len(calls) || d[0].Status != http.StatusOK || d[0].Answer != "answer" {
		t.Errorf("Deliveries = %+v", d)
	}

	// A refusal is an error carrying the status.
	h.mu.Lock()
	h.status = http.StatusUnauthorized
	h.mu.Unlock()
	if status, err := f.Post(context.Background(), []byte(`{}`)); status != http.StatusUnauthorized || err == nil {
		t.Errorf("Post to a refusing hook = %d, %v", status, err)
	}
}

// TestTwilioCallback: the callback is form-encoded and signed over the
// URL and its parameters.
func TestTwilioCallback(t *testing.T) {
	t.Parallel()
	h := &hook{}
	srv := httptest.NewServer(h)
	defer srv.Close()
	f := New(srv.URL+"/webhooks/9", "")
	sid, err := f.TwilioCallback(context.Background(), TwilioCall{From: "+14155550123", Duration: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	p, err := url.ParseQuery(string(h.bodies[0]))
	if err != nil {
		t.Fatal(err)
	}
	if want := twiliofake.Sign(twiliofake.DefaultAuthToken, srv.URL+"/webhooks/9", p); h.got[0].Header.Get("X-Twilio-Signature") != want {
		t.Errorf("signature %q, want %q", h.got[0].Header.Get("X-Twilio-Signature"), want)
	}
	if p.Get("CallSid") != sid || p.Get("CallStatus") != "completed" || p.Get("CallDuration") != "30" || p.Get("To") != DefaultLine || p.Get("Direction") != "inbound" {
		t.Errorf("parameters %v", p)
	}
}
