package foursquare

import (
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Capabilities declares Foursquare: tips are read, never answered.
func (*Adapter) Capabilities(care.Inbox) channel.Capabilities {
	return channel.Capabilities{NoReply: NoReply, Moderation: channel.ModerationNone}
}
