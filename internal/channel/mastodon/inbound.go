package mastodon

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// maxFuture bounds how far ahead of Parley's clock a status may claim to
// have been written; a later created_at (a remote server's wrong clock) is
// replaced by the time it was received.
const maxFuture = 5 * time.Minute

// maxCWBytes bounds the content warning kept in front of a text.
const maxCWBytes = 512

// mapped is what became of one notification or deletion.
type mapped struct {
	events []channel.Event
	// id is the notification's id, "" for a deletion or when unreadable.
	id string
	// skipped says why no event came of it, for the log and the tests.
	skipped string
}

// mapNotification maps one Notification, as JSON, for inbox in: a mention
// or a quote of the brand by someone else becomes a message; every other
// type, a boost, and the brand's own posts are skipped on purpose. It
// returns EINVALID for JSON that is not a notification.
func mapNotification(in care.Inbox, raw []byte, now time.Time) (mapped, error) {
	var n notification
	if err := json.Unmarshal(raw, &n); err != nil {
		return mapped{}, care.Errorf(care.EINVALID, "not a Mastodon notification: %v", err)
	}
	m := mapped{id: string(n.ID)}
	if !validID(m.id) {
		m.id = ""
	}
	ib, skipped := mentionInbound(in, &n, now)
	if skipped != "" {
		m.skipped = skipped
		return m, nil
	}
	m.events = []channel.Event{{Inbound: ib, Raw: raw}}
	return m, nil
}

// mentionInbound maps a mention or quote notification to a message, or
// says why it is skipped.
func mentionInbound(in care.Inbox, n *notification, now time.Time) (care.Inbound, string) {
	// Notification types (docs.joinmastodon.org/methods/notifications):
	// "mention" and, since Mastodon 4.5, "quote" ("someone quoted one of
	// your posts … the quote post is in the status attribute",
	// docs.joinmastodon.org/client/quotes) bring a customer's words; a
	// quote need not mention the brand, so no mention notification comes
	// of it. A quote that also mentions the brand brings both, with the
	// same post: the second is a repeat of the first. "update" (a post the
	// brand interacted with was edited) and "quoted_update" are skipped:
	// Parley keeps a message as first received, and the edited post has the
	// same id, so it could only be dropped as a repeat.
	if n.Type != "mention" && n.Type != "quote" {
		return care.Inbound{}, fmt.Sprintf("a %q notification", n.Type)
	}
	s := n.Status
	switch {
	case s == nil:
		return care.Inbound{}, "a mention without its post"
	case s.boost():
		return care.Inbound{}, "a boost"
	}
	acct := s.Account
	if acct == nil {
		acct = n.Account
	}
	if acct == nil {
		return care.Inbound{}, "a mention without its author"
	}
	if brand := brandAccount(in); brand != "" && string(acct.ID) == brand {
		return care.Inbound{}, "the brand's own post"
	}
	id := string(s.ID)
	if !storableID(id) {
		return care.Inbound{}, "a post without a usable id"
	}
	author, ok := authorOf(in, acct)
	if !ok {
		return care.Inbound{}, "a post whose author has no usable handle"
	}
	ib := care.Inbound{
		PlatformID: id,
		Visibility: care.Public,
		Author:     author,
		Text:       statusText(s),
		SentAt:     sentAt(s.CreatedAt, now),
		Engagement: int64(s.RepliesCount) + int64(s.ReblogsCount) + int64(s.FavouritesCount),
	}
	if ib.Engagement < 0 { // overflowed
		ib.Engagement = 0
	}
	if r := string(s.InReplyToID); storableID(r) {
		ib.ReplyToPlatformID = r
	}
	if s.Visibility == "direct" {
		ib.Visibility = care.Private
	}
	ib.Attachments = attachments(s.MediaAttachments)
	if ib.Text == "" && len(ib.Attachments) == 0 {
		ib.Text = "[A Mastodon post without text]"
	}
	return ib, ""
}

