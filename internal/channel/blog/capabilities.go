package blog

import (
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Capabilities declares blogs: read from their feeds, answered on the
// blog itself.
func (*Adapter) Capabilities(care.Inbox) channel.Capabilities {
	return channel.Capabilities{NoReply: "Blogs cannot be answered from Parley. " + NoReplies, Moderation: channel.ModerationNone}
}
