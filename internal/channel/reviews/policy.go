package reviews

import (
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// CheckReply refuses, with EINVALID and what to do instead, a reply Google
// would refuse: a private one (a review has only its public reply), one
// with attachments, an empty one, one longer than MaxReplyBytes (Google
// counts bytes: a letter outside basic Latin takes two to four), and one
// that answers no review. A reply to a review that has one already is
// allowed: it replaces the earlier one on Google, as the reply box says.
func (a *Adapter) CheckReply(c channel.ReplyCheck) error {
	switch c.Visibility {
	case care.Note:
		return nil
	case care.Private:
		return care.Errorf(care.EINVALID, "Google reviews cannot be answered privately: write the public reply, and contact the customer another way if you need to.")
	}
	if len(c.Attachments) > 0 {
		return care.Errorf(care.EINVALID, "A reply to a Google review is text only: remove the attachments.")
	}
	if strings.TrimSpace(c.Text) == "" {
		return care.Errorf(care.EINVALID, "The reply is empty.")
	}
	if n := len(c.Text); n > MaxReplyBytes {
		return care.Errorf(care.EINVALID, "Google limits a reply to a review to %d bytes; this one has %d (a letter outside basic Latin, or an emoji, takes 2 to 4). Shorten it by %d bytes.", MaxReplyBytes, n, n-MaxReplyBytes)
	}
	loc, err := location(c.Inbox)
	if err != nil {
		return err
	}
	target := c.LastInbound
	if c.ReplyTo != nil {
		target = c.ReplyTo
	}
	if target == nil {
		return care.Errorf(care.EINVALID, "There is no review to answer in this conversation.")
	}
	if _, _, _, ok := parseID(loc, target.PlatformID); !ok {
		return care.Errorf(care.EINVALID, "Only a review can be answered: choose the customer's review.")
	}
	return nil
}
