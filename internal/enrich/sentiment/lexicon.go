package sentiment

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// flag marks the grammatical role of a lexicon entry.
type flag uint16

const (
	// fNegator flips the valence of the words after it ("not", "never",
	// "no one", "kein").
	fNegator flag = 1 << iota
	// fPost marks negators that may follow what they negate ("marche pas",
	// "funktioniert nicht", "werkt niet").
	fPost
	// fComplaint marks entries that stay at full weight inside a question:
	// "where is my refund?" is a complaint, not a polite question.
	fComplaint
	// fKeep marks entries that no negator flips: "never … again" is not
	// praise of "again".
	fKeep
	// fContrast marks "but" and its kin: what follows outweighs what came
	// before.
	fContrast
	// fMishap marks verbs that turn a preceding "thanks for" into sarcasm
	// ("thanks for losing my bag").
	fMishap
	// fSarcasm marks phrases that are sarcastic on their own ("oh great",
	// "love that for me"); any praise in the same post is read as sarcasm.
	fSarcasm
	// fAnother marks "another", which after praise signals sarcasm ("great,
	// another delay").
	fAnother
	// fAgain marks "again", which after "never" makes "never … again".
	fAgain
	// fHasNeg records that the entry gives its own valence when negated,
	// instead of the default flip.
	fHasNeg
)

// negScalar is how much of a word's valence survives negation, reversed:
// "not good" is mildly negative rather than as bad as "bad". VADER measured
// about the same ratio.
const negScalar = -0.74

// entry is what the lexicon knows about a word or phrase.
type entry struct {
	val   float64 // valence, about -4 … +4
	neg   float64 // valence when negated, if fHasNeg
	boost float64 // > 0 intensifies the next sentiment word, < 0 diminishes it
	flags flag
}

// known reports whether w is a word of the lexicon or starts a phrase.
func (l *lexicon) known(w []byte) bool {
	if _, ok := l.words[string(w)]; ok {
		return true
	}
	return l.longest[string(w)] > 0
}

func (e entry) has(f flag) bool { return e.flags&f != 0 }

// valenced reports whether the entry carries sentiment of its own, either
// plainly or once negated ("work" is neutral, "doesn't work" is not).
func (e entry) valenced() bool { return e.val != 0 || e.has(fHasNeg) }

// negated is the entry's valence under a negator.
func (e entry) negated() float64 {
	if e.has(fHasNeg) {
		return e.neg
	}
	return e.val * negScalar
}

// lexicon is every word and phrase the analyzer knows, keyed by their
// normalised form (see normalise), words of a phrase joined by one space.
type lexicon struct {
	words   map[string]entry
	phrases map[string]entry
	// longest maps the first word of every phrase to the number of words in
	// the longest phrase it starts, so most words cost one lookup.
	longest map[string]int
	// acronyms are upper-case words that are not shouting ("ATM", "SMS").
	acronyms map[string]bool
}

// lex is built at init from the tables in words.go and words_intl.go; the
// tables are code, so a mistake in them fails every test.
var lex = mustBuild()

func mustBuild() *lexicon {
	l, err := build(tables)
	if err != nil {
		panic("sentiment: " + err.Error())
	}
	return l
}

// tables are the lexicon sources in the order they are read; a later line
// for the same key replaces an earlier one.
var tables = []string{englishTable, slangTable, careTable, grammarTable, intlTable}

// build parses lexicon tables. Each non-blank line that does not start with
// "#" is
//
//	VALENCE[/NEGATED] WORD [WORD…] [| FLAG…]
//
// where FLAG is neg, post, cmp, keep, but, mishap, sarcasm, another, again
// or boost=X.
func build(sources []string) (*lexicon, error) {
	l := &lexicon{
		words:    map[string]entry{},
		phrases:  map[string]entry{},
		longest:  map[string]int{},
		acronyms: map[string]bool{},
	}
	for _, a := range strings.Fields(acronymTable) {
		l.acronyms[normalise(a)] = true
	}
	for _, src := range sources {
		for n, line := range strings.Split(src, "\n") {
			line = strings.TrimSpace(line)
			if line == "" || line[0] == '#' {
				continue
			}
			if err := l.add(line); err != nil {
				return nil, fmt.Errorf("line %d %q: %w", n+1, line, err)
			}
		}
	}
	return l, nil
}

