package foursquare

import (
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// authorPrefix names a tip's author: the Places API does not say who wrote
// a tip, so each tip's author is a contact of their own, "tip:<tip id>",
// rather than every tipster being one made-up customer.
const authorPrefix = "tip:"

// anonymous is the name Parley gives a tip's unknown author.
const anonymous = "Foursquare user"

// maxURLBytes bounds a link kept from a tip.
const maxURLBytes = 2048

// event turns a tip about v into a public message: the tip's text, its
// link and its photo, its agreements and disagreements as engagement. ok
// is false for a tip without a usable id.
func event(t tip, v venue, now time.Time, raw []byte) (channel.Event, bool) {
	id := t.id()
	if !tipID(id) {
		return channel.Event{}, false
	}
	text := strings.TrimSpace(channel.CleanText(t.Text, care.MaxTextBytes-maxURLBytes-4))
	if link := t.URL; httpsURL(link) {
		if text != "" {
			text += "\n\n"
		}
		text += link
	}
	var atts []care.Attachment
	if u := photoURL(t.Photo); u != "" {
		atts = append(atts, care.Attachment{Kind: "image", URL: u})
	}
	if text == "" && len(atts) == 0 {
		text = "[A tip without text]"
	}
	sent := t.CreatedAt.Time
	if sent.Year() < 2009 || sent.After(now.Add(24*time.Hour)) {
		// Foursquare started in 2009; a time outside its life is no time.
		sent = now
	}
	engagement := int64(t.AgreeCount) + int64(t.DisagreeCount)
	if engagement < 0 {
		engagement = 0
	}
	return channel.Event{Raw: raw, Inbound: care.Inbound{
		Kind: care.KindMessage, PlatformID: id, Visibility: care.Public,
		Author: care.Author{PlatformUserID: authorPrefix + id, DisplayName: anonymous},
		Text:   text, Attachments: atts, Subject: "Foursquare tip on " + v.label,
		SentAt: sent.UTC(), Engagement: engagement,
	}}, true
}

// photoURL assembles the full-size photo's URL, "" when the photo is not
// an https prefix and a file name ("/5301_abc.jpg") as suffix.
func photoURL(p *photo) string {
	if p == nil || p.Prefix == "" || len(p.Suffix) < 2 || len(p.Suffix) > 128 || p.Suffix[0] != '/' ||
		strings.ContainsAny(p.Suffix[1:], "/?#\\ %") || strings.Contains(p.Suffix, "..") {
		return ""
	}
	u := p.Prefix + "original" + p.Suffix
	if !httpsURL(u) {
		return ""
	}
	return u
}

// httpsURL reports whether s is an absolute https URL of sane length,
// without credentials or characters that would break out of a link.
func httpsURL(s string) bool {
	if s == "" || len(s) > maxURLBytes || !utf8.ValidString(s) || strings.ContainsAny(s, " \"<>\\\n\r\t\x00") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != "" && u.User == nil
}