// authorOf identifies the account that wrote a post. An account's id is
// its row in one instance's database, so it would change were the brand to
// move instance; its handle is the same everywhere. The identity is
// therefore the handle, user@domain, lower-cased as Mastodon compares
// handles; acct has no domain for an account of the inbox's own instance,
// which gets the instance's. Mastodon has no verified badge:
// fields[].verified_at only says that a link on the profile links back
// (rel="me"), which anyone can arrange, so no one is Verified.
func authorOf(in care.Inbox, acct *account) (care.Author, bool) {
	user, host, remote := strings.Cut(acct.Acct, "@")
	if user == "" {
		user = acct.Username
	}
	if !remote || host == "" {
		host = domain(in)
	}
	host = strings.ToLower(host)
	if !handlePart(user) || !handlePart(host) || strings.Contains(host, "@") {
		return care.Author{}, false
	}
	handle := "@" + user + "@" + host
	if len(handle) > care.MaxNameBytes {
		return care.Author{}, false
	}
	return care.Author{
		PlatformUserID: strings.ToLower(user + "@" + host),
		Handle:         handle,
		DisplayName:    channel.CleanName(acct.DisplayName, care.MaxNameBytes),
		Followers:      int64(acct.FollowersCount),
	}, true
}

// handlePart reports whether s can be part of a handle: printable, no
// white space, not over an id's bound.
func handlePart(s string) bool {
	if s == "" || len(s) > care.MaxPlatformIDBytes/2 || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return true
}

// statusText is a post's text: its content warning, if any, as
// "[CW: …] ", its content as plain text, and its poll's options.
func statusText(s *status) string {
	var b strings.Builder
	if cw := channel.CleanName(s.SpoilerText, maxCWBytes); cw != "" {
		b.WriteString("[CW: " + cw + "] ")
	}
	b.WriteString(HTMLToText(s.Content))
	if s.Poll != nil && len(s.Poll.Options) > 0 {
		opts := make([]string, 0, len(s.Poll.Options))
		for i, o := range s.Poll.Options {
			if i == 10 {
				break
			}
			opts = append(opts, channel.CleanName(o.Title, 200))
		}
		b.WriteString("\n\n[Poll: " + strings.Join(opts, " | ") + "]")
	}
	return strings.TrimSpace(channel.Cut(b.String(), care.MaxTextBytes))
}

// attachments maps a post's media to attachments, metadata only: the file
// stays on the instance at URL. The alt text is the name.
func attachments(media []mediaAttachment) []care.Attachment {
	var out []care.Attachment
	for _, m := range media {
		if len(out) == care.MaxAttachments {
			break
		}
		a := care.Attachment{Kind: "file", Name: channel.CleanName(m.Description, care.MaxNameBytes)}
		switch m.Type {
		case "image":
			a.Kind = "image"
		case "gifv", "video":
			a.Kind = "video"
		case "audio":
			a.Kind = "audio"
		}
		if webURL(m.URL) {
			a.URL = m.URL
		} else if webURL(m.RemoteURL) {
			a.URL = m.RemoteURL
		}
		out = append(out, a)
	}
	return out
}

// webURL reports whether s is an http(s) URL that fits an attachment.
func webURL(s string) bool {
	if s == "" || len(s) > 2048 || !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl) {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// sentAt reads a created_at; a missing, unreadable or future one is now.
func sentAt(s string, now time.Time) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.After(now.Add(maxFuture)) {
		return now
	}
	return t.UTC()
}

// deletion is the event of a deleted post, as the streaming API's delete
// event names it.
func deletion(id string, now time.Time) (channel.Event, bool) {
	id = strings.TrimSpace(id)
	if !storableID(id) {
		return channel.Event{}, false
	}
	return channel.Event{
		Inbound: care.Inbound{Kind: care.KindDelete, PlatformID: id, SentAt: now},
		Raw:     []byte(id),
	}, true
}

// storableID reports whether a platform id can be stored and shown.
func storableID(id string) bool {
	if id == "" || len(id) > care.MaxPlatformIDBytes || !utf8.ValidString(id) {
		return false
	}
	for _, r := range id {
		if r <= 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// validID reports whether id can be a cursor and a query parameter:
// Mastodon's are decimal, other servers' ULIDs or flake ids of letters and
// digits.
func validID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// idLess orders ids as the server does: decimal ids by value, others
// (fixed-length ULIDs and flake ids) as strings.
func idLess(a, b string) bool {
	if digits(a) && digits(b) {
		a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
		if len(a) != len(b) {
			return len(a) < len(b)
		}
	}
	return a < b
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
