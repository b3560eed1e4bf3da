package email

import (
	"html"
	"slices"
	"strings"
	"unicode"

	"github.com/microcosm-cc/bluemonday"
	"github.com/parleyhq/parley/internal/channel"
)

// maxHTMLBytes bounds the HTML read for its text. Sanitising costs about
// 0.2 s a megabyte; what a customer newly wrote is at the top, and the text
// kept is at most care.MaxTextBytes anyway.
const maxHTMLBytes = 1 << 20

// textPolicy is bluemonday's StrictPolicy, which keeps no markup at all,
// opened for the few elements that carry meaning in plain text: line and
// block breaks, list items, quotes and links to web and mail addresses.
// Everything else goes, script and style with their content; what remains
// is markup bluemonday wrote itself, simple enough for htmlText to read
// without a full HTML parser.
//
// Stripped tags leave nothing behind: inline ones (<b>, <span>, <font>)
// sit inside words and sentences ("<b>#123</b>, placed" must not read
// "#123 , placed"). The block elements that separate words are kept, and
// htmlText breaks lines at them.
var textPolicy = func() *bluemonday.Policy {
	p := bluemonday.StrictPolicy()
	p.AllowElements("p", "div", "br", "hr", "blockquote", "pre", "ul", "ol", "li",
		"table", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6")
	p.AllowElements(sectionElements...)
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireParseableURLs(true)
	return p
}()

// sectionElements are the other block elements mail clients write, each a
// line of its own in the text.
var sectionElements = []string{"section", "article", "header", "footer", "main", "nav", "aside", "address",
	"figure", "figcaption", "center", "caption", "dl", "dt", "dd", "thead", "tbody", "tfoot", "form", "fieldset", "legend", "details", "summary"}

// htmlText turns an HTML email body into the plain text a reader sees:
// sanitised by textPolicy, blocks on lines of their own, <blockquote>
// quoted with "> " as a plain-text client would, links kept as
// "text (url)", entities unescaped and whitespace collapsed.
func htmlText(h string) string {
	safe := textPolicy.Sanitize(channel.Prefix(h, maxHTMLBytes))
	w := &textWriter{}
	for len(safe) > 0 {
		lt := strings.IndexByte(safe, '<')
		if lt < 0 {
			w.text(html.UnescapeString(safe))
			break
		}
		w.text(html.UnescapeString(safe[:lt]))
		gt := strings.IndexByte(safe[lt:], '>')
		if gt < 0 {
			break
		}
		w.tag(safe[lt+1 : lt+gt])
		safe = safe[lt+gt+1:]
	}
	return w.String()
}

// textWriter accumulates the text of sanitised HTML.
type textWriter struct {
	lines   []string
	cur     strings.Builder
	quote   int  // depth of <blockquote>
	pre     int  // depth of <pre>, where whitespace is kept
	space   bool // a collapsed space is pending
	linkAt  int  // where the current link's text starts in cur, -1 if none
	linkURL string
	inLink  bool
}

func (w *textWriter) text(s string) {
	for _, r := range s {
		if w.pre == 0 && (unicode.IsSpace(r) || r == '\u00a0') {
			w.space = w.cur.Len() > 0
			continue
		}
		if r == '\n' {
			w.newline()
			continue
		}
		if w.cur.Len() == 0 && w.quote > 0 {
			w.cur.WriteString(strings.Repeat("> ", w.quote))
			if w.inLink {
				w.linkAt = w.cur.Len()
			}
		}
		if w.space {
			w.cur.WriteByte(' ')
			w.space = false
		}
		w.cur.WriteRune(r)
	}
}

// newline ends the current line; blank lines collapse later, in String.
func (w *textWriter) newline() {
	w.lines = append(w.lines, strings.TrimRightFunc(w.cur.String(), unicode.IsSpace))
	w.cur.Reset()
	w.space = false
	if w.inLink {
		w.linkAt = 0
	}
}

// block starts a new line unless the current one is empty.
func (w *textWriter) block() {
	if w.cur.Len() > 0 {
		w.newline()
	}
}

func (w *textWriter) tag(t string) {
	end := strings.HasPrefix(t, "/")
	t = strings.TrimPrefix(t, "/")
	name, attrs, _ := strings.Cut(strings.TrimSuffix(t, "/"), " ")
	switch strings.ToLower(name) {
	case "br":
		w.newline()
	case "div", "table", "tr":
		w.block()
	case "p", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6":
		// Paragraphs and lists have a margin: a blank line after them.
		w.block()
		if end {
			w.newline()
		}
	case "hr":
		w.block()
		w.text("———")
		w.newline()
	case "li":
		w.block()
		if !end {
			w.text("- ")
		}
	case "td", "th":
		w.space = w.cur.Len() > 0
	case "pre":
		w.block()
		w.pre = depth(w.pre, end)
	case "blockquote":
		w.block()
		w.quote = depth(w.quote, end)
	case "a":
		if !end {
			w.inLink, w.linkAt, w.linkURL = true, w.cur.Len(), hrefOf(attrs)
			return
		}
		if !w.inLink {
			return
		}
		w.inLink = false
		label := ""
		if w.linkAt <= w.cur.Len() {
			label = strings.TrimSpace(w.cur.String()[w.linkAt:])
		}
		u := w.linkURL
		switch {
		case u == "" || u == label || strings.TrimPrefix(u, "mailto:") == label:
		case label == "":
			w.text(u)
		default:
			w.text(" (" + u + ")")
		}
	default:
		if slices.Contains(sectionElements, strings.ToLower(name)) {
			w.block()
		}
	}
}

func depth(d int, end bool) int {
	if end {
		return max(d-1, 0)
	}
	return min(d+1, 8)
}

// hrefOf returns the href attribute of a tag bluemonday wrote, which is
// always double-quoted with its value escaped.
func hrefOf(attrs string) string {
	_, v, ok := strings.Cut(attrs, `href="`)
	if !ok {
		return ""
	}
	v, _, _ = strings.Cut(v, `"`)
	return html.UnescapeString(v)
}

// String returns the text with runs of blank lines collapsed into one and
// none at either end.
func (w *textWriter) String() string {
	w.block()
	var b strings.Builder
	blank := false
	for _, l := range w.lines {
		if strings.TrimSpace(l) == "" {
			blank = b.Len() > 0
			continue
		}
		if blank {
			b.WriteString("\n\n")
			blank = false
		} else if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l)
	}
	return b.String()
}
