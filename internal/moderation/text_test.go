package moderation

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPrepare(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in     string
		norm   string
		hidden bool
	}{
		{"Hello World", "hello world", false},
		{"ÇA VA, Ñandú? Straße Œuvre", "ca va, ñandu? strasse oeuvre", false},
		{"didn’t — ok", "didn't - ok", false},
		{"ｆｕｌｌ　ｗｉｄｔｈ", "full\u3000width", false},
		{"𝓼𝓬𝓻𝓲𝓹𝓽 𝟙𝟚𝟛", "script 123", false},
		{"ⓒⓘⓡⓒⓛⓔⓓ 🅰🅱", "circled ab", false},
		{"ꜱᴍᴀʟʟ ᴄᴀᴘꜱ", "small caps", false},
		{"pаypal", "paypal", true},                    // Cyrillic а among Latin letters
		{"привет", "пpивeт", false},                   // a Russian word is not disguised
		{"pay\u200bpal", "paypal", true},              // split by a zero-width space
		{"hi\u200b 👨\u200d👩\u200d👧", "hi 👨👩👧", false}, // joiners in emoji are no trick
		{"e\u0301te\u0301", "ete", false},             // combining accents dropped
		{"\u202eevil\u202c", "evil", false},           // bidirectional override dropped
		{"a\u3164b", "ab", true},                      // a Hangul filler splits a word unseen
		{"\xffok\xfe", "\ufffdok\ufffd", false},
	} {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got := prepare(tt.in)
			if got.norm != tt.norm || got.hidden != tt.hidden {
				t.Errorf("prepare(%q) = %q hidden %v, want %q hidden %v", tt.in, got.norm, got.hidden, tt.norm, tt.hidden)
			}
		})
	}
}

func TestBound(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		in   string
		want int // bytes kept
	}{
		{"short", "hello", 5},
		{"exact", strings.Repeat("a", MaxTextBytes), MaxTextBytes},
		{"long", strings.Repeat("a", 3*MaxTextBytes), MaxTextBytes},
		{"cut inside a rune", "a" + strings.Repeat("€", MaxTextBytes), MaxTextBytes - 1},
	} {
		got := bound(tt.in)
		if len(got) != tt.want || !utf8.ValidString(got) {
			t.Errorf("%s: bound kept %d bytes (valid %v), want %d", tt.name, len(got), utf8.ValidString(got), tt.want)
		}
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		want []string // canonical forms
	}{
		{"Sh1t happens!!!", []string{"shit", "happens"}},
		{"*nice* |wow|", []string{"nice", "wow"}},
		{"a$$ @sam $500 1488", []string{"ass", "asam", "$500", "1488"}},
		{"bullet f**k", []string{"buiiet", "f**k"}},
		{"#tag don't", []string{"tag", "don", "t"}},
	} {
		toks := prepare(tt.in).tokens
		var got []string
		for _, tok := range toks {
			got = append(got, tok.canon)
		}
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("tokens of %q = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestJoinedBounded(t *testing.T) {
	t.Parallel()
	tx := prepare(strings.Repeat("a.", MaxTextBytes/2))
	if len(tx.joined) > maxJoined {
		t.Errorf("%d joined words, want at most %d", len(tx.joined), maxJoined)
	}
}
