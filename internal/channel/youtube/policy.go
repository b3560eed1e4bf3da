package youtube

import (
	"strings"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// CheckReply refuses, with EINVALID and what to do instead, a reply
// YouTube would refuse: a private one (YouTube has no private messages),
// one with attachments, an empty one, one answering no YouTube comment
// (Parley replies in comment threads; it starts none), and one longer than
// MaxTextChars, counted in Unicode code points. The @handle Send may put
// before a reply to a reply is left out when it would not fit, so it is
// not counted.
func (a *Adapter) CheckReply(c channel.ReplyCheck) error {
	switch {
	case c.Visibility == care.Private:
		return care.Errorf(care.EINVALID, "YouTube has no private messages: answer in public, in the comment thread, or ask the customer to write to you on another channel.")
	case len(c.Attachments) > 0:
		return care.Errorf(care.EINVALID, "YouTube comments are text only: put a link to the file in the text.")
	case strings.TrimSpace(c.Text) == "":
		return care.Errorf(care.EINVALID, "The reply is empty.")
	}
	answered := c.ReplyTo
	if answered == nil {
		answered = c.LastInbound
	}
	if answered == nil {
		return care.Errorf(care.EINVALID, "There is no YouTube comment to answer: Parley replies in a comment's thread.")
	}
	if _, ok := ThreadOf(answered.PlatformID); !ok {
		return care.Errorf(care.EINVALID, "The message answered is not a YouTube comment: answer one of the customer's comments.")
	}
	if n := utf8.RuneCountInString(c.Text); n > MaxTextChars {
		return care.Errorf(care.EINVALID, "YouTube comments are limited to 10,000 characters; this reply has %d. Shorten it by %d, or split it into two replies.", n, n-MaxTextChars)
	}
	return nil
}
