package webchat

import (
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// CheckReply refuses, with EINVALID and what to do instead, a reply the
// widget cannot show: a public one (a web chat is private), one with
// attachments (the widget shows text; paste a link), or an empty one. The
// widget has no length limit of its own: Parley's care.MaxTextBytes
// applies, as the agent's composer already counts.
func (a *Adapter) CheckReply(c channel.ReplyCheck) error {
	switch {
	case c.Visibility == care.Public:
		return care.Errorf(care.EINVALID, "A web chat is private: reply privately.")
	case len(c.Attachments) > 0:
		return care.Errorf(care.EINVALID, "The web chat widget shows text only: remove the attachment, or paste a link to it.")
	case strings.TrimSpace(c.Text) == "":
		return care.Errorf(care.EINVALID, "Write a reply first.")
	case len(c.Text) > care.MaxTextBytes:
		return care.Errorf(care.EINVALID, "A reply is limited to %d bytes; shorten it or split it into two replies.", care.MaxTextBytes)
	}
	return nil
}
