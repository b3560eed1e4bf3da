package channel

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ellipsis ends text that was cut, so that whoever reads it knows there
// was more.
const ellipsis = "…"

// CleanText makes the text of a message safe to store and show. Anyone can
// write it, and what a browser, a terminal or a log viewer makes of
// stray bytes and controls is not what the customer saw: invalid UTF-8
// becomes U+FFFD (each run of bad bytes one, as with strings.ToValidUTF8);
// "\r\n" and a lone "\r", a line break to whoever typed it, become "\n";
// the other C0 controls, DEL and the C1 controls go; tab and newline stay.
// The result is at most max bytes, cut as Cut cuts.
//
// Text that is clean and short enough comes back as it is, without
// allocating: adapters clean every message.
func CleanText(s string, max int) string {
	if len(s) <= max && isCleanText(s) {
		return s
	}
	if max <= 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(min(len(s), max) + utf8.UTFMax)
	bad := false
	// What is past max does not change where the text is cut.
	for i := 0; i < len(s) && b.Len() <= max; {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == utf8.RuneError && size == 1 {
			if !bad {
				b.WriteRune(utf8.RuneError)
			}
			bad = true
			continue
		}
		bad = false
		switch {
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				i++
			}
			r = '\n'
		case unicode.IsControl(r) && r != '\t' && r != '\n':
			continue
		}
		b.WriteRune(r)
	}
	return Cut(b.String(), max)
}

// CleanName makes a display name, handle or other one-line label safe to
// store and show inline. As CleanText, and besides: each run of control
// characters and white space becomes one space, the ends are trimmed, and
// invisible format characters go: bidirectional controls can make a name
// read as another ("evil\u202Egnp.exe" shows as "evilexe.png"), and a
// zero-width space makes two names that look alike differ. Zero-width
// joiners, variation selectors and flag tags stay: the emoji people put in
// names need them.
// The result is at most max bytes, cut as Cut cuts but for a space before
// the ellipsis.
func CleanName(s string, max int) string {
	if len(s) <= max && isCleanName(s) {
		return s
	}
	if max <= 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(min(len(s), max) + utf8.UTFMax)
	bad, space := false, false
	for i := 0; i < len(s) && b.Len() <= max; {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == utf8.RuneError && size == 1 {
			if bad {
				continue
			}
			bad = true
		} else {
			bad = false
			switch {
			case isHiddenFormat(r):
				continue
			case unicode.IsControl(r) || unicode.IsSpace(r):
				space = b.Len() > 0
				continue
			}
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	s = b.String()
	if len(s) <= max {
		return s
	}
	n, tail := cutAt(s, max)
	return strings.TrimRight(s[:n], " ") + tail
}

// Cut shortens s to at most max bytes on a rune boundary, ending it with
// an ellipsis, counted within max, when it cuts: a reader must not take
// the start of a message for all of it. Below len("…") it cuts without
// one.
func Cut(s string, max int) string {
	if len(s) <= max {
		return s
	}
	n, tail := cutAt(s, max)
	return s[:n] + tail
}

// Prefix shortens s to at most max bytes on a rune boundary, as Cut does
// but without the ellipsis: for text no one reads as a message, which must
// not gain bytes it did not have, such as an id made from a name, a raw
// copy kept for audit or the input of a parser.
func Prefix(s string, max int) string {
	if len(s) <= max {
		return s
	}
	if max <= 0 {
		return ""
	}
	for max > 0 && !utf8.RuneStart(s[max]) {
		max--
	}
	return s[:max]
}

// cutAt is where Cut cuts s, which is longer than max bytes, and what it
// appends.
func cutAt(s string, max int) (int, string) {
	tail := ellipsis
	if max < len(ellipsis) {
		tail = ""
	}
	n := max - len(tail)
	if n < 0 {
		n = 0
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return n, tail
}

// isHiddenFormat reports whether r is an invisible format character a name
// does without: the bidirectional marks, embeddings, overrides and isolates
// that reorder the text around them, zero-width spaces, the byte-order
// mark, soft hyphens. The joiners and the tag characters of subdivision
// flags (Scotland's is a black flag, the tags "gbsct" and a cancel tag)
// are what emoji are made of, and stay.
func isHiddenFormat(r rune) bool {
	return unicode.Is(unicode.Cf, r) && r != '\u200C' && r != '\u200D' && !(r >= 0xE0020 && r <= 0xE007F)
}

// isCleanText reports whether CleanText leaves s as it is, but for its
// length.
func isCleanText(s string) bool {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r <= 0x9f {
			return false
		}
		i += size
	}
	return true
}

// isCleanName reports whether CleanName leaves s as it is, but for its
// length.
func isCleanName(s string) bool {
	space := true // a space here would lead the name
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c == ' ' && space || c < 0x20 || c == 0x7f {
				return false
			}
			space = c == ' '
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || unicode.IsControl(r) || unicode.IsSpace(r) || isHiddenFormat(r) {
			return false
		}
		space = false
		i += size
	}
	return !space || s == ""
}

// Thousands writes n with commas between thousands, as reasons shown to
// agents quote platforms' limits: 10000 is "10,000".
func Thousands(n int) string {
	s := strconv.Itoa(n)
	start := 0
	if n < 0 {
		start = 1
	}
	for i := len(s) - 3; i > start; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
