package priority

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// maxLabel bounds a reason taken from the input, in runes: reasons come
// from topic names and from what a social network reported, and a card has
// room for a few words.
const maxLabel = 40

// label is s made safe for a card, or fallback when nothing is left: valid
// UTF-8, control and format characters (bidirectional overrides among them)
// as spaces, runs of spaces as one, at most maxLabel runes.
func label(s, fallback string) string {
	if plain(s) {
		if s == "" {
			return fallback
		}
		return s
	}
	var b strings.Builder
	n, space := 0, false
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			space = b.Len() > 0
			continue
		}
		if n == maxLabel {
			b.WriteRune('…')
			break
		}
		if space {
			b.WriteByte(' ')
			n++
			space = false
			if n == maxLabel {
				b.WriteRune('…')
				break
			}
		}
		b.WriteRune(r)
		n++
	}
	if b.Len() == 0 {
		return fallback
	}
	return b.String()
}

// plain reports whether s is short printable ASCII without leading,
// trailing or doubled spaces, so it can be shown as it is.
func plain(s string) bool {
	if len(s) > maxLabel {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || c < ' ' || c == 0x7f {
			return false
		}
		if c == ' ' && (i == 0 || i == len(s)-1 || s[i-1] == ' ') {
			return false
		}
	}
	return true
}

// minutes is d in whole minutes, rounded down, as in "waiting 20/60 min".
func minutes(d time.Duration) string {
	return strconv.FormatInt(int64(d/time.Minute), 10)
}

// span writes a duration for a card: "<1 min", "41 min", "3 h 20 min",
// "2 d 5 h".
func span(d time.Duration) string {
	m := int64(d / time.Minute)
	switch {
	case m < 1:
		return "<1 min"
	case m < 60:
		return strconv.FormatInt(m, 10) + " min"
	case m < 48*60:
		s := strconv.FormatInt(m/60, 10) + " h"
		if m%60 != 0 {
			s += " " + strconv.FormatInt(m%60, 10) + " min"
		}
		return s
	}
	h := m / 60
	s := strconv.FormatInt(h/24, 10) + " d"
	if h%24 != 0 {
		s += " " + strconv.FormatInt(h%24, 10) + " h"
	}
	return s
}
