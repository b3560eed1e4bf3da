package listen

import (
	"testing"
	"unicode"
)

// TestIgnored checks ignored, whose ranges are spelled out for speed,
// against what it means: the invisible characters, tatweel, and the marks
// of the Hebrew and Arabic blocks.
func TestIgnored(t *testing.T) {
	t.Parallel()
	for r := rune(0); r <= unicode.MaxRune; r++ {
		want := r == 0x00AD || 0x200B <= r && r <= 0x200D || r == 0x2060 || r == 0xFEFF || r == 0x0640 ||
			0x0591 <= r && r <= 0x06FF && unicode.IsMark(r)
		if got := ignored(r); got != want {
			t.Errorf("ignored(%U) = %v, want %v", r, got, want)
		}
	}
}

func TestComposed(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ r, m, want rune }{
		{'カ', 0x3099, 'ガ'},
		{'か', 0x3099, 'が'},
		{'ツ', 0x3099, 'ヅ'},
		{'ッ', 0x3099, 0},
		{'ハ', 0x309A, 'パ'},
		{'ホ', 0x309A, 'ポ'},
		{'カ', 0x309A, 0},
		{'ウ', 0x3099, 'ヴ'},
		{'う', 0x3099, 'ゔ'},
		{'ワ', 0x3099, 'ヷ'},
		{'わ', 0x3099, 0},
		{'ゝ', 0x3099, 'ゞ'},
		{'ا', 0x0653, 'آ'},
		{'ا', 0x0654, 'أ'},
		{'ا', 0x0655, 'إ'},
		{'ي', 0x0654, 'ئ'},
		{'ب', 0x0654, 0},
		{'a', 0x3099, 0},
	} {
		if got := composed(tt.r, tt.m); got != tt.want {
			t.Errorf("composed(%q, %U) = %q, want %q", tt.r, tt.m, got, tt.want)
		}
	}
}

func TestHalfwidth(t *testing.T) {
	t.Parallel()
	if len(halfwidth) != 0xFF9F-0xFF61+1 {
		t.Fatalf("halfwidth has %d characters", len(halfwidth))
	}
	for i, r := range halfwidth {
		if i >= 5 && i < len(halfwidth)-2 && !unicode.Is(unicode.Katakana, r) && r != 'ー' {
			t.Errorf("halfwidth[%U] = %q, not katakana", 0xFF61+i, r)
		}
	}
}

// TestTokenSpans checks where tokens were read from, which the joins of
// names such as "at&t" are checked against.
func TestTokenSpans(t *testing.T) {
	t.Parallel()
	text := "AT&T, #acme @h@x.example café\u200bnoir ｿﾆ"
	var tk tokenizer
	tk.reset(text)
	var got []string
	for _, tok := range tk.toks {
		got = append(got, text[tok.from:tok.to])
	}
	want := []string{"AT", "T", "acme", "@h@x.example", "café\u200bnoir", "ｿ", "ﾆ"}
	if len(got) != len(want) {
		t.Fatalf("spans %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("span %d = %q, want %q", i, got[i], want[i])
		}
	}
}
