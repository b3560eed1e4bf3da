package apiinbox

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
)

func TestDecode(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	t.Run("full", func(t *testing.T) {
		body := `{"id":"m-1","reply_to_id":"m-0","visibility":"public","author":{"id":"c-9","name":"Ana","handle":"@ana","followers":1200,"verified":true},
			"text":"Hello 👋","subject":"Order","attachments":[{"kind":"image","url":"https://example.com/a.png"}],"sent_at":"2026-11-24T09:59:00Z"}`
		got, err := Decode([]byte(body), 7, now)
		if err != nil {
			t.Fatal(err)
		}
		want := care.Inbound{InboxID: 7, Channel: care.ChannelAPI, PlatformID: "m-1", ReplyToPlatformID: "m-0", Visibility: care.Public,
			Author: care.Author{PlatformUserID: "c-9", DisplayName: "Ana", Handle: "@ana", Followers: 1200, Verified: true},
			Text:   "Hello 👋", Subject: "Order", Attachments: []care.Attachment{{Kind: "image", URL: "https://example.com/a.png"}},
			SentAt: time.Date(2026, 11, 24, 9, 59, 0, 0, time.UTC)}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Decode (-want +got):\n%s", diff)
		}
	})
	t.Run("defaults", func(t *testing.T) {
		got, err := Decode([]byte(`{"id":"1","author":{"id":"a"},"text":"hi","sent_at":"2999-01-01T00:00:00Z"}`), 1, now)
		if err != nil {
			t.Fatal(err)
		}
		if got.Visibility != care.Private || !got.SentAt.Equal(now) {
			t.Errorf("Decode defaults = %v, %v; want private, receipt time", got.Visibility, got.SentAt)
		}
	})
	bad := []struct{ name, body, code string }{
		{"empty", ``, care.EINVALID},
		{"not json", `hello`, care.EINVALID},
		{"array", `[]`, care.EINVALID},
		{"unknown field", `{"id":"1","author":{"id":"a"},"text":"hi","extra":1}`, care.EINVALID},
		{"wrong type", `{"id":1,"author":{"id":"a"},"text":"hi"}`, care.EINVALID},
		{"trailing", `{"id":"1","author":{"id":"a"},"text":"hi"} {}`, care.EINVALID},
		{"no id", `{"author":{"id":"a"},"text":"hi"}`, care.EINVALID},
		{"no author", `{"id":"1","text":"hi"}`, care.EINVALID},
		{"no text", `{"id":"1","author":{"id":"a"}}`, care.EINVALID},
		{"note visibility", `{"id":"1","author":{"id":"a"},"text":"hi","visibility":"note"}`, care.EINVALID},
		{"negative followers", `{"id":"1","author":{"id":"a","followers":-1},"text":"hi"}`, care.EINVALID},
		{"text too long", `{"id":"1","author":{"id":"a"},"text":"` + strings.Repeat("x", care.MaxTextBytes+1) + `"}`, care.EINVALID},
		{"nul", `{"id":"1","author":{"id":"a"},"text":"a\u0000b"}`, care.EINVALID},
		{"body too large", strings.Repeat(" ", MaxBodyBytes+1), care.ETOOLARGE},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.body), 1, now)
			if got := care.ErrorCode(err); got != tt.code {
				t.Errorf("Decode(%.40q) code = %q, want %q (err %v)", tt.body, got, tt.code, err)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"id":"m-1","author":{"id":"c"},"text":"hi"}`))
	f.Add([]byte(`{"id":"m-1","reply_to_id":"x","visibility":"public","author":{"id":"c","followers":3},"text":"","attachments":[{"kind":"file"}]}`))
	f.Add([]byte(`{"id":"\ud800","author":{"id":"c"},"text":"\u0000"}`))
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := Decode(body, 1, now)
		if err != nil {
			if care.ErrorCode(err) == care.EINTERNAL {
				t.Fatalf("Decode returned an uncoded error: %v", err)
			}
			return
		}
		// Whatever is accepted must satisfy the core's own validation.
		if err := in.Validate(); err != nil {
			t.Fatalf("accepted message fails validation: %v", err)
		}
	})
}
