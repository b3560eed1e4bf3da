package telegram

import (
	"cmp"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// name is a person's or chat's name for display: its parts joined with a
// space, cleaned and bounded.
func name(parts ...string) string {
	return channel.CleanName(strings.Join(parts, " "), care.MaxNameBytes)
}

func joinNonEmpty(sep string, parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}

// Bounds on reading entities: Telegram allows 100 per message, and the
// entities Parley looks at (a mention or command of the bot: "@" and a
// username of at most 32 characters, "/", a command of at most 32 and the
// username) are short.
const (
	maxEntities      = 100
	maxEntityLength  = 72
	maxEntityTextLen = 1 << 16
)

// entityTexts returns the text of each entity of text whose type is one of
// types, by the entity's UTF-16 offset and length
// (core.telegram.org/api/entities: "UTF-16 is used when computing the length
// and offsets of entities"). Entities out of range are ignored.
func entityTexts(text string, entities []entity, types ...string) []string {
	if len(entities) == 0 || len(text) > maxEntityTextLen {
		return nil
	}
	var units []uint16
	var out []string
	for i, e := range entities {
		if i == maxEntities {
			break
		}
		matches := false
		for _, t := range types {
			matches = matches || e.Type == t
		}
		if !matches || e.Offset < 0 || e.Length <= 0 || e.Length > maxEntityLength {
			continue
		}
		if units == nil {
			units = utf16.Encode([]rune(text))
		}
		if e.Offset > len(units) || e.Length > len(units)-e.Offset {
			continue
		}
		out = append(out, string(utf16.Decode(units[e.Offset:e.Offset+e.Length])))
	}
	return out
}

// maxLinkURL bounds the address of a text link that Parley shows.
const maxLinkURL = 2048

// withLinks returns text with the address of each text_link entity shown
// after the words that carry it: "my tracking page (https://…)". Telegram
// shows such words as a link and keeps the address out of the text
// (MessageEntity.url), and the agent should read where the customer points
// as the customer's app shows it on a tap. Offsets count UTF-16 code units,
// as in entityTexts. A link whose address is not an http(s) URL (tg://, say),
// that is out of range, cuts a character in two or overlaps an earlier one
// stays words alone; words that already are the address are not repeated.
func withLinks(text string, entities []entity) string {
	if len(entities) == 0 || len(text) > maxEntityTextLen {
		return text
	}
	type link struct {
		start, end int
		url        string
	}
	var units []uint16
	var links []link
	for i, e := range entities {
		if i == maxEntities {
			break
		}
		if e.Type != "text_link" || e.Offset < 0 || e.Length <= 0 || !webLink(e.URL) {
			continue
		}
		if units == nil {
			units = utf16.Encode([]rune(text))
		}
		if e.Offset > len(units) || e.Length > len(units)-e.Offset {
			continue
		}
		end := e.Offset + e.Length
		if splitsPair(units, e.Offset) || splitsPair(units, end) {
			continue
		}
		links = append(links, link{e.Offset, end, e.URL})
	}
	if len(links) == 0 {
		return text
	}
	slices.SortStableFunc(links, func(a, b link) int { return cmp.Compare(a.start, b.start) })
	var b strings.Builder
	at := 0
	for _, l := range links {
		if l.start < at {
			continue // overlaps the previous link
		}
		shown := string(utf16.Decode(units[l.start:l.end]))
		b.WriteString(string(utf16.Decode(units[at:l.start])))
		b.WriteString(shown)
		if !sameAddress(shown, l.url) {
			b.WriteString(" (" + l.url + ")")
		}
		at = l.end
	}
	b.WriteString(string(utf16.Decode(units[at:])))
	return b.String()
}

// splitsPair reports whether UTF-16 offset i falls between the two halves
// of a surrogate pair, inside one character.
func splitsPair(units []uint16, i int) bool {
	return i > 0 && i < len(units) && units[i-1] >= 0xD800 && units[i-1] < 0xDC00 && units[i] >= 0xDC00 && units[i] < 0xE000
}

// webLink reports whether s is an http(s) URL fit to show: bounded, one
// word of visible characters, with a host.
func webLink(s string) bool {
	if s == "" || len(s) > maxLinkURL || !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
	}) {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// sameAddress reports whether the words shown are the address itself,
// perhaps without its scheme or a final "/".
func sameAddress(shown, addr string) bool {
	bare := func(s string) string {
		s = strings.TrimSpace(s)
		for _, p := range []string{"https://", "http://"} {
			if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
				s = s[len(p):]
				break
			}
		}
		return strings.TrimSuffix(s, "/")
	}
	return bare(shown) != "" && bare(shown) == bare(addr)
}
