package bluesky

import (
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Capabilities declares Bluesky: posts beside direct messages, each
// limited in graphemes and in bytes; a post too long can go as a DM.
func (*Adapter) Capabilities(care.Inbox) channel.Capabilities {
	return channel.Capabilities{
		PublicAndPrivate: true,
		PublicReply: channel.ReplyRule{Unit: channel.UnitGraphemes, Limit: MaxPostGraphemes, Bytes: MaxPostBytes,
			Overflow: channel.OverflowPrivate},
		PrivateReply: channel.ReplyRule{Unit: channel.UnitGraphemes, Limit: MaxDMGraphemes, Bytes: MaxDMBytes,
			Overflow: channel.OverflowSplit},
		Moderation: channel.ModerationNone,
		Followers:  true,
	}
}
