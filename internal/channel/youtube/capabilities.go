package youtube

import (
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Capabilities declares YouTube: public comment threads only, whose
// comments the channel's owner moderates.
func (*Adapter) Capabilities(care.Inbox) channel.Capabilities {
	return channel.Capabilities{
		PublicReply: channel.ReplyRule{Unit: channel.UnitChars, Limit: MaxTextChars, Overflow: channel.OverflowSplit},
		Moderation:  channel.ModerationComments,
	}
}
