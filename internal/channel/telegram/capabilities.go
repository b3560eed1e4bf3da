package telegram

import (
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Capabilities declares Telegram: a bot's private chats and the groups it
// is in, with one limit for both.
func (*Adapter) Capabilities(care.Inbox) channel.Capabilities {
	rule := channel.ReplyRule{Unit: channel.UnitChars, Limit: MaxTextChars, Overflow: channel.OverflowSplit}
	return channel.Capabilities{
		PublicAndPrivate: true,
		PublicReply:      rule,
		PrivateReply:     rule,
		Moderation:       channel.ModerationNone,
	}
}
