package sentiment

import (
	"bytes"
	"strings"
	"testing"
)

// The tokenizer and the matcher read the lexicon through tables built for
// speed (lexicon.index). These tests hold them to what the lexicon's maps
// say, word by word.

// lookupByMaps is lookup read straight from the maps: for n from the most
// words a phrase starting at token i may have down to two, the n words as
// written, then with numbers as "#"; else the word alone.
func (s *scratch) lookupByMaps(i int) (entry, int) {
	w := s.norm(i)
	longest := lex.longest[string(w)]
	if s.toks[i].number {
		longest = max(longest, lex.longest["#"])
	}
	if longest > 1 {
		n := 1
		for n < longest && i+n < len(s.toks) && s.toks[i+n].kind == kWord {
			n++
		}
		for ; n >= 2; n-- {
			if e, ok := lex.phrases[s.keyByMaps(i, n, false)]; ok {
				return e, n
			}
			if s.anyNumber(i, n) {
				if e, ok := lex.phrases[s.keyByMaps(i, n, true)]; ok {
					return e, n
				}
			}
		}
	}
	if e, ok := lex.words[string(w)]; ok {
		return e, 1
	}
	if bytes.HasSuffix(w, []byte("n't")) {
		return entry{flags: fNegator}, 1
	}
	return entry{}, 1
}

func (s *scratch) keyByMaps(i, n int, hash bool) string {
	words := make([]string, 0, n)
	for j := i; j < i+n; j++ {
		if hash && s.toks[j].number {
			words = append(words, "#")
		} else {
			words = append(words, string(s.norm(j)))
		}
	}
	return strings.Join(words, " ")
}

// checkWords tokenizes text and checks every word token against the maps:
// what the token knows of its word, the entry lookup finds, and, for words
// that the tokenizer read on its fast path, the token appendWord makes of
// the same bytes.
func checkWords(t *testing.T, text string) {
	t.Helper()
	if len(text) > MaxInput {
		text = text[:MaxInput]
	}
	var s scratch
	s.tokenize(text)
	for i := range s.toks {
		tok := &s.toks[i]
		if tok.kind != kWord {
			continue
		}
		w := string(s.norm(i))
		info := lex.infos[tok.info]
		e, isWord := lex.words[w]
		if info.isWord != isWord || info.e != e || info.longest != lex.longest[w] || info.number != numberWords[w] {
			t.Fatalf("%q: word %q has %+v, want the maps' word %v %+v, longest %d, number %v",
				text, w, info, isWord, e, lex.longest[w], numberWords[w])
		}
		ge, gn := s.lookup(i)
		we, wn := s.lookupByMaps(i)
		if ge != we || gn != wn {
			t.Fatalf("%q: lookup of word %d %q = %+v over %d words, want %+v over %d", text, i, w, ge, gn, we, wn)
		}
		if c := text[tok.start]; c >= '0' && c <= '9' {
			continue // numbers, ratings and ordinals, which numeric reads
		}
		var ref scratch
		ref.appendWord(text, int(tok.start), int(tok.end), tok.sent)
		got, want := *tok, ref.toks[0]
		got.ns, got.ne, want.ns, want.ne = 0, 0, 0, 0
		got.quoted = false // set by the closing quote, after the word
		if got != want || w != string(ref.norm(0)) {
			t.Fatalf("%q: word %q is %+v %q, appendWord makes %+v %q", text, text[tok.start:tok.end], got, w, want, ref.norm(0))
		}
	}
}

