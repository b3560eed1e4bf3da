package mastodon

import (
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

func TestCheckReply(t *testing.T) {
	t.Parallel()
	a := &Adapter{}
	big := testInbox()
	big.Credentials[CredMaxCharacters] = "1000"
	public := &care.Message{Visibility: care.Public, PlatformID: "1"}
	private := &care.Message{Visibility: care.Private, PlatformID: "2"}
	mention := "@anna@example.social "
	tests := []struct {
		name string
		c    channel.ReplyCheck
		want string // in the error's message; "" for none
	}{
		{"short public reply", channel.ReplyCheck{Inbox: testInbox(), Text: "Sorry!", Visibility: care.Public, ReplyTo: public}, ""},
		{"short private reply", channel.ReplyCheck{Inbox: testInbox(), Text: "Sorry!", Visibility: care.Private, ReplyTo: private}, ""},
		{"empty", channel.ReplyCheck{Inbox: testInbox(), Text: " \n", Visibility: care.Public}, "empty"},
		{"attachment", channel.ReplyCheck{Inbox: testInbox(), Text: "see", Visibility: care.Public, Attachments: []care.Attachment{{Kind: "image"}}}, "cannot attach"},
		{"public answer to a private mention", channel.ReplyCheck{Inbox: testInbox(), Text: "hi", Visibility: care.Public, ReplyTo: private}, "reply privately"},
		{"exactly 500 with a mention", channel.ReplyCheck{Inbox: testInbox(), Text: mention + strings.Repeat("a", 494), Visibility: care.Public}, ""},
		{"501 with a mention", channel.ReplyCheck{Inbox: testInbox(), Text: mention + strings.Repeat("a", 495), Visibility: care.Public}, "counts 501"},
		{"the added mention is counted", channel.ReplyCheck{Inbox: testInbox(), Text: strings.Repeat("a", 470), Visibility: care.Public}, "Parley adds"},
		{"room for the added mention", channel.ReplyCheck{Inbox: testInbox(), Text: strings.Repeat("a", 468), Visibility: care.Public}, ""},
		{"links count 23", channel.ReplyCheck{Inbox: testInbox(), Text: mention + "https://example.com/" + strings.Repeat("x", 1000), Visibility: care.Public}, ""},
		{"emoji count 1", channel.ReplyCheck{Inbox: testInbox(), Text: mention + strings.Repeat("👩\u200d👩\u200d👧", 494), Visibility: care.Public}, ""},
		{"the instance's own limit", channel.ReplyCheck{Inbox: big, Text: mention + strings.Repeat("a", 900), Visibility: care.Public}, ""},
		{"over the instance's own limit", channel.ReplyCheck{Inbox: big, Text: mention + strings.Repeat("a", 1000), Visibility: care.Public}, "limited to 1000"},
	}
	for _, tt := range tests {
		err := a.CheckReply(tt.c)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: CheckReply = %v, want nil", tt.name, err)
		case tt.want != "" && (care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.want)):
			t.Errorf("%s: CheckReply = %v, want EINVALID saying %q", tt.name, err, tt.want)
		}
	}
}
