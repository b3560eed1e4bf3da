package blog

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

func TestCheckReplyRefusesEveryReply(t *testing.T) {
	t.Parallel()
	a := &Adapter{}
	post := &care.Message{Visibility: care.Public, Attachments: []care.Attachment{{Kind: "link", URL: "https://blog.example.com/p/#comment-5"}}}
	for _, c := range []channel.ReplyCheck{
		{Inbox: testInbox(), Text: "Thanks!", Visibility: care.Public},
		{Inbox: testInbox(), Text: "Thanks!", Visibility: care.Private},
		{Inbox: testInbox(), Text: "Thanks!", Visibility: care.Public, ReplyTo: post},
	} {
		err := a.CheckReply(c)
		msg := care.ErrorMessage(err)
		if care.ErrorCode(err) != care.EINVALID || !strings.Contains(msg, "Answer on the blog itself") || !strings.Contains(msg, "mark the conversation resolved here") {
			t.Errorf("CheckReply(%+v) = %v, want EINVALID saying where to answer", c, err)
		}
		if c.ReplyTo != nil && !strings.Contains(msg, "https://blog.example.com/p/#comment-5") {
			t.Errorf("CheckReply names no address: %q", msg)
		}
	}
}

func TestSendFailsForGood(t *testing.T) {
	t.Parallel()
	_, err := (&Adapter{}).Send(context.Background(), channel.Outbound{Inbox: testInbox(), Message: care.Message{Text: "hi", Visibility: care.Public}})
	var se *channel.SendError
	if !errors.As(err, &se) || !se.Permanent || se.Reason != NoReplies {
		t.Errorf("Send = %v, want a permanent error saying %q", err, NoReplies)
	}
}
