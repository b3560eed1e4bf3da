package youtube

import (
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

func TestCheckReply(t *testing.T) {
	t.Parallel()
	const top = "UgzDE2tasfmrYLyNkGt4AaABAg"
	comment := &care.Message{PlatformID: top, Visibility: care.Public}
	reply := &care.Message{PlatformID: top + ".9x", Visibility: care.Public}
	for _, tt := range []struct {
		name   string
		check  channel.ReplyCheck
		reason string // "" when allowed
	}{
		{"public reply", channel.ReplyCheck{Text: "Thanks!", Visibility: care.Public, ReplyTo: comment}, ""},
		{"to a reply", channel.ReplyCheck{Text: "Thanks!", Visibility: care.Public, ReplyTo: reply}, ""},
		{"to the last message", channel.ReplyCheck{Text: "Thanks!", Visibility: care.Public, LastInbound: comment}, ""},
		{"exactly 10,000 characters", channel.ReplyCheck{Text: strings.Repeat("é", MaxTextChars), Visibility: care.Public, ReplyTo: comment}, ""},
		{"private", channel.ReplyCheck{Text: "psst", Visibility: care.Private, ReplyTo: comment}, "no private messages"},
		{"attachments", channel.ReplyCheck{Text: "see", Visibility: care.Public, ReplyTo: comment, Attachments: []care.Attachment{{Kind: "image"}}}, "text only"},
		{"empty", channel.ReplyCheck{Text: "  ", Visibility: care.Public, ReplyTo: comment}, "empty"},
		{"too long", channel.ReplyCheck{Text: strings.Repeat("a", MaxTextChars+5), Visibility: care.Public, ReplyTo: comment},
			"limited to 10,000 characters; this reply has 10005. Shorten it by 5"},
		{"nothing to answer", channel.ReplyCheck{Text: "Hi", Visibility: care.Public}, "no YouTube comment to answer"},
		{"not a comment", channel.ReplyCheck{Text: "Hi", Visibility: care.Public, ReplyTo: &care.Message{PlatformID: "x/y"}}, "not a YouTube comment"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := (&Adapter{}).CheckReply(tt.check)
			switch {
			case tt.reason == "" && err != nil:
				t.Errorf("CheckReply = %v, want nil", err)
			case tt.reason != "" && (care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.reason)):
				t.Errorf("CheckReply = %v, want EINVALID saying %q", err, tt.reason)
			}
		})
	}
}
