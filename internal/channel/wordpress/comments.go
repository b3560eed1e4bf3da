package wordpress

import (
	"encoding/json"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/blog"
)

// comment is a comment as the REST API writes it in context edit
// (WP_REST_Comments_Controller::get_item_schema): ids are integers,
// dates are "Y-m-d\TH:i:s" without a zone (date in the site's time zone,
// date_gmt in UTC), content.rendered is the comment as the site shows it,
// through the comment_text filters, and content.raw as stored.
type comment struct {
	ID          channel.LooseID `json:"id"`
	Post        channel.LooseID `json:"post"`
	Parent      channel.LooseID `json:"parent"`
	Author      channel.LooseID `json:"author"`
	AuthorName  string          `json:"author_name"`
	AuthorEmail string          `json:"author_email"`
	AuthorURL   string          `json:"author_url"`
	Date        string          `json:"date"`
	DateGMT     string          `json:"date_gmt"`
	Content     struct {
		Rendered string `json:"rendered"`
		Raw      string `json:"raw"`
	} `json:"content"`
	Link   string `json:"link"`
	Status string `json:"status"`
	Type   string `json:"type"`
}

// maxFuture bounds how far ahead of Parley's clock a comment may claim to
// have been written; a later date is taken for a wrong clock.
const maxFuture = 5 * time.Minute

// id, parent, post and author are the comment's ids as text; parent and
// author are "" when 0.
func (c *comment) id() string     { return idOf(c.ID) }
func (c *comment) parent() string { return idOf(c.Parent) }
func (c *comment) post() string   { return idOf(c.Post) }
func (c *comment) author() string { return idOf(c.Author) }

// idOf is an id when it is one, else "".
func idOf(id channel.LooseID) string {
	if s := strings.TrimSpace(string(id)); validID(s) {
		return s
	}
	return ""
}

// when is the comment's date, from date_gmt, else (a comment imported
// without one) date as if it were UTC; zero when neither reads.
func (c *comment) when() time.Time {
	for _, s := range []string{c.DateGMT, c.Date} {
		if t, ok := parseDate(s); ok {
			return t
		}
	}
	return time.Time{}
}

// parseDate reads a WordPress date: "2006-01-02T15:04:05" in UTC, or
// RFC 3339 with a zone. "0000-00-00T00:00:00", WordPress's empty date, is
// none.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 64 || strings.HasPrefix(s, "0000") {
		return time.Time{}, false
	}
	if t, err := time.Parse("2006-01-02T15:04:05", s); err == nil {
		return t, true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), true
	}
	return time.Time{}, false
}

// mapped is a comment, mapped.
type mapped struct {
	id string
	at time.Time
	ev channel.Event
	// echoOf is the parent whose author an echo is addressed to; the
	// caller fills in ev.Inbound.Author.
	echoOf string
	// skipped says why the comment is no event, "" when it is one.
	skipped string
}

// mapComment maps one comment of inbox in. A comment by the inbox's own
// user is skipped (Parley's replies, and anything else typed as that
// user). A comment by another registered user is, when the site's users
// are staff, the brand's answer: an echo addressed to the author of the
// comment it answers (echoOf), or, at the top level, skipped; when they
// are customers, a message like a guest's.
func mapComment(in care.Inbox, c *comment, raw []byte, now time.Time) mapped {
	m := mapped{id: c.id(), at: c.when()}
	switch {
	case m.id == "":
		m.skipped = "a comment without a usable id"
		return m
	case c.Type != "" && c.Type != "comment":
		m.skipped = "a " + channel.CleanName(c.Type, 32) + ", not a comment"
		return m
	case c.Status != "" && c.Status != "approved" && c.Status != "hold":
		m.skipped = "a comment in " + channel.CleanName(c.Status, 32)
		return m
	}
	kind := care.KindMessage
	if author := c.author(); author != "" {
		switch {
		case author == me(in):
			m.skipped = "a comment of the inbox's own user"
			return m
		case siteUsers(in) == SiteUsersStaff && c.parent() == "":
			m.skipped = "a site user's own comment"
			return m
		case siteUsers(in) == SiteUsersStaff:
			kind, m.echoOf = care.KindEcho, c.parent()
		}
	}
	text := blog.HTMLToText(c.Content.Rendered)
	if text == "" {
		text = blog.HTMLToText(c.Content.Raw)
	}
	ev := care.Inbound{
		Kind: kind, Channel: care.ChannelWordPress, PlatformID: m.id, ReplyToPlatformID: c.parent(),
		Visibility: care.Public, Text: text, SentAt: m.at,
	}
	if kind == care.KindMessage {
		ev.Author = authorOf(c)
	}
	if ev.SentAt.IsZero() || ev.SentAt.After(now.Add(maxFuture)) {
		ev.SentAt = now
	}
	ev.SentAt = ev.SentAt.UTC()
	if link := webURL(c.Link); link != "" {
		name := "The comment on " + hostOf(link)
		if c.Status == "hold" {
			name = "The comment, held for moderation, on " + hostOf(link)
		}
		ev.Attachments = []care.Attachment{{Kind: "link", URL: link, Name: name}}
	}
	if ev.Text == "" && len(ev.Attachments) == 0 {
		m.skipped = "an empty comment"
		return m
	}
	m.ev = channel.Event{Inbound: ev, Raw: raw}
	return m
}

// authorOf identifies a comment's author: by email address when the site
// shows it (context edit), the one thing a guest gives that stays the
// same from comment to comment; else as the registered user
// ("user:<id>"); else by the name given ("name:<name>"); else, for an
// anonymous comment, as the comment itself, so that strangers are not
// merged.
func authorOf(c *comment) care.Author {
	name := channel.CleanName(c.AuthorName, care.MaxNameBytes)
	var id string
	switch email := strings.ToLower(strings.TrimSpace(c.AuthorEmail)); {
	case validEmail(email):
		id = email
	case c.author() != "":
		id = "user:" + c.author()
	case name != "":
		id = "name:" + channel.Prefix(name, care.MaxPlatformIDBytes-len("name:"))
	default:
		id = "comment:" + c.id()
	}
	if name == "" {
		name = "Anonymous"
	}
	return care.Author{PlatformUserID: id, DisplayName: name}
}

// validEmail reports whether s looks like an email address worth using as
// an identity: one @, something on either side, no white space or control
// characters, short enough.
func validEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	return at > 0 && at < len(s)-1 && strings.Count(s, "@") == 1 && len(s) <= 254 && utf8.ValidString(s) &&
		!strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) })
}

// decodeComment reads one comment.
func decodeComment(b []byte) (*comment, error) {
	var c comment
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, care.Errorf(care.EINVALID, "not a WordPress comment: %v", err)
	}
	return &c, nil
}

// webURL is s when it is an absolute http(s) URL fit to store, else "".
func webURL(s string) string {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || len(s) > 2048 || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || !utf8.ValidString(s) ||
		strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
		return ""
	}
	return s
}

func hostOf(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "the site"
	}
	return u.Hostname()
}
