package whatsapp

import (
	"bytes"
	"encoding/json"
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

// goldenEvent is an event as the golden files show it.
type goldenEvent struct {
	Account string       `json:"account"`
	Inbound care.Inbound `json:"inbound"`
	Raw     string       `json:"raw"`
}

type golden struct {
	Events  []goldenEvent `json:"events"`
	Skipped []string      `json:"skipped,omitempty"`
}

// TestReceiveGolden parses every delivery in testdata/webhooks and compares
// the events with testdata/golden (go test -update rewrites them). Every
// event must pass the core's validation and carry its own element as raw
// payload.
func TestReceiveGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/webhooks/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no deliveries in testdata/webhooks: %v", err)
	}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(strings.TrimSuffix(name, ".json"), func(t *testing.T) {
			body, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			events, skipped, err := parseDelivery(body, testNow)
			if err != nil {
				t.Fatalf("parseDelivery: %v", err)
			}
			got := golden{Skipped: skipped}
			for _, ev := range events {
				checkEvent(t, ev, body)
				got.Events = append(got.Events, goldenEvent{Account: ev.Account, Inbound: ev.Inbound, Raw: string(ev.Raw)})
			}
			path := filepath.Join("testdata/golden", name)
			if *update {
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
				t.Errorf("events of %s (-want +got):\n%s", name, diff)
			}
		})
	}
}

// checkEvent asserts what the core relies on: the event validates once the
// core fills in inbox and channel, and its raw payload is part of the body.
func checkEvent(t *testing.T, ev channel.Event, body []byte) {
	t.Helper()
	in := ev.Inbound
	in.InboxID, in.Channel = 1, care.ChannelWhatsApp
	if err := in.Validate(); err != nil {
		t.Errorf("event %s does not validate: %v", in.PlatformID, err)
	}
	if len(ev.Raw) == 0 || !bytes.Contains(body, ev.Raw) || !json.Valid(ev.Raw) {
		t.Errorf("event %s: raw payload %q is not its own element of the body", in.PlatformID, ev.Raw)
	}
}

func TestReceiveVerifiesFirst(t *testing.T) {
	body, err := os.ReadFile("testdata/webhooks/unicode_escaped_COMPOSITE.json")
	if err != nil {
		t.Fatal(err)
	}
	a := &Adapter{}
	in := care.Inbox{ID: 3, Channel: care.ChannelWhatsApp, ExternalID: "123456123", Credentials: map[string]string{CredAppSecret: vectorSecret}}
	h := http.Header{}
	h.Set(meta.SignatureHeader, vectorSignature)
	events, err := a.Receive(h, body, in, testNow)
	if err != nil {
		t.Fatalf("Receive: %v", err)
	}
	if len(events) != 1 || events[0].Inbound.Text != "Buenos días äöå" {
		t.Errorf("Receive = %+v, want one message with the text decoded", events)
	}

	h.Set(meta.SignatureHeader, "sha256="+strings.Repeat("0", 64))
	if _, err := a.Receive(h, body, in, testNow); care.ErrorCode(err) != care.EUNAUTHORIZED {
		t.Errorf("Receive(bad signature) = %v, want EUNAUTHORIZED", err)
	}
	// A signed body that is not JSON, or JSON without an object.
	for _, bad := range []string{`{"object":`, `[]`, `{}`} {
		h.Set(meta.SignatureHeader, meta.Sign(vectorSecret, []byte(bad)))
		if _, err := a.Receive(h, []byte(bad), in, testNow); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("Receive(%s) = %v, want EINVALID", bad, err)
		}
	}
}

