package x

import (
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Capabilities declares X: posts and DMs; a post too long for X can go as
// a DM, which holds far more. X tells each author's follower count, and
// Parley moderates nothing there.
func (*Adapter) Capabilities(care.Inbox) channel.Capabilities {
	return channel.Capabilities{
		PublicAndPrivate: true,
		PublicReply:      channel.ReplyRule{Unit: channel.UnitX, Limit: MaxPostLength, Overflow: channel.OverflowPrivate},
		PrivateReply:     channel.ReplyRule{Unit: channel.UnitChars, Limit: MaxDMLength, Overflow: channel.OverflowSplit},
		Moderation:       channel.ModerationNone,
		Followers:        true,
	}
}
