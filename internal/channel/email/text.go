package email

import (
	"math"
	"strings"
	"unicode"

	"github.com/parleyhq/parley/internal/channel"
)

// cutText cuts s to at most n bytes at a rune boundary, saying so at the
// end so an agent knows there was more. The mark is a line of its own,
// as the other notes Parley adds to a body are, not channel.Cut's
// ellipsis.
func cutText(s string, n int) string {
	const mark = "\n[…]"
	if len(s) <= n {
		return s
	}
	return channel.Prefix(s, n-len(mark)) + mark
}

// lineBreaks are what mail bodies break lines with: "\r\n", a lone "\r",
// and the form feeds, vertical tabs and Unicode line and paragraph
// separators some clients write. Each becomes "\n" before CleanText would
// drop the controls among them and run two lines together.
var lineBreaks = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\f", "\n", "\v", "\n", "\u2028", "\n", "\u2029", "\n")

// cleanBody makes body text safe to store as channel.CleanText does, but
// with each of lineBreaks a "\n", no trailing spaces, and uncut: the quoted
// history is stripped first, and cutText cuts what is left.
func cleanBody(s string) string {
	lines := strings.Split(channel.CleanText(lineBreaks.Replace(s), math.MaxInt), "\n")
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
