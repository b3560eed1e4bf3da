package meta

import (
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Capabilities declares Facebook: comments on the Page's posts beside
// Messenger, the Page's comments moderated from Parley. Meta tells no
// follower count for Messenger's users.
func (*Messenger) Capabilities(care.Inbox) channel.Capabilities {
	return channel.Capabilities{
		PublicAndPrivate: true,
		PublicReply:      channel.ReplyRule{Unit: channel.UnitChars, Limit: fbCommentRunes, Overflow: channel.OverflowSplit},
		PrivateReply:     channel.ReplyRule{Unit: channel.UnitChars, Limit: messengerTextRunes, Overflow: channel.OverflowSplit},
		Moderation:       channel.ModerationComments,
	}
}

// Capabilities declares Instagram: comments beside direct messages, whose
// limit is in bytes; Meta tells an Instagram user's follower count.
func (*Instagram) Capabilities(care.Inbox) channel.Capabilities {
	return channel.Capabilities{
		PublicAndPrivate: true,
		PublicReply:      channel.ReplyRule{Unit: channel.UnitChars, Limit: igCommentRunes, Overflow: channel.OverflowSplit},
		PrivateReply:     channel.ReplyRule{Unit: channel.UnitBytes, Limit: igTextBytes, Overflow: channel.OverflowSplit},
		Moderation:       channel.ModerationComments,
		Followers:        true,
	}
}
