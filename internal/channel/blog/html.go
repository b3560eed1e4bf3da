package blog

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/parleyhq/parley/internal/care"
)

// A feed's titles, summaries and contents are HTML written by anyone who
// can post on the blog or comment on it, and WordPress's comments are
// HTML too (content.rendered). Parley shows plain text, never markup:
// HTMLToText walks the input with golang.org/x/net/html's tokenizer, the
// HTML5 tokenizing algorithm, so what counts as a tag, an attribute, a
// comment or raw text is decided as a browser decides it. Nothing is
// rendered, fetched or kept: only text nodes are written, with the
// structure of paragraphs, line breaks and list items. The work is linear
// in the input, which is itself bounded; there is no tree, so nesting
// costs nothing.

// maxHTMLBytes bounds the HTML read; the rest of a longer input is
// dropped, since the text would be cut long before.
const maxHTMLBytes = 1 << 20

// ellipsis marks text cut at its limit.
const ellipsis = "…"

// HTMLToText returns the plain text of an HTML fragment: paragraphs
// separated by a blank line, <br> as a line break, list items on lines of
// their own starting with "- ", a link as its text followed by its address
// in parentheses when the text does not show it, entities decoded, runs of
// white space collapsed outside <pre>, control and format characters
// dropped, every other tag removed and the content of script, style and
// similar elements dropped. The result is valid UTF-8 of at most
// care.MaxTextBytes bytes, cut with an ellipsis.
func HTMLToText(fragment string) string {
	return htmlToText(fragment, care.MaxTextBytes)
}

// dropped are the elements whose content is not text a reader sees.
var dropped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Template: true, atom.Noscript: true, atom.Iframe: true,
	atom.Object: true, atom.Embed: true, atom.Svg: true, atom.Math: true, atom.Head: true, atom.Title: true,
	atom.Textarea: true, atom.Select: true, atom.Noembed: true, atom.Noframes: true, atom.Xmp: true,
	atom.Plaintext: true, atom.Button: true,
}

// blocks are the elements that stand in paragraphs of their own.
var blocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Blockquote: true, atom.Pre: true, atom.Ul: true, atom.Ol: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Table: true, atom.Tr: true, atom.Hr: true, atom.Section: true, atom.Article: true, atom.Header: true,
	atom.Footer: true, atom.Aside: true, atom.Figure: true, atom.Figcaption: true, atom.Dl: true, atom.Dd: true,
	atom.Dt: true, atom.Address: true, atom.Details: true, atom.Summary: true, atom.Main: true, atom.Nav: true,
}

func htmlToText(s string, limit int) string {
	if len(s) > maxHTMLBytes {
		s = s[:maxHTMLBytes]
		// Not in the middle of a tag, whose start would read as text.
		if lt := strings.LastIndexByte(s, '<'); lt > strings.LastIndexByte(s, '>') {
			s = s[:lt]
		}
	}
	z := html.NewTokenizer(strings.NewReader(s))
	// A single token (a tag with endless attributes) may not grow the
	// buffer beyond the input bound.
	z.SetMaxBuf(maxHTMLBytes + 1)
	w := &textWriter{limit: limit}
	skip := map[atom.Atom]int{}
	skipping := 0
	var link *openLink
	for !w.full {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			// io.EOF, or ErrBufferExceeded for a token over the bound:
			// what was written so far stands.
			return w.String()
		case html.TextToken:
			if skipping == 0 {
				w.text(string(z.Text()))
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			if dropped[a] {
				if tt == html.StartTagToken {
					skip[a]++
					skipping++
				}
				continue
			}
			if skipping > 0 {
				continue
			}
			if a == atom.A && link == nil && hasAttr && tt == html.StartTagToken {
				if href := attr(z, "href"); href != "" {
					link = &openLink{href: href, start: w.b.Len()}
				}
				continue
			}
			w.tag(a, false, tt == html.SelfClosingTagToken)
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if dropped[a] {
				if skip[a] > 0 {
					skip[a]--
					skipping--
				}
				continue
			}
			if skipping > 0 {
				continue
			}
			if a == atom.A && link != nil {
				w.linkEnd(*link)
				link = nil
				continue
			}
			w.tag(a, true, false)
		}
	}
	return w.String()
}

// openLink is an <a> whose text is being written.
type openLink struct {
	href  string
	start int // the text's offset in the output
}

// attr returns the value of the attribute key of the current tag.
func attr(z *html.Tokenizer, key string) string {
	for {
		k, v, more := z.TagAttr()
		if string(k) == key {
			return strings.TrimSpace(string(v))
		}
		if !more {
			return ""
		}
	}
}

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

func (w *textWriter) tag(a atom.Atom, end, selfClosing bool) {
	switch {
	case a == atom.Br:
		w.breaks = min(w.breaks+1, 2)
	case a == atom.Li:
		w.breakLines(1)
		if !end {
			w.prefix = "- "
		}
	case a == atom.Td || a == atom.Th:
		w.space = true
	case blocks[a]:
		w.breakLines(2)
		if a == atom.Pre {
			if end {
				w.pre = max(w.pre-1, 0)
			} else if !selfClosing {
				w.pre++
			}
		}
	}
}

// linkEnd follows a link's text with its address, when the address is a
// web one the text does not already show: "the manual (https://…)".
func (w *textWriter) linkEnd(l openLink) {
	if !strings.HasPrefix(l.href, "https://") && !strings.HasPrefix(l.href, "http://") {
		return
	}
	text := w.b.String()[min(l.start, w.b.Len()):]
	if strings.TrimSpace(text) == "" || strings.Contains(text, strings.TrimRight(strings.TrimPrefix(strings.TrimPrefix(l.href, "https://"), "http://"), "/")) {
		return
	}
	w.space = true
	w.text("(" + l.href + ")")
}

// text writes a run of text, its entities already decoded by the
// tokenizer: white space collapsed outside <pre>, control and format
// characters dropped.
func (w *textWriter) text(s string) {
	for _, r := range s {
		if w.full {
			return
		}
		switch {
		case r == utf8.RuneError:
			// Invalid UTF-8 in the input: nothing to show.
		case w.pre > 0 && r == '\n':
			w.breaks = min(w.breaks+1, 2)
		case w.pre > 0 && r == '\r':
		case w.pre > 0 && (r == ' ' || r == '\t'):
			w.visible(r) // indentation is the point of <pre>
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\u00a0' || r == '\u2028' || r == '\u2029':
			w.space = true
		case r < 0x20 || r >= 0x7f && r < 0xa0:
			// Control characters have no place in text.
		case isFormat(r):
			// Bidi overrides and other invisible format characters can
			// make a text read otherwise than it is.
		default:
			w.visible(r)
		}
	}
}

// isFormat reports the format characters that are dropped: bidirectional
// embeddings, overrides and isolates, and the byte order mark. Joiners
// stay, since emoji sequences need them.
func isFormat(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0xfeff
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
