package mastodon

import (
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// mentionReserve is what CheckReply counts for the customer's @mention
// when the reply has none and Send will add it: "@", a username of up to
// 30 characters (Account::USERNAME_LENGTH_LIMIT; only the username counts)
// and a space.
const mentionReserve = 1 + 30 + 1

// CheckReply refuses, with EINVALID and what to do instead, a reply the
// instance would refuse or that would go wrong: one with attachments
// (Parley does not upload media to Mastodon), an empty one, a public reply
// to a private mention, and one longer than the instance's limit (500
// characters unless it reported another), counted as Mastodon counts: a
// link as 23 characters, @user@domain as @user, emoji sequences as one,
// and the customer's @mention that Send adds when the text mentions no
// one.
func (a *Adapter) CheckReply(c channel.ReplyCheck) error {
	if len(c.Attachments) > 0 {
		return care.Errorf(care.EINVALID, "Parley cannot attach files to Mastodon replies yet: put a link to the file in the text.")
	}
	if strings.TrimSpace(c.Text) == "" {
		return care.Errorf(care.EINVALID, "The reply is empty.")
	}
	if c.Visibility == care.Public && c.ReplyTo != nil && c.ReplyTo.Visibility == care.Private {
		return care.Errorf(care.EINVALID, "The customer wrote a private mention: reply privately, or the answer would be public.")
	}
	limit := credInt(c.Inbox, CredMaxCharacters, DefaultMaxCharacters, 100_000)
	n, mentions := replyLength(c.Text, credInt(c.Inbox, CredURLCharacters, DefaultURLCharacters, 1000))
	added := ""
	if mentions == 0 {
		n += mentionReserve
		added = ", with the customer's @mention that Parley adds"
	}
	if n > limit {
		return care.Errorf(care.EINVALID, "Posts on this Mastodon instance are limited to %d characters; this reply counts %d%s (a link counts 23, @user@domain counts as @user). Shorten it by %d.", limit, n, added, n-limit)
	}
	return nil
}

// replyLength is Mastodon's count of a reply's text and the number of
// mentions in it.
func replyLength(text string, urlChars int) (n, mentions int) {
	c, m := countable(text, urlChars)
	return graphemes(c), len(m)
}
