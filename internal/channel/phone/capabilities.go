package phone

import (
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Capabilities declares a phone line: it carries calls, which Parley does
// not place, so there is no reply to write.
func (*Adapter) Capabilities(care.Inbox) channel.Capabilities {
	return channel.Capabilities{
		NoReply:    "A phone call is answered by phone. " + ReplyRefusal + ", and note what was said.",
		Moderation: channel.ModerationNone,
	}
}