// TestBoundedID: an id is stored as WhatsApp sent it or not at all, since
// one cut or stripped of stray bytes would name another message.
func TestBoundedID(t *testing.T) {
	t.Parallel()
	const wamid = "wamid.HBgLMTU1NTEyMzQ1NjcVAgASGBQzQUQ5RjBBNkE4NjZEQzNGNzA2OQA="
	for _, tt := range []struct{ in, want string }{
		{wamid, wamid},
		{"US.13491208655302741918", "US.13491208655302741918"},
		{strings.Repeat("a", care.MaxPlatformIDBytes), strings.Repeat("a", care.MaxPlatformIDBytes)},
		{strings.Repeat("a", care.MaxPlatformIDBytes+1), ""},
		{"wamid.\x00HBg", ""},
		{"wamid.\u0085HBg", ""},
		{"wamid.\xffHBg", ""},
	} {
		if got := boundedID(tt.in); got != tt.want {
			t.Errorf("boundedID(%.40q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestReceiveEditsRevokesAndEchoNumbers: deliveries on numbers shared with
// the WhatsApp Business app ("coexistence"), with the payloads of Meta's
// references:
//   - revoke: developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/revoke
//   - edit: developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/edit
//   - smb_message_echoes, whose "to" the reference shows as "+16505551234":
//     developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/smb_message_echoes
//
// A revoke deletes the message it names and an edit is "[Edited] …"
// replying to it, rather than a placeholder "type revoke" message from the
// customer; an echo's "+" number files it under the customer who wrote
// from that number's wa_id, not under a contact of its own.
func TestReceiveEditsRevokesAndEchoNumbers(t *testing.T) {
	t.Parallel()
	delivery := func(field, list, item string) []byte {
		contacts := `"contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],`
		if field == "smb_message_echoes" {
			contacts = "" // echoes name no contacts
		}
		return []byte(`{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{` +
			`"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},` +
			contacts + `"` + list + `":[` + item + `]},"field":"` + field + `"}]}]}`)
	}
	const (
		orig = "wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA="
		self = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA="
	)
	sheena := care.Author{PlatformUserID: "16505551234", DisplayName: "Sheena Nelson", Handle: "+16505551234"}
	// What an echo says of her: her number, without the name only her
	// own messages carry.
	toSheena := care.Author{PlatformUserID: "16505551234", Handle: "+16505551234"}
	at := time.Unix(1739321024, 0).UTC()
	tests := []struct {
		name string
		body []byte
		want []care.Inbound
	}{
		{"revoke", delivery("messages", "messages",
			`{"from":"16505551234","id":"`+self+`","timestamp":"1739321024","type":"revoke","revoke":{"original_message_id":"`+orig+`"}}`),
			[]care.Inbound{{Kind: care.KindDelete, PlatformID: orig, Author: sheena, SentAt: at}}},
		{"revoke without the original", delivery("messages", "messages",
			`{"from":"16505551234","id":"`+self+`","timestamp":"1739321024","type":"revoke","revoke":{}}`), nil},
		{"edit of a caption", delivery("messages", "messages",
			`{"from":"16505551234","id":"`+self+`","timestamp":"1739321024","type":"edit","edit":{"original_message_id":"`+orig+`",`+
				`"message":{"context":{"id":"wamid.CONTEXT"},"type":"image","image":{"caption":"the blue one","mime_type":"image/jpeg","sha256":"abc","id":"1003383421387256","url":"https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1"}}}}`),
			[]care.Inbound{{Kind: care.KindMessage, PlatformID: self, ReplyToPlatformID: orig, Visibility: care.Private, Author: sheena,
				Text: "[Edited] the blue one", SentAt: at}}},
		{"edit of a text", delivery("messages", "messages",
			`{"from":"16505551234","id":"`+self+`","timestamp":"1739321024","type":"edit","edit":{"original_message_id":"`+orig+`",`+
				`"message":{"type":"text","text":{"body":"order 1234, not 1243"}}}}`),
			[]care.Inbound{{Kind: care.KindMessage, PlatformID: self, ReplyToPlatformID: orig, Visibility: care.Private, Author: sheena,
				Text: "[Edited] order 1234, not 1243", SentAt: at}}},
		{"echo to a + number", delivery("smb_message_echoes", "message_echoes",
			`{"from":"15550783881","to":"+16505551234","id":"`+self+`","timestamp":"1739321024","type":"text","text":{"body":"Here's the info you requested!"}}`),
			[]care.Inbound{{Kind: care.KindEcho, PlatformID: self, Visibility: care.Private, Author: toSheena,
				Text: "Here's the info you requested!", SentAt: at}}},
		{"business revokes in the app", delivery("smb_message_echoes", "message_echoes",
			`{"from":"15550783881","to":"+16505551234","id":"`+self+`","timestamp":"1739321024","type":"revoke","revoke":{"original_message_id":"`+orig+`"}}`),
			[]care.Inbound{{Kind: care.KindDelete, PlatformID: orig, Author: toSheena, SentAt: at}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			events, _, err := parseDelivery(tt.body, testNow)
			if err != nil {
				t.Fatalf("parseDelivery: %v", err)
			}
			var got []care.Inbound
			for _, ev := range events {
				checkEvent(t, ev, tt.body)
				if ev.Account != "106540352242922" {
					t.Errorf("event %s for account %q, want the phone number id", ev.Inbound.PlatformID, ev.Account)
				}
				got = append(got, ev.Inbound)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}
