package meta_test

import (
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/meta"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenEvent is how an event is written in a golden file.
type goldenEvent struct {
	Account string          `json:"account"`
	Inbound care.Inbound    `json:"inbound"`
	Raw     json.RawMessage `json:"raw"`
}

const goldenAppID = "1517776481860111"

func receiveFile(t *testing.T, a adapter, name string, now time.Time) []channel.Event {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return receiveBody(t, a, body, now)
}

// receiveBody signs body and has a receive it for the golden files' Page inbox.
func receiveBody(t *testing.T, a adapter, body []byte, now time.Time) []channel.Event {
	t.Helper()
	in := care.Inbox{Channel: care.ChannelFacebook, ExternalID: "682498302938465",
		Credentials: map[string]string{meta.CredAppSecret: "s3cret", meta.CredAppID: goldenAppID}}
	h := http.Header{}
	h.Set(meta.SignatureHeader, meta.Sign("s3cret", body))
	evs, err := a.Receive(h, body, in, now)
	if err != nil {
		t.Fatalf("Receive(%.60s) error = %v", body, err)
	}
	return evs
}

// TestReceiveGolden parses recorded and documented deliveries and compares
// the events with testdata/*.golden.json (go test -update rewrites them).
func TestReceiveGolden(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, name := range []string{"messenger_text.json", "messenger_batch.json", "page_feed.json", "instagram_dm.json", "instagram_changes.json",
		"messenger_events.json", "page_feed_changes.json", "instagram_events.json"} {
		t.Run(name, func(t *testing.T) {
			evs := receiveFile(t, &meta.Messenger{}, name, now)
			// Both adapters read a delivery the same way.
			if other := receiveFile(t, &meta.Instagram{}, name, now); !cmp.Equal(evs, other) {
				t.Errorf("Messenger and Instagram adapters disagree on %s:\n%s", name, cmp.Diff(evs, other))
			}
			got := make([]goldenEvent, len(evs))
			for i, e := range evs {
				if err := e.Inbound.Validate(); err != nil {
					t.Errorf("event %d fails validation: %v", i, err)
				}
				if !json.Valid(e.Raw) {
					t.Errorf("event %d raw is not JSON: %q", i, e.Raw)
				}
				got[i] = goldenEvent{Account: e.Account, Inbound: e.Inbound, Raw: e.Raw}
			}
			gotJSON, err := json.MarshalIndent(got, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", strings.TrimSuffix(name, ".json")+".golden.json")
			if *update {
				if err := os.WriteFile(golden, append(gotJSON, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(strings.TrimSpace(string(want)), string(gotJSON)); diff != "" {
				t.Errorf("Receive(%s) (-want +got):\n%s", name, diff)
			}
		})
	}
}

// TestReceiveHostileText: a message whose text or sender's name carries
// control characters is stored cleaned, not lost; one whose id Parley
// cannot keep is skipped without taking the rest of the delivery with it.
func TestReceiveHostileText(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	long := strings.Repeat("m", care.MaxPlatformIDBytes+1)
	body := []byte(`{"object":"page","entry":[{"id":"682498302938465","time":1795485435000,"messaging":[
		{"sender":{"id":"6001"},"recipient":{"id":"682498302938465"},"timestamp":1795485435000,"message":{"mid":"m_nul","text":"my order\u0000 is late\r\nplease"}},
		{"sender":{"id":"6002"},"recipient":{"id":"682498302938465"},"timestamp":1795485436000,"message":{"mid":"` + long + `","text":"too long an id"}},
		{"sender":{"id":"6003"},"recipient":{"id":"682498302938465"},"timestamp":1795485437000,"message":{"mid":"m_ok","text":"fine"}}]}]}`)
	evs := receiveBody(t, &meta.Messenger{}, body, now)
	got := map[string]string{}
	for _, e := range evs {
		got[e.Inbound.PlatformID] = e.Inbound.Text
	}
	want := map[string]string{"m_nul": "my order is late\nplease", "m_ok": "fine"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// TestReceiveNothingToFetch: attachments with no file (templates, products,
// types newer than Parley) become a line of text naming them, not an empty
// bubble.
func TestReceiveNothingToFetch(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	msg := func(mid, text, atts string) string {
		return `{"sender":{"id":"6001"},"recipient":{"id":"682498302938465"},"timestamp":1795485435000,"message":{"mid":"` + mid + `","text":"` + text + `","attachments":[` + atts + `]}}`
	}
	body := []byte(`{"object":"page","entry":[{"id":"682498302938465","time":1795485435000,"messaging":[` +
		msg("m1", "", `{"type":"template","payload":{"template_type":"generic","elements":[{"title":"Order #99","subtitle":"Shipped"}]}}`) + `,` +
		msg("m2", "is this in stock?", `{"type":"product","payload":{"elements":{"products":[{"id":"42","title":"Blue kettle"}]}}}`) + `,` +
		msg("m3", "", `{"type":"hologram","payload":{}}`) + `]}]}`)
	evs := receiveBody(t, &meta.Messenger{}, body, now)
	got := map[string]string{}
	for _, e := range evs {
		got[e.Inbound.PlatformID] = e.Inbound.Text
		if len(e.Inbound.Attachments) != 0 {
			t.Errorf("%s: attachments %+v; want none (nothing to fetch)", e.Inbound.PlatformID, e.Inbound.Attachments)
		}
	}
	want := map[string]string{
		"m1": "[A Messenger template: Order #99]",
		"m2": "is this in stock?\n\n[A Messenger product: Blue kettle]",
		"m3": `[A Messenger attachment of type "hologram" that Parley cannot show]`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("texts (-want +got):\n%s", diff)
	}
}

// TestReceivePluginSender: the messaging_postbacks reference's example
// names its sender by user_ref, with no id, and gives the timestamp as a
// string of seconds
// (developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/messaging_postbacks).
// The tap is kept, from an author Send can write back to, at the time it
// says; it was dropped for having no author.
func TestReceivePluginSender(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	at := time.Unix(1772366000, 0).UTC() // 2026-03-01 11:53:20
	tests := []struct {
		name, event string
		want        care.Inbound
	}{
		{"postback from a user_ref, seconds as a string",
			`{"sender":{"user_ref":"USER-REF-ID"},"recipient":{"id":"682498302938465"},"timestamp":"1772366000",` +
				`"postback":{"mid":"m_MESSAGE-ID","title":"TITLE-FOR-THE-CTA","payload":"USER-DEFINED-PAYLOAD",` +
				`"referral":{"ref":"USER-DEFINED-REFERRAL-PARAM","source":"SHORT-URL","type":"OPEN_THREAD"}}}`,
			care.Inbound{Channel: care.ChannelFacebook, PlatformID: "m_MESSAGE-ID", Visibility: care.Private,
				Author: care.Author{PlatformUserID: "user_ref:USER-REF-ID"}, Text: "TITLE-FOR-THE-CTA\n\n[Came from an m.me link: ref USER-DEFINED-REFERRAL-PARAM]", SentAt: at}},
		{"message from a user_ref",
			`{"sender":{"user_ref":"USER-REF-ID"},"recipient":{"id":"682498302938465"},"timestamp":1772366000000,"message":{"mid":"m_1","text":"hello"}}`,
			care.Inbound{Channel: care.ChannelFacebook, PlatformID: "m_1", Visibility: care.Private,
				Author: care.Author{PlatformUserID: "user_ref:USER-REF-ID"}, Text: "hello", SentAt: at}},
		{"an id wins over a user_ref",
			`{"sender":{"id":"1254459154682919","user_ref":"USER-REF-ID"},"recipient":{"id":"682498302938465"},"timestamp":1772366000000,"message":{"mid":"m_2","text":"hi"}}`,
			care.Inbound{Channel: care.ChannelFacebook, PlatformID: "m_2", Visibility: care.Private,
				Author: care.Author{PlatformUserID: "1254459154682919"}, Text: "hi", SentAt: at}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := []byte(`{"object":"page","entry":[{"id":"682498302938465","time":1772369000000,"messaging":[` + tt.event + `]}]}`)
			evs := receiveBody(t, &meta.Messenger{}, body, now)
			if len(evs) != 1 {
				t.Fatalf("Receive = %d events, want 1: %+v", len(evs), evs)
			}
			if diff := cmp.Diff(tt.want, evs[0].Inbound); diff != "" {
				t.Errorf("event (-want +got):\n%s", diff)
			}
		})
	}
}
