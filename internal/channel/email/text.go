package email

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// truncate cuts s to at most n bytes at a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// cutText cuts s to at most n bytes at a rune boundary, saying so at the
// end so an agent knows there was more.
func cutText(s string, n int) string {
	const mark = "\n[…]"
	if len(s) <= n {
		return s
	}
	return truncate(s, n-len(mark)) + mark
}

// oneLine makes header text safe to store and show: valid UTF-8, each run of
// whitespace or control characters one space, bidirectional controls (which
// can make a name read as something else) dropped, at most n bytes.
func oneLine(s string, n int) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case unicode.IsSpace(r) || unicode.IsControl(r):
			space = b.Len() > 0
			continue
		case bidiControl(r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
		if b.Len() > n+utf8.UTFMax {
			break
		}
	}
	return truncate(b.String(), n)
}

// cleanBody makes body text safe to store: valid UTF-8, "\n" line ends,
// no control characters but tabs and newlines, no trailing spaces.
func cleanBody(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
		case r == '\r' || r == '\f' || r == '\v' || r == '\u2028' || r == '\u2029':
			r = '\n'
		case unicode.IsControl(r):
			continue
		}
		b.WriteRune(r)
	}
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRightFunc(l, unicode.IsSpace)
	}
	return strings.Join(lines, "\n")
}

// bidiControl reports whether r changes the direction of the text around
// it. Other format characters stay: U+200D joins the parts of many emoji.
func bidiControl(r rune) bool {
	return r == '\u061c' || r == '\u200e' || r == '\u200f' || r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069'
}
