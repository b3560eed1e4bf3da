package web_test

import "strings"

// The composer's counter (static/count.js) counts replies by each platform's
// rules as the agent types; the server counts again on send with the channel
// adapters' Go code. These are the cases the browser test gives both: for X
// and SMS it compares the script with the Go functions themselves, for the
// others with the figures written here.

// xCountCases are texts for X's weighted length: the twitter-text
// conformance cases that internal/channel/x tests, and more around URLs.
func xCountCases() []string {
	family := "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466"
	poem := "故人西辞黄鹤楼，烟花三月下扬州。孤帆远影碧空尽，唯见长江天际流。朱雀桥边野草花，乌衣巷口夕阳斜。旧时王谢堂前燕，飞入寻常百姓家。" +
		"朝辞白帝彩云间，千里江陵一日还。两岸猿声啼不住，轻舟已过万重山。泪湿罗巾梦不成，夜深前殿按歌声。红颜未老恩先断，斜倚薰笼坐到明。" +
		"独在异乡为异客，每逢佳节倍思亲。遥知兄弟登高处，遍插茱萸少一人。"
	longHost := "https://" + strings.Repeat("somesuperlongurl", 249) + ".com/foo"
	kana := "あいうえおかきくけこ"
	return []string{
		"", " \t\n\x00 ", "This is a test.",
		"Hi http://test.co", "http://test.co",
		"285 chars-" + strings.Repeat("xxxxxxxxxx-", 25),
		"285 chars- http://www.twitter.com/jack " + strings.Repeat("xxxxxxxxxx-", 24),
		strings.Repeat("xxxxxxxxxx-", 24) + " http://www.twitter.com/jack ",
		strings.Repeat("https://www.twitter.com/aloha ", 10),
		poem, "the" + poem, strings.Repeat("\U0001F637", 160),
		"282 chars-" + strings.Repeat("xxxxxxxxxx-", 24) + "xxxxxA\u0301x",
		"H\U0001F431\u263A" + family,
		"\U0001F637\U0001F47E\U0001F621\U0001F525\U0001F4A9",
		"\U0001F64B\U0001F3FD\U0001F468\u200D\U0001F3A4",
		"This is a tweet with general punctuation characters: \u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u200B ‐ ‑ ‒ – — ― ‖  ‗ ‘ ’ ‚ ‛ “ ” „ ‟ ′ ″ ‴ ‵ ‶ ‷",
		"Long url with invalid domain labels and a short url: " + longHost + " " + longHost + " " + longHost + " https://validurl.com",
		"randomurlrandomurlrandomurlrandomurlrandomurlrandomurlrandomurls.com",
		strings.Repeat(kana, 12) + " http://" + strings.Repeat(kana, 5) + "あいう.com",
		strings.Repeat(kana, 12) + " http://" + strings.Repeat(kana, 5) + "あい.com",
		strings.Repeat(family, 140),
		"Unicode 10.0 emoji: \U0001F92A; \U0001F9D5; \U0001F9D5\U0001F3FE; \U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F",
		"Unicode 9.0 emoji: \U0001F920; \U0001F483; \U0001F483\U0001F3FE",
		"ABC\u202A\uFFFFABC\uFFFE",
		"\u2066\u202Ahttp://foobar.پاکستان/\u202C\u2069",
		"\u00C1B", "A\u0301B", "A\uFB2C",
		"http://test.com", "https://test.com", "test.com", "Test https://test.com test https://test.com test.com test",
		strings.Repeat("の", 140), strings.Repeat("\U0001F431", 140),
		"#\uFE0F\u20E3", "\u00A9", "\u00A9\uFE0F", "\U0001F1EB\U0001F1F7", "\u1100\u1161\u11A8", "\u2126",
		"see release.zip", "see notes.txt", "e.g. this", "t.co/abc", "go to http://example.com:8080/a/b?q=1&r=x now",
		"see example.com.", "foo-example.com", " -example.com", "HTTPS://WWW.EXAMPLE.COM/Path",
		"https://t.co/" + strings.Repeat("a", 41), "https://t.co/abc?x=1 ok",
		"https://en.wikipedia.org/wiki/Primer_(film) ok", "https://example.com/a_(b_(c)_d)_e end", "@user.com",
		"mail me at sam@example.com or visit www.example.co.uk/help?x=1.",
		"münchen.de and http://bücher.example/ and https://例え.テスト/パス and 中国.中国",
		"http://xn--bcher-kva.com/ and xn--bcher-kva.com and a_b.com and sub.a-b.c_d.com",
		"(https://example.com/path) [example.org] «example.net» \"example.info\"",
		"$example.com #example.com @example.com ＠example.com", "Ünïcödé ñ ß ø æ å — “quotes” ‘single’ …",
		"한국어 텍스트와 日本語のテキストと中文文本", "Привет, мир! Ελληνικά. עברית. العربية.",
		"emoji with text variation \u2764\uFE0E and \u2764\uFE0F and \u2764",
		"👍🏽👩‍🚀🇫🇷🏳️‍🌈 keycaps 1️⃣ *️⃣ and newer 🫠🥹🫶",
		"\uFEFF leading BOM", "tabs\tand\nnew\nlines\r\nhere",
		"http://example.com/" + strings.Repeat("a", 5000),
		strings.Repeat("x.com ", 50),
		"Sorry for the trouble, 李雷! Track it at https://acme.example/track/4471?ref=x 📦 我们很抱歉。" + strings.Repeat("谢", 100),
	}
}

