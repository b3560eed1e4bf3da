package x

import (
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// CheckReply tells the agent, before a reply is queued, what X would refuse:
//
//   - attachments, which Parley does not upload to X yet;
//   - a public reply over 280 characters as X counts them (WeightedLength:
//     links 23, most CJK characters and emoji 2), or holding U+FFFE, U+FEFF
//     or U+FFFF;
//   - a DM over 10,000 characters;
//   - a public reply that does not answer a customer's post still on X.
//     Since February 2026 X lets self-serve apps reply only to posts whose
//     author summoned the account by @mentioning it or quoting one of its
//     posts (x-api/posts/manage-tweets/introduction). Every public message in
//     an X inbox came in that way (a mention, a reply to the brand, a quote),
//     so the rule Parley can check is that the reply answers one of them: an
//     inbound public message with an X id, not deleted. X has the last word;
//     its refusal comes back as a failed reply with the reason.
//
// It returns EINVALID with a message saying what to do instead.
func (a *Adapter) CheckReply(c channel.ReplyCheck) error {
	if len(c.Attachments) > 0 {
		return care.Errorf(care.EINVALID, "Parley cannot send attachments to X yet. Send the text alone, or share a link.")
	}
	if c.Visibility != care.Public {
		if n := utf8.RuneCountInString(c.Text); n > MaxDMLength {
			return care.Errorf(care.EINVALID, "An X direct message holds at most %d characters; this one has %d. Shorten it by %d, or send it as two messages.", MaxDMLength, n, n-MaxDMLength)
		}
		return nil
	}
	switch n, invalid := weigh(c.Text); {
	case invalid:
		return care.Errorf(care.EINVALID, "The reply holds a character X refuses in posts (U+FFFE, U+FEFF or U+FFFF); remove it.")
	case n > MaxPostLength:
		return care.Errorf(care.EINVALID, "The reply is %d characters as X counts them (links count 23, most Chinese, Japanese and Korean characters and emoji count 2); X allows %d. Shorten it by %d, or answer by DM.",
			n, MaxPostLength, n-MaxPostLength)
	}
	m := c.ReplyTo
	switch {
	case m == nil:
		return care.Errorf(care.EINVALID, "A public reply on X must answer the customer's post, and this conversation has none. Answer by DM instead.")
	case m.Visibility != care.Public:
		return care.Errorf(care.EINVALID, "The message you are answering is a direct message; a public reply must answer one of the customer's posts. Pick their post, or answer by DM.")
	case m.Direction != care.DirectionIn:
		return care.Errorf(care.EINVALID, "A public reply must answer one of the customer's posts, not the brand's own. Pick the customer's post.")
	case m.PlatformID == "" || !validID(m.PlatformID):
		return care.Errorf(care.EINVALID, "The post you are answering is not on X. Pick a post that came from X, or answer by DM.")
	case m.DeletedAt != nil:
		return care.Errorf(care.EINVALID, "The customer deleted the post you are answering, so X will not take a reply to it. Answer by DM, or reply to another of their posts.")
	}
	return nil
}
