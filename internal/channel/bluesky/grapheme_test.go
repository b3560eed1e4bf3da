package bluesky

import (
	"strings"
	"testing"
)

func TestGraphemes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want int
	}{
		{"empty", "", 0},
		{"ascii", "hello", 5},
		{"crlf is one", "a\r\nb", 3},
		{"lf lf", "\n\n", 2},
		{"precomposed", "café", 4},
		{"combining accent", "cafe\u0301", 4},
		{"stacked marks", "a\u0301\u0302\u0303", 1},
		{"thumbs up", "👍", 1},
		{"skin tone", "👍🏽", 1},
		{"family ZWJ", "👨\u200d👩\u200d👧\u200d👦", 1},
		{"couple with heart", "👨\u200d❤\ufe0f\u200d👨", 1},
		{"technologist tone ZWJ", "🧑🏻\u200d💻", 1},
		{"heart with selector", "❤\ufe0f", 1},
		{"keycap", "1\ufe0f\u20e3", 1},
		{"flag", "🇫🇷", 1},
		{"two flags", "🇫🇷🇩🇪", 2},
		{"three indicators", "🇫🇷🇩", 2},
		{"subdivision flag", "🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F", 1},
		{"ZWJ after letter", "a\u200db", 2},
		{"ZWJ then emoji after letter", "a\u200d👍", 2},
		{"hangul syllables", "한국어", 3},
		{"hangul jamo", "\u1112\u1161\u11ab", 1},
		{"devanagari without GB9c", "नमस्ते", 4},
		{"thai", "สวัสดี", 4},
		{"arabic prepend", "\u0600\u0661", 1},
		{"control", "a\u0007b", 3},
		{"zero width space", "a\u200bb", 3},
		{"docs example", "✨ example mentioning @atproto.com to share the URL 👨\u200d❤\ufe0f\u200d👨 https://en.wikipedia.org/wiki/CBOR.", 88},
		{"invalid utf-8", "a\xffb", 3},
		{"mixed", "Hi 👋🏾 🇯🇵!", 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Graphemes(tt.in); got != tt.want {
				t.Errorf("Graphemes(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

// A post's limit counts emoji as one each, however many code points and
// bytes they take.
func TestGraphemesAtThePostLimit(t *testing.T) {
	t.Parallel()
	family := "👨\u200d👩\u200d👧\u200d👦"
	s := strings.Repeat(family, MaxPostGraphemes)
	if got := Graphemes(s); got != MaxPostGraphemes {
		t.Errorf("Graphemes(300 families) = %d, want %d", got, MaxPostGraphemes)
	}
	if len(s) <= MaxPostBytes {
		t.Fatalf("300 families are %d bytes; the test needs more than %d", len(s), MaxPostBytes)
	}
}
