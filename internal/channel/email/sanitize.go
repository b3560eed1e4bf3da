package email

import (
	"html"
	"net/url"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/internal/channel"
	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The formatted view of an HTML email is rebuilt, not filtered: the HTML is
// parsed as a browser parses it (golang.org/x/net/html), and from the tree
// only an allowlist of elements and attributes is written out again,
// escaped by Parley. Whatever the sender wrote, the result has no script,
// no style, no form, no frame, no remote resource, no relative or
// javascript: link, nothing a browser could parse into something else.
// Parley's interface also shows it in a sandboxed frame under a CSP that
// allows no script, so a mistake here is not enough to run code.

// Bounds on the formatted view.
const (
	// maxNesting is the deepest element kept; deeper ones (only a
	// hostile message nests this far) are dropped with their content.
	maxNesting = 200
	// maxSafeHTMLBytes bounds the markup written, images aside: the rest
	// of a longer message is cut with a note.
	maxSafeHTMLBytes = 1 << 20
)

// keptElements are written as themselves, with the few attributes
// sanitizeHTML lists.
var keptElements = map[atom.Atom]bool{
	atom.P: true, atom.Br: true, atom.Div: true, atom.Span: true, atom.Hr: true, atom.A: true, atom.Img: true,
	atom.B: true, atom.I: true, atom.Em: true, atom.Strong: true, atom.U: true, atom.S: true,
	atom.Sub: true, atom.Sup: true, atom.Small: true, atom.H1: true, atom.H2: true, atom.H3: true,
	atom.H4: true, atom.H5: true, atom.H6: true, atom.Ul: true, atom.Ol: true, atom.Li: true,
	atom.Blockquote: true, atom.Pre: true, atom.Code: true, atom.Table: true, atom.Caption: true,
	atom.Thead: true, atom.Tbody: true, atom.Tfoot: true, atom.Tr: true, atom.Td: true, atom.Th: true,
}

// renamed elements keep their meaning as a kept element: blocks stay
// blocks, so their text does not run together.
var renamed = map[atom.Atom]atom.Atom{
	atom.Center: atom.Div, atom.Section: atom.Div, atom.Article: atom.Div, atom.Header: atom.Div,
	atom.Footer: atom.Div, atom.Main: atom.Div, atom.Nav: atom.Div, atom.Aside: atom.Div,
	atom.Address: atom.Div, atom.Figure: atom.Div, atom.Figcaption: atom.Div, atom.Dl: atom.Div,
	atom.Dt: atom.Div, atom.Dd: atom.Div, atom.Details: atom.Div, atom.Summary: atom.Div,
	atom.Strike: atom.S, atom.Del: atom.S, atom.Ins: atom.U, atom.Tt: atom.Code, atom.Kbd: atom.Code,
	atom.Samp: atom.Code,
}

// droppedElements go with everything inside them: code, styles, embedded
// documents, forms and their fields, media that would load.
var droppedElements = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Iframe: true, atom.Frame: true, atom.Frameset: true,
	atom.Noframes: true, atom.Object: true, atom.Embed: true, atom.Applet: true, atom.Param: true,
	atom.Form: true, atom.Input: true, atom.Button: true, atom.Select: true, atom.Textarea: true,
	atom.Option: true, atom.Optgroup: true, atom.Datalist: true, atom.Output: true,
	atom.Svg: true, atom.Math: true, atom.Template: true, atom.Noscript: true, atom.Noembed: true,
	atom.Audio: true, atom.Video: true, atom.Source: true, atom.Track: true, atom.Canvas: true,
	atom.Picture: true, atom.Map: true, atom.Area: true, atom.Link: true, atom.Meta: true,
	atom.Base: true, atom.Title: true, atom.Head: true, atom.Dialog: true, atom.Xmp: true,
	atom.Plaintext: true, atom.Slot: true,
}

// voidElements have no end tag.
var voidElements = map[atom.Atom]bool{atom.Br: true, atom.Hr: true, atom.Img: true}

// sanitizeHTML returns the body of an HTML email as markup safe to show:
// the elements of keptElements (others renamed, unwrapped or dropped),
// the attributes dir (ltr, rtl, auto), colspan and rowspan (1 to 100) on
// cells, href on links (http, https and mailto only, opening in a new
// window without referrer or opener) and alt on images. An image is shown
// only when it is one of the message's own parts (src="cid:…") that image
// returns as a data: URL of a raster type; any other image, remote ones
// included, is the placeholder "[image: alt]", and 1×1 tracking pixels
// vanish. The input is read up to maxHTMLBytes, the output cut at
// maxSafeHTMLBytes of markup.
func sanitizeHTML(src string, image func(cid string) (string, bool)) string {
	src = strings.ToValidUTF8(channel.Prefix(src, maxHTMLBytes), "\uFFFD")
	doc, err := xhtml.Parse(strings.NewReader(src))
	if err != nil {
		return "" // only a failing reader makes Parse fail
	}
	s := &sanitizer{image: image}
	if body := find(doc, atom.Body, 3); body != nil {
		s.children(body, 0)
	}
	if s.cut {
		s.b.WriteString(`<p>[…]</p>`)
	}
	return s.b.String()
}

// find returns the first element a at most depth levels under n.
func find(n *xhtml.Node, a atom.Atom, depth int) *xhtml.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == xhtml.ElementNode && c.DataAtom == a && c.Namespace == "" {
			return c
		}
		if depth > 1 {
			if f := find(c, a, depth-1); f != nil {
				return f
			}
		}
	}
	return nil
}

