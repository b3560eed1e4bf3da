package x

import (
	"net/url"
	"strconv"
	"strings"
	"time"
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

func (p profile) author() care.Author {
	// X caps names at 50 characters, so a longer one is already out of the
	// ordinary; it is cut rather than refused, since the identity is the
	// user id, not the name.
	a := care.Author{PlatformUserID: p.ID, DisplayName: channel.CleanName(p.Name, care.MaxNameBytes),
		Handle: channel.CleanName(p.Handle, care.MaxNameBytes), Followers: p.Followers, Verified: p.Verified}
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
// URL is not a plain https URL of sensible length. A direct message's file
// becomes a DMMediaScheme reference, which FetchMedia opens with the
// account's credentials.
func attachment(kind, rawURL string) (care.Attachment, bool) {
	if len(rawURL) > 2048-len(DMMediaScheme) || !utf8.ValidString(rawURL) || strings.ContainsAny(rawURL, "\x00\r\n") {
		return care.Attachment{}, false
	}
	ref := rawURL
	if dmMediaURL(rawURL) {
		ref = DMMediaScheme + rawURL
	} else if u, err := url.Parse(rawURL); err != nil || u.Scheme != "https" || u.Host == "" {
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
	return care.Attachment{Kind: kind, URL: ref}, true
}

// finish completes an event: channel, cleaned text and names, ids checked,
// then care's own validation. ok is false, and the reason logged, for an
// event that cannot be stored.
func (a *Adapter) finish(account string, in care.Inbound, raw []byte) (channel.Event, bool) {
	in.Channel = care.ChannelX
	// A long post (X Premium allows 25,000 characters, up to 100 KB) is
	// kept cut rather than refused: the customer's words matter more than
	// their last part.
	in.Text = channel.CleanText(in.Text, care.MaxTextBytes)
	if len(in.Attachments) > care.MaxAttachments {
		in.Attachments = in.Attachments[:care.MaxAttachments]
	}
	if in.ReplyToPlatformID != "" && !validID(in.ReplyToPlatformID) {
		in.ReplyToPlatformID = ""
	}
	switch {
	case !validID(in.PlatformID):
		a.logger().Warn("x: event without a valid id skipped", "id", channel.Cut(in.PlatformID, 64))
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
