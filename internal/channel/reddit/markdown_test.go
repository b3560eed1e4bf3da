package reddit

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMarkdownToText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"plain", "my router keeps rebooting", "my router keeps rebooting"},
		{"emphasis", "**bold** *it* _under_ ~~gone~~ ***both***", "bold it under gone both"},
		{"snake case and usernames keep underscores", "u/some_customer set my_router_id to r_42", "u/some_customer set my_router_id to r_42"},
		{"arithmetic stars stay", "2 * 3 = 6", "2 * 3 = 6"},
		{"link", "see [the docs](https://acme.example/docs)", "see the docs (https://acme.example/docs)"},
		{"link with title", `[kb](https://acme.example/kb "Knowledge base")`, "kb (https://acme.example/kb)"},
		{"link whose text is its url", "[https://acme.example](https://acme.example)", "https://acme.example"},
		{"link with parentheses", "[wiki](https://en.wikipedia.org/wiki/Router_(computing))", "wiki (https://en.wikipedia.org/wiki/Router_(computing))"},
		{"misleading link shows its target", "[https://acme.example/login](https://evil.example/login)", "https://acme.example/login (https://evil.example/login)"},
		{"image", "![screenshot](https://i.example/a.png)", "screenshot (https://i.example/a.png)"},
		{"autolink", "<https://acme.example/x>", "https://acme.example/x"},
		{"not a link", "[1] and [x] (y)", "[1] and [x] (y)"},
		{"unclosed bracket", "[never closed", "[never closed"},
		{"code span", "run `sudo reboot` now", "run sudo reboot now"},
		{"code span keeps markup", "`**not bold**`", "**not bold**"},
		{"unmatched backtick", "a ` b", "a ` b"},
		{"fenced code", "before\n```\n**raw** <b>\n```\nafter", "before\n**raw** <b>\nafter"},
		{"indented code", "text\n\n    x := *y\n", "text\n\n    x := *y"},
		{"escapes", `\*not italic\* \_ \\`, `*not italic* _ \`},
		{"entities", "a &amp; b &lt;c&gt; &#39;d&#39; &nbsp;e", "a & b <c> 'd' \u00a0e"},
		{"html stays text", "<script>alert(1)</script>", "<script>alert(1)</script>"},
		{"heading", "# Title #\n## Sub", "Title\nSub"},
		{"setext underline", "Title\n=====\nText", "Title\nText"},
		{"rule", "a\n\n***\n\nb", "a\n\nb"},
		{"quote", "> quoted\n>> nested\nreply", "> quoted\n> > nested\nreply"},
		{"list", "* one\n- two\n+ three\n1. four", "• one\n• two\n• three\n1. four"},
		{"table", "| a | b |\n|---|:-:|\n| 1 | 2 |", "a | b\n1 | 2"},
		{"spoiler", "the answer: >!42!< ok", "the answer: [spoiler: 42] ok"},
		{"unclosed spoiler", ">!open", ">!open"},
		{"blank lines collapse", "a\n\n\n\n\nb\n\n", "a\n\nb"},
		{"crlf", "a\r\nb\rc", "a\nb\nc"},
		{"controls and bidi go", "a\u0000b\u0007c\u202ed\u2066e\u2069\tf", "abcde f"},
		{"entity smuggling a control", "x&#x202E;y&#0;z", "xy\uFFFDz"},
		{"invalid utf-8", "a\xffb", "a\uFFFDb"},
		{"superscript stays", "2^10", "2^10"},
		{"strike single tilde stays", "~20 minutes", "~20 minutes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MarkdownToText(tt.in); got != tt.want {
				t.Errorf("MarkdownToText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMarkdownToTextBounds(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 50_000)
	got := markdownToText(long, 1000)
	if len(got) > 1000 || !utf8.ValidString(got) || !strings.HasSuffix(got, ellipsis) {
		t.Errorf("cut text: %d bytes, valid %v, ends %q", len(got), utf8.ValidString(got), got[len(got)-3:])
	}
	// Pathological input finishes promptly: brackets, backticks, spoilers
	// and angle brackets that never close.
	for _, s := range []string{
		strings.Repeat("[", 60_000), strings.Repeat("[a](", 15_000), strings.Repeat("`", 60_000),
		strings.Repeat(">!", 30_000), strings.Repeat("<", 60_000), strings.Repeat("**_~~", 12_000),
		strings.Repeat("`a", 30_000), strings.Repeat("](", 30_000),
	} {
		if out := MarkdownToText(s); !utf8.ValidString(out) || len(out) > len(s)+len(ellipsis) {
			t.Errorf("MarkdownToText(%q…) = %d bytes, valid %v", s[:10], len(out), utf8.ValidString(out))
		}
	}
}
