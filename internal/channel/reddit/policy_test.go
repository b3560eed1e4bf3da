package reddit

import (
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

func TestCheckReply(t *testing.T) {
	t.Parallel()
	a := &Adapter{}
	comment := &care.Message{PlatformID: "t1_abc", Visibility: care.Public}
	post := &care.Message{PlatformID: "t3_abc", Visibility: care.Public}
	pm := &care.Message{PlatformID: "t4_abc", Visibility: care.Private}
	deleted := &care.Message{PlatformID: "t1_def", Visibility: care.Public, DeletedAt: &testNow}
	ours := &care.Message{Visibility: care.Public, Direction: care.DirectionOut}
	tests := []struct {
		name string
		c    channel.ReplyCheck
		want string // "" for accepted, else part of the refusal
	}{
		{"public to a comment", channel.ReplyCheck{Text: "hi", Visibility: care.Public, ReplyTo: comment}, ""},
		{"public to a post", channel.ReplyCheck{Text: "hi", Visibility: care.Public, ReplyTo: post}, ""},
		{"public to the last comment", channel.ReplyCheck{Text: "hi", Visibility: care.Public, LastInbound: comment}, ""},
		{"at the limit", channel.ReplyCheck{Text: strings.Repeat("ü", MaxTextChars), Visibility: care.Public, ReplyTo: comment}, ""},
		{"over the limit", channel.ReplyCheck{Text: strings.Repeat("ü", MaxTextChars+1), Visibility: care.Private}, "limits a comment or message to 10000 characters; this reply has 10001. Shorten it by 1"},
		{"private to a message", channel.ReplyCheck{Text: "hi", Visibility: care.Private, ReplyTo: pm}, ""},
		{"private to a comment", channel.ReplyCheck{Text: "hi", Visibility: care.Private, ReplyTo: comment}, ""},
		{"private to nothing", channel.ReplyCheck{Text: "hi", Visibility: care.Private}, ""},
		{"public to a message", channel.ReplyCheck{Text: "hi", Visibility: care.Public, ReplyTo: pm}, "reply privately"},
		{"public to nothing", channel.ReplyCheck{Text: "hi", Visibility: care.Public}, "has written none"},
		{"public to a deleted comment", channel.ReplyCheck{Text: "hi", Visibility: care.Public, ReplyTo: deleted}, "deleted"},
		{"public to our own unsent reply", channel.ReplyCheck{Text: "hi", Visibility: care.Public, ReplyTo: ours}, "not on Reddit"},
		{"empty", channel.ReplyCheck{Text: " \n", Visibility: care.Private}, "empty"},
		{"attachment", channel.ReplyCheck{Text: "hi", Visibility: care.Private, Attachments: []care.Attachment{{Kind: "image"}}}, "attach"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := a.CheckReply(tt.c)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("CheckReply = %v, want accepted", err)
			case tt.want != "" && (care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.want)):
				t.Errorf("CheckReply = %v, want EINVALID with %q", err, tt.want)
			}
		})
	}
}
