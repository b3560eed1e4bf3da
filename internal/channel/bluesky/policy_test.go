package bluesky

import (
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

func TestCheckReply(t *testing.T) {
	t.Parallel()
	post := &care.Message{Direction: care.DirectionIn, Visibility: care.Public,
		PlatformID: "at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3lbq5cu4d2k2y"}
	deleted := *post
	deleted.DeletedAt = &testNow
	ours := *post
	ours.Direction = care.DirectionOut
	dmMsg := &care.Message{Direction: care.DirectionIn, Visibility: care.Private, PlatformID: "3ku7w6h4vog2d:3lbq7g3333322"}
	family := "👨\u200d👩\u200d👧\u200d👦"
	tests := []struct {
		name string
		c    channel.ReplyCheck
		want string // "" for accepted, else part of the message
	}{
		{"public reply", channel.ReplyCheck{Text: "We're on it", Visibility: care.Public, ReplyTo: post}, ""},
		{"300 emoji", channel.ReplyCheck{Text: strings.Repeat("🙏🏽", 300), Visibility: care.Public, ReplyTo: post}, ""},
		{"301 characters", channel.ReplyCheck{Text: strings.Repeat("a", 301), Visibility: care.Public, ReplyTo: post}, "has 301"},
		{"300 graphemes over 3000 bytes", channel.ReplyCheck{Text: strings.Repeat(family, 300), Visibility: care.Public, ReplyTo: post}, "bytes"},
		{"attachment", channel.ReplyCheck{Text: "x", Visibility: care.Public, ReplyTo: post, Attachments: []care.Attachment{{Kind: "image"}}}, "attachments"},
		{"no post to answer", channel.ReplyCheck{Text: "x", Visibility: care.Public}, "Answer by DM"},
		{"answering a DM in public", channel.ReplyCheck{Text: "x", Visibility: care.Public, ReplyTo: dmMsg}, "direct message"},
		{"answering our own post", channel.ReplyCheck{Text: "x", Visibility: care.Public, ReplyTo: &ours}, "brand's own"},
		{"deleted post", channel.ReplyCheck{Text: "x", Visibility: care.Public, ReplyTo: &deleted}, "deleted"},
		{"post from elsewhere", channel.ReplyCheck{Text: "x", Visibility: care.Public, ReplyTo: &care.Message{Direction: care.DirectionIn, Visibility: care.Public, PlatformID: "1445880548472328192"}}, "not on Bluesky"},
		{"DM", channel.ReplyCheck{Text: strings.Repeat("b", 1000), Visibility: care.Private}, ""},
		{"long DM", channel.ReplyCheck{Text: strings.Repeat("b", 1001), Visibility: care.Private}, "1000 characters"},
		{"DM over 10000 bytes", channel.ReplyCheck{Text: strings.Repeat(family, 1000), Visibility: care.Private}, "10000 bytes"},
	}
	a := &Adapter{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := a.CheckReply(tt.c)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("CheckReply = %v, want nil", err)
			case tt.want != "" && (care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.want)):
				t.Errorf("CheckReply = %v, want EINVALID with %q", err, tt.want)
			}
		})
	}
}
