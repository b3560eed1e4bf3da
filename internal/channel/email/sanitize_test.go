package email

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	xhtml "golang.org/x/net/html"
)

// pixel is a 1×1 PNG as a data: URL.
const pixel = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="

// images resolves the Content-ID "logo@acme" and nothing else.
func images(cid string) (string, bool) {
	if cid == "logo@acme" {
		return pixel, true
	}
	return "", false
}

func TestSanitizeHTML(t *testing.T) {
	t.Parallel()
	const blank = ` rel="noopener noreferrer nofollow" target="_blank"`
	for _, tt := range []struct {
		name, in, want string
		image          func(string) (string, bool)
	}{
		{name: "structure stays", in: `<p>Hello <b>Jane</b>, <i>see</i> <em>this</em> <strong>now</strong> <u>u</u></p><ul><li>one</li></ul><ol><li>two</li></ol>`,
			want: `<p>Hello <b>Jane</b>, <i>see</i> <em>this</em> <strong>now</strong> <u>u</u></p><ul><li>one</li></ul><ol><li>two</li></ol>`},
		{name: "quotes, code, headings, breaks", in: "<h1>T</h1><blockquote>q<br>r</blockquote><pre><code>a\n  b</code></pre><hr>",
			want: "<h1>T</h1><blockquote>q<br>r</blockquote><pre><code>a\n  b</code></pre><hr>"},
		{name: "script goes with its content", in: `<p>a</p><script>alert(1)</script><script src="https://evil.example/x.js"></script>`, want: `<p>a</p>`},
		{name: "style element and attribute", in: `<style>p{color:red}</style><p style="background:url(javascript:alert(1))">t</p>`, want: `<p>t</p>`},
		{name: "CSS expression", in: `<div style="width: expression(alert(1))">t</div>`, want: `<div>t</div>`},
		{name: "event handlers", in: `<div onclick="x()" onmouseover=y>t</div><body onload="alert(1)"><p ONCLICK="z">u</p>`, want: `<div>t</div><p>u</p>`},
		{name: "image with onerror", in: `<img src=x onerror=alert(1)>`, want: `<span class="image">[image]</span>`},
		{name: "javascript: link", in: `<a href="javascript:alert(1)">click</a>`, want: `click`},
		{name: "javascript: behind entities and a tab", in: `<a href="jav&#x09;ascript:alert(1)">a</a><a href="&#106;avascript:alert(1)">b</a><a href=" JAVASCRIPT:alert(1)">c</a>`, want: `abc`},
		{name: "data: and vbscript: links", in: `<a href="data:text/html,<script>alert(1)</script>">a</a><a href="vbscript:msgbox(1)">b</a>`, want: `ab`},
		{name: "relative links would point into Parley", in: `<a href="/logout">a</a><a href="//evil.example/">b</a><a href="#top">c</a>`, want: `abc`},
		{name: "credentials in a link", in: `<a href="https://user:pw@evil.example/">x</a>`, want: `x`},
		{name: "web link opens apart, attributes replaced", in: `<a href="https://acme.example/a?b=1&amp;c=2" target="_self" rel="opener" onclick="x" title="t">Acme</a>`,
			want: `<a href="https://acme.example/a?b=1&amp;c=2"` + blank + `>Acme</a>`},
		{name: "mailto link", in: `<a href="MAILTO:jane@example.net">Jane</a>`, want: `<a href="mailto:jane@example.net"` + blank + `>Jane</a>`},
		{name: "remote image is a placeholder", in: `<img src="https://tracker.example/p.gif" alt="Logo">`, want: `<span class="image">[image: Logo]</span>`},
		{name: "tracking pixel vanishes", in: `a<img src="https://t.example/o.gif" width="1" height="1">b`, want: `ab`},
		{name: "the sender's data: image is a placeholder", in: `<img src="` + pixel + `">`, want: `<span class="image">[image]</span>`},
		{name: "an image of the message is shown", in: `<img src="cid:logo@acme" alt="Acme" onload="x()" width="300">`, image: images,
			want: `<img src="` + pixel + `" alt="Acme">`},
		{name: "an image the message lacks", in: `<img src="CID:other@acme">`, image: images, want: `<span class="image">[image]</span>`},
		{name: "only data: images are shown, whatever the resolver says", in: `<img src="cid:x">`,
			image: func(string) (string, bool) { return "javascript:alert(1)", true }, want: `<span class="image">[image]</span>`},
		{name: "an svg data: image is not shown", in: `<img src="cid:x">`,
			image: func(string) (string, bool) { return "data:image/svg+xml;base64,PHN2Zz4=", true }, want: `<span class="image">[image]</span>`},
		{name: "frames, objects, forms, svg, math go whole", in: `<iframe src="https://x.example">t</iframe><object data="x">o</object><embed src="x">` +
			`<form action="https://evil.example"><input value="v"><button>b</button>f</form><svg><script>alert(1)</script><text>s</text></svg><math><mi>m</mi></math>`, want: ``},
		{name: "media and canvas go", in: `<video src="x" poster="y">v</video><audio src="z">a</audio><canvas>c</canvas><picture><source srcset="x"></picture>`, want: ``},
		{name: "head, meta refresh, base", in: `<head><title>T</title><meta http-equiv="refresh" content="0;url=https://evil.example"><base href="https://evil.example/"><link rel="stylesheet" href="x"></head><body><p>t</p></body>`, want: `<p>t</p>`},
		{name: "noscript", in: `<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>t`, want: `<span class="image">[image]</span>&#34;&gt;t`},
		{name: "template and textarea", in: `<template><script>x</script><p>t</p></template><textarea><img src=x onerror=alert(1)></textarea><title><b>x</b></title>u`, want: `u`},
		{name: "comments and conditional comments", in: `<!--[if mso]><p>x</p><![endif]--><p>t</p><!-- <script>alert(1)</script> -->`, want: `<p>t</p>`},
		{name: "entities", in: `<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;&apos; &eacute;&#x1F600;&#0;</p>`,
			want: "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;&#39; é😀\uFFFD</p>"},
		{name: "nested and malformed tags", in: `<div><p>a<div>b</p></span><b><i>c</b>d</i><table><tr>e<td>f`,
			want: `<div><p>a</p><div>b<p></p><b><i>c</i></b><i>d</i>e<table><tbody><tr><td>f</td></tr></tbody></table></div></div>`},
		{name: "unclosed attribute", in: `<p title="a>b<script>alert(1)</script>`, want: ``},
		{name: "direction and cell spans only", in: `<table border="1" onclick="x"><tr><td colspan="2" rowspan="x" dir="RTL" width="100" class="c" id="i">a</td><th rowspan="101">b</th></tr></table>`,
			want: `<table><tbody><tr><td dir="rtl" colspan="2">a</td><th>b</th></tr></tbody></table>`},
		{name: "unknown and presentational elements", in: `<font color="red">a</font><center>b</center><custom-el x="1">c</custom-el><section>d</section><strike>e</strike><dl><dt>f</dt></dl>`,
			want: `a<div>b</div>c<div>d</div><s>e</s><div><div>f</div></div>`},
		{name: "bidi overrides dropped", in: "<p>invoice\u202efdp.exe</p>", want: "<p>invoicefdp.exe</p>"},
		{name: "invalid UTF-8", in: "\xff<p>x\xfe</p>", want: "\uFFFD<p>x\uFFFD</p>"},
		{name: "empty", in: ``, want: ``},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := sanitizeHTML(tt.in, tt.image); got != tt.want {
				t.Errorf("sanitizeHTML(%q) =\n%q\nwant\n%q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSanitizeHTMLBounds(t *testing.T) {
	t.Parallel()
	t.Run("deep nesting", func(t *testing.T) {
		t.Parallel()
		got := sanitizeHTML(strings.Repeat("<div>", 20000)+"x"+strings.Repeat("</div>", 20000), nil)
		opens, closes := strings.Count(got, "<div>"), strings.Count(got, "</div>")
		if opens > maxNesting || opens != closes {
			t.Errorf("%d <div> and %d </div>; want balanced, at most %d", opens, closes, maxNesting)
		}
		checkSafe(t, got)
	})
	t.Run("huge input", func(t *testing.T) {
		t.Parallel()
		got := sanitizeHTML(strings.Repeat("<p>a & <b>b</b></p>", 300000), nil)
		if len(got) > maxSafeHTMLBytes+64 || !strings.HasSuffix(got, "<p>[…]</p>") {
			t.Errorf("%d bytes ending %q; want at most %d, cut with a note", len(got), got[max(len(got)-40, 0):], maxSafeHTMLBytes)
		}
		checkSafe(t, got)
	})
	t.Run("one huge text", func(t *testing.T) {
		t.Parallel()
		got := sanitizeHTML("<pre>"+strings.Repeat("<", maxHTMLBytes), nil)
		if len(got) > maxSafeHTMLBytes+64 || !strings.HasSuffix(got, "&lt;</pre><p>[…]</p>") {
			t.Errorf("%d bytes ending %q; want at most %d, whole entities, cut with a note", len(got), got[max(len(got)-40, 0):], maxSafeHTMLBytes)
		}
	})
}

// allowedAttrs are the attributes sanitizeHTML may write, by element.
var allowedAttrs = map[string]map[string]bool{
	"a":    {"href": true, "rel": true, "target": true, "dir": true},
	"img":  {"src": true, "alt": true},
	"td":   {"dir": true, "colspan": true, "rowspan": true},
	"th":   {"dir": true, "colspan": true, "rowspan": true},
	"span": {"dir": true, "class": true},
}

// checkSafe parses markup as a browser would and fails on any element or
// attribute sanitizeHTML must never write.
func checkSafe(t testing.TB, markup string) {
	t.Helper()
	if !utf8.ValidString(markup) {
		t.Fatalf("not UTF-8: %q", markup)
	}
	doc, err := xhtml.Parse(strings.NewReader(markup))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(n *xhtml.Node) error
	walk = func(n *xhtml.Node) error {
		if n.Type == xhtml.ElementNode {
			switch {
			case n.Namespace != "":
				return fmt.Errorf("element %s:%s", n.Namespace, n.Data)
			case !keptElements[n.DataAtom] && n.Data != "html" && n.Data != "head" && n.Data != "body":
				return fmt.Errorf("element %s", n.Data)
			}
			for _, a := range n.Attr {
				ok := allowedAttrs[n.Data][a.Key] || a.Key == "dir"
				switch a.Key {
				case "href":
					_, safe := safeHref(a.Val)
					ok = ok && safe
				case "src":
					ok = ok && safeImageURL(a.Val)
				}
				if !ok || a.Namespace != "" {
					return fmt.Errorf("attribute %s=%q on %s", a.Key, a.Val, n.Data)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if err := walk(c); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(doc); err != nil {
		t.Fatalf("unsafe markup (%v) in %q", err, markup)
	}
}

func TestSafeHref(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{"https://acme.example/a b", "https://acme.example/a%20b", true},
		{" HTTP://Acme.example/ ", "http://Acme.example/", true},
		{"mailto:jane@example.net?subject=Hi", "mailto:jane@example.net?subject=Hi", true},
		{"mailto:", "", false},
		{"http:acme.example", "", false},
		{"https:///path", "", false},
		{"ftp://acme.example/", "", false},
		{"https://acme.example/\x00", "", false},
		{"https://" + strings.Repeat("a", 2050), "", false},
	} {
		got, ok := safeHref(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("safeHref(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
