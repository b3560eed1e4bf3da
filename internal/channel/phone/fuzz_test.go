package phone

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/apiinbox"
)

// Fuzz targets for every decoder of untrusted input. Run one with, e.g.,
// go test -run '^$' -fuzz FuzzReceive -fuzztime 30s ./internal/channel/phone

// FuzzReceive posts arbitrary records, correctly signed: whatever the
// body, Receive returns valid events of the body or EINVALID/ETOOLARGE.
func FuzzReceive(f *testing.F) {
	files, _ := filepath.Glob("testdata/records/*.json")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"call_id":"\u0000","direction":"inbound","from":"","started_at":"2026-11-24T10:00:00Z","outcome":"missed"}`))
	f.Add([]byte(`{"call_id":"c","direction":"outbound","to":"+1 (((415)))","started_at":"9999-12-31T23:59:59+14:00","outcome":"voicemail","duration_seconds":9223372036854775807}`))
	f.Add([]byte(`{"call_id":"c","direction":"inbound","from":"+14155550123","started_at":"2026-11-24T10:00:00Z","outcome":"answered","recording_url":"https://\ud800/"}`))
	a := &Adapter{}
	in := testInbox()
	f.Fuzz(func(t *testing.T, body []byte) {
		h := http.Header{}
		h.Set(SignatureHeader, apiinbox.Sign([]byte(testSecret), testNow, body))
		evs, err := a.Receive(h, body, in, testNow)
		if err != nil {
			if c := care.ErrorCode(err); c != care.EINVALID && c != care.ETOOLARGE {
				t.Fatalf("Receive = %v, want nil, EINVALID or ETOOLARGE", err)
			}
			return
		}
		checkEvents(t, evs, body)
	})
}

// FuzzTwilio reads arbitrary verified callbacks.
func FuzzTwilio(f *testing.F) {
	files, _ := filepath.Glob("testdata/twilio/*.form")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("CallStatus=completed&CallSid=CA00000000000000000000000000000000&Direction=inbound&From=%00&CallDuration=-5&Timestamp=x"))
	f.Add([]byte("CallStatus=canceled&CallSid=CA00000000000000000000000000000000&Direction=outbound-api&To=%2B1%20415%20555%200123&RecordingUrl=https%3A%2F%2Fa"))
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := parseForm(body)
		if err != nil {
			if care.ErrorCode(err) != care.EINVALID {
				t.Fatalf("parseForm = %v", err)
			}
			return
		}
		c, skipped, err := twilioCall(p, testNow)
		if err != nil || skipped != "" {
			if err != nil && care.ErrorCode(err) != care.EINVALID {
				t.Fatalf("twilioCall = %v", err)
			}
			return
		}
		checkEvents(t, events(c, body), body)
	})
}

// FuzzCallLink: a call link is "tel:+" and digits, or nothing.
func FuzzCallLink(f *testing.F) {
	for _, s := range []string{"+14155550123", "+266696687", "+1 (415) 555-0123", "tel:+1", `"><script>`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		link := CallLink(s)
		if link == "" {
			return
		}
		digits, ok := strings.CutPrefix(link, "tel:+")
		if !ok || strings.Trim(digits, "0123456789") != "" || len(digits) > maxDigits {
			t.Fatalf("CallLink(%q) = %q", s, link)
		}
		if n, ok := normalize(s); !ok || n != s {
			t.Fatalf("CallLink(%q) = %q for a number normalize changes to %q", s, link, n)
		}
	})
}

// checkEvents asserts what every call's events must be: valid, the
// call's own message first, the others answering it, the customer a
// number in E.164 or a withheld caller of that call alone.
func checkEvents(t *testing.T, evs []channel.Event, body []byte) {
	t.Helper()
	if len(evs) == 0 || len(evs) > 3 {
		t.Fatalf("%d events of one call", len(evs))
	}
	call := evs[0].Inbound
	for i, ev := range evs {
		checkEvent(t, ev, body)
		in := ev.Inbound
		if i > 0 && (in.ReplyToPlatformID != call.PlatformID || !strings.HasPrefix(in.PlatformID, call.PlatformID+"/")) {
			t.Errorf("event %q does not answer the call %q", in.PlatformID, call.PlatformID)
		}
		if id := in.Author.PlatformUserID; !E164(id) && id != withheldPrefix+call.PlatformID {
			t.Errorf("customer %q", id)
		}
		if in.SentAt.Year() < 2000 || in.SentAt.After(testNow.Add(maxFutureSkew+maxDuration)) {
			t.Errorf("implausible sent_at %v", in.SentAt)
		}
	}
}
