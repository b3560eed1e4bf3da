package phone

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/apiinbox"
	"github.com/parleyhq/parley/internal/channel/sms/twiliofake"
)

// goldenEvent is an event as the golden files show it.
type goldenEvent struct {
	Inbound care.Inbound `json:"inbound"`
}

type golden struct {
	Events  []goldenEvent `json:"events"`
	Skipped string        `json:"skipped,omitempty"`
}

// parseFile turns a file of testdata into its events, as Receive and
// ReceiveURL do once the signature has verified.
func parseFile(t testing.TB, file string, body []byte) ([]channel.Event, string) {
	t.Helper()
	if strings.HasPrefix(file, "twilio/") {
		p, err := parseForm(body)
		if err != nil {
			t.Fatalf("parseForm: %v", err)
		}
		c, skipped, err := twilioCall(p, testNow)
		if err != nil {
			t.Fatalf("twilioCall: %v", err)
		}
		if skipped != "" {
			return nil, skipped
		}
		return events(c, body), ""
	}
	_, c, err := decode(body, testNow)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return events(c, body), ""
}

// TestReceiveGolden parses every record and callback in testdata and
// compares the events with testdata/golden (go test -update rewrites
// them). Every event must pass the core's validation and carry the
// delivery as its raw payload.
func TestReceiveGolden(t *testing.T) {
	t.Parallel()
	var files []string
	for _, dir := range []string{"records", "twilio"} {
		m, err := filepath.Glob(filepath.Join("testdata", dir, "*"))
		if err != nil || len(m) == 0 {
			t.Fatalf("no files in testdata/%s: %v", dir, err)
		}
		files = append(files, m...)
	}
	for _, file := range files {
		rel := strings.TrimPrefix(filepath.ToSlash(file), "testdata/")
		name := strings.TrimSuffix(strings.ReplaceAll(rel, "/", "_"), filepath.Ext(rel))
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			body, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			evs, skipped := parseFile(t, rel, body)
			got := golden{Skipped: skipped}
			for _, ev := range evs {
				checkEvent(t, ev, body)
				got.Events = append(got.Events, goldenEvent{Inbound: ev.Inbound})
			}
			path := filepath.Join("testdata", "golden", name+".json")
			if *updateGolden {
				b, _ := json.MarshalIndent(got, "", "  ")
				if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			var want golden
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("events of %s (-want +got):\n%s", rel, diff)
			}
		})
	}
}

// checkEvent asserts what the core relies on: the event validates once the
// core fills in inbox and channel, and its raw payload is the delivery.
func checkEvent(t testing.TB, ev channel.Event, body []byte) {
	t.Helper()
	in := ev.Inbound
	in.InboxID, in.Channel = 1, care.ChannelPhone
	if err := in.Validate(); err != nil {
		t.Errorf("event %q does not validate: %v", in.PlatformID, err)
	}
	if !bytes.Equal(ev.Raw, body) {
		t.Errorf("event %q: raw payload is not the delivery", in.PlatformID)
	}
	if ev.Account != "" {
		t.Errorf("event %q: account %q, want the inbox's own", in.PlatformID, ev.Account)
	}
	if in.Visibility != care.Private || in.Kind != care.KindMessage && in.Kind != care.KindEcho {
		t.Errorf("event %q: kind %q visibility %q, want a private message or echo", in.PlatformID, in.Kind, in.Visibility)
	}
}

