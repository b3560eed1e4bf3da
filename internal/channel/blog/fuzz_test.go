package blog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
)

// seeds adds every file of a testdata directory to f.
func seeds(f *testing.F, pattern string) {
	files, _ := filepath.Glob(pattern)
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
}

// FuzzFeed: whatever a server answers, parsing never panics, and every
// item maps to an event that passes the core's validation, or to nothing.
func FuzzFeed(f *testing.F) {
	seeds(f, "testdata/feeds/*")
	f.Add([]byte(`<rss><channel><item><guid>1</guid><title>&#1;</title></item></channel></rss>`))
	f.Add([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x</id><thr:in-reply-to xmlns:thr="http://purl.org/syndication/thread/1.0" ref="x"/></entry></feed>`))
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":1}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		parsed, err := parseFeed(b)
		if err != nil {
			return
		}
		src := sourceOf(testFeed, parsed)
		for i, it := range parsed.Items {
			if i == 50 || it == nil {
				break
			}
			m := mapItem(src, it, testNow)
			if m.id == "" || len(m.id) > care.MaxPlatformIDBytes || !utf8.ValidString(m.id) {
				t.Fatalf("item id %q", m.id)
			}
			if m.skipped != "" {
				continue
			}
			in := m.ev.Inbound
			in.InboxID = 7
			if err := in.Validate(); err != nil {
				t.Fatalf("event %+v does not validate: %v", m.ev.Inbound, err)
			}
			if in.ReplyToPlatformID == in.PlatformID {
				t.Fatalf("item %q answers itself", in.PlatformID)
			}
			if in.SentAt.After(testNow.Add(maxFuture)) {
				t.Fatalf("sent in the future: %v", in.SentAt)
			}
		}
	})
}

// FuzzHTMLToText: whatever the HTML, the text is valid UTF-8 within its
// bound, without control characters other than line breaks, and without
// anything a browser would read as a tag that was in the input as one.
func FuzzHTMLToText(f *testing.F) {
	for _, s := range []string{
		"<p>a</p><p>b<br>c</p>", `<a href="https://x/y">t</a>`, "<script>x</script>", "<!--", "&#0;&amp;&lt;",
		"<pre>\r\n x</pre>", "<svg><svg/></svg>x", "<ul><li>a<li>b</ul>", "</", "<textarea></TEXTAREA >", "\xff<p\x00>",
		"<b>bold</b><i>it</i>", "<plaintext>rest",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, limit := range []int{0, 5, 64, care.MaxTextBytes} {
			got := htmlToText(string(b), limit)
			if len(got) > limit || !utf8.ValidString(got) {
				t.Fatalf("htmlToText(%q, %d) = %q: too long or invalid", b, limit, got)
			}
			if i := strings.IndexFunc(got, func(r rune) bool { return r < 0x20 && r != '\n' || r == 0x7f || isFormat(r) }); i >= 0 {
				t.Fatalf("htmlToText(%q) = %q has a control or format character", b, got)
			}
		}
		if got := HTMLToText(string(b)); strings.Contains(got, "<b>") {
			// "<b>" in the text is possible only when written as
			// entities; a bold tag is never passed through.
			if !strings.Contains(string(b), "&lt;") && !strings.Contains(string(b), "&#") {
				t.Fatalf("HTMLToText(%q) = %q keeps a tag", b, got)
			}
		}
	})
}

// FuzzKeywords: parsing and matching never panic, and a keyword always
// matches a text that is just itself.
func FuzzKeywords(f *testing.F) {
	f.Add("Acme, Acme Cloud\n@acme", "I use ACME cloud")
	f.Add("ü", "Ü")
	f.Add("a.", "xa.y")
	f.Fuzz(func(t *testing.T, list, text string) {
		kw, err := parseKeywords(list)
		if err != nil {
			return
		}
		_ = kw.match(text)
		for _, k := range kw {
			if !(keywords{k}).match(k) {
				t.Fatalf("keyword %q does not match itself", k)
			}
		}
	})
}

// FuzzCursor: any stored cursor decodes to state within bounds, whose
// encoding decodes again.
func FuzzCursor(f *testing.F) {
	f.Add(`{"v":1,"f":{"https://a/f":{"b":true,"e":"\"x\"","s":["k"],"fl":5}}}`)
	f.Add(`{"v":1,"f":{"x":null}}`)
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := decodeCursor(s)
		if !ok {
			return
		}
		feeds := make([]string, 0, len(c.Feeds))
		for k, st := range c.Feeds {
			if len(st.Seen) > maxSeen || !validator(st.ETag) || !validator(st.Modified) {
				t.Fatalf("decoded state out of bounds: %+v", st)
			}
			feeds = append(feeds, k)
		}
		if _, ok := decodeCursor(c.encode(feeds)); !ok {
			t.Fatalf("the encoding of a decoded cursor does not decode")
		}
	})
}
