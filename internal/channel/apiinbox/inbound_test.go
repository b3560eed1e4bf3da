package apiinbox

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

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
		{"white space only", `{"id":"1","author":{"id":"a"},"text":" \n\t "}`, care.EINVALID},
		{"invalid UTF-8 in id", "{\"id\":\"ord-\xff\",\"author\":{\"id\":\"a\"},\"text\":\"hi\"}", care.EINVALID},
		{"invalid UTF-8 in text", "{\"id\":\"1\",\"author\":{\"id\":\"a\"},\"text\":\"h\xc3\"}", care.EINVALID},
		{"lone surrogate in id", `{"id":"ord-\udcff","author":{"id":"a"},"text":"hi"}`, care.EINVALID},
		{"lone surrogate in author id", `{"id":"1","author":{"id":"\ud800"},"text":"hi"}`, care.EINVALID},
		{"bad sent_at", `{"id":"1","author":{"id":"a"},"text":"hi","sent_at":"yesterday"}`, care.EINVALID},
		{"javascript attachment", `{"id":"1","author":{"id":"a"},"text":"hi","attachments":[{"kind":"file","url":"javascript:alert(8)"}]}`, care.EINVALID},
		{"data attachment", `{"id":"1","author":{"id":"a"},"attachments":[{"kind":"image","url":"data:image/png;base64,AAAA"}]}`, care.EINVALID},
		{"platform-held attachment", `{"id":"1","author":{"id":"a"},"attachments":[{"kind":"image","url":"meta-media:123"}]}`, care.EINVALID},
		{"relative attachment", `{"id":"1","author":{"id":"a"},"attachments":[{"kind":"file","url":"/c/1/media/2/0"}]}`, care.EINVALID},
		{"hostless attachment", `{"id":"1","author":{"id":"a"},"attachments":[{"kind":"file","url":"https:///a.png"}]}`, care.EINVALID},
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

// TestDecodeProblems holds the details a sending system's developer reads:
// they name this API's fields and JSON's types, not Parley's internals.
func TestDecodeProblems(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	tests := []struct{ body, want string }{
		{`[1]`, "the body must be a JSON object, not array"},
		{`{"author":{"id":"a"},"text":"hi"}`, "id is required"},
		{`{"id":"1","author":{"id":""},"text":"hi"}`, "author.id is required"},
		{`{"id":"1","author":{"id":"a","followers":"many"},"text":"hi"}`, `field "author.followers" must be a whole number, not string`},
		{`{"id":"1","author":{"id":"a"},"text":"hi","attachments":{}}`, `field "attachments" must be an array, not object`},
		{`{"id":"1","author":{"id":"a"},"text":"hi","sent_at":"yesterday"}`, `field "sent_at" must be a time in RFC 3339 form`},
		{`{"id":"1","author":{"id":"a"},"text":"hi","sent_at":5}`, `field "sent_at" must be a time in RFC 3339 form`},
		{`{"id":"1","reply_to_id":"` + strings.Repeat("r", care.MaxPlatformIDBytes+1) + `","author":{"id":"a"},"text":"hi"}`, "reply_to_id is longer than"},
		{"{\"id\":\"1\",\"author\":{\"id\":\"a\"},\"text\":\"caf\xe9\"}", "not valid UTF-8 (first bad byte at offset 41)"},
		{`{"id":"1","author":{"id":"a"},"text":"hi","attachments":[{"kind":"image","url":"https://example.com/a.png"},{"kind":"file","url":"JavaScript:alert(8)"}]}`, "attachments[1].url must be an absolute http or https link"},
	}
	for _, tt := range tests {
		_, err := Decode([]byte(tt.body), 1, now)
		msg := care.ErrorMessage(err)
		if !strings.Contains(msg, tt.want) {
			t.Errorf("Decode(%.50q) = %q; want it to say %q", tt.body, msg, tt.want)
		}
		for _, internal := range []string{"platform_id", "platform_user_id", "display_name", "apiinbox.", "care.", "int64", "time.Time"} {
			if strings.Contains(msg, internal) {
				t.Errorf("Decode(%.50q) = %q; names %q, which a sender does not know", tt.body, msg, internal)
			}
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"id":"m-1","author":{"id":"c"},"text":"hi"}`))
	f.Add([]byte(`{"id":"m-1","reply_to_id":"x","visibility":"public","author":{"id":"c","followers":3},"text":"","attachments":[{"kind":"file"}]}`))
	f.Add([]byte(`{"id":"\ud800","author":{"id":"c"},"text":"\u0000"}`))
	f.Add([]byte(`{"id":"m-2","author":{"id":"c"},"text":"see","attachments":[{"kind":"file","url":"javascript:alert(8)"},{"kind":"image","url":"HTTPS://example.com/a.png"}]}`))
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := Decode(body, 1, now)
		if err != nil {
			if care.ErrorCode(err) == care.EINTERNAL {
				t.Fatalf("Decode returned an uncoded error: %v", err)
			}
			return
		}
		// Whatever is accepted must satisfy the core's own validation,
		// and its ids must be the sender's bytes: a replaced character
		// would make two ids one.
		if err := in.Validate(); err != nil {
			t.Fatalf("accepted message fails validation: %v", err)
		}
		if !utf8.Valid(body) {
			t.Fatalf("accepted a body that is not UTF-8: %q", body)
		}
		for _, id := range []string{in.PlatformID, in.ReplyToPlatformID, in.Author.PlatformUserID} {
			if strings.ContainsRune(id, utf8.RuneError) {
				t.Fatalf("accepted id %q with a replacement character", id)
			}
		}
		for _, a := range in.Attachments {
			if a.URL != "" && !care.WebLink(a.URL) {
				t.Fatalf("accepted attachment link %q, which is not http(s)", a.URL)
			}
		}
	})
}
