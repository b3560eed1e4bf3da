package reddit

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Comments and messages are written in Reddit's Markdown (snudown, a fork
// of sundown; reddit.com/wiki/markdown), and that source, "body", is what
// Parley shows. body_html is never used: it is HTML a hostile author
// shaped, and Parley shows plain text. MarkdownToText makes the source
// readable rather than rendering it:
//
//   - [text](url) becomes "text (url)", ![alt](url) "alt (url)", <url> the
//     url; so every link stays visible as the address it goes to, whatever
//     its text claims.
//   - Emphasis, strike-through and heading markers go; the words stay.
//     Underscores inside words (snake_case, u/some_name) stay.
//   - `code` loses its backticks; fenced and indented code are kept as
//     written. Backslash escapes are resolved, HTML entities decoded
//     (Reddit shows &gt; as ">"), never interpreted as markup.
//   - Quotes keep their "> "; list bullets become "• "; table separator
//     rows and horizontal rules go; >!spoilers!< read "[spoiler: …]".
//   - Control characters (but line breaks) and the bidirectional overrides
//     that could reorder what an agent reads are dropped, runs of blank
//     lines become one, and the result is cut at care.MaxTextBytes.
//
// The work is linear in the input for all practical purposes: one pass
// per line, and the look-ahead for a link's end is bounded.

// maxMarkdownBytes bounds the source read: Reddit's own limit is 10,000
// characters, at most 40,000 bytes.
const maxMarkdownBytes = 64 << 10

// Bounds on a link's parts, beyond which a "[" is taken literally.
const (
	maxLinkText = 1000
	maxLinkURL  = 2048
)

// ellipsis marks text cut at its limit.
const ellipsis = "…"

// MarkdownToText returns the readable plain text of a Reddit Markdown
// body, valid UTF-8 of at most care.MaxTextBytes bytes.
func MarkdownToText(body string) string {
	return markdownToText(body, care.MaxTextBytes)
}

func markdownToText(body string, limit int) string {
	if len(body) > maxMarkdownBytes {
		body = body[:maxMarkdownBytes]
	}
	body = strings.ToValidUTF8(body, "\uFFFD")
	body = strings.ReplaceAll(body, "\r\n", "\n")
	body = strings.ReplaceAll(body, "\r", "\n")
	var out []string
	fence := ""   // the fence of an open fenced code block
	prev := false // the previous line was text, so "---" under it is an underline
	for line := range strings.SplitSeq(body, "\n") {
		if fence != "" {
			if strings.HasPrefix(strings.TrimSpace(line), fence) {
				fence = ""
				continue
			}
			out = append(out, cleanLine(line))
			continue
		}
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~"):
			fence = trimmed[:3]
			prev = false
			continue
		case trimmed == "":
			out = append(out, "")
			prev = false
			continue
		case isRule(trimmed) || prev && isUnderline(trimmed) || isTableSeparator(trimmed):
			prev = false
			continue
		case strings.HasPrefix(line, "    ") || strings.HasPrefix(line, "\t"):
			// Indented code, or a list item's continuation: as written.
			out = append(out, cleanLine(strings.TrimRight(line, " \t")))
			prev = true
			continue
		}
		out = append(out, cleanLine(blockLine(trimmed)))
		prev = true
	}
	return finish(out, limit)
}

// blockLine converts one line of text: its block markers (heading, quote,
// list bullet, table pipes) and then its inline markup.
func blockLine(s string) string {
	var prefix strings.Builder
	for strings.HasPrefix(s, ">") && !strings.HasPrefix(s, ">!") {
		prefix.WriteString("> ")
		s = strings.TrimLeft(s[1:], " \t")
	}
	if h := strings.TrimLeft(s, "#"); len(s)-len(h) >= 1 && len(s)-len(h) <= 6 && (h == "" || h[0] == ' ' || h[0] == '\t') {
		s = strings.TrimRight(strings.TrimSpace(h), "#")
		s = strings.TrimSpace(s)
	}
	if len(s) >= 2 && (s[0] == '*' || s[0] == '-' || s[0] == '+') && (s[1] == ' ' || s[1] == '\t') {
		prefix.WriteString("• ")
		s = strings.TrimLeft(s[2:], " \t")
	}
	if strings.Count(s, "|") >= 2 && (s[0] == '|' || s[len(s)-1] == '|') {
		s = strings.TrimSpace(strings.Trim(s, "|"))
	}
	return html.UnescapeString(prefix.String() + inline(s, true))
}