// TestReceive spells out what the calls a care team meets most become.
func TestReceive(t *testing.T) {
	t.Parallel()
	ana := care.Author{PlatformUserID: "+14155550123", DisplayName: "Ana Silva", Handle: "+14155550123"}
	started := time.Date(2026, 11, 24, 9, 58, 1, 0, time.UTC)
	ended := time.Date(2026, 11, 24, 10, 2, 21, 0, time.UTC)
	body, err := os.ReadFile("testdata/records/inbound_answered_DOC.json")
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	h.Set(SignatureHeader, apiinbox.Sign([]byte(testSecret), testNow.Add(-time.Minute), body))
	a := &Adapter{}
	evs, err := a.Receive(h, body, testInbox(), testNow)
	if err != nil {
		t.Fatalf("Receive: %v", err)
	}
	want := []care.Inbound{
		{Kind: care.KindMessage, PlatformID: "c-20261124-0042", Visibility: care.Private, Author: ana, SentAt: started,
			Text:  "Inbound call, answered, 4 min 12 s. Queue: Billing. Agent: sam@acme.example.\n\nNotes: Refund approved; label sent by email.",
			Agent: "sam@acme.example"},
		{Kind: care.KindMessage, PlatformID: "c-20261124-0042/recording", ReplyToPlatformID: "c-20261124-0042", Visibility: care.Private,
			Author: ana, SentAt: ended, Text: "Call recording (4 min 12 s)",
			Attachments: []care.Attachment{{Kind: "audio", URL: "https://pbx.example.com/recordings/c-20261124-0042.mp3", MimeType: "audio/mpeg", Name: "Call recording"}}},
	}
	var got []care.Inbound
	for _, ev := range evs {
		got = append(got, ev.Inbound)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Receive (-want +got):\n%s", diff)
	}
	// ReceiveURL takes the same path for Parley's records, whatever the URL.
	if evs2, err := a.ReceiveURL("https://care.example.com/webhooks/9", h, body, testInbox(), testNow); err != nil || len(evs2) != len(evs) {
		t.Errorf("ReceiveURL = %d events, %v; want %d", len(evs2), err, len(evs))
	}
}

// TestReceiveSignature: only a record signed with the inbox's secret, at
// about now, is taken; nothing else is even parsed.
func TestReceiveSignature(t *testing.T) {
	t.Parallel()
	body := []byte(`{"call_id":"c1","direction":"inbound","from":"+14155550123","started_at":"2026-11-24T10:00:00Z","outcome":"missed"}`)
	sign := func(secret string, at time.Time, b []byte) http.Header {
		h := http.Header{}
		h.Set(SignatureHeader, apiinbox.Sign([]byte(secret), at, b))
		return h
	}
	noSecret := testInbox()
	delete(noSecret.Credentials, CredWebhookSecret)
	twilioSigned := http.Header{}
	twilioSigned.Set(TwilioSignatureHeader, "c2lnbmF0dXJl")
	for _, tt := range []struct {
		name string
		h    http.Header
		in   care.Inbox
		body []byte
		code string
	}{
		{"valid", sign(testSecret, testNow, body), testInbox(), body, ""},
		{"four minutes old", sign(testSecret, testNow.Add(-4*time.Minute), body), testInbox(), body, ""},
		{"no header", http.Header{}, testInbox(), body, care.EUNAUTHORIZED},
		{"another secret", sign("whsec_another-secret-of-the-same-size!", testNow, body), testInbox(), body, care.EUNAUTHORIZED},
		{"replayed later", sign(testSecret, testNow.Add(-10*time.Minute), body), testInbox(), body, care.EUNAUTHORIZED},
		{"body changed", sign(testSecret, testNow, body), testInbox(), bytes.Replace(body, []byte("missed"), []byte("busy"), 1), care.EUNAUTHORIZED},
		{"inbox without secret", sign("", testNow, body), noSecret, body, care.EUNAUTHORIZED},
		{"Twilio's header without the URL", twilioSigned, testInbox(), body, care.EUNAUTHORIZED},
		{"signed but not a record", sign(testSecret, testNow, []byte(`{"call_id":"c1"}`)), testInbox(), []byte(`{"call_id":"c1"}`), care.EINVALID},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			evs, err := (&Adapter{}).Receive(tt.h, tt.body, tt.in, testNow)
			if got := care.ErrorCode(err); got != tt.code {
				t.Fatalf("Receive = %d events, %v; want code %q", len(evs), err, tt.code)
			}
			if tt.code != "" && evs != nil {
				t.Errorf("Receive returned events with an error: %+v", evs)
			}
		})
	}
}

