package mastodon

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
)

func TestHTMLToText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, html, want string
	}{
		{"empty", "", ""},
		{"plain", "hello", "hello"},
		{"paragraphs", "<p>one</p><p>two</p>", "one\n\ntwo"},
		{"line breaks", "<p>one<br>two<br/>three<br />four</p>", "one\ntwo\nthree\nfour"},
		{"blank line from two breaks", "<p>a<br><br><br>b</p>", "a\n\nb"},
		{"mention", `<p><span class="h-card" translate="no"><a href="https://mastodon.social/@trwnh" class="u-url mention">@<span>trwnh</span></a></span> sup!</p>`, "@trwnh sup!"},
		{"hashtag", `<a href="https://awoo.space/tags/awoo" class="mention hashtag" rel="tag">#<span>awoo</span></a>.space`, "#awoo.space"},
		{"shortened link is whole", `<a href="https://example.com/a/very/long/path"><span class="invisible">https://</span><span class="ellipsis">example.com/a/very</span><span class="invisible">/long/path</span></a>`, "https://example.com/a/very/long/path"},
		{"link text only", `<a href="https://evil.example">https://good.example</a>`, "https://good.example"},
		{"entities", "&lt;b&gt; &amp;amp; &quot;q&quot; &#39;s&#39; &eacute; &#x1F600; &#128512; &nbsp;x", "<b> &amp; \"q\" 's' é 😀 😀 \u00a0x"},
		{"unknown entity kept", "&bogus; &amp", "&bogus; &"},
		{"escaped tags stay text", "&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"},
		{"white space collapses", "<p>  a \n\t b  </p>\n\n<p>\n c </p>", "a b\n\nc"},
		{"script dropped", `a<script>document.write("<p>x</p>")</script>b`, "ab"},
		{"script end tag case and spaces", `a<SCRIPT type="x">1</ScRiPt >b`, "ab"},
		{"script never closed", `a<script>x`, "a"},
		{"style dropped", `a<style>p>b{}</style>c`, "ac"},
		{"textarea is not markup", `a<textarea><p>x</p></textarea>b`, "ab"},
		{"svg dropped with its children", `a<svg><g><text>x</text></g></svg>b`, "ab"},
		{"self-closing svg", `a<svg/>b`, "ab"},
		{"template dropped", `a<template><p>x</p></template>b`, "ab"},
		{"comment", `a<!-- <p>x</p> -->b`, "ab"},
		{"comment never closed", `a<!-- x`, "a"},
		{"doctype and processing instruction", `<!DOCTYPE html><?xml version="1.0"?>a`, "a"},
		{"lone less-than", "1 < 2 and 3 <4", "1 < 2 and 3 <4"},
		{"less-than slash", "a </ b> c </>d", "a c d"},
		{"tag cut off", `a<a href="x`, "a"},
		{"quoted greater-than in attribute", `<a title="x>y" href='>'>link</a>`, "link"},
		{"unquoted attribute", `<a href=x>link</a>`, "link"},
		{"image dropped", `a<img src=x onerror=alert(1)>b`, "ab"},
		{"lists", "<p>x</p><ul><li>one</li><li>two</li></ul><ol><li>three</li></ol>", "x\n\n- one\n- two\n\n- three"},
		{"pre keeps its lines", "<pre>  a\n    b\r\n</pre><p>c</p>", "  a\n    b\n\nc"},
		{"blockquote", "<p>a</p><blockquote><p>quoted</p></blockquote>b", "a\n\nquoted\n\nb"},
		{"nested inline", "<b><i><u><s>deep</s></u></i></b>", "deep"},
		{"control characters", "a\x00b\x07c\x1bd\u0085e", "abcde"},
		{"invalid UTF-8", "a\xff\xfeb", "a\ufffdb"},
		{"emoji sequences kept", "👩\u200d👩\u200d👧 🇫🇷", "👩\u200d👩\u200d👧 🇫🇷"},
		{"custom emoji shortcodes stay", "<p>:blobcat: hi</p>", ":blobcat: hi"},
		{"quote post link", `<p class="quote-inline">RE: <a href="https://x.example/1">x.example/1</a></p><p>yes</p>`, "RE: x.example/1\n\nyes"},
	}
	for _, tt := range tests {
		if got := HTMLToText(tt.html); got != tt.want {
			t.Errorf("%s: HTMLToText(%q) = %q, want %q", tt.name, tt.html, got, tt.want)
		}
	}
}

// TestHTMLToTextBounds feeds hostile sizes: the output stays within its
// limit, valid, and the work linear.
func TestHTMLToTextBounds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		html  string
		limit int
	}{
		{"long text", strings.Repeat("a", 100_000), 1000},
		{"long multibyte text", strings.Repeat("日本", 50_000), 1000},
		{"deep nesting", strings.Repeat("<b><i>", 200_000) + "x", 1000},
		{"many paragraphs", strings.Repeat("<p>para</p>", 100_000), 1000},
		{"over the input bound", strings.Repeat("a", maxHTMLBytes+10), care.MaxTextBytes},
		{"unclosed attribute quote", `<a href="` + strings.Repeat("x", 500_000), 1000},
		{"many lone less-thans", strings.Repeat("<", 500_000), 1000},
		{"many comments openers", strings.Repeat("<!--", 200_000), 1000},
		{"many script openers", strings.Repeat("<script>", 100_000), 1000},
		{"many end tags", strings.Repeat("</script", 100_000), 1000},
	}
	for _, tt := range tests {
		got := htmlToText(tt.html, tt.limit)
		if len(got) > tt.limit || !utf8.ValidString(got) {
			t.Errorf("%s: %d bytes (limit %d), valid UTF-8 %v", tt.name, len(got), tt.limit, utf8.ValidString(got))
		}
	}
	if got := htmlToText(strings.Repeat("a", 2000), 1000); !strings.HasSuffix(got, "…") || len(got) > 1000 {
		t.Errorf("a cut text ends %q (%d bytes), want an ellipsis within the limit", got[len(got)-5:], len(got))
	}
	if got := HTMLToText(strings.Repeat("a", maxHTMLBytes)); len(got) > care.MaxTextBytes {
		t.Errorf("HTMLToText returned %d bytes", len(got))
	}
}
