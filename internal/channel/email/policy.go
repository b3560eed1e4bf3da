package email

import (
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// MaxReplyBytes bounds a reply's text. Mail has no such limit; 100 KB is a
// hundred pages, more than any reply and less than what fills a customer's
// mailbox by mistake.
const MaxReplyBytes = 100 << 10

// CheckReply refuses, with EINVALID and what to do instead, a reply that
// cannot go out as an email: a public one (email is private), one without
// text, one over MaxReplyBytes, and any reply from an inbox whose SMTP
// credentials are incomplete.
func (a *Adapter) CheckReply(c channel.ReplyCheck) error {
	switch {
	case c.Visibility == care.Public:
		return care.Errorf(care.EINVALID, "Email is private: reply privately.")
	case strings.TrimSpace(c.Text) == "":
		return care.Errorf(care.EINVALID, "An email needs text: write the reply (attachments go with it).")
	case len(c.Text) > MaxReplyBytes:
		return care.Errorf(care.EINVALID, "An email reply is limited to %d KB of text; shorten it or link to a document.", MaxReplyBytes>>10)
	}
	if _, err := smtpSettingsOf(c.Inbox); err != nil {
		return care.Errorf(care.EINVALID, "This inbox cannot send email yet: %s", care.ErrorMessage(err))
	}
	return nil
}
