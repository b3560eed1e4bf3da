package sms

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSegments(t *testing.T) {
	t.Parallel()
	rep := strings.Repeat
	tests := []struct {
		name       string
		text       string
		enc        Encoding
		segments   int
		perSegment int
		units      int
	}{
		{"empty", "", GSM7, 0, 160, 0},
		{"short", "Hello", GSM7, 1, 160, 5},
		{"GSM-7 one full segment", rep("a", 160), GSM7, 1, 160, 160},
		{"GSM-7 one over", rep("a", 161), GSM7, 2, 153, 161},
		{"GSM-7 two full", rep("a", 306), GSM7, 2, 153, 306},
		{"GSM-7 two and one", rep("a", 307), GSM7, 3, 153, 307},
		{"GSM-7 ten segments", rep("a", 1530), GSM7, 10, 153, 1530},
		{"the basic set's accents and Greek", "@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà", GSM7, 1, 160, 42},
		{"line breaks", "a\r\nb\n", GSM7, 1, 160, 5},
		{"euro counts 2", "€", GSM7, 1, 160, 2},
		{"extension table counts 2 each", "^{}\\[~]|€\f", GSM7, 1, 160, 20},
		{"extension fills a single segment", rep("a", 158) + "€", GSM7, 1, 160, 160},
		{"extension pushes over a single segment", rep("a", 159) + "€", GSM7, 2, 153, 161},
		// 306 septets would fit two segments, but the euro's two septets
		// cannot straddle the first boundary.
		{"escape never split", rep("a", 152) + "€" + rep("a", 152), GSM7, 3, 153, 306},
		{"escape just fits", rep("a", 151) + "€" + rep("a", 153), GSM7, 2, 153, 306},
		{"backtick is not GSM-7", "it`s", UCS2, 1, 70, 4},
		{"curly quote is not GSM-7", "it’s", UCS2, 1, 70, 4},
		{"small c cedilla is not GSM-7", "ç", UCS2, 1, 70, 1},
		{"tab is not GSM-7", "a\tb", UCS2, 1, 70, 3},
		{"Cyrillic", "Привет", UCS2, 1, 70, 6},
		{"UCS-2 one full segment", rep("ж", 70), UCS2, 1, 70, 70},
		{"UCS-2 one over", rep("ж", 71), UCS2, 2, 67, 71},
		{"UCS-2 two full", rep("ж", 134), UCS2, 2, 67, 134},
		{"UCS-2 two and one", rep("ж", 135), UCS2, 3, 67, 135},
		{"emoji counts 2", "👍", UCS2, 1, 70, 2},
		{"one emoji turns GSM text into UCS-2", rep("a", 69) + "😀", UCS2, 2, 67, 71},
		{"flag is two surrogate pairs", "🇫🇷", UCS2, 1, 70, 4},
		// 134 units would fit two segments, but a surrogate pair cannot
		// straddle the boundary.
		{"surrogate pair never split", rep("ж", 66) + "😀" + rep("ж", 66), UCS2, 3, 67, 134},
		{"surrogate pair just fits", rep("ж", 65) + "😀" + rep("ж", 67), UCS2, 2, 67, 134},
		{"invalid UTF-8 is one unit", "a\xffb", UCS2, 1, 70, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			enc, segs, per, units := Segments(tt.text)
			if enc != tt.enc || segs != tt.segments || per != tt.perSegment || units != tt.units {
				t.Errorf("Segments(%.40q) = %s, %d, %d, %d; want %s, %d, %d, %d",
					tt.text, enc, segs, per, units, tt.enc, tt.segments, tt.perSegment, tt.units)
			}
		})
	}
}

// TestGSMTables checks the tables against 3GPP TS 23.038: 127 characters in
// the default alphabet (128 codes less the escape), 10 in the extension.
func TestGSMTables(t *testing.T) {
	t.Parallel()
	if n := utf8.RuneCountInString(gsmBasic); n != 128 {
		t.Errorf("gsmBasic has %d code points, want 128", n)
	}
	basic, ext := 0, 0
	for r := range rune(0x2100) {
		switch gsmCost(r) {
		case 1:
			basic++
		case 2:
			ext++
		}
	}
	if basic != 127 || ext != 10 {
		t.Errorf("GSM-7 carries %d one-septet and %d two-septet characters, want 127 and 10", basic, ext)
	}
	if gsmCost(0x1b) != 0 || gsmCost(-1) != 0 {
		t.Error("the escape itself, or an invalid rune, counts as a GSM-7 character")
	}
}

func TestBodyLength(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		text string
		want int
	}{
		{"", 0}, {"hello", 5}, {"€", 1}, {"Привет", 6}, {"👍", 2}, {"a\xff", 2},
	} {
		if got := bodyLength(tt.text); got != tt.want {
			t.Errorf("bodyLength(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}
