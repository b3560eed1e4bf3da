package x

import (
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// What every parser shares: ids, times, text and attachments made safe, and
// the finished event checked, so that one odd event is skipped (and logged)
// without costing the rest of its delivery.

// validID reports whether s is an X id: a decimal number of at most 20
// digits (X's ids are 64-bit snowflakes).
func validID(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// idLess orders X ids numerically; they grow with time.
func idLess(a, b string) bool {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// X's post text is HTML-escaped for these three characters (and only
// these), in v1.1 and v2 alike.
var unescapePost = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">")

// cleanText makes a message body storable: valid UTF-8 without NUL, cut on
// a character boundary at care.MaxTextBytes. A long post (X Premium allows
// 25,000 characters, up to 100 KB) is kept cut, with an ellipsis, rather
// than refused: the customer's words matter more than their last part.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\x00", "")
	return cut(s, care.MaxTextBytes)
}

// cleanName makes a display name or handle storable and safe to show: one
// line, without the bidirectional controls that can make a name read as
// another, at most care.MaxNameBytes. Joiners and variation selectors stay,
// for the emoji people put in their names. X caps names at 50 characters,
// so a longer one is already out of the ordinary; it is cut rather than
// refused, since the identity is the user id, not the name.
func cleanName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == 0x061C || r == 0x200E || r == 0x200F || r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069:
			return -1
		case unicode.IsControl(r) || unicode.IsSpace(r):
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, ""))
	return cut(strings.Join(strings.Fields(s), " "), care.MaxNameBytes)
}

// cut shortens s to at most n bytes on a rune boundary, ending it with an
// ellipsis when it cuts.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	n -= len("…")
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func (p profile) author() care.Author {
	a := care.Author{PlatformUserID: p.ID, DisplayName: cleanName(p.Name), Handle: cleanName(p.Handle),
		Followers: p.Followers, Verified: p.Verified}
	if !p.Since.IsZero() {
		since := p.Since
		a.AccountCreated = &since
	}
	return a
}

// Times. X's v1.1 objects carry "Wed Oct 10 20:19:24 +0000 2018" and
// timestamp_ms, legacy DM events created_timestamp in milliseconds, v2
// objects RFC 3339. A missing or absurd time becomes the receipt time.
var earliestPost = time.Date(2006, 3, 21, 0, 0, 0, 0, time.UTC)

func sentAt(now time.Time, candidates ...time.Time) time.Time {
	for _, t := range candidates {
		if !t.IsZero() && !t.Before(earliestPost) && t.Before(now.Add(24*time.Hour)) {
			return t.UTC()
		}
	}
	return now.UTC()
}

func parseMillis(s string) time.Time {
	ms, err := strconv.ParseInt(s, 10, 64)
	if err != nil || ms <= 0 || ms > 1<<50 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}

func parseRFC3339(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

func parseV1Time(s string) time.Time {
	t, _ := time.Parse(time.RubyDate, s)
	return t
}

// attachment returns a care.Attachment for media at rawURL, false when the
// URL is not a plain https URL of sensible length.
func attachment(kind, rawURL string) (care.Attachment, bool) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "https" || u.Host == "" || len(rawURL) > 2048 || !utf8.ValidString(rawURL) ||
		strings.ContainsAny(rawURL, "\x00\r\n") {
		return care.Attachment{}, false
	}
	switch kind {
	case "photo", "image":
		kind = "image"
	case "video", "animated_gif":
		kind = "video"
	default:
		kind = "file"
	}
	return care.Attachment{Kind: kind, URL: rawURL}, true
}

// finish completes an event: channel, cleaned text and names, ids checked,
// then care's own validation. ok is false, and the reason logged, for an
// event that cannot be stored.
func (a *Adapter) finish(account string, in care.Inbound, raw []byte) (channel.Event, bool) {
	in.Channel = care.ChannelX
	in.Text = cleanText(in.Text)
	if len(in.Attachments) > care.MaxAttachments {
		in.Attachments = in.Attachments[:care.MaxAttachments]
	}
	if in.ReplyToPlatformID != "" && !validID(in.ReplyToPlatformID) {
		in.ReplyToPlatformID = ""
	}
	switch {
	case !validID(in.PlatformID):
		a.logger().Warn("x: event without a valid id skipped", "id", cut(in.PlatformID, 64))
		return channel.Event{}, false
	case in.Author.PlatformUserID != "" && !validID(in.Author.PlatformUserID):
		a.logger().Warn("x: event with an invalid user id skipped", "id", in.PlatformID)
		return channel.Event{}, false
	case account != "" && !validID(account):
		a.logger().Warn("x: event for an invalid account skipped", "id", in.PlatformID)
		return channel.Event{}, false
	}
	if err := in.Validate(); err != nil {
		a.logger().Warn("x: event skipped", "id", in.PlatformID, "err", err)
		return channel.Event{}, false
	}
	return channel.Event{Inbound: in, Account: account, Raw: raw}, true
}
