package reddit

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// maxFuture bounds how far ahead of Parley's clock an item may claim to
// have been written; a later created_utc is replaced by the time it was
// read.
const maxFuture = 5 * time.Minute

// siteURL is where a context path leads.
const siteURL = "https://www.reddit.com"

// Authors Reddit no longer names: a deleted account (or, to whom is not a
// moderator, a removed comment) shows "[deleted]", and the body of a
// deleted or removed comment "[deleted]" or "[removed]".
const (
	deletedAuthor = "[deleted]"
	deletedBody   = "[deleted]"
	removedBody   = "[removed]"
)

// mapped is what became of one inbox item.
type mapped struct {
	event channel.Event
	// name is the item's fullname, "" when unreadable.
	name string
	// created is its created_utc, no later than now; zero when missing.
	created time.Time
	// skipped says why no event came of it, for the log and the tests;
	// "" when event is one.
	skipped string
}

// mapThing maps one child of the inbox listing, as JSON, for inbox in: a
// comment (t1: a reply to the account, or a mention of its username)
// becomes a public message, a message (t4) a private one; the account's
// own items, deleted comments and every other kind are skipped on purpose.
// It returns EINVALID for JSON that is not a thing.
func mapThing(in care.Inbox, raw []byte, now time.Time) (mapped, error) {
	var t thing
	if err := json.Unmarshal(raw, &t); err != nil {
		return mapped{}, care.Errorf(care.EINVALID, "not a Reddit thing: %v", err)
	}
	d := &t.Data
	m := mapped{name: string(d.Name)}
	if created := d.CreatedUTC.time(); !created.IsZero() {
		m.created = sentAt(d.CreatedUTC, now)
	}
	if !validFullname(m.name) || kindOf(m.name) != t.Kind {
		m.name = t.Kind + "_" + string(d.ID)
		if !validFullname(m.name) || kindOf(m.name) != t.Kind {
			m.name, m.skipped = "", "an item without a usable fullname"
			return m, nil
		}
	}
	switch t.Kind {
	case kindComment, kindMessage:
	default:
		m.skipped = fmt.Sprintf("a %q thing", channel.Excerpt([]byte(t.Kind), 16))
		return m, nil
	}
	author, skipped := authorOf(in, t.Kind, m.name, d)
	if skipped != "" {
		m.skipped = skipped
		return m, nil
	}
	ib := care.Inbound{
		PlatformID: m.name,
		Author:     author,
		Text:       MarkdownToText(string(d.Body)),
		SentAt:     sentAt(d.CreatedUTC, now),
	}
	if t.Kind == kindComment {
		ib.Visibility = care.Public
		if p := string(d.ParentID); validFullname(p) && (kindOf(p) == kindComment || kindOf(p) == kindLink) {
			ib.ReplyToPlatformID = p
		}
		ib.Subject = channel.CleanName(string(d.LinkTitle), care.MaxNameBytes)
		if s := int64(d.Score) - 1; s > 0 && s < 1<<40 {
			ib.Engagement = s // the author's own vote is not engagement
		}
		if a, ok := contextLink(string(d.Context), string(d.Subreddit), ib.Subject); ok {
			ib.Attachments = []care.Attachment{a}
		}
		if ib.Text == "" {
			ib.Text = "[An empty Reddit comment]"
		}
	} else {
		ib.Visibility = care.Private
		// A reply in a thread of messages names the message it answers
		// (parent_id) and the thread's first (first_message_name).
		for _, p := range []string{string(d.ParentID), string(d.FirstMessageName)} {
			if kindOf(p) == kindMessage {
				ib.ReplyToPlatformID = p
				break
			}
		}
		ib.Subject = channel.CleanName(string(d.Subject), care.MaxNameBytes)
		if ib.Text == "" {
			ib.Text = "[An empty Reddit message]"
		}
	}
	m.event = channel.Event{Inbound: ib, Raw: raw}
	return m, nil
}

// authorOf names the author of an item, or says why it is skipped. A
// Reddit username is permanent and unique without regard to case, so the
// identity is the username in lower case, and the handle as Reddit writes
// it. A message from a subreddit (author null) is from "r/<name>", which
// /api/compose also takes as an address. An author Reddit no longer names
// gets an identity of the item's own, "[deleted]/<fullname>", so that
// strangers are never merged into one contact.
func authorOf(in care.Inbox, kind, name string, d *thingData) (care.Author, string) {
	a := string(d.Author)
	switch {
	case a == deletedAuthor || a == "" && kind == kindComment:
		if body := strings.TrimSpace(string(d.Body)); body == deletedBody || body == removedBody || body == "" {
			return care.Author{}, "a deleted or removed comment"
		}
		return care.Author{PlatformUserID: deletedAuthor + "/" + name, DisplayName: deletedAuthor}, ""
	case a == "":
		sr := string(d.Subreddit)
		if !validSubreddit(sr) {
			return care.Author{}, "a message without an author"
		}
		return care.Author{PlatformUserID: "r/" + strings.ToLower(sr), DisplayName: "r/" + sr}, ""
	case !validUsername(a):
		return care.Author{}, "an author Parley cannot name"
	case sameUser(a, brand(in)):
		return care.Author{}, "the account's own"
	}
	return care.Author{PlatformUserID: strings.ToLower(a), Handle: a, DisplayName: "u/" + a}, ""
}

// contextLink is the link to a comment in its thread, from the item's
// context path ("/r/acme/comments/1gvq2ab/router_issues/kx9z8y7/?context=3"),
// as an attachment for the agent to open. Only a path on www.reddit.com is
// taken.
func contextLink(context, subreddit, title string) (care.Attachment, bool) {
	if !strings.HasPrefix(context, "/") || strings.HasPrefix(context, "//") || len(context) > 1024 ||
		strings.ContainsFunc(context, func(r rune) bool { return r <= ' ' || r >= 0x7f || r == '\\' }) {
		return care.Attachment{}, false
	}
	u, err := url.Parse(siteURL + context)
	if err != nil || u.Host != "www.reddit.com" || u.User != nil {
		return care.Attachment{}, false
	}
	name := "The comment on Reddit"
	if validSubreddit(subreddit) {
		name += ", in r/" + subreddit
	}
	if title != "" {
		name += ": " + title
	}
	return care.Attachment{Kind: "link", URL: u.String(), Name: channel.Cut(name, 300)}, true
}

// sentAt is an item's created_utc; a missing or future one is now.
func sentAt(created looseFloat, now time.Time) time.Time {
	t := created.time()
	if t.IsZero() || t.After(now.Add(maxFuture)) {
		return now.UTC()
	}
	return t
}
