package mastodon

import (
	"bytes"
	"net/http"
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

// FuzzHTMLToText: whatever the content, the text is valid UTF-8 within its
// bound, without control characters other than line breaks.
func FuzzHTMLToText(f *testing.F) {
	for _, s := range []string{
		"<p>a</p><p>b<br>c</p>", `<a href="x>y">@<span>u</span></a>`, "<script>x</script>", "<!--", "&#0;&amp;&lt;",
		"<pre>\r\n x</pre>", "<svg><svg/></svg>x", "<ul><li>a<li>b</ul>", "</", "<textarea></TEXTAREA >", "\xff<p\x00>",
	} {
		f.Add([]byte(s))
	}
	seeds(f, "testdata/notifications/*.json")
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, limit := range []int{0, 5, 64, care.MaxTextBytes} {
			got := htmlToText(string(b), limit)
			if len(got) > limit || !utf8.ValidString(got) {
				t.Fatalf("htmlToText(%q, %d) = %q: too long or invalid", b, limit, got)
			}
			if i := strings.IndexFunc(got, func(r rune) bool { return r < 0x20 && r != '\n' || r == 0x7f }); i >= 0 {
				t.Fatalf("htmlToText(%q) = %q has a control character", b, got)
			}
		}
	})
}

// FuzzSSE: any stream ends in an error, never a panic, and no event
// exceeds its bound.
func FuzzSSE(f *testing.F) {
	for _, s := range []string{
		"event: notification\ndata: {}\n\n", ":thump\n", "retry: 10\r\n\r\n", "data\rdata\r\r", "\uFEFFdata: x\n\n",
		"data: a\ndata: b\n\nid: 1\x00\n\n",
	} {
		f.Add([]byte(s))
	}
	seeds(f, "testdata/sse/*.txt")
	f.Fuzz(func(t *testing.T, b []byte) {
		evs, s, err := readAll(bytes.NewReader(b))
		if err == nil {
			t.Fatal("a finite stream ended without an error")
		}
		for _, ev := range evs {
			if len(ev.Data) > maxSSEEvent || ev.Type == "" {
				t.Fatalf("event %q of %d bytes", ev.Type, len(ev.Data))
			}
		}
		if s.Retry < 0 || s.Retry > maxRetry {
			t.Fatalf("retry %v", s.Retry)
		}
	})
}

// FuzzMapNotification: any JSON maps to events that pass the core's
// validation, or to nothing.
func FuzzMapNotification(f *testing.F) {
	seeds(f, "testdata/notifications/*.json")
	f.Add([]byte(`{"id":1,"type":"mention","status":{"id":2,"visibility":"direct","content":"<p>x","account":{"id":3,"acct":"a@b"}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := mapNotification(testInbox(), b, testNow)
		if err != nil {
			return
		}
		if m.id != "" && !validID(m.id) {
			t.Fatalf("notification id %q", m.id)
		}
		for _, ev := range m.events {
			in := ev.Inbound
			in.InboxID, in.Channel = 7, care.ChannelMastodon
			if err := in.Validate(); err != nil {
				t.Fatalf("event %+v does not validate: %v", ev.Inbound, err)
			}
			if in.SentAt.After(testNow.Add(maxFuture)) {
				t.Fatalf("sent in the future: %v", in.SentAt)
			}
		}
	})
}

// FuzzCountable: counting never panics, and never counts more clusters
// than code points.
func FuzzCountable(f *testing.F) {
	for _, s := range []string{
		"@anna@example.social see https://example.com/a_(b)?c=d.", "👩\u200d👩\u200d👧🇫🇷", "@a@b@c", "https://", "@",
		"e\u0301\r\n\u1100\u1161", "http://x.y:99999999999999999999/", "(((https://a.bc/(((",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, mentions := countable(s, 23)
		n := graphemes(c)
		if n < 0 || n > utf8.RuneCountInString(c) {
			t.Fatalf("graphemes(%q) = %d", c, n)
		}
		for _, m := range mentions {
			if !strings.Contains(s, "@"+m) {
				t.Fatalf("mention %q is not in %q", m, s)
			}
		}
		_ = withMention(s, "anna", "example.social", "mastodon.test")
	})
}

// FuzzRateLimitHeaders: any headers read as a budget within bounds.
func FuzzRateLimitHeaders(f *testing.F) {
	f.Add("300", "299", "2026-11-24T10:05:00.000000Z", `<https://x/a?min_id=1>; rel="prev"`)
	f.Add("x", "-1", "1790000000", "<")
	f.Fuzz(func(t *testing.T, limit, remaining, reset, link string) {
		h := http.Header{}
		h.Set("X-RateLimit-Limit", limit)
		h.Set("X-RateLimit-Remaining", remaining)
		h.Set("X-RateLimit-Reset", reset)
		h.Set("Link", link)
		r := parseRateLimit(h)
		if r.ok && (r.remaining < 0 || r.remaining > r.limit) {
			t.Fatalf("budget %+v", r)
		}
		if w := r.wait(h, testNow); w <= 0 || w > defaultRateWait && w > 3600e9 {
			t.Fatalf("wait %v", w)
		}
		if id := linkID(h, "prev", "min_id"); id != "" && !validID(id) {
			t.Fatalf("link id %q", id)
		}
	})
}
