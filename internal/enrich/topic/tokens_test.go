package topic

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/enrich/fold"
)

// The tokenizer reads ASCII a byte at a time, and the trie turns words
// away by a filter before its maps. These tests hold them to the plain
// reading: fields split at unicode.IsSpace, read a rune at a time, and a
// look-up in the maps for every word.

// tokensByFields is the tokenizer's words by strings.IndexFunc and runes.
func tokensByFields(text string) []string {
	if len(text) > MaxTextBytes {
		text = text[:MaxTextBytes]
	}
	var words []string
	for len(text) > 0 {
		i := strings.IndexFunc(text, unicode.IsSpace)
		field := text
		if i >= 0 {
			field = text[:i]
			_, size := utf8.DecodeRuneInString(text[i:])
			text = text[i+size:]
		} else {
			text = ""
		}
		if field == "" || field[0] == '@' || strings.HasPrefix(field, "＠") || strings.Contains(field, "://") ||
			len(field) >= 4 && strings.EqualFold(field[:4], "www.") {
			continue
		}
		var word []byte
		open, single := false, false
		closeWord := func() {
			if open && len(word) > 0 {
				words = append(words, string(word))
			}
			word, open, single = nil, false, false
		}
		for _, r := range field {
			switch {
			case 0x300 <= r && r <= 0x36F:
			case unicode.IsLetter(r) || unicode.IsDigit(r):
				if unspaced(r) {
					closeWord()
					open, single = true, true
				} else if single {
					closeWord()
				}
				open = true
				word = fold.Append(word, r)
			case unicode.IsMark(r):
				if open {
					word = utf8.AppendRune(word, r)
				}
			default:
				closeWord()
			}
		}
		closeWord()
	}
	return words
}

func checkTokens(t *testing.T, text string) {
	t.Helper()
	var tok tokenizer
	tok.reset(text)
	got := make([]string, len(tok.spans))
	for i := range tok.spans {
		got[i] = string(tok.token(i))
	}
	if want := tokensByFields(text); !slices.Equal(got, want) && len(got)+len(want) > 0 {
		t.Fatalf("tokens of %q = %q, want %q", text, got, want)
	}
}

func TestTokensAgreeWithFields(t *testing.T) {
	t.Parallel()
	for _, text := range []string{
		"", " ", "a", "A1_b", "don't", "CHARGED... twice!!", "#LostMyBag", "(down)",
		"@x y", "x@y z", "＠x y", "www.x y", "WwW.x y", "\x17ww.x y", "ww.x", "a://b c", "a:/b c", "a: //b", "://", "x:",
		"a\u00a0b", "a\u3000b", "a\u0085b", "a\u2028b", "a\xffb", "\xff", "\xc3", "e\u0301", "\u0301e", "u\u0308berzahlt",
		"ｎｏｔ ｗｏｒｋｉｎｇ", "𝗻𝗼𝘁 𝘄𝗼𝗿𝗸𝗶𝗻𝗴", "𝟏𝟐", "Straße Œuvre ĲSSEL", "注文の返金をお願いします", "ขอคืนเงินด้วยครับ", "abc返金def",
		"Ich wurde UEBERZAHLT, nein: überzählt?", "Верните ДЕНЬГИ", "ΆΛΦΑ", "x\u0e31y",
		strings.Repeat("ab ", MaxTextBytes/3+10), strings.Repeat("é", MaxTextBytes/2+1),
	} {
		checkTokens(t, text)
	}
}

func FuzzTokens(f *testing.F) {
	f.Add("@Airline you charged twice for the same seat and I want a refund #LostMyBag")
	f.Add("ｎｏｔ ｗｏｒｋｉｎｇ 𝗻𝗼𝘁 u\u0308berzahlt 注文の返金 ขอคืนเงินด้วยครับ")
	f.Add("\xff\xfe\u0301\u0308 @ ＠x www. :// a:b x\u00a0y")
	f.Fuzz(func(t *testing.T, text string) {
		checkTokens(t, text)
	})
}

// TestKeyFilters checks that no node's filter turns away one of its keys.
func TestKeyFilters(t *testing.T) {
	t.Parallel()
	rules := append(rules300(), Rule{Topic: "more", Phrases: []string{
		"返金", "注文の返金", "ขอคืนเงิน", "überzahlt*", "a", "b*", "x y z", "x y*", "verlorenes gepäck*",
	}})
	m, err := Compile(rules)
	if err != nil {
		t.Fatal(err)
	}
	var walk func(path string, n *node)
	walk = func(path string, n *node) {
		for key, child := range n.next {
			if !n.mayHave([]byte(key)) {
				t.Errorf("node %q turns away its word %q", path, key)
			}
			walk(path+" "+key, child)
		}
		for key := range n.stems {
			if !n.mayHave([]byte(key)) {
				t.Errorf("node %q turns away its stem %q", path, key)
			}
		}
	}
	walk("", m.root)
}
