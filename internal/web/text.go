package web

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// segment is one piece of a customer's text as the page shows it: plain
// text, a link (Href set, Text its real target), or a marker for characters
// that would otherwise be invisible or reorder what surrounds them (Hidden
// set). Templates print every field through html/template's escaping; no
// customer text is ever marked as trusted HTML.
type segment struct {
	Text   string
	Href   string
	Hidden string // short label, e.g. "RLO" or "ZWSP×3"
	Title  string // what Hidden stands for
}

// Collapsing: a message longer than this is shown cut, with the rest behind
// "show more", so one message cannot bury the timeline.
const (
	collapseLines = 25
	collapseRunes = 2500
	headLines     = 15
	headRunes     = 1200
)

// body is a message text split for display: Head always shown, More behind
// a disclosure when the text is long.
type body struct {
	Head, More []segment
	MoreLabel  string
}

// renderBody prepares a message's text for display.
func renderBody(text string) body {
	text = normalizeNewlines(text)
	lines := strings.Count(text, "\n") + 1
	runes := utf8.RuneCountInString(text)
	if lines <= collapseLines && runes <= collapseRunes {
		return body{Head: segments(text)}
	}
	cut := cutPoint(text, headLines, headRunes)
	rest := text[cut:]
	restLines := strings.Count(rest, "\n")
	label := fmt.Sprintf("Show more (%d more lines)", restLines)
	if restLines < 2 {
		label = fmt.Sprintf("Show more (%d more characters)", utf8.RuneCountInString(rest))
	}
	return body{Head: segments(text[:cut]), More: segments(rest), MoreLabel: label}
}

// cutPoint returns the byte offset after at most lines lines and at most
// runes runes of s, preferring a line end.
func cutPoint(s string, lines, runes int) int {
	n, r := 0, 0
	for i, c := range s {
		if r == runes {
			return i
		}
		r++
		if c == '\n' {
			if n++; n == lines {
				return i + 1
			}
		}
	}
	return len(s)
}

func normalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// segments splits text into plain runs, http(s) links and markers for
// hidden characters. A run of hidden characters becomes one marker.
func segments(text string) []segment {
	var out []segment
	start := 0
	for i := 0; i < len(text); {
		c, size := utf8.DecodeRuneInString(text[i:])
		if !hiddenRune(c) && c != utf8.RuneError {
			i += size
			continue
		}
		out = append(out, links(text[start:i])...)
		j, n := i, 0
		var first, last rune = c, c
		same := true
		for j < len(text) {
			d, sz := utf8.DecodeRuneInString(text[j:])
			if !hiddenRune(d) && d != utf8.RuneError {
				break
			}
			same = same && d == first
			last = d
			j += sz
			n++
		}
		out = append(out, hiddenSegment(first, last, n, same))
		i, start = j, j
	}
	return append(out, links(text[start:])...)
}

func hiddenSegment(first, last rune, n int, same bool) segment {
	label := runeLabel(first)
	title := "Hidden character " + runeName(first)
	switch {
	case n > 1 && same:
		label += fmt.Sprintf("×%d", n)
		title = fmt.Sprintf("%d hidden characters %s", n, runeName(first))
	case n > 1:
		label += fmt.Sprintf("…×%d", n)
		title = fmt.Sprintf("%d hidden characters, from %s to %s", n, runeName(first), runeName(last))
	}
	return segment{Hidden: label, Title: title}
}

// hiddenRune reports whether r is a character that shows nothing, or that
// changes the direction of the text around it, and so could disguise what a
// message says: controls, zero-width spaces, bidirectional embeddings,
// overrides and isolates, tag characters, fillers. Joiners (U+200C, U+200D)
// and the left-to-right and right-to-left marks stay: emoji sequences and
// several scripts need them, and marks cannot reorder text the way overrides
// do.
func hiddenRune(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || r >= 0x7f && r <= 0x9f:
		return true
	case r == 0x200b || r == 0x2060 || r == 0xfeff || r == 0x180e || r >= 0x2061 && r <= 0x2064:
		return true
	case r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069:
		return true
	case r >= 0xe0000 && r <= 0xe007f:
		return true
	case r >= 0xfff9 && r <= 0xfffb:
		return true
	case r == 0x115f || r == 0x1160 || r == 0x3164 || r == 0xffa0:
		return true
	}
	return false
}

