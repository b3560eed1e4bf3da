package mastodon

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestGraphemes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s    string
		want int
	}{
		{"", 0},
		{"hello", 5},
		{"日本語", 3},
		{"e\u0301", 1},        // e + combining acute
		{"\r\n", 1},           // GB3
		{"\n\n", 2},           // GB4
		{"a\u0308\u0301b", 2}, // two marks on a
		{"👍", 1},              // one code point, one cluster
		{"👍🏽", 1},             // skin tone modifier extends
		{"👩\u200d👩\u200d👧\u200d👦", 1}, // family joined by ZWJs
		{"🏳️\u200d🌈", 1},              // flag with VS16 and ZWJ
		{"🇫🇷", 1},                     // two regional indicators: one flag
		{"🇫🇷🇩🇪", 2},                   // two flags
		{"🇫🇷🇩", 2},                    // a flag and a lone indicator
		{"🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F", 1}, // Scotland: tag sequence
		{"❤️", 1},                 // heart with VS16
		{"1️⃣", 1},                // keycap
		{"\u1100\u1161\u11a8", 1}, // Hangul jamo L V T
		{"\uac00\u11a8", 1},       // LV T
		{"각", 1},                  // precomposed
		{"a\u200db", 2},           // ZWJ between letters joins nothing after
		{"\u0600a", 1},            // prepended Arabic number sign
		{"กำ", 1},                 // Thai sara am is a spacing mark
		{"a\u0000b", 3},           // controls stand alone
		{"\u200b", 1},
	}
	for _, tt := range tests {
		if got := graphemes(tt.s); got != tt.want {
			t.Errorf("graphemes(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}

func TestCountable(t *testing.T) {
	t.Parallel()
	x23 := strings.Repeat("x", 23)
	tests := []struct {
		name, text, want string
		mentions         []string
	}{
		{"plain", "thanks!", "thanks!", nil},
		{"url", "see https://example.com/a/b?c=d#e now", "see " + x23 + " now", nil},
		{"url trailing punctuation", "see https://example.com/a.", "see " + x23 + ".", nil},
		{"url in parentheses", "(https://en.wikipedia.org/wiki/Primer_(film))", "(" + x23 + ")", nil},
		{"url port", "http://localhost.test:8080/x", x23, nil},
		{"other schemes", "gemini://example.org/ and dat://abc.example.com", x23 + " and " + x23, nil},
		{"scheme case", "HTTPS://EXAMPLE.COM", x23, nil},
		{"no scheme is no url", "example.com/page", "example.com/page", nil},
		{"no tld", "https://localhost/x", "https://localhost/x", nil},
		{"numeric tld", "https://1.2.3.4/x", "https://1.2.3.4/x", nil},
		{"punycode tld", "https://example.xn--p1ai/", x23, nil},
		{"unicode host", "https://bücher.example/", x23, nil},
		{"url glued to a word", "seehttps://example.com", "seehttps://example.com", nil},
		{"url after @", "@https://example.com", "@https://example.com", nil},
		{"remote mention", "@anna@example.social hi", "@anna hi", []string{"anna@example.social"}},
		{"local mention", "hi @zsc.", "hi @zsc.", []string{"zsc"}},
		{"dotted username", "@first.last@example.com", "@first.last", []string{"first.last@example.com"}},
		{"mention in a url is the url", "https://mastodon.social/@trwnh", x23, nil},
		{"email is no mention", "mail a@example.com", "mail a@example.com", nil},
		{"after slash or equals", "a/@b c=@d", "a/@b c=@d", nil},
		{"followed by @", "@a@b@c", "@a@b@c", nil},
		{"followed by an accent", "@abcé", "@abcé", nil},
		{"followed by ://", "@a://x", "@a://x", nil},
		{"unicode domain", "@anna@bücher.example", "@anna", []string{"anna@bücher.example"}},
		{"two mentions", "@a @b@c.d", "@a @b", []string{"a", "b@c.d"}},
		{"lone @", "@ you", "@ you", nil},
	}
	for _, tt := range tests {
		got, mentions := countable(tt.text, 23)
		if got != tt.want || !cmp.Equal(mentions, tt.mentions) {
			t.Errorf("%s: countable(%q) = %q, %q; want %q, %q", tt.name, tt.text, got, mentions, tt.want, tt.mentions)
		}
	}
}

func TestReplyLength(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text     string
		n, ments int
	}{
		{"@anna@example.social thanks 👍🏽", 14, 1},
		{"@anna@example.social see https://example.com/" + strings.Repeat("x", 100), len("@anna see ") + 23, 1},
		{strings.Repeat("é", 500), 500, 0},
		{strings.Repeat("e\u0301", 500), 500, 0},
		{strings.Repeat("👩\u200d👩\u200d👧", 10), 10, 0},
	}
	for _, tt := range tests {
		if n, m := replyLength(tt.text, 23); n != tt.n || m != tt.ments {
			t.Errorf("replyLength(%q) = %d, %d; want %d, %d", tt.text, n, m, tt.n, tt.ments)
		}
	}
}