// smsCountCases are texts for SMS segments.
func smsCountCases() []string {
	return []string{
		"", "Hello!", strings.Repeat("a", 160), strings.Repeat("a", 161), strings.Repeat("a", 306), strings.Repeat("a", 307),
		"Price: 5€ {ok} [x] ~ | ^ \\", strings.Repeat("a", 152) + "€", strings.Repeat("a", 159) + "€",
		"Grüße aus Köln: ÄÖÜäöüß éèù Ç Ñ ¿¡ £ ¥ §", "Curly ‘quotes’ turn it UCS-2",
		"Your order shipped 📦", strings.Repeat("b", 70), strings.Repeat("ж", 70), strings.Repeat("ж", 71),
		strings.Repeat("ж", 134), strings.Repeat("ж", 135), strings.Repeat("ж", 66) + "😀", strings.Repeat("ж", 67) + "😀",
		strings.Repeat("😀", 800), strings.Repeat("😀", 801), strings.Repeat("a", 1600), strings.Repeat("a", 1601),
		"tab\there\r\nand form\ffeed", "Ελληνικά ΔΦΓΛΩΠΨΣΘΞ", "中文",
	}
}

// countCase is a text and what a rule makes of it.
type countCase struct {
	Text string `json:"text"`
	Want int    `json:"want"`
}

// graphemeCountCases are counted in extended grapheme clusters, as Bluesky
// counts (figures from UAX #29, as internal/channel/bluesky counts them).
var graphemeCountCases = []countCase{
	{"", 0}, {"Hello", 5}, {"e\u0301", 1}, {"👍🏽", 1}, {"👩\u200D🚀", 1}, {"🇫🇷🇩🇪", 2},
	{"👨\u200D👩\u200D👧\u200D👦 family", 8}, {"한국어", 3}, {"\u1100\u1161\u11A8", 1}, {"a\r\nb", 3},
	{strings.Repeat("👨\u200D👩\u200D👧\u200D👦", 300), 300},
}

// mastodonCountCases are counted as Mastodon counts a status: links 23,
// @user@domain as @user, graphemes; Want leaves out the customer's
// @mention that Parley adds to a reply that mentions no one.
var mastodonCountCases = []countCase{
	{"", 0}, {"Hello @maya", 11}, {"Hi @maya@mastodon.social, see https://example.com/a/very/long/path/that/goes/on?x=1 ok", 40},
	{"https://example.com.", 24}, {"(see https://example.com/x)", 29}, {"email sam@example.com is no mention", 35},
	{"@maya@social.example@", 21}, {"gemini://example.org/page and http://ex", 37}, {"👩\u200D🚀 é", 3},
	{"=@user /@user x@user @user", 26}, {"https://例え.テスト/パス", 23}, {"http://a.b2", 11},
}