type sanitizer struct {
	b     strings.Builder
	image func(string) (string, bool)
	// images counts the bytes of data: URLs written, which do not count
	// against maxSafeHTMLBytes.
	images int
	cut    bool
}

func (s *sanitizer) full() bool {
	if s.b.Len()-s.images > maxSafeHTMLBytes {
		s.cut = true
	}
	return s.cut
}

func (s *sanitizer) children(n *xhtml.Node, depth int) {
	for c := n.FirstChild; c != nil && !s.full(); c = c.NextSibling {
		s.node(c, depth)
	}
}

func (s *sanitizer) node(n *xhtml.Node, depth int) {
	switch n.Type {
	case xhtml.TextNode:
		s.text(n.Data)
		return
	case xhtml.ElementNode:
	default:
		return // comments, doctypes
	}
	if n.Namespace != "" || droppedElements[n.DataAtom] || depth >= maxNesting {
		return // SVG and MathML, what is never shown, what nests absurdly deep
	}
	a := n.DataAtom
	if r, ok := renamed[a]; ok {
		a = r
	}
	switch {
	case a == atom.Img:
		s.img(n)
		return
	case a == atom.A:
		href, ok := safeHref(attr(n, "href"))
		if !ok {
			s.children(n, depth+1)
			return
		}
		s.b.WriteString(`<a href="`)
		s.b.WriteString(html.EscapeString(href))
		s.b.WriteString(`" rel="noopener noreferrer nofollow" target="_blank"`)
		s.dir(n)
		s.b.WriteByte('>')
		s.children(n, depth+1)
		s.b.WriteString("</a>")
		return
	case !keptElements[a]:
		// Unknown and presentational elements (font, html, body, label,
		// custom elements) go; their content stays.
		s.children(n, depth+1)
		return
	}
	s.b.WriteByte('<')
	s.b.WriteString(a.String())
	s.dir(n)
	if a == atom.Td || a == atom.Th {
		for _, k := range []string{"colspan", "rowspan"} {
			if v, err := strconv.Atoi(strings.TrimSpace(attr(n, k))); err == nil && v > 1 && v <= 100 {
				s.b.WriteString(" " + k + `="` + strconv.Itoa(v) + `"`)
			}
		}
	}
	s.b.WriteByte('>')
	if voidElements[a] {
		return
	}
	s.children(n, depth+1)
	s.b.WriteString("</" + a.String() + ">")
}

// text writes text escaped, without the controls that reorder what is
// around them, and no further than maxSafeHTMLBytes.
func (s *sanitizer) text(t string) {
	e := html.EscapeString(strings.Map(func(r rune) rune {
		if bidiControl(r) {
			return -1
		}
		return r
	}, t))
	if room := maxSafeHTMLBytes - (s.b.Len() - s.images); len(e) > room {
		e = channel.Prefix(e, room)
		if amp := strings.LastIndexByte(e, '&'); amp >= 0 && !strings.Contains(e[amp:], ";") {
			e = e[:amp] // no half an entity
		}
		s.cut = true
	}
	s.b.WriteString(e)
}

// dir writes the element's dir attribute when it is one of its three
// values: right-to-left mail needs it.
func (s *sanitizer) dir(n *xhtml.Node) {
	switch v := strings.ToLower(strings.TrimSpace(attr(n, "dir"))); v {
	case "ltr", "rtl", "auto":
		s.b.WriteString(` dir="` + v + `"`)
	}
}

// img writes an image of the message itself, or a placeholder.
func (s *sanitizer) img(n *xhtml.Node) {
	w, h := strings.TrimSpace(attr(n, "width")), strings.TrimSpace(attr(n, "height"))
	if (w == "0" || w == "1") && (h == "0" || h == "1") {
		return // a tracking pixel: nothing to see
	}
	alt := channel.CleanName(attr(n, "alt"), 200)
	src := strings.TrimSpace(attr(n, "src"))
	if cid, ok := cutPrefixFold(src, "cid:"); ok && s.image != nil {
		if u, ok := s.image(cid); ok && safeImageURL(u) {
			s.images += len(u)
			s.b.WriteString(`<img src="` + html.EscapeString(u) + `" alt="` + html.EscapeString(alt) + `">`)
			return
		}
	}
	label := "[image]"
	if alt != "" {
		label = "[image: " + alt + "]"
	}
	s.b.WriteString(`<span class="image">`)
	s.text(label)
	s.b.WriteString(`</span>`)
}

// safeImageURL reports whether u is a data: URL of a raster image, base64:
// the only images the view shows, made by Parley from the message's parts.
func safeImageURL(u string) bool {
	for _, t := range []string{"image/png", "image/jpeg", "image/gif", "image/webp"} {
		if rest, ok := strings.CutPrefix(u, "data:"+t+";base64,"); ok {
			return strings.Trim(rest, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") == ""
		}
	}
	return false
}

// safeHref returns a link's address as written out again, and whether it
// may be a link at all: absolute http or https with a host, or mailto,
// without credentials, at most 2 KB. Relative addresses would point into
// Parley; every other scheme (javascript:, data:, file:) runs or reads
// something.
func safeHref(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if v == "" || len(v) > 2048 {
		return "", false
	}
	u, err := url.Parse(v)
	if err != nil || u.User != nil {
		return "", false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" || u.Opaque != "" {
			return "", false
		}
	case "mailto":
		if u.Opaque == "" {
			return "", false
		}
	default:
		return "", false
	}
	u.Scheme = strings.ToLower(u.Scheme)
	return u.String(), true
}

func attr(n *xhtml.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val
		}
	}
	return ""
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}
