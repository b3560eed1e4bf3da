package bluesky

import (
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// CheckReply tells the agent, before a reply is queued, what Bluesky would
// refuse:
//
//   - attachments, which Parley does not upload to Bluesky yet;
//   - a public reply over 300 characters (graphemes, see Graphemes) or
//     3,000 bytes, a DM over 1,000 characters or 10,000 bytes;
//   - a public reply that does not answer a customer's post still on
//     Bluesky: a post is always a reply to a post here, and the one it
//     answers must be an inbound public message with an at:// URI, not
//     deleted.
//
// It returns EINVALID with a message saying what to do instead.
func (a *Adapter) CheckReply(c channel.ReplyCheck) error {
	if len(c.Attachments) > 0 {
		return care.Errorf(care.EINVALID, "Parley cannot send attachments to Bluesky yet. Send the text alone, or share a link.")
	}
	if c.Visibility != care.Public {
		if n := Graphemes(c.Text); n > MaxDMGraphemes {
			return care.Errorf(care.EINVALID, "A Bluesky direct message holds at most %d characters; this one has %d.", MaxDMGraphemes, n)
		}
		if len(c.Text) > MaxDMBytes {
			return care.Errorf(care.EINVALID, "A Bluesky direct message holds at most %d bytes; this one has %d. Shorten it.", MaxDMBytes, len(c.Text))
		}
		return nil
	}
	if n := Graphemes(c.Text); n > MaxPostGraphemes {
		return care.Errorf(care.EINVALID, "A Bluesky post holds at most %d characters (an emoji counts as one); this reply has %d. Shorten it by %d, or answer by DM.",
			MaxPostGraphemes, n, n-MaxPostGraphemes)
	}
	if len(c.Text) > MaxPostBytes {
		return care.Errorf(care.EINVALID, "A Bluesky post holds at most %d bytes of text; this reply has %d. Shorten it, or answer by DM.", MaxPostBytes, len(c.Text))
	}
	m := c.ReplyTo
	switch {
	case m == nil:
		return care.Errorf(care.EINVALID, "A public reply on Bluesky must answer the customer's post, and this conversation has none. Answer by DM instead.")
	case m.Visibility != care.Public:
		return care.Errorf(care.EINVALID, "The message you are answering is a direct message; a public reply must answer one of the customer's posts. Pick their post, or answer by DM.")
	case m.Direction != care.DirectionIn:
		return care.Errorf(care.EINVALID, "A public reply must answer one of the customer's posts, not the brand's own. Pick the customer's post.")
	case m.DeletedAt != nil:
		return care.Errorf(care.EINVALID, "The customer deleted the post you are answering. Answer by DM, or reply to another of their posts.")
	}
	if _, ok := parsePostURI(m.PlatformID); !ok {
		return care.Errorf(care.EINVALID, "The post you are answering is not on Bluesky. Pick a post that came from Bluesky, or answer by DM.")
	}
	return nil
}