func TestWordsAgreeWithLexicon(t *testing.T) {
	t.Parallel()
	var texts []string
	for _, path := range []string{"testdata/dev.tsv", "testdata/eval.tsv"} {
		for _, ex := range readExamples(t, path) {
			texts = append(texts, ex.text, strings.ToUpper(ex.text))
		}
	}
	// Every word and phrase of the lexicon, alone, in capitals, in a
	// sentence, cut short and run on.
	for _, src := range tables {
		for _, line := range strings.Split(src, "\n") {
			line = strings.TrimSpace(line)
			if line == "" || line[0] == '#' {
				continue
			}
			spec, _, _ := strings.Cut(line, "|")
			fields := strings.Fields(spec)[1:]
			p := strings.Join(fields, " ")
			texts = append(texts, p, strings.ToUpper(p), "so "+p+" again!", strings.Join(fields[:len(fields)-1], " "),
				p+" "+p, strings.ReplaceAll(p, "#", "3"), strings.ReplaceAll(p, "#", "three"), strings.ReplaceAll(p, "#th", "4th"))
		}
	}
	texts = append(texts,
		"sooo goood", "SOOOO BAD", "pleaseeee", "looooove it", "Gooood morning", "aaa", "zzzzzz",
		"the 3rd time", "45min on hold", "2hrs waiting", "10/10", "1/5 stars", "5 stars", "two weeks later",
		"mustn't", "needn't", "can't", "can’t", "rip-off", "wi-fi", "don't-", "it's", "o'clock'",
		"ATM SMS USA", "ABC123", "Café déçu PÉSSIMO", "naïve", "straße", "x_y", "snake_case_word",
		"\xffgood\xfe", "goo\xc3d", "I'm", "i", "I", "",
		"L'application n'est pas", "N’EST", "dell’ordine", "qu'il", "jusqu'à", "l'", "l''a", "aujourd'hui", "Dell's")
	for _, text := range texts {
		checkWords(t, text)
	}
}

func FuzzWords(f *testing.F) {
	for _, s := range []string{
		"not happy", "3 times", "the 4th time", "two hours", "sooo goood", "NOT SOOO HAPPY", "thanks for losing my bag",
		"never … again", "45min", "can’t", "déçu", "\xff\xfe", "a-b-c", "x'", "'x", "wait-",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkWords(t, text)
	})
}

func TestHasPrefixFold(t *testing.T) {
	t.Parallel()
	for _, prefix := range []string{"http://", "https://", "www."} {
		upper := strings.ToUpper(prefix)
		for i := range len(prefix) {
			for c := range 256 {
				for _, base := range []string{prefix, upper} {
					s := base[:i] + string([]byte{byte(c)}) + base[i+1:] + "x"
					want := strings.EqualFold(s[:len(prefix)], prefix)
					if got := hasPrefixFold(s, prefix); got != want {
						t.Errorf("hasPrefixFold(%q, %q) = %v, want %v", s, prefix, got, want)
					}
				}
			}
		}
		for _, s := range []string{"", prefix[:len(prefix)-1], "ħttp://", "httpſ://x", "WWW。"} {
			want := len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
			if got := hasPrefixFold(s, prefix); got != want {
				t.Errorf("hasPrefixFold(%q, %q) = %v, want %v", s, prefix, got, want)
			}
		}
	}
}

func TestEmoticonAt(t *testing.T) {
	t.Parallel()
	for c := range 256 {
		if want := strings.IndexByte(":;=<>xX", byte(c)) >= 0; emoticonStart[c] != want {
			t.Errorf("emoticonStart[%q] = %v, want %v", byte(c), emoticonStart[c], want)
		}
	}
	for _, tt := range []struct {
		s          string
		afterSpace bool
		want       int
	}{
		{"", true, 0},
		{":", true, 0},
		{":)", true, 2},
		{":-(", false, 3},
		{":-((", false, 4},
		{">:(", false, 3},
		{"</3", false, 3},
		{"<3", false, 2},
		{"<33", false, 3},
		{":D", true, 2},
		{":Don't", true, 0},
		{":D!", true, 2},
		{"xD", true, 2},
		{"xD", false, 0},
		{"XD ", true, 2},
		{"xDD", true, 0},
		{"x", true, 0},
		{":\xff", true, 0},
		{"\xff:)", true, 0},
	} {
		if got, _ := emoticonAt(tt.s, tt.afterSpace); got != tt.want {
			t.Errorf("emoticonAt(%q, %v) = %d, want %d", tt.s, tt.afterSpace, got, tt.want)
		}
	}
}
