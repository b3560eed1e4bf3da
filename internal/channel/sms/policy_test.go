package sms

import (
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

func TestCheckReply(t *testing.T) {
	t.Parallel()
	stop := &care.Message{Direction: care.DirectionIn, Text: "STOP\n\n" + optOutNote}
	tests := []struct {
		name string
		c    channel.ReplyCheck
		want string // part of the EINVALID message; "" for no error
	}{
		{"a reply", channel.ReplyCheck{Text: "It ships today."}, ""},
		{"a long reply is fine", channel.ReplyCheck{Text: strings.Repeat("a", 1000)}, ""},
		{"exactly 1,600 characters", channel.ReplyCheck{Text: strings.Repeat("ж", 1600)}, ""},
		{"1,601 characters", channel.ReplyCheck{Text: strings.Repeat("a", 1601)},
			"SMS messages are limited to 1600 characters (an emoji counts as 2); this one has 1601. Shorten it by 1, or send it as two messages."},
		{"emoji count 2", channel.ReplyCheck{Text: strings.Repeat("👍", 801)}, "this one has 1602. Shorten it by 2, or send it as two messages."},
		{"1,840 characters", channel.ReplyCheck{Text: strings.Repeat("é", 1840)}, "this one has 1840. Shorten it by 240, or send it as two messages."},
		{"public", channel.ReplyCheck{Text: "hi", Visibility: care.Public}, "private"},
		{"empty", channel.ReplyCheck{Text: " \n"}, "empty"},
		{"an image alone", channel.ReplyCheck{Attachments: []care.Attachment{{Kind: "image", URL: "https://cdn.example/a.png"}}}, ""},
		{"an attachment that is not a link", channel.ReplyCheck{Text: "see", Attachments: []care.Attachment{{Kind: "file", URL: "file:///etc/passwd"}}}, "public http or https link"},
		{"eleven attachments", channel.ReplyCheck{Text: "x", Attachments: make([]care.Attachment, 11)}, "Twilio sends at most 10 attachments with a message; this one has 11. Send the rest in another message."},
		{"after STOP", channel.ReplyCheck{Text: "Sorry to see you go", LastInbound: stop}, "must text START"},
		{"after a bare STOP", channel.ReplyCheck{Text: "ok", LastInbound: &care.Message{Text: "Stop"}}, "must text START"},
		{"after START", channel.ReplyCheck{Text: "Welcome back", LastInbound: &care.Message{Text: "START\n\n" + optInNote}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := quietAdapter().CheckReply(tt.c)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("CheckReply = %v, want nil", err)
			case tt.want != "" && (care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.want)):
				t.Errorf("CheckReply = %v, want EINVALID containing %q", err, tt.want)
			}
		})
	}
}
