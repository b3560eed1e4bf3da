package whatsapp

import (
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Capabilities declares WhatsApp: private messages only. The 24-hour
// window is no capability of the channel but of each conversation, and
// CheckReply judges it.
func (*Adapter) Capabilities(care.Inbox) channel.Capabilities {
	return channel.Capabilities{
		PrivateReply: channel.ReplyRule{Unit: channel.UnitChars, Limit: MaxTextChars, Overflow: channel.OverflowSplit},
		Moderation:   channel.ModerationNone,
	}
}
