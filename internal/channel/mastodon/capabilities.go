package mastodon

import (
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Capabilities declares Mastodon: public posts beside private mentions,
// with the instance's own limit on both (read when the inbox was
// connected; DefaultMaxCharacters for the channel at large).
func (*Adapter) Capabilities(in care.Inbox) channel.Capabilities {
	rule := channel.ReplyRule{Unit: channel.UnitMastodon, Limit: credInt(in, CredMaxCharacters, DefaultMaxCharacters, 100_000),
		Overflow: channel.OverflowShorten}
	return channel.Capabilities{
		PublicAndPrivate: true,
		PublicReply:      rule,
		PrivateReply:     rule,
		Moderation:       channel.ModerationNone,
		Followers:        true,
	}
}