// TestReceiveTwilio: a callback is taken only when the app wired a
// verifier, the inbox has the auth token, the signature covers the URL
// and every parameter, and the account is the inbox's.
func TestReceiveTwilio(t *testing.T) {
	t.Parallel()
	const hook = "https://care.example.com/webhooks/9"
	body, err := os.ReadFile("testdata/twilio/inbound_completed_CONSTRUCTED.form")
	if err != nil {
		t.Fatal(err)
	}
	params, err := url.ParseQuery(string(body))
	if err != nil {
		t.Fatal(err)
	}
	signed := func(token, u string, p url.Values) http.Header {
		h := http.Header{}
		h.Set(TwilioSignatureHeader, twiliofake.Sign(token, u, p))
		return h
	}
	otherAccount := testInbox()
	otherAccount.Credentials[CredTwilioAccountSID] = "AC" + strings.Repeat("f", 32)
	noToken := testInbox()
	delete(noToken.Credentials, CredTwilioAuthToken)
	quiet := slog.New(slog.DiscardHandler)
	for _, tt := range []struct {
		name   string
		verify TwilioVerifier
		h      http.Header
		url    string
		in     care.Inbox
		code   string
		events int
	}{
		{"valid", twilioVerify, signed(twiliofake.DefaultAuthToken, hook, params), hook, testInbox(), "", 1},
		{"no verifier wired", nil, signed(twiliofake.DefaultAuthToken, hook, params), hook, testInbox(), care.EUNAUTHORIZED, 0},
		{"inbox without auth token", twilioVerify, signed(twiliofake.DefaultAuthToken, hook, params), hook, noToken, care.EUNAUTHORIZED, 0},
		{"signed for another URL", twilioVerify, signed(twiliofake.DefaultAuthToken, hook+"0", params), hook, testInbox(), care.EUNAUTHORIZED, 0},
		{"signed with another token", twilioVerify, signed(strings.Repeat("e", 32), hook, params), hook, testInbox(), care.EUNAUTHORIZED, 0},
		{"another account", twilioVerify, signed(twiliofake.DefaultAuthToken, hook, params), hook, otherAccount, care.EUNAUTHORIZED, 0},
		{"verifier failing otherwise", func(string, string, string, url.Values) error { return os.ErrInvalid },
			signed(twiliofake.DefaultAuthToken, hook, params), hook, testInbox(), care.EUNAUTHORIZED, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := &Adapter{TwilioVerify: tt.verify, Logger: quiet}
			evs, err := a.ReceiveURL(tt.url, tt.h, body, tt.in, testNow)
			if got := care.ErrorCode(err); got != tt.code || len(evs) != tt.events {
				t.Fatalf("ReceiveURL = %d events, %v; want %d, code %q", len(evs), err, tt.events, tt.code)
			}
		})
	}

	// A parameter added after signing breaks the signature.
	h := signed(twiliofake.DefaultAuthToken, hook, params)
	tampered := append(append([]byte{}, body...), "&CallDuration=1"...)
	if _, err := (&Adapter{TwilioVerify: twilioVerify}).ReceiveURL(hook, h, tampered, testInbox(), testNow); care.ErrorCode(err) != care.EUNAUTHORIZED {
		t.Errorf("ReceiveURL of a tampered body = %v, want EUNAUTHORIZED", err)
	}
	// Skipped callbacks are acknowledged with no events.
	ringing, _ := os.ReadFile("testdata/twilio/ringing_CONSTRUCTED.form")
	rp, _ := url.ParseQuery(string(ringing))
	evs, err := (&Adapter{TwilioVerify: twilioVerify, Logger: quiet}).ReceiveURL(hook, signed(twiliofake.DefaultAuthToken, hook, rp), ringing, testInbox(), testNow)
	if err != nil || len(evs) != 0 {
		t.Errorf("ReceiveURL of a ringing callback = %v, %v; want none", evs, err)
	}
}

// TestParseForm: Twilio's validators read ";" as part of a value and keep
// every value of a repeated name; a malformed escape is refused.
func TestParseForm(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		body string
		want url.Values
		ok   bool
	}{
		{"A=1&B=x%3By;z&A=2&&C", url.Values{"A": {"1", "2"}, "B": {"x;y;z"}, "C": {""}}, true},
		{"", url.Values{}, true},
		{"A=%zz", nil, false},
		{strings.Repeat("A=1&", maxTwilioParams+1), nil, false},
	} {
		got, err := parseForm([]byte(tt.body))
		if (err == nil) != tt.ok {
			t.Errorf("parseForm(%.40q) error %v, want ok %v", tt.body, err, tt.ok)
			continue
		}
		if tt.ok {
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("parseForm(%q) (-want +got):\n%s", tt.body, diff)
			}
		}
	}
}

func TestHandshake(t *testing.T) {
	t.Parallel()
	w := &recorder{header: http.Header{}}
	(&Adapter{}).Handshake(w, nil, testInbox())
	if w.status != http.StatusMethodNotAllowed || w.header.Get("Allow") != http.MethodPost {
		t.Errorf("Handshake = %d, Allow %q", w.status, w.header.Get("Allow"))
	}
}

type recorder struct {
	header http.Header
	status int
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(b []byte) (int, error) { return len(b), nil }
func (r *recorder) WriteHeader(s int)           { r.status = s }
