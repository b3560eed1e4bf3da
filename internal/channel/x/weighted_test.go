package x

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Cases from twitter-text's conformance suite (conformance/validate.yml in
// twitter/twitter-text, section WeightedTweetsWithDiscountedEmojiCounterTest,
// which runs the v3 configuration X uses), with the text rebuilt where the
// YAML abbreviates it; then cases of our own for the rules the suite leaves
// implicit.
func TestWeightedLength(t *testing.T) {
	family := "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466"
	poem := "故人西辞黄鹤楼，烟花三月下扬州。孤帆远影碧空尽，唯见长江天际流。朱雀桥边野草花，乌衣巷口夕阳斜。旧时王谢堂前燕，飞入寻常百姓家。" +
		"朝辞白帝彩云间，千里江陵一日还。两岸猿声啼不住，轻舟已过万重山。泪湿罗巾梦不成，夜深前殿按歌声。红颜未老恩先断，斜倚薰笼坐到明。" +
		"独在异乡为异客，每逢佳节倍思亲。遥知兄弟登高处，遍插茱萸少一人。"
	longHost := "https://" + strings.Repeat("somesuperlongurl", 249) + ".com/foo"
	kana := "あいうえおかきくけこ"
	tests := []struct {
		name        string
		text        string
		want        int
		wantInvalid bool
	}{
		// Conformance: WeightedTweetsWithDiscountedEmojiCounterTest.
		{"regular tweet with url", "Hi http://test.co", 26, false},
		{"just url", "http://test.co", 23, false},
		{"long tweet, overflow at 280", "285 chars-" + strings.Repeat("xxxxxxxxxx-", 25), 285, false},
		{"long tweet with url in the middle", "285 chars- http://www.twitter.com/jack " + strings.Repeat("xxxxxxxxxx-", 24), 299, false},
		{"long tweet with url at the end", strings.Repeat("xxxxxxxxxx-", 24) + " http://www.twitter.com/jack ", 289, false},
		{"10 urls", strings.Repeat("https://www.twitter.com/aloha ", 10), 240, false},
		{"160 CJK characters", poem, 320, false},
		{"160 emoji", strings.Repeat("\U0001F637", 160), 320, false},
		{"3 latin + 160 CJK", "the" + poem, 323, false},
		{"normalised character within range", "282 chars-" + strings.Repeat("xxxxxxxxxx-", 24) + "xxxxxA\u0301x", 281, false},
		{"single, double and emoji sequence", "H\U0001F431\u263A" + family, 7, false},
		{"emoji in and out of the BMP", "\U0001F637\U0001F47E\U0001F621\U0001F525\U0001F4A9", 10, false},
		{"skin tone and ZWJ", "\U0001F64B\U0001F3FD\U0001F468\u200D\U0001F3A4", 4, false},
		{"general punctuation", "This is a tweet with general punctuation characters: \u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u200B ‐ ‑ ‒ – — ― ‖  ‗ ‘ ’ ‚ ‛ “ ” „ ‟ ′ ″ ‴ ‵ ‶ ‷", 110, false},
		{"long url with invalid domain labels",
			"Long url with invalid domain labels and a short url: " + longHost + " " + longHost + " " + longHost + " https://validurl.com", 12079, false},
		{"64-character domain without protocol", "randomurlrandomurlrandomurlrandomurlrandomurlrandomurlrandomurls.com", 68, false},
		{"CJK host over 63 punycode characters", strings.Repeat(kana, 12) + " http://" + strings.Repeat(kana, 5) + "あいう.com", 358, false},
		{"CJK host within 63 punycode characters", strings.Repeat(kana, 12) + " http://" + strings.Repeat(kana, 5) + "あい.com", 264, false},
		{"140 family emoji", strings.Repeat(family, 140), 280, false},
		{"Unicode 10 emoji", "Unicode 10.0 emoji: \U0001F92A; \U0001F9D5; \U0001F9D5\U0001F3FE; \U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F", 34, false},
		{"Unicode 9 emoji", "Unicode 9.0 emoji: \U0001F920; \U0001F483; \U0001F483\U0001F3FE", 29, false},
		{"invalid characters", "ABC\u202A\uFFFFABC\uFFFE", 12, true},
		{"directional characters around a url", "\u2066\u202Ahttp://foobar.پاکستان/\u202C\u2069", 31, false},
		// Conformance: WeightedTweetsCounterTest cases that v3 counts alike.
		{"precomposed Á", "\u00C1B", 2, false},
		{"decomposed Á", "A\u0301B", 2, false},
		{"shin with dagesh and shin dot decomposes to three", "A\uFB2C", 4, false},
		// Conformance: lengths.
		{"plain text", "This is a test.", 15, false},
		{"http url", "http://test.com", 23, false},
		{"https url", "https://test.com", 23, false},
		{"url without protocol", "test.com", 23, false},
		{"several urls", "Test https://test.com test https://test.com test.com test", 86, false},
		// Conformance: tweets (all within 280 under v3).
		{"140 double-width characters", strings.Repeat("の", 140), 280, false},
		{"140 cats", strings.Repeat("\U0001F431", 140), 280, false},
		// Our own.
		{"empty", "", 0, false},
		{"only whitespace and controls", " \t\n\x00 ", 0, false},
		{"keycap", "#\uFE0F\u20E3", 2, false},
		{"copyright alone is text", "\u00A9", 1, false},
		{"copyright with VS16 is emoji", "\u00A9\uFE0F", 2, false},
		{"country flag", "\U0001F1EB\U0001F1F7", 2, false},
		{"Hangul jamo compose to one syllable", "\u1100\u1161\u11A8", 2, false},
		{"ohm sign normalises to omega", "\u2126", 1, false},
		{"gTLD without protocol", "see release.zip", 27, false},
		{"not a TLD", "see notes.txt", 13, false},
		{"abbreviation is not a url", "e.g. this", 9, false},
		{"ccTLD with path", "t.co/abc", 23, false},
		{"port, path and query", "go to http://example.com:8080/a/b?q=1&r=x now", 33, false},
		{"trailing period is not part of the url", "see example.com.", 28, false},
		{"hyphenated host at the start", "foo-example.com", 23, false},
		{"url after a hyphen without protocol is not one", " -example.com", 13, false},
		{"upper-case url", "HTTPS://WWW.EXAMPLE.COM/Path", 23, false},
		{"t.co slug over 40 characters", "https://t.co/" + strings.Repeat("a", 41), 54, false},
		{"wikipedia parentheses", "https://en.wikipedia.org/wiki/Primer_(film) ok", 26, false},
		{"email-like is not a url", "@user.com", 9, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, invalid := weigh(tt.text)
			if got != tt.want || invalid != tt.wantInvalid {
				t.Errorf("weigh(%.60q) = %d, %v, want %d, %v", tt.text, got, invalid, tt.want, tt.wantInvalid)
			}
			if got := WeightedLength(tt.text); got != tt.want {
				t.Errorf("WeightedLength(%.60q) = %d, want %d", tt.text, got, tt.want)
			}
		})
	}
}