// inline converts a line's inline markup; entities are left to the
// caller. links is false inside a link's text, which holds no links: so
// there is no recursion beyond one level, and the work stays linear.
func inline(s string, links bool) string {
	var b strings.Builder
	b.Grow(len(s))
	spoiler := -1 // where the open spoiler's "!<" is
	lastClose := -1
	if links {
		lastClose = strings.LastIndexByte(s, ']')
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case i == spoiler:
			b.WriteByte(']')
			spoiler = -1
			i += 2
			continue
		case c == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]):
			b.WriteByte(s[i+1])
			i += 2
			continue
		case c == '`':
			if text, n := codeSpan(s[i:]); n > 0 {
				b.WriteString(text)
				i += n
				continue
			}
			// An unmatched run of backticks stays as written.
			n := runLen(s[i:], '`')
			b.WriteString(s[i : i+n])
			i += n
			continue
		case c == '!' && i+1 < lastClose && s[i+1] == '[':
			if text, n := link(s[i+1:]); n > 0 {
				b.WriteString(text)
				i += 1 + n
				continue
			}
		case c == '[' && i < lastClose:
			if text, n := link(s[i:]); n > 0 {
				b.WriteString(text)
				i += n
				continue
			}
		case c == '<':
			if end := strings.IndexByte(s[i:min(len(s), i+maxLinkURL)], '>'); end > 0 {
				if u := s[i+1 : i+end]; isAutolink(u) {
					b.WriteString(u)
					i += end + 1
					continue
				}
			}
		case c == '>' && i+1 < len(s) && s[i+1] == '!' && spoiler < 0:
			if end := strings.Index(s[i+2:min(len(s), i+2+maxLinkText)], "!<"); end >= 0 {
				b.WriteString("[spoiler: ")
				spoiler = i + 2 + end
				i += 2
				continue
			}
		case c == '*' || c == '_' || c == '~':
			n := runLen(s[i:], c)
			if (c != '~' || n >= 2) && n <= 3 && emphasis(s, i, n, c) {
				i += n
				continue
			}
			b.WriteString(s[i : i+n])
			i += n
			continue
		}
		b.WriteByte(c)
		i++
	}
	if spoiler >= 0 {
		b.WriteByte(']') // a link ran over the spoiler's end
	}
	return b.String()
}

