package webchat

import (
	"context"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// outPrefix starts the platform id of every reply: "out:<message id>".
// Visitors' own messages are "<visitor id>:<client id>", and a visitor id
// is hexadecimal, so the two never meet.
const outPrefix = "out:"

// OutboundPlatformID is the platform id Send gives reply messageID; the
// widget's read receipts name it.
func OutboundPlatformID(messageID care.ID) string {
	return outPrefix + strconv.FormatInt(messageID, 10)
}

// Send confirms a reply to a web chat visitor. It has nothing to post: the
// reply is already stored, and Server pushes it to every socket the visitor
// has open on any node as soon as it is (it watches message events), and
// shows it in the history of the next visitor to connect. So the outbox
// may run on any node, and a retried Send repeats nothing.
//
// Send returns a permanent *channel.SendError for a reply the widget cannot
// show: a public one, one with attachments, or one to a contact with no web
// chat visitor id (a conversation moved here by a merge). Otherwise the
// result is sent, with platform id OutboundPlatformID; the widget reports
// delivered and read later (see the package documentation).
func (a *Adapter) Send(ctx context.Context, out channel.Outbound) (channel.Result, error) {
	switch {
	case out.Message.Visibility != care.Private:
		return channel.Result{}, channel.Permanent("web chat replies are private", nil)
	case len(out.Message.Attachments) > 0:
		return channel.Result{}, channel.Permanent("the web chat widget shows text only", nil)
	}
	id, ok := out.Recipient()
	if !ok || !strings.HasPrefix(id.PlatformUserID, visitorPrefix) {
		return channel.Result{}, channel.Permanent("the customer has no web chat visitor id", nil)
	}
	if err := ctx.Err(); err != nil {
		return channel.Result{}, channel.Temporary("the send was cancelled", 0, err)
	}
	return channel.Result{PlatformID: OutboundPlatformID(out.Message.ID), Status: care.DeliverySent}, nil
}
