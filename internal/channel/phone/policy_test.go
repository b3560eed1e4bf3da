package phone

import (
	"context"
	"errors"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// TestNoReplies: no reply of any visibility is taken, and one that reaches
// the outbox anyway fails for good, saying what to do.
func TestNoReplies(t *testing.T) {
	t.Parallel()
	a := &Adapter{}
	for _, vis := range []care.Visibility{care.Private, care.Public} {
		err := a.CheckReply(channel.ReplyCheck{Inbox: testInbox(), Text: "We'll call you back", Visibility: vis, Now: testNow})
		if care.ErrorCode(err) != care.EINVALID || care.ErrorMessage(err) != ReplyRefusal {
			t.Errorf("CheckReply(%s) = %v, want EINVALID %q", vis, err, ReplyRefusal)
		}
	}
	res, err := a.Send(context.Background(), channel.Outbound{Inbox: testInbox(), Message: care.Message{Text: "Hi"}})
	var se *channel.SendError
	if !errors.As(err, &se) || !se.Permanent || se.Reason != ReplyRefusal || res.PlatformID != "" {
		t.Errorf("Send = %+v, %v; want a permanent failure %q", res, err, ReplyRefusal)
	}
}
