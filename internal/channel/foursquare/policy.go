package foursquare

import (
	"context"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// CheckReply refuses every reply with EINVALID and NoReply. The Places API
// reads tips and has no way to answer one, publicly or privately; its
// only write endpoints suggest edits to a place's data
// (docs.foursquare.com/fsq-developers-places: "Placemaker" endpoints).
// Internal notes are not replies and are unaffected.
func (a *Adapter) CheckReply(c channel.ReplyCheck) error {
	return care.Errorf(care.EINVALID, "%s", NoReply)
}

// Send fails every reply for good with NoReply as the reason, for a reply
// that reached the outbox without CheckReply.
func (a *Adapter) Send(ctx context.Context, out channel.Outbound) (channel.Result, error) {
	return channel.Result{}, channel.Permanent(NoReply, nil)
}
