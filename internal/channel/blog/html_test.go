package blog

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
)

func TestHTMLToText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"plain", "hello", "hello"},
		{"paragraphs", "<p>one</p><p>two<br>three</p>", "one\n\ntwo\nthree"},
		{"entities", "AT&amp;T &lt;3 &#8217;s &nbsp;x", "AT&T <3 ’s x"},
		{"white space collapses", "  a \n\t b  ", "a b"},
		{"list", "<ul><li>a</li><li>b</li></ul>after", "- a\n- b\n\nafter"},
		{"pre keeps indentation", "<pre>x\n  y</pre>", "x\n  y"},
		{"link shows its address", `see <a href="https://acme.example/help">the manual</a>.`, "see the manual (https://acme.example/help)."},
		{"link that is its address", `<a href="https://acme.example/help">https://acme.example/help</a>`, "https://acme.example/help"},
		{"link without a web address", `<a href="javascript:alert(1)">click</a> <a href="mailto:a@b">mail</a>`, "click mail"},
		{"script, style and iframe dropped", `<script>alert("x")</script><style>p{}</style><iframe>framed</iframe>kept`, "kept"},
		{"unclosed script drops the rest", "a<script>b", "a"},
		{"comments dropped", "a<!-- hidden -->b<!-- open", "ab"},
		{"attributes hide no text", `<p title="<b>not text</b>">text</p>`, "text"},
		{"bidi overrides dropped", "abc\u202etxt.exe\u2066", "abctxt.exe"},
		{"control characters dropped", "a\x00b\x07c\u0085d", "abcd"},
		{"invalid UTF-8 dropped", "a\xffb", "ab"},
		{"table cells apart", "<table><tr><td>a</td><td>b</td></tr></table>", "a b"},
		{"images dropped", `<img src="x" onerror="alert(1)">text`, "text"},
		{"CDATA is no text in HTML", "<![CDATA[x]]>y", "y"},
	}
	for _, tt := range tests {
		if got := HTMLToText(tt.in); got != tt.want {
			t.Errorf("%s: HTMLToText(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestHTMLToTextBounds(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("<p>ü word</p>", 20000)
	for _, limit := range []int{0, 1, 3, 4, 10, 100} {
		got := htmlToText(long, limit)
		if len(got) > limit || !utf8.ValidString(got) {
			t.Errorf("htmlToText(long, %d) = %q: over the limit or invalid", limit, got)
		}
	}
	if got := htmlToText(long, 100); !strings.HasSuffix(got, ellipsis) {
		t.Errorf("a cut text = %q, want it to end with %q", got, ellipsis)
	}
	deep := strings.Repeat("<div><span>", 50000) + "deep" + strings.Repeat("</span></div>", 50000)
	if got := HTMLToText(deep); got != "deep" {
		t.Errorf("HTMLToText(deeply nested) = %q, want %q", got, "deep")
	}
	// Beyond maxHTMLBytes the input is cut, even inside a tag.
	if got := HTMLToText(strings.Repeat("<b>x</b>", maxHTMLBytes)); !strings.HasPrefix(got, "xxx") || len(got) > care.MaxTextBytes {
		t.Errorf("HTMLToText(over the input bound) = %.20q… (%d bytes)", got, len(got))
	}
}
