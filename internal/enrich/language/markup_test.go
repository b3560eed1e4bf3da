package language

import (
	"strings"
	"testing"
)

func TestStripMarkup(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"no markup at all", "no markup at all"},
		{"<p>hello</p>", " hello "},
		{"<P CLASS='a'>x</P>", " x "},
		{`<a href="https://example.com/?a=1&amp;b=2">link</a>`, " link "},
		{"<br/><br />", "  "},
		{"<!-- a <b> c -->d", " d"},
		{"<!DOCTYPE html><?xml version='1.0'?>x", "  x"},
		{"<script type=\"text/javascript\">if (a<b) { go() }</script>after", "  after"},
		{"<STYLE>p{}</style>after", "  after"},
		{"<script>never closed", " "},
		{"<!-- never closed", "<!-- never closed"},
		{"I <3 it, 2 < 3 > 1", "I <3 it, 2 < 3 > 1"},
		{"a<b and c>d", "a d"},
		{"a <b <i>c", "a <b  c"},
		{"<" + strings.Repeat("a", maxTagBytes) + ">x", "<" + strings.Repeat("a", maxTagBytes) + ">x"},
		{"&nbsp;&lt;p&gt; caf&eacute; &#233; &#xE9; Fish & chips &bogus;", "\u00a0<p> café é é Fish & chips &bogus;"},
	} {
		if got := stripMarkup(tt.in); got != tt.want {
			t.Errorf("stripMarkup(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// A post with neither "<" nor "&", nearly every one, costs nothing more.
func TestStripMarkupNoAlloc(t *testing.T) {
	text := "@SkyJetAir my flight has been delayed three times today and nobody at the gate can tell us anything"
	if n := testing.AllocsPerRun(100, func() { _ = stripMarkup(text) }); n != 0 {
		t.Errorf("stripMarkup allocates %v times on a post without markup, want 0", n)
	}
}