var runeShort = map[rune]string{
	0x200b: "ZWSP", 0x2060: "WJ", 0xfeff: "BOM",
	0x202a: "LRE", 0x202b: "RLE", 0x202c: "PDF", 0x202d: "LRO", 0x202e: "RLO",
	0x2066: "LRI", 0x2067: "RLI", 0x2068: "FSI", 0x2069: "PDI",
}

func runeLabel(r rune) string {
	if s, ok := runeShort[r]; ok {
		return s
	}
	if r == utf8.RuneError {
		return "�"
	}
	return fmt.Sprintf("U+%04X", r)
}

func runeName(r rune) string {
	if r == utf8.RuneError {
		return "(invalid UTF-8)"
	}
	if s, ok := runeShort[r]; ok {
		return fmt.Sprintf("U+%04X (%s)", r, s)
	}
	return fmt.Sprintf("U+%04X", r)
}

// urlPattern finds candidate links; links() checks each with url.Parse.
var urlPattern = regexp.MustCompile(`(?i)\bhttps?://[^\s<>"'` + "`" + `]+`)

// maxLinkBytes bounds what is made a link; a longer "URL" stays text.
const maxLinkBytes = 2048

// links splits plain text around http and https URLs. Only those two
// schemes become links, and the link text is the URL itself, so what the
// agent reads is where the link goes.
func links(s string) []segment {
	if s == "" {
		return nil
	}
	var out []segment
	last := 0
	for _, m := range urlPattern.FindAllStringIndex(s, -1) {
		u := trimURL(s[m[0]:m[1]])
		end := m[0] + len(u)
		if !linkable(u) {
			continue
		}
		if m[0] > last {
			out = append(out, segment{Text: s[last:m[0]]})
		}
		out = append(out, segment{Text: u, Href: u})
		last = end
	}
	if last < len(s) {
		out = append(out, segment{Text: s[last:]})
	}
	return out
}

// trimURL drops punctuation that ends a sentence rather than the URL, and a
// closing bracket that has no opening one inside the URL. It counts the
// brackets once, so a hostile run of them costs linear time.
func trimURL(u string) string {
	open := map[byte]int{')': strings.Count(u, "("), ']': strings.Count(u, "["), '}': strings.Count(u, "{")}
	closed := map[byte]int{')': strings.Count(u, ")"), ']': strings.Count(u, "]"), '}': strings.Count(u, "}")}
	for u != "" {
		c := u[len(u)-1]
		switch {
		case strings.IndexByte(".,;:!?*", c) >= 0:
		case (c == ')' || c == ']' || c == '}') && open[c] < closed[c]:
			closed[c]--
		default:
			return u
		}
		u = u[:len(u)-1]
	}
	return u
}

func linkable(u string) bool {
	if len(u) > maxLinkBytes {
		return false
	}
	p, err := url.Parse(u)
	if err != nil || p.Host == "" || p.User != nil {
		return false
	}
	s := strings.ToLower(p.Scheme)
	return s == "http" || s == "https"
}

// plain is s for a short, single-line place (a name, a tag, an excerpt):
// hidden characters removed, whitespace runs folded into one space.
func plain(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			r = '�'
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case hiddenRune(r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// excerpt is the start of s, made plain and cut to at most n runes.
func excerpt(s string, n int) string {
	// Plain-ing a 64 KiB message to show 120 runes is wasted work; a prefix
	// four times as long covers the whitespace and hidden characters dropped.
	if len(s) > n*16 {
		cut := n * 16
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	return truncate(plain(s), n)
}

// truncate cuts s to at most n runes, ending with an ellipsis when cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for k := range s {
		if i == n-1 {
			return strings.TrimRight(s[:k], " ") + "…"
		}
		i++
	}
	return s
}
