package reddit

import (
	"strings"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// CheckReply refuses, with EINVALID and what to do instead, a reply Reddit
// would refuse or that Send could not deliver: one with attachments
// (Parley uploads no media to Reddit), an empty one, one over 10,000
// characters (code points, as r2's VMarkdownLength counts), and a public
// one that answers no comment or post (a private message, a deleted
// comment, nothing at all). A private reply is always possible: in the
// thread of a private message, or as a new message.
func (a *Adapter) CheckReply(c channel.ReplyCheck) error {
	if len(c.Attachments) > 0 {
		return care.Errorf(care.EINVALID, "Parley cannot attach files to Reddit replies: put a link to the file in the text.")
	}
	if strings.TrimSpace(c.Text) == "" {
		return care.Errorf(care.EINVALID, "The reply is empty.")
	}
	if n := utf8.RuneCountInString(c.Text); n > MaxTextChars {
		return care.Errorf(care.EINVALID, "Reddit limits a comment or message to %d characters; this reply has %d. Shorten it by %d, or split it into two replies.", MaxTextChars, n, n-MaxTextChars)
	}
	if c.Visibility != care.Public {
		return nil
	}
	target := c.ReplyTo
	if target == nil {
		target = c.LastInbound
	}
	switch {
	case target == nil:
		return care.Errorf(care.EINVALID, "A public reply on Reddit answers a comment, and the customer has written none here: reply privately.")
	case target.Visibility == care.Private || kindOf(target.PlatformID) == kindMessage:
		return care.Errorf(care.EINVALID, "The customer wrote a private message: reply privately, or choose one of their comments to answer in public.")
	case target.DeletedAt != nil:
		return care.Errorf(care.EINVALID, "That comment was deleted on Reddit: reply privately, or answer another comment.")
	case kindOf(target.PlatformID) != kindComment && kindOf(target.PlatformID) != kindLink:
		return care.Errorf(care.EINVALID, "That message is not on Reddit (yet): choose a comment of the customer's to answer in public.")
	}
	return nil
}
