package email

import (
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Capabilities declares email: private only. MaxReplyBytes is above
// Parley's own limit on a message, so that is the one a reply meets.
func (*Adapter) Capabilities(care.Inbox) channel.Capabilities {
	return channel.Capabilities{PrivateReply: channel.ParleyRule, Moderation: channel.ModerationNone}
}
