package apiinbox

import (
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

const testSecret = "whsec_5ecret"

// receiver is a webhook endpoint that records what it was sent and answers
// as told.
type receiver struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	got    []*http.Request
	bodies [][]byte
	answer func(w http.ResponseWriter, r *http.Request)
}

func newReceiver(t *testing.T, answer func(w http.ResponseWriter, r *http.Request)) *receiver {
	t.Helper()
	rc := &receiver{t: t, answer: answer}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("receiver: read body: %v", err)
		}
		rc.mu.Lock()
		rc.got = append(rc.got, r)
		rc.bodies = append(rc.bodies, body)
		rc.mu.Unlock()
		rc.answer(w, r)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) requests() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.got)
}

func (rc *receiver) sender() *Sender {
	return &Sender{Client: rc.srv.Client(), Now: func() time.Time { return testNow }}
}

func answer(status int, body string, header ...string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

func testOutbound(webhookURL string) channel.Outbound {
	created := time.Date(2026, 3, 1, 11, 59, 58, 0, time.FixedZone("CET", 3600))
	return channel.Outbound{
		Message: care.Message{
			ID: 42, WorkspaceID: 1, ConversationID: 7, InboxID: 3,
			Direction: care.DirectionOut, Visibility: care.Public, AuthorID: 9, AuthorName: "Ada",
			Text: "Hello <Grace> & welcome — \"quoted\"",
			Attachments: []care.Attachment{
				{Kind: "image", URL: "https://cdn.example.com/a.png", MimeType: "image/png", Name: "a.png", Size: 1024},
				{Kind: "location"},
			},
			ReplyToPlatformID: "msg-881", Status: care.DeliveryQueued, CreatedAt: created,
		},
		Inbox: care.Inbox{
			ID: 3, WorkspaceID: 1, Channel: care.ChannelAPI, Name: "Shop", WebhookURL: webhookURL,
			Credentials: map[string]string{SecretCredential: testSecret},
		},
		Conversation: care.Conversation{ID: 7, WorkspaceID: 1, InboxID: 3, Channel: care.ChannelAPI, ContactID: 11},
		Contact: care.Contact{ID: 11, WorkspaceID: 1, Name: "Grace", Identities: []care.Identity{
			{ID: 20, ContactID: 11, Platform: care.ChannelX, PlatformUserID: "x-77", DisplayName: "Grace on X"},
			{ID: 21, ContactID: 11, Platform: care.ChannelAPI, PlatformUserID: "user-5", DisplayName: "Grace"},
		}},
		IdempotencyKey: "outbox-42-1",
	}
}

func TestSendSuccess(t *testing.T) {
	rc := newReceiver(t, answer(http.StatusCreated, `{"id":"ext-123","status":"queued"}`))
	out := testOutbound(rc.srv.URL + "/hooks/parley?token=abc")

	res, err := rc.sender().Send(context.Background(), out)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if diff := cmp.Diff(channel.Result{PlatformID: "ext-123", Status: care.DeliverySent}, res); diff != "" {
		t.Errorf("Send result mismatch (-want +got):\n%s", diff)
	}
	if n := rc.requests(); n != 1 {
		t.Fatalf("receiver got %d requests, want 1", n)
	}
	r, body := rc.got[0], rc.bodies[0]

	// The receiver's side of the contract: verify over the raw bytes.
	if err := Verify(r.Header.Get(SignatureHeader), []byte(testSecret), body, testNow.Add(time.Minute), 0); err != nil {
		t.Errorf("receiver: Verify = %v, want nil", err)
	}
	if r.Method != http.MethodPost || r.URL.Path != "/hooks/parley" || r.URL.Query().Get("token") != "abc" {
		t.Errorf("request = %s %s, want POST /hooks/parley?token=abc", r.Method, r.URL)
	}
	wantHeaders := map[string]string{
		"Content-Type":    "application/json",
		"User-Agent":      "Parley",
		"Parley-Event":    "message.created",
		"Idempotency-Key": "outbox-42-1",
	}
	for k, want := range wantHeaders {
		if got := r.Header.Get(k); got != want {
			t.Errorf("header %s = %q, want %q", k, got, want)
		}
	}
	golden(t, "message_created.json", body)
}

// golden compares got with testdata/name; go test -update rewrites the file.
// The file holds the exact bytes sent: receivers sign-check those bytes, so a
// re-encoding that is equal as JSON is still a change worth seeing.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file: %v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(strings.TrimSuffix(string(want), "\n"), string(got)); diff != "" {
		t.Errorf("body differs from %s (-want +got):\n%s", path, diff)
	}
}

