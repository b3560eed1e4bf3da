package phone

import (
	"net/http"
	"os"
	"testing"

	"github.com/parleyhq/parley/internal/channel/apiinbox"
)

// BenchmarkReceive measures Receive, signature included, on the
// documented record.
func BenchmarkReceive(b *testing.B) {
	body, err := os.ReadFile("testdata/records/inbound_answered_DOC.json")
	if err != nil {
		b.Fatal(err)
	}
	h := http.Header{}
	h.Set(SignatureHeader, apiinbox.Sign([]byte(testSecret), testNow, body))
	a, in := &Adapter{}, testInbox()
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if evs, err := a.Receive(h, body, in, testNow); err != nil || len(evs) != 2 {
			b.Fatalf("Receive = %v, %v", evs, err)
		}
	}
}

// BenchmarkReceiveTwilio measures a Twilio callback after its signature.
func BenchmarkReceiveTwilio(b *testing.B) {
	body, err := os.ReadFile("testdata/twilio/outbound_api_recording_CONSTRUCTED.form")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		p, err := parseForm(body)
		if err != nil {
			b.Fatal(err)
		}
		c, skipped, err := twilioCall(p, testNow)
		if err != nil || skipped != "" || len(events(c, body)) != 2 {
			b.Fatalf("twilioCall = %v, %q", err, skipped)
		}
	}
}
