package mastodon

import (
	"html"
	"strings"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// A status's content is HTML: Mastodon's own posts use <p>, <br>, <a> and
// <span> (links as <a><span class="invisible">https://www.</span><span
// class="ellipsis">example.com/a</span><span class="invisible">/long/path
// </span></a>, mentions as <a class="u-url mention">@<span>user</span></a>);
// posts from other servers pass Mastodon's sanitizer, which also keeps
// <blockquote>, <pre>, <code>, lists and emphasis
// (docs.joinmastodon.org/spec/activitypub/#sanitization). Parley shows plain
// text, so HTMLToText keeps the text of everything and the structure of
// paragraphs, line breaks and list items. The input is treated as hostile
// all the same: there is no tree and no recursion, so nesting costs nothing,
// the work is linear in the input, which is itself bounded, and the content
// of script-like elements is dropped, not shown.

// maxHTMLBytes bounds the HTML read; the rest of a longer content is
// dropped, as the output would be cut long before.
const maxHTMLBytes = 1 << 20

// ellipsis marks text cut at its limit.
const ellipsis = "…"

// HTMLToText returns the plain text of a status's HTML content: paragraphs
// separated by a blank line, <br> as a line break, list items on lines of
// their own, links as their text (so "@user" mentions and "#tags" read as
// written, and a shortened link as the whole URL), entities decoded, runs
// of white space collapsed outside <pre>, control characters dropped,
// everything else's tags removed and the content of script, style and
// similar elements dropped. The result is valid UTF-8 of at most
// care.MaxTextBytes bytes, cut with an ellipsis.
func HTMLToText(content string) string {
	return htmlToText(content, care.MaxTextBytes)
}

// dropped are the elements whose content is not text a reader sees.
var dropped = map[string]bool{
	"script": true, "style": true, "template": true, "noscript": true, "iframe": true,
	"object": true, "embed": true, "svg": true, "math": true, "head": true, "title": true,
	"textarea": true, "select": true, "noembed": true, "noframes": true, "xmp": true, "plaintext": true,
}

// rawText are the elements whose content is not parsed for tags: it runs
// to their end tag (HTML's raw text and RCDATA elements; plaintext has no
// end).
var rawText = map[string]bool{
	"script": true, "style": true, "iframe": true, "noembed": true, "noframes": true,
	"xmp": true, "textarea": true, "title": true, "plaintext": true,
}

// blocks are the elements that stand in paragraphs of their own.
var blocks = map[string]bool{
	"p": true, "div": true, "blockquote": true, "pre": true, "ul": true, "ol": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"table": true, "tr": true, "hr": true, "section": true, "article": true, "header": true,
	"footer": true, "aside": true, "figure": true, "figcaption": true, "dl": true, "dd": true, "dt": true,
}

func htmlToText(s string, limit int) string {
	s = strings.ToValidUTF8(channel.Prefix(s, maxHTMLBytes), "\uFFFD")
	w := &textWriter{limit: limit}
	skip := 0 // depth of dropped elements
	for i := 0; i < len(s) && !w.full; {
		lt := strings.IndexByte(s[i:], '<')
		if lt < 0 {
			if skip == 0 {
				w.text(s[i:])
			}
			break
		}
		if skip == 0 {
			w.text(s[i : i+lt])
		}
		i += lt
		t, n := readTag(s[i:])
		if n == 0 { // a "<" that starts no tag is text
			if skip == 0 {
				w.text("<")
			}
			i++
			continue
		}
		i += n
		if t.name == "" { // comment, doctype, processing instruction
			continue
		}
		if dropped[t.name] {
			if t.end {
				skip = max(skip-1, 0)
				continue
			}
			if rawText[t.name] {
				// The content is not markup; skip it whole.
				i += rawEnd(s[i:], t.name)
				continue
			}
			if !t.selfClosing {
				skip++
			}
			continue
		}
		if skip > 0 {
			continue
		}
		w.tag(t)
	}
	return w.String()
}

// tag is a start or end tag as readTag found it; name is lower-case ASCII,
// "" for a comment or other markup declaration.
type tag struct {
	name        string
	end         bool
	selfClosing bool
}

// readTag reads the markup at the start of s, which begins with "<", and
// returns it and its length in bytes; n is 0 when the "<" starts no markup
// and is text. Markup cut off by the end of s is all of s, and dropped, as
// HTML drops a tag cut off by the end of the file.
func readTag(s string) (t tag, n int) {
	if len(s) < 2 {
		return tag{}, 0
	}
	switch c := s[1]; {
	case c == '!':
		if strings.HasPrefix(s, "<!--") {
			if end := strings.Index(s[4:], "-->"); end >= 0 {
				return tag{}, 4 + end + 3
			}
			return tag{}, len(s)
		}
		return tag{}, bogus(s)
	case c == '?':
		return tag{}, bogus(s)
	case c == '/':
		if len(s) < 3 || !asciiLetter(s[2]) {
			if len(s) >= 3 && s[2] == '>' {
				return tag{}, 3
			}
			return tag{}, bogus(s)
		}
		t.end = true
		n = 2
	case asciiLetter(c):
		n = 1
	default:
		return tag{}, 0
	}
	start := n
	for n < len(s) && !tagSpace(s[n]) && s[n] != '/' && s[n] != '>' {
		n++
	}
	t.name = strings.ToLower(s[start:n])
	// Attributes: only their extent matters, so that a ">" inside a quoted
	// value does not end the tag.
	for n < len(s) {
		switch c := s[n]; {
		case c == '>':
			t.selfClosing = n > 0 && s[n-1] == '/'
			return t, n + 1
		case c == '=':
			n++
			for n < len(s) && tagSpace(s[n]) {
				n++
			}
			if n < len(s) && (s[n] == '"' || s[n] == '\'') {
				end := strings.IndexByte(s[n+1:], s[n])
				if end < 0 {
					return tag{}, len(s)
				}
				n += 1 + end + 1
			}
		default:
			n++
		}
	}
	return tag{}, len(s)
}

// bogus is the length of a bogus comment ("<!DOCTYPE …>", "<?xml …>", "</ …>"):
// up to and including the next ">".
func bogus(s string) int {
	if end := strings.IndexByte(s, '>'); end >= 0 {
		return end + 1
	}
	return len(s)
}

// rawEnd returns the length of a raw text element's content and end tag:
// up to and including the next "</name …>", or all of s.
func rawEnd(s, name string) int {
	for i := 0; ; {
		j := strings.Index(s[i:], "</")
		if j < 0 {
			return len(s)
		}
		i += j
		if rest := s[i+2:]; len(rest) >= len(name) && strings.EqualFold(rest[:len(name)], name) &&
			(len(rest) == len(name) || tagSpace(rest[len(name)]) || rest[len(name)] == '>' || rest[len(name)] == '/') {
			return i + bogus(s[i:])
		}
		i += 2
	}
}

func asciiLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func tagSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// textWriter collects the text, deferring white space and line breaks to
// the next visible character, so that none lead or trail and runs collapse.
type textWriter struct {
	b      strings.Builder
	limit  int
	full   bool
	breaks int    // line breaks owed, at most 2 (a blank line)
	space  bool   // a space owed
	prefix string // written at the start of the next line's text
	pre    int    // depth of <pre>
}

func (w *textWriter) breakLines(n int) {
	w.breaks = min(max(w.breaks, n), 2)
}

func (w *textWriter) tag(t tag) {
	switch {
	case t.name == "br":
		w.breaks = min(w.breaks+1, 2)
	case t.name == "li":
		w.breakLines(1)
		if !t.end {
			w.prefix = "- "
		}
	case blocks[t.name]:
		w.breakLines(2)
		if t.name == "pre" {
			if t.end {
				w.pre = max(w.pre-1, 0)
			} else if !t.selfClosing {
				w.pre++
			}
		}
	}
}

// text writes a run of HTML text: entities decoded, white space collapsed
// outside <pre>, control characters dropped.
func (w *textWriter) text(s string) {
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	for _, r := range s {
		if w.full {
			return
		}
		switch {
		case w.pre > 0 && r == '\n':
			w.breaks = min(w.breaks+1, 2)
		case w.pre > 0 && r == '\r':
		case w.pre > 0 && (r == ' ' || r == '\t'):
			w.visible(r) // indentation is the point of <pre>
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f':
			w.space = true
		case r < 0x20 || r >= 0x7f && r < 0xa0:
			// Control characters: NUL and friends have no place in text.
		default:
			w.visible(r)
		}
	}
}

// visible writes r after the white space and breaks owed.
func (w *textWriter) visible(r rune) {
	var lead string
	switch {
	case w.b.Len() == 0:
		lead = w.prefix
	case w.breaks > 0:
		lead = strings.Repeat("\n", w.breaks) + w.prefix
	case w.space:
		lead = " "
	}
	if w.b.Len()+len(lead)+utf8.RuneLen(r)+len(ellipsis) > w.limit {
		w.full = true
		if w.b.Len()+len(ellipsis) <= w.limit {
			w.b.WriteString(ellipsis)
		}
		return
	}
	w.b.WriteString(lead)
	w.b.WriteRune(r)
	w.breaks, w.space, w.prefix = 0, false, ""
}

func (w *textWriter) String() string { return strings.TrimRight(w.b.String(), " \t") }
