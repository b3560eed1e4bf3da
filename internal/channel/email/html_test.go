package email

import "testing"

func TestHTMLText(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, html, want string
	}{
		{"paragraphs and breaks", "<p>Hello,</p><p>line one<br>line two</p>", "Hello,\n\nline one\nline two"},
		{"divs as lines, as Gmail writes them", "<div>one</div><div><br></div><div>two</div>", "one\n\ntwo"},
		{"entities", "<p>Fish &amp; chips &lt;3 &euro;5 &#8364;5 &#x1F600; caf&eacute;</p>", "Fish & chips <3 €5 €5 😀 café"},
		{"whitespace collapses", "<p>  a \n\t b&nbsp;&nbsp;c  </p>", "a b c"},
		{"link with text", `<a href="https://acme.example/t?a=1&amp;b=2">tracking</a>`, "tracking (https://acme.example/t?a=1&b=2)"},
		{"link that is its own text", `<a href="https://acme.example/">https://acme.example/</a>`, "https://acme.example/"},
		{"mailto link", `<a href="mailto:jane@example.net">jane@example.net</a>`, "jane@example.net"},
		{"link without text", `<a href="https://acme.example/x"><img src="x.png"></a>`, "https://acme.example/x"},
		{"javascript link loses its href", `<a href="javascript:alert(1)">click</a>`, "click"},
		{"script and style are dropped", "<style>p{color:red}</style><script>alert(1)</script><p>visible</p>", "visible"},
		{"head and title are dropped", "<html><head><title>T</title><meta charset=utf-8></head><body>B</body></html>", "B"},
		{"comments are dropped", "a<!-- [if mso]>hidden<![endif] -->b", "ab"},
		{"list items", "<ul><li>one</li><li>two</li></ul>after", "- one\n- two\n\nafter"},
		{"table cells", "<table><tr><td>Order</td><td>#123</td></tr><tr><td>Total</td><td>€5</td></tr></table>", "Order #123\nTotal €5"},
		{"blockquote", "<div>Yes.</div><blockquote>Shall we?<br>Acme</blockquote>", "Yes.\n> Shall we?\n> Acme"},
		{"nested blockquote", "<blockquote>a<blockquote>b</blockquote></blockquote>", "> a\n> > b"},
		{"link in a blockquote", `<blockquote><a href="https://x.example/">here</a></blockquote>`, "> here (https://x.example/)"},
		{"pre keeps spaces", "<pre>a  b\n  c</pre>", "a  b\n  c"},
		{"horizontal rule", "a<hr>b", "a\n———\nb"},
		{"unclosed tags", "<p>a<div>b", "a\nb"},
		{"markup in attributes", `<p title="<b>">x</p><img alt="<script>">`, "x"},
		{"inline markup inside words and sentences", "<p>My order <b>#123</b>, placed on <i>Monday</i>. It's <strong>urgent</strong>! Total: <span>€</span>42</p>", "My order #123, placed on Monday. It's urgent! Total: €42"},
		{"section elements are lines", "<header>Acme</header><section>one</section><article>two</article><footer>bye</footer>", "Acme\none\ntwo\nbye"},
		{"definition lists", "<dl><dt>Order</dt><dd>#123</dd></dl>", "Order\n#123"},
		{"unknown inline tags leave no glue", "<font face=x>a</font><font>b</font>", "ab"},
		{"not html at all", "just text", "just text"},
		{"empty", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := htmlText(tt.html); got != tt.want {
				t.Errorf("htmlText(%q) = %q, want %q", tt.html, got, tt.want)
			}
		})
	}
}
