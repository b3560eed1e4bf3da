package blog

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// maxFuture bounds how far ahead of Parley's clock an item may claim to
// have been written; a later date is taken for a wrong clock.
const maxFuture = 5 * time.Minute

// maxRawField bounds each text field of an item's raw copy.
const maxRawField = 64 << 10

// source is what an item's mapping needs of its feed.
type source struct {
	feed   string // the feed's address as configured
	host   string // its host: the scope of identities and of bare ids
	title  string // the feed's title, plain text
	author string // the feed's author, for items that name none
}

// sourceOf describes a parsed feed fetched from address feed.
func sourceOf(feed string, f *gofeed.Feed) source {
	s := source{feed: feed, host: hostOf(feed)}
	if f == nil {
		return s
	}
	s.title = channel.CleanName(htmlToText(f.Title, care.MaxNameBytes), care.MaxNameBytes)
	for _, p := range f.Authors {
		if p != nil {
			if s.author = personName(p); s.author != "" {
				break
			}
		}
	}
	return s
}

// item is an entry of a feed, mapped.
type item struct {
	// id is the item's PlatformID; at its date, zero when it has none.
	id string
	at time.Time
	// ev is the event the item becomes when it is new and matches.
	ev channel.Event
	// text is what the keywords are matched against: title and body.
	text string
	// skipped says why the item is no message, "" when it is one.
	skipped string
}

// mapItem maps one entry of a feed. Every entry gets an id, so that it is
// remembered whether or not it becomes a message; it becomes none
// (skipped) when it has nothing to show.
func mapItem(src source, it *gofeed.Item, now time.Time) item {
	id := itemID(src, it)
	m := item{id: id}
	if t := itemDate(it); !t.IsZero() {
		m.at = t
	}
	title := channel.CleanName(htmlToText(it.Title, care.MaxNameBytes), care.MaxNameBytes)
	bodyHTML := it.Content
	if strings.TrimSpace(bodyHTML) == "" {
		bodyHTML = it.Description
	}
	limit := care.MaxTextBytes
	if title != "" {
		limit -= len(title) + 2
	}
	body := htmlToText(bodyHTML, limit)
	text := title
	switch {
	case body == "" || body == title:
	case text == "":
		text = body
	default:
		text += "\n\n" + body
	}
	m.text = text

	in := care.Inbound{
		Kind: care.KindMessage, Channel: care.ChannelBlog, PlatformID: id, Visibility: care.Public,
		Author: authorOf(src, it), Text: text, Subject: title, ReplyToPlatformID: inReplyTo(src, it, id),
		Engagement: commentCount(it),
	}
	in.SentAt = m.at
	switch {
	case in.SentAt.IsZero(), in.SentAt.After(now.Add(maxFuture)):
		in.SentAt = now
	}
	in.SentAt = in.SentAt.UTC()
	if link := webURL(it.Link); link != "" {
		name := title
		if name == "" {
			name = "The post on " + src.host
		}
		in.Attachments = append(in.Attachments, care.Attachment{Kind: "link", URL: link, Name: name})
	}
	for _, e := range it.Enclosures {
		if len(in.Attachments) == care.MaxAttachments {
			break
		}
		if a, ok := enclosure(e); ok {
			in.Attachments = append(in.Attachments, a)
		}
	}
	if in.Text == "" && len(in.Attachments) == 0 {
		m.skipped = "an item with nothing to show"
		return m
	}
	m.ev = channel.Event{Inbound: in, Raw: rawItem(src, it)}
	return m
}

// itemID is an item's PlatformID: its guid (RSS) or id (Atom, JSON Feed),
// else its link, else a hash of its feed, title and date. A guid that is
// not a URI (WordPress's comment guids are; some blogs number their posts
// 1, 2, 3) is scoped to the feed's host, so two blogs' items cannot share
// an id; one too long for Parley is replaced by its SHA-256.
func itemID(src source, it *gofeed.Item) string {
	if g := idText(it.GUID); g != "" {
		return scopedID(src.host, g)
	}
	if l := webURL(it.Link); l != "" {
		return scopedID(src.host, l)
	}
	sum := sha256.Sum256([]byte(src.host + "\n" + it.Title + "\n" + it.Published + "\n" + it.Updated))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// scopedID returns id as is when it is a URI (a scheme, a colon, more),
// else prefixed with the feed's host; either way at most
// care.MaxPlatformIDBytes long.
func scopedID(host, id string) string {
	if !hasScheme(id) {
		id = host + "#" + id
	}
	if len(id) > care.MaxPlatformIDBytes {
		sum := sha256.Sum256([]byte(id))
		return "sha256:" + hex.EncodeToString(sum[:])
	}
	return id
}

// hasScheme reports whether s starts with a URI scheme (RFC 3986 §3.1)
// followed by something: "https://…", "tag:…", "urn:uuid:…".
func hasScheme(s string) bool {
	i := strings.IndexByte(s, ':')
	if i < 1 || i == len(s)-1 {
		return false
	}
	for j := 0; j < i; j++ {
		c := s[j]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case j > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return true
}

// idText is an id as written, trimmed, or "" when it is not usable as one:
// invalid UTF-8, or control or format characters inside.
func idText(s string) string {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) || isFormat(r) }) {
		return ""
	}
	return s
}

// itemDate is when an item was published, else updated; zero when it says
// neither.
func itemDate(it *gofeed.Item) time.Time {
	switch {
	case it.PublishedParsed != nil && !it.PublishedParsed.IsZero():
		return it.PublishedParsed.UTC()
	case it.UpdatedParsed != nil && !it.UpdatedParsed.IsZero():
		return it.UpdatedParsed.UTC()
	}
	return time.Time{}
}

