package wordpress

import (
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// CheckReply refuses, with EINVALID and what to do instead, a reply
// WordPress would refuse or Parley cannot send: a private one (comments
// are public), one with attachments, an empty one, and one over
// MaxCommentBytes once escaped.
func (a *Adapter) CheckReply(c channel.ReplyCheck) error {
	switch {
	case c.Visibility != care.Public:
		return care.Errorf(care.EINVALID, "WordPress comments are public: reply publicly, or write to the customer by email.")
	case len(c.Attachments) > 0:
		return care.Errorf(care.EINVALID, "Parley cannot attach files to WordPress comments: put a link to the file in the text.")
	case strings.TrimSpace(c.Text) == "":
		return care.Errorf(care.EINVALID, "The reply is empty.")
	}
	if n := len(escapeText(strings.TrimSpace(c.Text))); n > MaxCommentBytes {
		return care.Errorf(care.EINVALID, "WordPress takes comments of up to %d bytes; this reply has %d (each &, < and > counts 4 or 5). Shorten it.", MaxCommentBytes, n)
	}
	return nil
}
