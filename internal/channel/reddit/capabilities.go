package reddit

import (
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Capabilities declares Reddit: comments beside private messages, with one
// limit for both; comments are moderated where the account moderates the
// subreddit. Reddit shows no follower count.
func (*Adapter) Capabilities(care.Inbox) channel.Capabilities {
	rule := channel.ReplyRule{Unit: channel.UnitChars, Limit: MaxTextChars, Overflow: channel.OverflowSplit}
	return channel.Capabilities{
		PublicAndPrivate: true,
		PublicReply:      rule,
		PrivateReply:     rule,
		Moderation:       channel.ModerationComments,
	}
}
