package sms

import (
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Capabilities declares SMS: private messages only, limited in UTF-16
// units as Twilio counts them.
func (*Adapter) Capabilities(care.Inbox) channel.Capabilities {
	return channel.Capabilities{
		PrivateReply: channel.ReplyRule{Unit: channel.UnitSMS, Limit: MaxBodyChars, Overflow: channel.OverflowSplit},
		Moderation:   channel.ModerationNone,
	}
}
