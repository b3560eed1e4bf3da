package reviews

import (
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Capabilities declares Google reviews: one public reply per review, and
// no private side. Moderate deletes only our reply: Google never lets a
// business hide or delete the review itself.
func (*Adapter) Capabilities(care.Inbox) channel.Capabilities {
	return channel.Capabilities{
		PublicReply: channel.ReplyRule{Unit: channel.UnitBytes, Limit: MaxReplyBytes, Overflow: channel.OverflowShorten},
		Moderation:  channel.ModerationOwnReplies,
	}
}
