package telegram

import (
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

func TestCheckReply(t *testing.T) {
	t.Parallel()
	group := &care.Message{Visibility: care.Public, Direction: care.DirectionIn, PlatformID: "-1001987654321:4402"}
	private := &care.Message{Visibility: care.Private, Direction: care.DirectionIn, PlatformID: "1111111:1365"}
	for _, tt := range []struct {
		name string
		c    channel.ReplyCheck
		want string // "" accepts
	}{
		{"text", channel.ReplyCheck{Text: "Hello!", Visibility: care.Private}, ""},
		{"no earlier message: bots have no window", channel.ReplyCheck{Text: "Hello!", Visibility: care.Private}, ""},
		{"4096 ASCII characters", channel.ReplyCheck{Text: strings.Repeat("a", 4096)}, ""},
		{"4097 characters", channel.ReplyCheck{Text: strings.Repeat("a", 4097)}, "limited to 4096 characters; this one has 4097"},
		// Code points, not UTF-16 units: 4096 emoji are 8192 UTF-16 units
		// and 16384 bytes, and Telegram takes them.
		{"4096 emoji", channel.ReplyCheck{Text: strings.Repeat("😀", 4096)}, ""},
		{"4097 emoji", channel.ReplyCheck{Text: strings.Repeat("😀", 4097)}, "this one has 4097"},
		{"empty", channel.ReplyCheck{Text: ""}, "empty"},
		{"blank", channel.ReplyCheck{Text: " \n\t"}, "empty"},
		{"attachment", channel.ReplyCheck{Text: "see", Attachments: []care.Attachment{{Kind: "file", URL: "https://x/a.pdf"}}}, "text only"},
		{"public to a group message", channel.ReplyCheck{Text: "Hi", Visibility: care.Public, ReplyTo: group}, ""},
		{"public after a group message", channel.ReplyCheck{Text: "Hi", Visibility: care.Public, LastInbound: group}, ""},
		{"public in a private chat", channel.ReplyCheck{Text: "Hi", Visibility: care.Public, ReplyTo: private, LastInbound: private}, "reply privately"},
		{"public without a message", channel.ReplyCheck{Text: "Hi", Visibility: care.Public}, "reply privately"},
		{"private answer to a group message", channel.ReplyCheck{Text: "Hi", Visibility: care.Private, ReplyTo: group}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := (&Adapter{}).CheckReply(tt.c)
			if tt.want == "" {
				if err != nil {
					t.Errorf("CheckReply = %v, want nil", err)
				}
				return
			}
			if care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.want) {
				t.Errorf("CheckReply = %v, want EINVALID about %q", err, tt.want)
			}
		})
	}
}
