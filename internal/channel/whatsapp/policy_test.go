package whatsapp

import (
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

func TestCheckReply(t *testing.T) {
	a := &Adapter{}
	template := Template{Name: "order_update", Language: "en_US", Body: []TemplateParam{{Value: "#1"}}}.Attachment()
	customer := func(ago time.Duration) *care.Message {
		return &care.Message{Direction: care.DirectionIn, Visibility: care.Private, SentAt: testNow.Add(-ago), CreatedAt: testNow}
	}
	for _, tt := range []struct {
		name  string
		check channel.ReplyCheck
		want  string // "" means accepted; else part of the EINVALID message
	}{
		{"text within the window", channel.ReplyCheck{Text: "Hi", Visibility: care.Private, LastInbound: customer(23 * time.Hour)}, ""},
		{"text just inside", channel.ReplyCheck{Text: "Hi", Visibility: care.Private, LastInbound: customer(24*time.Hour - time.Second)}, ""},
		{"text at 24 hours", channel.ReplyCheck{Text: "Hi", Visibility: care.Private, LastInbound: customer(24 * time.Hour)},
			"The 24-hour window closed at 24 Nov 2026 10:00 UTC; send an approved template."},
		{"text after the window", channel.ReplyCheck{Text: "Hi", Visibility: care.Private, LastInbound: customer(30 * time.Hour)}, "closed at 24 Nov 2026 04:00 UTC"},
		{"window from CreatedAt without SentAt", channel.ReplyCheck{Text: "Hi", Visibility: care.Private,
			LastInbound: &care.Message{Direction: care.DirectionIn, CreatedAt: testNow.Add(-time.Hour)}}, ""},
		{"no customer message", channel.ReplyCheck{Text: "Hi", Visibility: care.Private}, "send an approved template"},
		{"template after the window", channel.ReplyCheck{Visibility: care.Private, Attachments: []care.Attachment{template}, LastInbound: customer(72 * time.Hour)}, ""},
		{"template with no customer message", channel.ReplyCheck{Visibility: care.Private, Attachments: []care.Attachment{template}}, ""},
		{"broken template", channel.ReplyCheck{Visibility: care.Private, Attachments: []care.Attachment{{Kind: TemplateKind, URL: "whatsapp-template:x"}}}, "language"},
		{"public", channel.ReplyCheck{Text: "Hi", Visibility: care.Public, LastInbound: customer(time.Hour)}, "private"},
		{"4096 characters", channel.ReplyCheck{Text: strings.Repeat("é", 4096), Visibility: care.Private, LastInbound: customer(time.Hour)}, ""},
		{"4097 characters", channel.ReplyCheck{Text: strings.Repeat("é", 4097), Visibility: care.Private, LastInbound: customer(time.Hour)}, "limited to 4096 characters"},
		{"long caption", channel.ReplyCheck{Text: strings.Repeat("a", 1025), Visibility: care.Private, LastInbound: customer(time.Hour),
			Attachments: []care.Attachment{{Kind: "image", URL: "https://x/a.png"}}}, "captions are limited to 1024"},
		{"unknown attachment kind", channel.ReplyCheck{Visibility: care.Private, LastInbound: customer(time.Hour),
			Attachments: []care.Attachment{{Kind: "hologram", URL: "https://x/a"}}}, "cannot send a \"hologram\""},
		{"attachment without a link", channel.ReplyCheck{Visibility: care.Private, LastInbound: customer(time.Hour),
			Attachments: []care.Attachment{{Kind: "image", URL: "file:///etc/passwd"}}}, "http or https link"},
		{"text with a location", channel.ReplyCheck{Text: "here", Visibility: care.Private, LastInbound: customer(time.Hour),
			Attachments: []care.Attachment{{Kind: "location", URL: "geo:1,2"}}}, "separate reply"},
		{"bad geo", channel.ReplyCheck{Visibility: care.Private, LastInbound: customer(time.Hour),
			Attachments: []care.Attachment{{Kind: "location", URL: "geo:91,2"}}}, "geo:LATITUDE,LONGITUDE"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.check
			c.Now = testNow
			err := a.CheckReply(c)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("CheckReply = %v, want nil", err)
			case tt.want != "" && (care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.want)):
				t.Errorf("CheckReply = %v, want EINVALID containing %q", err, tt.want)
			}
		})
	}
}