func TestSendPlatformID(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{
		{"string id", `{"id":"abc"}`, "abc"},
		{"id among other keys", `{"ok":true,"id":"m-1","data":{"id":"inner"}}`, "m-1"},
		{"empty body", ``, ""},
		{"not JSON", `OK`, ""},
		{"number id", `{"id":123}`, ""},
		{"null id", `{"id":null}`, ""},
		{"no id", `{"ok":true}`, ""},
		{"key differs in case", `{"ID":"abc"}`, ""},
		{"array", `[{"id":"abc"}]`, ""},
		{"string", `"abc"`, ""},
		{"longest id", `{"id":"` + strings.Repeat("a", care.MaxPlatformIDBytes) + `"}`, strings.Repeat("a", care.MaxPlatformIDBytes)},
		{"id too long", `{"id":"` + strings.Repeat("a", care.MaxPlatformIDBytes+1) + `"}`, ""},
		{"id with NUL", `{"id":"a\u0000b"}`, ""},
		{"id with newline", `{"id":"a\nb"}`, ""},
		{"truncated JSON", `{"id":"abc"`, ""},
		{"body over the read limit", `{"id":"abc","pad":"` + strings.Repeat("x", maxResponseBytes) + `"}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := newReceiver(t, answer(http.StatusOK, tt.body))
			res, err := rc.sender().Send(context.Background(), testOutbound(rc.srv.URL))
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if res.PlatformID != tt.want || res.Status != care.DeliverySent {
				t.Errorf("Send = %+v, want PlatformID %q and status sent", res, tt.want)
			}
		})
	}
}

func TestSendFailures(t *testing.T) {
	tests := []struct {
		name   string
		answer func(http.ResponseWriter, *http.Request)
		want   channel.SendError // Err is not compared
	}{
		{"500", answer(500, "database is down"),
			channel.SendError{Status: 500, Reason: "500 Internal Server Error: database is down"}},
		{"503 with Retry-After date", answer(503, "", "Retry-After", "Sun, 01 Mar 2026 12:00:45 GMT"),
			channel.SendError{Status: 503, RetryAfter: 45 * time.Second, Reason: "503 Service Unavailable"}},
		{"429 with Retry-After", answer(429, `{"error":"slow down"}`, "Retry-After", "7"),
			channel.SendError{Status: 429, RetryAfter: 7 * time.Second, Reason: `429 Too Many Requests: {"error":"slow down"}`}},
		{"400", answer(400, `{"error":"unknown recipient user-5"}`),
			channel.SendError{Permanent: true, Status: 400, Reason: `400 Bad Request: {"error":"unknown recipient user-5"}`}},
		{"410", answer(410, ""),
			channel.SendError{Permanent: true, Status: 410, Reason: "410 Gone"}},
		{"redirect is not followed", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
		}, channel.SendError{Permanent: true, Status: 302, Reason: "302 Found"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := newReceiver(t, tt.answer)
			_, err := rc.sender().Send(context.Background(), testOutbound(rc.srv.URL))
			var got *channel.SendError
			if !errors.As(err, &got) {
				t.Fatalf("Send = %v, want a *channel.SendError", err)
			}
			got.Err = nil
			if diff := cmp.Diff(tt.want, *got); diff != "" {
				t.Errorf("Send error mismatch (-want +got):\n%s", diff)
			}
			if n := rc.requests(); n != 1 {
				t.Errorf("receiver got %d requests, want 1", n)
			}
		})
	}
}

func TestSendTimeout(t *testing.T) {
	release := make(chan struct{})
	rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)

	tests := []struct {
		name string
		send func() error
	}{
		{"context deadline", func() error {
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			_, err := rc.sender().Send(ctx, testOutbound(rc.srv.URL))
			return err
		}},
		{"client timeout", func() error {
			c := *rc.srv.Client()
			c.Timeout = 50 * time.Millisecond
			s := &Sender{Client: &c}
			_, err := s.Send(context.Background(), testOutbound(rc.srv.URL))
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.send()
			var se *channel.SendError
			if !errors.As(err, &se) || se.Permanent {
				t.Fatalf("Send = %v, want a temporary *channel.SendError", err)
			}
			if se.Reason != "the webhook did not answer in time" {
				t.Errorf("Reason = %q, want the timeout reason", se.Reason)
			}
		})
	}
}

func TestSendUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	_, err := (&Sender{}).Send(context.Background(), testOutbound(url))
	var se *channel.SendError
	if !errors.As(err, &se) || se.Permanent {
		t.Fatalf("Send = %v, want a temporary *channel.SendError", err)
	}
}

func TestSendRefusesBeforeRequest(t *testing.T) {
	rc := newReceiver(t, answer(200, ""))
	tests := []struct {
		name   string
		modify func(*channel.Outbound)
		sender *Sender
		reason string
	}{
		{"no webhook URL", func(o *channel.Outbound) { o.Inbox.WebhookURL = "" }, nil,
			"the inbox has no webhook URL"},
		{"ftp URL", func(o *channel.Outbound) { o.Inbox.WebhookURL = "ftp://example.com/x" }, nil,
			"the inbox's webhook URL is not an http or https URL"},
		{"relative URL", func(o *channel.Outbound) { o.Inbox.WebhookURL = "/hooks" }, nil,
			"the inbox's webhook URL is not an http or https URL"},
		{"unparsable URL", func(o *channel.Outbound) { o.Inbox.WebhookURL = "http://[::1" }, nil,
			"the inbox's webhook URL is not an http or https URL"},
		{"no secret", func(o *channel.Outbound) { o.Inbox.Credentials = nil }, nil,
			"the inbox has no webhook secret"},
		{"secret func returns none", func(*channel.Outbound) {}, &Sender{Secret: func(care.Inbox) []byte { return nil }},
			"the inbox has no webhook secret"},
		{"no identity on the channel", func(o *channel.Outbound) { o.Contact.Identities = o.Contact.Identities[:1] }, nil,
			`the contact has no identity on channel "api"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := testOutbound(rc.srv.URL)
			tt.modify(&out)
			s := tt.sender
			if s == nil {
				s = rc.sender()
			}
			_, err := s.Send(context.Background(), out)
			var se *channel.SendError
			if !errors.As(err, &se) || !se.Permanent || se.Reason != tt.reason {
				t.Errorf("Send = %v, want a permanent *channel.SendError with reason %q", err, tt.reason)
			}
		})
	}
	if n := rc.requests(); n != 0 {
		t.Errorf("receiver got %d requests, want 0", n)
	}
}