func TestPunycode(t *testing.T) {
	// RFC 3492 §7.1 samples (A) and (B), and two well-known labels.
	tests := []struct{ in, want string }{
		{"\u0644\u064A\u0647\u0645\u0627\u0628\u062A\u0643\u0644\u0645\u0648\u0634\u0639\u0631\u0628\u064A\u061F", "egbpdaj6bu4bxfgehfvwxn"},
		{"\u4ED6\u4EEC\u4E3A\u4EC0\u4E48\u4E0D\u8BF4\u4E2D\u6587", "ihqwcrb4cv8a8dqg056pqjye"},
		{"bücher", "bcher-kva"},
		{"münchen", "mnchen-3ya"},
	}
	for _, tt := range tests {
		if got, ok := punycode(tt.in); got != tt.want || !ok {
			t.Errorf("punycode(%q) = %q, %v, want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestNFC(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain ascii", "plain ascii"},
		{"e\u0301", "\u00E9"},
		{"\u00E9", "\u00E9"},
		{"\u1100\u1161\u11A8", "\uAC01"},
		{"\uAC00\u11A8", "\uAC01"},
		{"a\u0323\u0302", "\u1EAD"},            // reordered marks compose
		{"a\u0302\u0323", "\u1EAD"},            // canonical reordering first
		{"\u00E9\u0323", "\u1EB9\u0301"},       // a precomposed letter is decomposed to take the dot below
		{"\u212B", "\u00C5"},                   // angstrom sign, a singleton
		{"\uFB2C", "\u05E9\u05BC\u05C1"},       // excluded from composition
		{"\u0344", "\u0308\u0301"},             // non-starter decomposition
		{"e\u0301\u0301", "\u00E9\u0301"},      // the second acute is blocked
		{"\U0001D15E", "\U0001D157\U0001D165"}, // excluded musical symbol
	}
	for _, tt := range tests {
		if got := nfc(tt.in); got != tt.want {
			t.Errorf("nfc(%+q) = %+q, want %+q", tt.in, got, tt.want)
		}
	}
	if unicodeVersion == "" {
		t.Error("unicodeVersion is empty")
	}
}

func FuzzWeightedLength(f *testing.F) {
	for _, s := range []string{"", "hello", "http://example.com/a(b)c?d=e", "a.b.c.d.e.f.com", "xn--p1ai.xn--p1ai",
		"\U0001F468\u200D\U0001F469\u200D\U0001F467", "e\u0301\u0323", "\uAC00\u11A8", "https://t.co/abc?x=1",
		"http://☃.net/", "((((((", "a..com", "-a.com", "a_.com", "@a.com", "www.example.com:80/", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, invalid := weigh(s)
		if n < 0 {
			t.Fatalf("weigh(%q) = %d", s, n)
		}
		// Every character counts at most 2 and a URL 23.
		if limit := 23 * (utf8.RuneCountInString(s) + 1); n > limit {
			t.Fatalf("weigh(%q) = %d, over %d", s, n, limit)
		}
		if n2, invalid2 := weigh(s); n2 != n || invalid2 != invalid {
			t.Fatalf("weigh(%q) is not deterministic", s)
		}
		if utf8.ValidString(s) && nfc(nfc(s)) != nfc(s) {
			t.Fatalf("nfc(%+q) is not idempotent", s)
		}
	})
}
