package web

import (
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestSegments(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []segment
	}{
		{"plain", "hello\nworld", []segment{{Text: "hello\nworld"}}},
		{"link", "see https://example.com/a?b=1.", []segment{{Text: "see "}, {Text: "https://example.com/a?b=1", Href: "https://example.com/a?b=1"}, {Text: "."}}},
		{"link in brackets", "(https://example.com/wiki/Go_(lang))", []segment{{Text: "("},
			{Text: "https://example.com/wiki/Go_(lang)", Href: "https://example.com/wiki/Go_(lang)"}, {Text: ")"}}},
		{"javascript stays text", "javascript:alert(1)", []segment{{Text: "javascript:alert(1)"}}},
		{"data stays text", "data:text/html,<script>x</script>", []segment{{Text: "data:text/html,<script>x</script>"}}},
		{"quote ends a link", `https://a.example/"onclick="x`, []segment{{Text: "https://a.example/", Href: "https://a.example/"}, {Text: `"onclick="x`}}},
		{"credentials stay text", "https://user:pw@evil.example/", []segment{{Text: "https://user:pw@evil.example/"}}},
		{"no host", "http:///path", []segment{{Text: "http:///path"}}},
		{"override", "abc\u202Eexe.txt", []segment{{Text: "abc"}, {Hidden: "RLO", Title: "Hidden character U+202E (RLO)"}, {Text: "exe.txt"}}},
		{"run of zero-width", "a\u200B\u200B\u200Bb", []segment{{Text: "a"}, {Hidden: "ZWSP×3", Title: "3 hidden characters U+200B (ZWSP)"}, {Text: "b"}}},
		{"mixed run", "a\u2066\u200Bb", []segment{{Text: "a"}, {Hidden: "LRI…×2", Title: "2 hidden characters, from U+2066 (LRI) to U+200B (ZWSP)"}, {Text: "b"}}},
		{"control", "a\x07b", []segment{{Text: "a"}, {Hidden: "U+0007", Title: "Hidden character U+0007"}, {Text: "b"}}},
		{"hidden inside a link", "https://ex\u200Bample.com", []segment{{Text: "https://ex", Href: "https://ex"},
			{Hidden: "ZWSP", Title: "Hidden character U+200B (ZWSP)"}, {Text: "ample.com"}}},
		{"emoji joiner kept", "👩\u200D💻", []segment{{Text: "👩\u200D💻"}}},
		{"arabic", "مرحبا https://example.com", []segment{{Text: "مرحبا "}, {Text: "https://example.com", Href: "https://example.com"}}},
		{"invalid utf-8", "a\xffb", []segment{{Text: "a"}, {Hidden: "�", Title: "Hidden character (invalid UTF-8)"}, {Text: "b"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, segments(tt.in)); diff != "" {
				t.Errorf("segments(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestSegmentsKeepText(t *testing.T) {
	// Whatever the input, the visible text and links add up to the input
	// without its hidden characters, and every link is http(s).
	inputs := []string{
		"", "x", "https://", "https://a.b/c).", "http://a.b https://c.d", strings.Repeat("https://a.b/", 300),
		"a\u202Eb\u202Cc", "\u200B", "line1\r\nline2\rline3",
	}
	for _, in := range inputs {
		var b strings.Builder
		for _, s := range segments(in) {
			b.WriteString(s.Text)
			if s.Href != "" {
				u, err := url.Parse(s.Href)
				if err != nil || (u.Scheme != "http" && u.Scheme != "https") || s.Href != s.Text {
					t.Errorf("segments(%q) has link %q with text %q", in, s.Href, s.Text)
				}
			}
		}
		var want strings.Builder
		for _, r := range in {
			if !hiddenRune(r) {
				want.WriteRune(r)
			}
		}
		if b.String() != want.String() {
			t.Errorf("segments(%q) shows %q, want %q", in, b.String(), want.String())
		}
	}
}

func TestRenderBody(t *testing.T) {
	short := renderBody("hello")
	if short.More != nil || len(short.Head) != 1 {
		t.Errorf("renderBody(short) = %+v, want it whole", short)
	}
	lines := renderBody(strings.Repeat("x\n", 5000))
	if got := strings.Count(lines.Head[0].Text, "\n"); got != headLines {
		t.Errorf("a 5,000-line message shows %d lines first, want %d", got, headLines)
	}
	if lines.MoreLabel != "Show more (4985 more lines)" {
		t.Errorf("label = %q", lines.MoreLabel)
	}
	word := renderBody(strings.Repeat("é", 10_000))
	if n := utf8.RuneCountInString(word.Head[0].Text); n != headRunes || !utf8.ValidString(word.Head[0].Text) {
		t.Errorf("a 10,000-rune word shows %d runes first, want %d, cut on a rune boundary", n, headRunes)
	}
	if word.MoreLabel != "Show more (8800 more characters)" {
		t.Errorf("label = %q", word.MoreLabel)
	}
	crlf := renderBody("a\r\nb")
	if crlf.Head[0].Text != "a\nb" {
		t.Errorf("CRLF becomes %q, want a line break", crlf.Head[0].Text)
	}
}

func TestPlainAndExcerpt(t *testing.T) {
	tests := []struct {
		name, in string
		n        int
		want     string
	}{
		{"folds whitespace", "  a \n\n b\t c ", 100, "a b c"},
		{"drops hidden", "Ama\u200Bzon\u202E Support", 100, "Amazon Support"},
		{"cuts by runes", "ééééééé", 4, "ééé…"},
		{"exact", "abcd", 4, "abcd"},
		{"long word", strings.Repeat("w", 100_000), 10, "wwwwwwwww…"},
		{"cut at space", "hello world again", 7, "hello…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := excerpt(tt.in, tt.n); got != tt.want {
				t.Errorf("excerpt(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
		})
	}
}

func TestLocalPath(t *testing.T) {
	tests := map[string]string{
		"/c/1?view=mine":        "/c/1?view=mine",
		"":                      "/",
		"//evil.example":        "/",
		"/\\evil.example":       "/",
		"https://evil.example/": "/",
		"javascript:alert(1)":   "/",
		"c/1":                   "/",
		"/ok\r\nSet-Cookie: x":  "/",
	}
	for in, want := range tests {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFormat(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	agoTests := map[time.Duration]string{
		10 * time.Second: "now", 5 * time.Minute: "5m", 3 * time.Hour: "3h", 50 * time.Hour: "2d", 30 * 24 * time.Hour: "25 Oct",
		400 * 24 * time.Hour: "20 Oct 2025",
	}
	for d, want := range agoTests {
		if got := ago(now.Add(-d), now); got != want {
			t.Errorf("ago(now-%v) = %q, want %q", d, got, want)
		}
	}
	durTests := map[time.Duration]string{
		-time.Second: "<1m", 45 * time.Second: "<1m", 12 * time.Minute: "12m", 185 * time.Minute: "3h 5m", 180 * time.Minute: "3h", 52 * time.Hour: "2d 4h", 48 * time.Hour: "2d",
	}
	for d, want := range durTests {
		if got := duration(d); got != want {
			t.Errorf("duration(%v) = %q, want %q", d, got, want)
		}
	}
	countTests := map[int64]string{0: "0", 950: "950", 1000: "1k", 12345: "12.3k", 123456: "123k", 4_100_000: "4.1M"}
	for n, want := range countTests {
		if got := count(n); got != want {
			t.Errorf("count(%d) = %q, want %q", n, got, want)
		}
	}
}

func FuzzSegments(f *testing.F) {
	for _, s := range []string{"https://a.b/(c)", "a\u202Eb", "javascript:x", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, seg := range segments(s) {
			if seg.Href != "" && !linkable(seg.Href) {
				t.Fatalf("segments(%q) links %q", s, seg.Href)
			}
			for _, r := range seg.Text {
				if hiddenRune(r) {
					t.Fatalf("segments(%q) shows hidden %U", s, r)
				}
			}
		}
		b := renderBody(s)
		if len(b.Head) == 0 && s != "" && plain(s) != "" && strings.TrimFunc(s, hiddenRune) != "" {
			t.Fatalf("renderBody(%q) shows nothing", s)
		}
	})
}

func TestSegmentsLinearTime(t *testing.T) {
	// Each would take seconds if some step were quadratic in the length of
	// a message (64 KiB at most).
	const n = 64 << 10
	inputs := map[string]string{
		"closing brackets": "https://a.example/" + strings.Repeat(")", n),
		"punctuation":      "https://a.example/" + strings.Repeat(".", n),
		"hidden run":       strings.Repeat("\u200B", n/3),
		"hidden mixed":     strings.Repeat("a\u202E", n/4),
		"many links":       strings.Repeat("http://a.b ", n/11),
		"one long line":    strings.Repeat("x", n),
		"many lines":       strings.Repeat("\n", n),
	}
	for name, in := range inputs {
		start := time.Now()
		renderBody(in)
		excerpt(in, 140)
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: rendering took %v", name, d)
		}
	}
}

func TestAtHandle(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"vera", "@vera"},
		{"@vera", "@vera"},
		{"@vera@social.example", "@vera@social.example"},
		{"+447700900123", "+447700900123"},
		{"jane@example.net", "jane@example.net"},
	} {
		if got := atHandle(tc.in); got != tc.want {
			t.Errorf("atHandle(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
