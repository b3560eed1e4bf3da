package language

import (
	"math/bits"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// clean and the tally read a post a byte at a time where it is ASCII, and
// look words up in a table built for speed. These tests hold them to the
// plain reading: strings.Fields, a rune at a time, and the wordLangs map.

// cleanByFields is clean by strings.Fields and runes.
func cleanByFields(text string) cleaned {
	if len(text) > MaxInputBytes {
		text = text[:MaxInputBytes]
		for len(text) > 0 {
			r, size := utf8.DecodeLastRuneInString(text)
			if r != utf8.RuneError || size != 1 {
				break
			}
			text = text[:len(text)-1]
		}
	}
	// Markup is removed before the reading, by the same function; see
	// TestStripMarkup.
	text = stripMarkup(text)
	var b strings.Builder
	words := 0
	var scripts uint8
	for _, field := range strings.Fields(text) {
		if skipFieldByRules(field) {
			continue
		}
		inWord := false
		letters := 0
		var first rune
		for _, r := range field {
			switch {
			case unicode.IsLetter(r):
				if !inWord {
					first = r
					letters = 0
				}
				inWord = true
				letters++
				scripts |= scriptOf(r)
				b.WriteRune(r)
			case inWord && unicode.IsMark(r):
				b.WriteRune(r)
			case inWord:
				b.WriteByte(' ')
				words += wordsIn(first, letters)
				inWord = false
			}
		}
		if inWord {
			b.WriteByte(' ')
			words += wordsIn(first, letters)
		}
	}
	return cleaned{text: b.String(), words: words, scripts: scripts}
}

// skipFieldByRules is scanField's skip, rule by rule.
func skipFieldByRules(f string) bool {
	switch {
	case f[0] == '@' || f[0] == '#' || f[0] == '$':
	case strings.HasPrefix(f, "＃") || strings.HasPrefix(f, "＠") || f == "RT":
	case strings.Contains(f, "://") || strings.Contains(f, "@"):
	case len(f) >= 4 && strings.EqualFold(f[:4], "www."):
	default:
		dot := strings.IndexByte(f, '.')
		return dot > 0 && strings.IndexByte(f[dot:], '/') > 0
	}
	return true
}

// voteByMaps is voteOf by the wordLangs map.
func voteByMaps(word string) langSet {
	set := lettersOf(word)
	var buf [maxWordBytes]byte
	if lower, ok := lowerInto(buf[:0], word); ok {
		set |= wordLangs[string(lower)]
	}
	return set
}

// checkClean checks clean, tallyOf and decide on text against the plain
// reading.
func checkClean(t *testing.T, text string) {
	t.Helper()
	c := clean(text)
	if want := cleanByFields(text); c != want {
		t.Fatalf("clean(%q) = %+v, want %+v", text, c, want)
	}
	var votes [2][numLangs]int
	var words [2]int
	other := 0
	for word := range strings.FieldsSeq(c.text) {
		first, _ := utf8.DecodeRuneInString(word)
		script := 0
		switch {
		case unicode.Is(unicode.Latin, first):
		case unicode.Is(unicode.Cyrillic, first):
			script = 1
		default:
			other += max(1, wordsIn(first, utf8.RuneCountInString(word)))
			continue
		}
		words[script]++
		for set := voteByMaps(word); set != 0; set &= set - 1 {
			votes[script][bits.TrailingZeros32(uint32(set))]++
		}
	}
	main := 0
	if words[1] > words[0] {
		main = 1
	}
	wantOK := 4*words[main] >= 3*(words[0]+words[1]+other)
	tl, ok := tallyOf(c.text)
	if ok != wantOK || ok && (tl.votes != votes[main] || tl.words != words[main]) {
		t.Fatalf("tallyOf(%q) = %v %d words %v, want %v %d words %v", c.text, tl.votes, tl.words, ok, votes[main], words[main], wantOK)
	}
	if !ok {
		return
	}
	// The votes tallyOf keeps for decide are those decide would look up.
	looked := tl
	looked.known = 0
	l1, c1, ok1 := tl.decide()
	l2, c2, ok2 := looked.decide()
	if l1 != l2 || c1 != c2 || ok1 != ok2 {
		t.Fatalf("decide(%q) = %v %v %v with the votes kept, %v %v %v looking them up", c.text, l1, c1, ok1, l2, c2, ok2)
	}
}

func TestCleanAgreesWithFields(t *testing.T) {
	t.Parallel()
	texts := []string{
		"", " ", "\t\n", "RT", "Rx", "rt", "R", "RT @x: hi", "RT\u00a0there", "xRT", "RTx", "a RT b",
		"@x", "#x", "$x", "＃x", "＠x", "a@b", "x://y", "http://x.com", "ftp:/x", "a:/b", "a: //b",
		"www.x", "WWW.x", "wWw.x", "www", "ww.x", "\x17ww.x", "example.com/a", ".com/a", "a./", "a/b.c", "a.b.c/d",
		"x\u00a0y", "x\u3000y", "x\u2028y", "x\u0085y", "a\xffb", "\xff", "é\u0301", "\u0301a", "a\u0301", "1a2b3c",
		"don't l'avion", "ÀÉÎÕÜ çà", "İstanbul ıi", "注文の返金をお願いします", "ขอคืนเงินด้วยครับ", "Привет мир", "ok 감사합니다",
		strings.Repeat("word ", 1000), strings.Repeat("é", MaxInputBytes), strings.Repeat("a", MaxInputBytes-1) + "é",
		strings.Repeat("the ", 70), strings.Repeat("der die das ", 30) + "注文の返金",
	}
	for _, p := range posts {
		texts = append(texts, p.text, strings.ToUpper(p.text))
	}
	for _, text := range texts {
		checkClean(t, text)
	}
}

func FuzzClean(f *testing.F) {
	for _, p := range posts {
		f.Add(p.text)
	}
	f.Add("RT @x: www.y.com a.b/c ＃x ＠y e\u0301 \xff x\u00a0y")
	f.Fuzz(func(t *testing.T, text string) {
		checkClean(t, text)
	})
}

func TestVoteOf(t *testing.T) {
	t.Parallel()
	var buf [maxWordBytes]byte
	for w := range wordLangs {
		for _, word := range []string{w, strings.ToUpper(w), strings.ToUpper(w[:1]) + w[1:], w + "s", "x" + w, w + w} {
			if got, want := voteOf(word, &buf), voteByMaps(word); got != want {
				t.Errorf("voteOf(%q) = %v, want %v", word, got.langs(), want.langs())
			}
		}
	}
	for _, word := range []string{"a", "Z", "ñ", "ÑANDÚ", strings.Repeat("a", maxWordBytes), strings.Repeat("a", maxWordBytes+1), strings.Repeat("é", 13)} {
		if got, want := voteOf(word, &buf), voteByMaps(word); got != want {
			t.Errorf("voteOf(%q) = %v, want %v", word, got.langs(), want.langs())
		}
	}
}