// authorOf is who wrote an item: its author (RSS author or dc:creator,
// Atom author, JSON Feed authors), else the feed's, identified as
// "host/Name" since a name means something only on its blog; an item of
// no one is the blog's own, identified by its host and named by its
// title.
func authorOf(src source, it *gofeed.Item) care.Author {
	name := ""
	for _, p := range it.Authors {
		if p != nil {
			if name = personName(p); name != "" {
				break
			}
		}
	}
	if name == "" {
		name = src.author
	}
	if name == "" {
		display := src.title
		if display == "" {
			display = src.host
		}
		return care.Author{PlatformUserID: src.host, DisplayName: display}
	}
	id := src.host + "/" + channel.Prefix(name, care.MaxPlatformIDBytes-len(src.host)-1)
	return care.Author{PlatformUserID: id, DisplayName: name}
}

// personName is a person's name on one line, else their email address.
func personName(p *gofeed.Person) string {
	if n := channel.CleanName(p.Name, care.MaxNameBytes); n != "" {
		return n
	}
	return channel.CleanName(p.Email, care.MaxNameBytes)
}

// wordPressCommentGUID matches the guid WordPress gives a comment in its
// RSS comment feeds: the post's guid and "#comment-<id>"
// (get_comment_guid in wp-includes/comment-template.php).
var wordPressCommentGUID = regexp.MustCompile(`^(.+)#comment-[0-9]+$`)

// inReplyTo is the id of what an item answers, when its feed says: the
// ref of its Atom threading element (RFC 4685 thr:in-reply-to, which
// WordPress's Atom comment feeds give every comment: the post's guid for a
// top-level comment, the parent's for a reply), else, for a WordPress
// comment in an RSS feed, the post whose guid starts its own. The id is
// mapped as item ids are, so it names the post or comment as its own item
// would.
func inReplyTo(src source, it *gofeed.Item, self string) string {
	for _, byName := range it.Extensions {
		for _, e := range byName["in-reply-to"] {
			if ref := idText(e.Attrs["ref"]); ref != "" {
				if id := scopedID(src.host, ref); id != self {
					return id
				}
			}
		}
	}
	if m := wordPressCommentGUID.FindStringSubmatch(idText(it.GUID)); m != nil {
		if id := scopedID(src.host, m[1]); id != self {
			return id
		}
	}
	return ""
}

// commentCount is the number of comments a post had when the feed was
// written: its slash:comments (RSS), else its thr:total (Atom, RFC 4685
// §5); 0 when it does not say.
func commentCount(it *gofeed.Item) int64 {
	for _, byName := range []map[string][]ext.Extension{it.Extensions["slash"], it.Extensions["thr"]} {
		for _, name := range []string{"comments", "total"} {
			for _, e := range byName[name] {
				if n, err := strconv.ParseInt(strings.TrimSpace(e.Value), 10, 64); err == nil && n > 0 && n < 1<<40 {
					return n
				}
			}
		}
	}
	return 0
}

// enclosure is an item's enclosure as an attachment, by URL.
func enclosure(e *gofeed.Enclosure) (care.Attachment, bool) {
	if e == nil {
		return care.Attachment{}, false
	}
	u := webURL(e.URL)
	if u == "" {
		return care.Attachment{}, false
	}
	mime := strings.ToLower(strings.TrimSpace(e.Type))
	if len(mime) > 255 || !utf8.ValidString(mime) || strings.ContainsFunc(mime, unicode.IsControl) {
		mime = ""
	}
	kind := "file"
	switch {
	case strings.HasPrefix(mime, "image/"):
		kind = "image"
	case strings.HasPrefix(mime, "video/"):
		kind = "video"
	case strings.HasPrefix(mime, "audio/"):
		kind = "audio"
	}
	a := care.Attachment{Kind: kind, URL: u, MimeType: mime}
	if p, err := url.Parse(u); err == nil {
		if base := path.Base(p.Path); base != "/" && base != "." {
			a.Name = channel.CleanName(base, care.MaxNameBytes)
		}
	}
	if n, err := strconv.ParseInt(strings.TrimSpace(e.Length), 10, 64); err == nil && n > 0 {
		a.Size = n
	}
	return a, true
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

// rawItem is an item as Parley read it, kept as the event's raw payload
// (a feed's XML carries no separate bytes per item): its feed, ids, dates,
// authors and texts, each text bounded.
func rawItem(src source, it *gofeed.Item) []byte {
	type person struct {
		Name  string `json:"name,omitempty"`
		Email string `json:"email,omitempty"`
	}
	r := struct {
		Feed        string   `json:"feed"`
		GUID        string   `json:"guid,omitempty"`
		Link        string   `json:"link,omitempty"`
		Title       string   `json:"title,omitempty"`
		Published   string   `json:"published,omitempty"`
		Updated     string   `json:"updated,omitempty"`
		Authors     []person `json:"authors,omitempty"`
		Description string   `json:"description,omitempty"`
		Content     string   `json:"content,omitempty"`
	}{
		Feed: display(src.feed), GUID: channel.Prefix(it.GUID, maxRawField), Link: channel.Prefix(it.Link, maxRawField),
		Title: channel.Prefix(it.Title, maxRawField), Published: channel.Prefix(it.Published, 256), Updated: channel.Prefix(it.Updated, 256),
		Description: channel.Prefix(it.Description, maxRawField), Content: channel.Prefix(it.Content, maxRawField),
	}
	for _, p := range it.Authors {
		if p != nil && len(r.Authors) < 10 {
			r.Authors = append(r.Authors, person{channel.Prefix(p.Name, 512), channel.Prefix(p.Email, 512)})
		}
	}
	b, _ := json.Marshal(r)
	return b
}
