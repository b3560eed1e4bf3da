package webchat

import (
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Capabilities declares web chat: private, with no limit but Parley's own.
func (*Adapter) Capabilities(care.Inbox) channel.Capabilities {
	return channel.Capabilities{PrivateReply: channel.ParleyRule, Moderation: channel.ModerationNone}
}
