package wordpress

import (
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Capabilities declares WordPress: public comments only, moderated by the
// site. The limit is the comment column's, in bytes once escaped; a text
// counted unescaped can still be refused on send for its &, < and >.
func (*Adapter) Capabilities(care.Inbox) channel.Capabilities {
	return channel.Capabilities{
		PublicReply: channel.ReplyRule{Unit: channel.UnitBytes, Limit: MaxCommentBytes, Overflow: channel.OverflowShorten},
		Moderation:  channel.ModerationComments,
	}
}
