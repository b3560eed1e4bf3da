package language

import (
	"html"
	"strings"
)

// maxTagBytes bounds one tag: a "<" not closed by a ">" within it is text
// ("a<b and c", "I <3 it" never start one).
const maxTagBytes = 1024

// stripMarkup removes HTML from text: its tags, comments and the content
// of script and style elements, each replaced by a space, and decodes its
// character references (&nbsp;, &eacute;). A message of markup alone ("<p>
// <br></p>", a form's empty template) then has no words left, and so no
// language: its tag and attribute names (div, span, td, nbsp, class) would
// otherwise be read as words, in whatever language their letters suggest.
// A text with neither "<" nor "&" is returned as it is, without allocating.
func stripMarkup(text string) string {
	if strings.IndexByte(text, '<') >= 0 {
		var b strings.Builder
		b.Grow(len(text))
		for i := 0; i < len(text); {
			j := strings.IndexByte(text[i:], '<')
			if j < 0 {
				b.WriteString(text[i:])
				break
			}
			b.WriteString(text[i : i+j])
			i += j
			end := tagEnd(text, i)
			if end < 0 {
				b.WriteByte('<')
				i++
				continue
			}
			name := tagName(text[i:end])
			b.WriteByte(' ')
			i = end
			if strings.EqualFold(name, "script") || strings.EqualFold(name, "style") {
				// Code, not words: skip to the element's end tag.
				if k := indexFold(text[i:], "</"+name); k >= 0 {
					i += k
				} else {
					i = len(text)
				}
			}
		}
		text = b.String()
	}
	if strings.IndexByte(text, '&') >= 0 {
		text = html.UnescapeString(text)
	}
	return text
}

// tagEnd returns the index just past the tag, comment or declaration that
// starts at text[i], a "<", or -1 when none does: a tag's "<" is followed by
// a letter, "/", "!" or "?", and the nearest ">" closes it, unless another
// "<" comes first; a comment ends at "-->".
func tagEnd(text string, i int) int {
	if i+1 >= len(text) {
		return -1
	}
	if c := text[i+1]; !isLetter(c) && c != '/' && c != '!' && c != '?' {
		return -1
	}
	if strings.HasPrefix(text[i:], "<!--") {
		if k := strings.Index(text[i+4:], "-->"); k >= 0 {
			return i + 4 + k + 3
		}
		return -1
	}
	rest := text[i+1 : min(len(text), i+maxTagBytes)]
	k := strings.IndexAny(rest, "<>")
	if k < 0 || rest[k] == '<' {
		return -1
	}
	return i + 1 + k + 1
}

// tagName is the element name of an opening tag ("<script type=…>" gives
// "script"); "" for an end tag, comment or declaration.
func tagName(tag string) string {
	n := 1
	for n < len(tag) && (isLetter(tag[n]) || '0' <= tag[n] && tag[n] <= '9') {
		n++
	}
	return tag[1:n]
}

// indexFold is strings.Index, ignoring ASCII case.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}