// emphasis reports whether the run of n delimiters c at s[i:] marks
// emphasis: it touches a word on one side, and, for underscores, not a
// letter or digit on the other (so snake_case keeps its underscore).
func emphasis(s string, i, n int, c byte) bool {
	before, _ := utf8.DecodeLastRuneInString(s[:i])
	after, _ := utf8.DecodeRuneInString(s[i+n:])
	if i == 0 {
		before = ' '
	}
	if i+n == len(s) {
		after = ' '
	}
	open := !unicode.IsSpace(after)
	closing := !unicode.IsSpace(before)
	if c == '_' {
		open = open && !isWordRune(before)
		closing = closing && !isWordRune(after)
	}
	return open || closing
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// codeSpan reads a code span at the start of s: a run of backticks, text,
// and a run of as many. It returns the text, trimmed of one space each
// side, and the bytes read; n is 0 when the run is not closed.
func codeSpan(s string) (text string, n int) {
	open := runLen(s, '`')
	for i := open; i < len(s); {
		j := strings.IndexByte(s[i:], '`')
		if j < 0 {
			return "", 0
		}
		i += j
		if m := runLen(s[i:], '`'); m == open {
			text = s[open:i]
			if len(text) >= 2 && text[0] == ' ' && text[len(text)-1] == ' ' {
				text = text[1 : len(text)-1]
			}
			return text, i + m
		} else {
			i += m
		}
	}
	return "", 0
}

// link reads [text](url "title") at the start of s. It returns the link as
// plain text, "text (url)" or the url alone when text is the url or
// empty, and the bytes read; n is 0 when s does not start a link.
func link(s string) (text string, n int) {
	depth := 0
	end := -1
	for i := 0; i < len(s) && i <= maxLinkText; i++ {
		switch s[i] {
		case '\\':
			i++
		case '[':
			depth++
		case ']':
			depth--
		}
		if depth == 0 {
			end = i
			break
		}
	}
	if end < 0 || end+1 >= len(s) || s[end+1] != '(' {
		return "", 0
	}
	rest := s[end+2:]
	depth = 0
	close := -1
	for i := 0; i < len(rest) && i <= maxLinkURL; i++ {
		switch rest[i] {
		case '\\':
			i++
		case '(':
			depth++
		case ')':
			depth--
		}
		if depth < 0 {
			close = i
			break
		}
	}
	if close < 0 {
		return "", 0
	}
	label := strings.TrimSpace(inline(s[1:end], false))
	target := strings.TrimSpace(rest[:close])
	if sp := strings.IndexAny(target, " \t"); sp >= 0 {
		target = target[:sp] // drop the title
	}
	target = strings.TrimSuffix(strings.TrimPrefix(target, "<"), ">")
	n = end + 2 + close + 1
	switch {
	case target == "":
		return label, n
	case label == "" || label == target:
		return target, n
	}
	return label + " (" + target + ")", n
}

// isAutolink reports whether s, between < and >, is a URL written to be a
// link.
func isAutolink(s string) bool {
	if strings.ContainsAny(s, " \t<>") {
		return false
	}
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "mailto:")
}

func runLen(s string, c byte) int {
	n := 0
	for n < len(s) && s[n] == c {
		n++
	}
	return n
}

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

// isRule reports whether s is a horizontal rule: three or more *, - or _
// and nothing else but spaces.
func isRule(s string) bool {
	c := s[0]
	if c != '*' && c != '-' && c != '_' {
		return false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case c:
			n++
		case ' ', '\t':
		default:
			return false
		}
	}
	return n >= 3
}

// isUnderline reports whether s underlines the line above as a heading:
// only = or only -.
func isUnderline(s string) bool {
	return strings.Trim(s, "=") == "" || strings.Trim(s, "-") == ""
}

// isTableSeparator reports whether s is a table's header separator, like
// "---|:--:|---".
func isTableSeparator(s string) bool {
	if !strings.Contains(s, "-") || !strings.ContainsAny(s, "|") {
		return false
	}
	return strings.Trim(s, "|-: \t") == ""
}

// cleanLine drops control characters (a tab becomes a space) and the
// bidirectional embeddings, overrides and isolates, and trailing spaces.
func cleanLine(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return ' '
		case unicode.IsControl(r), r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069', r == '\u2028', r == '\u2029', r == '\ufeff':
			return -1
		}
		return r
	}, s)
	return strings.TrimRightFunc(s, unicode.IsSpace)
}

// finish joins lines, one blank line at most between paragraphs and none
// around, and cuts the result to limit bytes.
func finish(lines []string, limit int) string {
	var b strings.Builder
	blank := false
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			blank = b.Len() > 0
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
			if blank {
				b.WriteByte('\n')
			}
		}
		blank = false
		b.WriteString(l)
		if b.Len() > limit+len(ellipsis) {
			break
		}
	}
	return channel.Cut(b.String(), limit)
}
