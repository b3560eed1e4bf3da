package apiinbox

import (
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Capabilities declares an API inbox: the receiving system takes public
// and private replies alike, with no limit but Parley's own, and counts
// followers only when it sends them.
func (*Sender) Capabilities(care.Inbox) channel.Capabilities {
	return channel.Capabilities{
		PublicAndPrivate: true,
		PublicReply:      channel.ParleyRule,
		PrivateReply:     channel.ParleyRule,
		Moderation:       channel.ModerationNone,
	}
}
