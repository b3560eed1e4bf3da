package phone

import (
	"context"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// CheckReply refuses every reply with EINVALID and ReplyRefusal: a phone
// line carries calls, and Parley cannot place them. The agent calls the
// customer back through the call link the web UI shows for the number
// (CallLink); the call, once the telephony system reports it, joins the
// conversation as an outbound call. Internal notes are not replies and
// are unaffected.
func (a *Adapter) CheckReply(c channel.ReplyCheck) error {
	return care.Errorf(care.EINVALID, "%s", ReplyRefusal)
}

// Send fails every reply for good with ReplyRefusal as the reason: a
// reply that reached the outbox without CheckReply (an automation, an
// approval) cannot be delivered as text over a phone line either.
func (a *Adapter) Send(ctx context.Context, out channel.Outbound) (channel.Result, error) {
	return channel.Result{}, channel.Permanent(ReplyRefusal, nil)
}