func TestSendSecretFunc(t *testing.T) {
	rotated := []byte("from-the-vault")
	rc := newReceiver(t, answer(200, ""))
	s := rc.sender()
	s.Secret = func(in care.Inbox) []byte {
		if in.ID != 3 {
			t.Errorf("Secret called with inbox %d, want 3", in.ID)
		}
		return rotated
	}
	if _, err := s.Send(context.Background(), testOutbound(rc.srv.URL)); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if err := Verify(rc.got[0].Header.Get(SignatureHeader), rotated, rc.bodies[0], testNow, 0); err != nil {
		t.Errorf("Verify with the secret from Secret = %v, want nil", err)
	}
}

// TestSendDuringRotation: while a rotation's grace period runs, a receiver
// holding either secret verifies the delivery; after it, only the new one.
func TestSendDuringRotation(t *testing.T) {
	rc := newReceiver(t, answer(http.StatusOK, ``))
	const oldSecret = "whsec_old"
	for _, tt := range []struct {
		name    string
		until   time.Time
		oldOK   bool
		signers int
	}{
		{"in grace", testNow.Add(time.Hour), true, 2},
		{"grace over", testNow, false, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := testOutbound(rc.srv.URL)
			out.Inbox.Credentials[PreviousSecretCredential] = oldSecret
			out.Inbox.Credentials[PreviousUntilCredential] = tt.until.Format(time.RFC3339)
			if _, err := rc.sender().Send(context.Background(), out); err != nil {
				t.Fatalf("Send: %v", err)
			}
			r, body := rc.got[len(rc.got)-1], rc.bodies[len(rc.bodies)-1]
			header := r.Header.Get(SignatureHeader)
			if _, sigs, err := ParseSignatureHeader(header); err != nil || len(sigs) != tt.signers {
				t.Errorf("header %q: %d signatures (%v), want %d", header, len(sigs), err, tt.signers)
			}
			if err := Verify(header, []byte(testSecret), body, testNow, 0); err != nil {
				t.Errorf("the new secret does not verify: %v", err)
			}
			if err := Verify(header, []byte(oldSecret), body, testNow, 0); (err == nil) != tt.oldOK {
				t.Errorf("the old secret verifies: %v, want %v", err == nil, tt.oldOK)
			}
		})
	}
}