func (l *lexicon) add(line string) error {
	spec, flags, _ := strings.Cut(line, "|")
	fields := strings.Fields(spec)
	if len(fields) < 2 {
		return fmt.Errorf("want a valence and a word")
	}
	var e entry
	v, n, hasNeg := strings.Cut(fields[0], "/")
	var err error
	if e.val, err = strconv.ParseFloat(v, 64); err != nil {
		return fmt.Errorf("valence: %w", err)
	}
	if hasNeg {
		if e.neg, err = strconv.ParseFloat(n, 64); err != nil {
			return fmt.Errorf("negated valence: %w", err)
		}
		e.flags |= fHasNeg
	}
	for _, f := range strings.Fields(flags) {
		switch {
		case f == "neg":
			e.flags |= fNegator
		case f == "post":
			e.flags |= fNegator | fPost
		case f == "cmp":
			e.flags |= fComplaint
		case f == "keep":
			e.flags |= fKeep
		case f == "but":
			e.flags |= fContrast
		case f == "mishap":
			e.flags |= fMishap
		case f == "sarcasm":
			e.flags |= fSarcasm | fComplaint
		case f == "another":
			e.flags |= fAnother
		case f == "again":
			e.flags |= fAgain | fKeep
		case strings.HasPrefix(f, "boost="):
			if e.boost, err = strconv.ParseFloat(f[len("boost="):], 64); err != nil {
				return fmt.Errorf("boost: %w", err)
			}
		default:
			return fmt.Errorf("unknown flag %q", f)
		}
	}
	words := fields[1:]
	for i, w := range words {
		words[i] = normalise(w)
		if words[i] == "" {
			return fmt.Errorf("word %q normalises to nothing", w)
		}
	}
	if len(words) == 1 {
		l.words[words[0]] = e
		return nil
	}
	if len(words) > maxPhrase {
		return fmt.Errorf("phrase longer than %d words", maxPhrase)
	}
	l.phrases[strings.Join(words, " ")] = e
	l.longest[words[0]] = max(l.longest[words[0]], len(words))
	return nil
}

// maxPhrase bounds how far the phrase matcher looks ahead.
const maxPhrase = 5

// normalise folds a word the way the tokenizer does: lower case, curly
// apostrophes straightened, Latin accents removed ("péssimo" → "pessimo",
// "déçu" → "decu"), so the tables can be written with or without accents and
// still match customers who type without them.
func normalise(s string) string {
	var b []byte
	for _, r := range s {
		b = utf8.AppendRune(b, fold(r))
	}
	return string(b)
}

// fold lower-cases a rune and strips the accent from common Latin letters.
func fold(r rune) rune {
	switch r {
	case '’', '‘', 'ʼ', '`', '´':
		return '\''
	}
	if r >= 0xC0 && r < 0x180 {
		if f := latinFold[r-0xC0]; f != 0 {
			return f
		}
	}
	return unicode.ToLower(r)
}

// latinFold maps U+00C0 … U+017F to a lower-case letter without its accent;
// 0 means "leave it to unicode.ToLower".
var latinFold = func() (t [0xC0]rune) {
	const (
		from = "ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝýÿŒœ"
		to   = "aaaaaaaaaaaacceeeeeeeeiiiiiiiinnoooooooooooouuuuuuuuyyyoo"
	)
	f := []rune(from)
	for i, r := range []rune(to) {
		t[f[i]-0xC0] = r
	}
	return t
}()
