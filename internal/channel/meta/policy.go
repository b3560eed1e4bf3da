package meta

import (
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Text limits. Messenger: "text must be UTF-8 and has a 2000 character
// limit" (Send API reference). Instagram messages: 1000 bytes of UTF-8.
// Comments: Facebook takes 8000 characters, Instagram 2200 (its caption
// limit, which comments share).
const (
	messengerTextRunes = 2000
	igTextBytes        = 1000
	fbCommentRunes     = 8000
	igCommentRunes     = 2200
)

// checkReply tells the agent, before a reply is queued, what Meta would
// refuse, and what to do instead. That includes a reply, public or private,
// to a comment its author deleted: Meta answers it with "Object with ID …
// does not exist" (public) or "This activity can't be replied to" (private),
// after the reply has been queued. The once-per-comment rule of private
// replies cannot be checked here (the check does not know of earlier
// replies); Meta enforces it and the send fails with that reason.
func (a *adapter) checkReply(c channel.ReplyCheck) error {
	switch c.Visibility {
	case care.Public:
		return a.checkPublic(c)
	case care.Private:
		return a.checkPrivate(c)
	}
	return nil
}

func (a *adapter) checkPublic(c channel.ReplyCheck) error {
	p := c.ReplyTo
	_, _, mention := parseMentionID(replyID(p))
	if p == nil || p.Visibility != care.Public || !(isObjectID(p.PlatformID) || mention && a.ch == care.ChannelInstagram) {
		return care.Errorf(care.EINVALID, "A public reply on %s answers a comment: choose the comment to reply to, or reply in private.", a.platform())
	}
	if p.DeletedAt != nil {
		what := "comment"
		if _, comment, _ := parseMentionID(p.PlatformID); mention && comment == "" {
			what = "post"
		}
		return care.Errorf(care.EINVALID, "The customer deleted the %s you are answering, so %s will not take a reply to it. Reply to another of their comments, or in private to a message they sent the %s.",
			what, a.platform(), a.account())
	}
	limit := fbCommentRunes
	if a.ch == care.ChannelInstagram {
		limit = igCommentRunes
		if len(c.Attachments) > 0 {
			return care.Errorf(care.EINVALID, "Instagram comment replies cannot carry attachments.")
		}
	}
	if n := utf8.RuneCountInString(c.Text); n > limit {
		return care.Errorf(care.EINVALID, "%s comments are limited to %d characters; this reply has %d. Shorten it by %d, or split it into two replies.", a.platform(), limit, n, n-limit)
	}
	if len(c.Attachments) > 1 || len(c.Attachments) == 1 && c.Attachments[0].URL == "" {
		return care.Errorf(care.EINVALID, "A Facebook comment reply takes at most one attachment, by URL.")
	}
	return nil
}

func (a *adapter) checkPrivate(c channel.ReplyCheck) error {
	if p := c.ReplyTo; p != nil && p.Visibility == care.Public && p.DeletedAt != nil {
		return care.Errorf(care.EINVALID, "The customer deleted this comment, so Meta allows no private reply to it. Reply privately to another of their comments, or to a message they sent the %s.", a.account())
	}
	if a.ch == care.ChannelInstagram {
		if n := len(c.Text); n > igTextBytes {
			return care.Errorf(care.EINVALID, "Instagram messages are limited to %d bytes; this one has %d. Shorten it by %d bytes (an accented letter takes 2, an emoji 4), or send it as two messages.", igTextBytes, n, n-igTextBytes)
		}
	} else if n := utf8.RuneCountInString(c.Text); n > messengerTextRunes {
		return care.Errorf(care.EINVALID, "Messenger messages are limited to %d characters; this one has %d. Shorten it by %d, or send it as two messages.", messengerTextRunes, n, n-messengerTextRunes)
	}
	switch n := len(c.Attachments); {
	case n > 1 || n == 1 && c.Text != "":
		return care.Errorf(care.EINVALID, "%s sends text and each attachment as separate messages: send the attachment on its own.", a.name())
	case n == 1 && c.Attachments[0].URL == "":
		return care.Errorf(care.EINVALID, "The attachment needs a URL Meta can fetch.")
	}

	if p := c.ReplyTo; p != nil && p.Visibility == care.Public {
		if _, _, mention := parseMentionID(p.PlatformID); mention {
			return care.Errorf(care.EINVALID, "Instagram does not allow a private reply to a mention; reply in public.")
		}
		if !isObjectID(p.PlatformID) || p.Direction != care.DirectionIn {
			return care.Errorf(care.EINVALID, "A private reply answers a customer's comment; choose their comment or their message.")
		}
		if c.Now.Sub(lastAt(p)) >= humanWindow-windowMargin {
			return care.Errorf(care.EINVALID, "The comment is more than 7 days old: Meta no longer allows a private reply to it.")
		}
		// One private reply per comment; Meta refuses a second one.
		return nil
	}
	if c.LastInbound == nil {
		return care.Errorf(care.EINVALID, "The customer has not written to the %s in private; Meta allows a message only after theirs. Reply privately to one of their comments instead.", a.account())
	}
	if c.Now.Sub(lastAt(c.LastInbound)) >= humanWindow-windowMargin {
		return care.Errorf(care.EINVALID, "More than 7 days have passed since the customer's last message; Meta allows no reply until they write again.")
	}
	// Between 24 hours and 7 days the reply goes with the HUMAN_AGENT tag,
	// which Meta allows only for a person's answer; Parley's agents are.
	return nil
}

func replyID(m *care.Message) string {
	if m == nil {
		return ""
	}
	return m.PlatformID
}
