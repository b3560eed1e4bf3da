package blog

import (
	"os"
	"strings"
	"testing"
)

func BenchmarkParseAndMap(b *testing.B) {
	for _, name := range []string{"wordpress_comments_rss2_CONSTRUCTED.xml", "wordpress_posts_rss2_CONSTRUCTED.xml", "atom_xhtml_tag_ids_CONSTRUCTED.xml"} {
		raw, err := os.ReadFile("testdata/feeds/" + name)
		if err != nil {
			b.Fatal(err)
		}
		kw := keywords{"acme"}
		b.Run(strings.TrimSuffix(name, ".xml"), func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			for b.Loop() {
				parsed, err := parseFeed(raw)
				if err != nil {
					b.Fatal(err)
				}
				src := sourceOf(testFeed, parsed)
				for _, it := range parsed.Items {
					m := mapItem(src, it, testNow)
					kw.match(m.text)
				}
			}
		})
	}
}

func BenchmarkHTMLToText(b *testing.B) {
	raw, err := os.ReadFile("testdata/feeds/wordpress_posts_rss2_CONSTRUCTED.xml")
	if err != nil {
		b.Fatal(err)
	}
	parsed, err := parseFeed(raw)
	if err != nil {
		b.Fatal(err)
	}
	content := parsed.Items[0].Content
	for _, bc := range []struct{ name, html string }{
		{"post", content},
		{"long-2000-posts", strings.Repeat(content, 2000)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.html)))
			b.ReportAllocs()
			for b.Loop() {
				HTMLToText(bc.html)
			}
		})
	}
}

func BenchmarkKeywords(b *testing.B) {
	kw, _ := parseKeywords("Acme, Acme Cloud, @acmehelp, acme.com, Widgetron, Gadgeteer")
	text := strings.Repeat("Mine stopped after two weeks too. Support never answered my email. ", 200) + "acme"
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if !kw.match(text) {
			b.Fatal("no match")
		}
	}
}
