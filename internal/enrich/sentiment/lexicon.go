package sentiment

import (
	"fmt"
	"maps"
	"slices"
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
	// fNe marks the French "ne", the first half of a negation whose second
	// half ("pas", "plus", "jamais", "rien", "personne", "aucun") follows the
	// verb: "ne marche pas", "n'aime plus". Alone it negates nothing ("ne …
	// que" means "only").
	fNe
	// fNeEnd marks the second halves: after "ne" each is a negator, of the
	// words between the halves too, even those that are not one alone
	// ("plus" is "more", "personne" "a person").
	fNeEnd
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
	info := &l.infos[l.byWord.get(w)]
	return info.isWord || info.longest > 0
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

	// The maps above, as the tokenizer and the matcher read them: every
	// word of a post is looked up, most are in none of the maps, and one
	// probe of a table costs less than a map look-up, let alone three.
	//
	// byWord holds every word of words, every first word of a phrase and
	// every numberWord, as an index in infos, whose first element is
	// that of an unknown word.
	byWord strTable
	infos  []wordInfo
	// byPrefix holds every phrase and every run of two or more words
	// that starts one, as an index in prefixes, so that the matcher can
	// stop at the first run that leads nowhere.
	byPrefix strTable
	prefixes []prefixInfo
	// hashLongest is longest["#"]: phrases with a number first.
	hashLongest int
	// pairs is a Bloom filter of the first two words of every phrase, as
	// indexes in infos, which therefore has every word of every phrase:
	// most words that start a phrase are followed by none of its second
	// words. hashInfo is the index of "#".
	pairs    [pairBits / 64]uint64
	hashInfo int32
}

// pairBits is the size of lexicon.pairs: about 16 bits a phrase.
const pairBits = 1 << 13

func pairBit(a, b int32) uint32 {
	return (uint32(a)*0x9E3779B1 ^ uint32(b)) * 0x85EBCA6B >> (32 - 13)
}

// mayPair reports false when no phrase starts with the words whose indexes
// in infos are a and b.
func (l *lexicon) mayPair(a, b int32) bool {
	bit := pairBit(a, b)
	return l.pairs[bit/64]&(1<<(bit%64)) != 0
}

// wordInfo is what the lexicon knows of a word.
type wordInfo struct {
	e       entry // words[w], if isWord
	isWord  bool
	longest int  // longest[w]
	number  bool // numberWords[w]
}

// prefixInfo is what the lexicon knows of a run of words.
type prefixInfo struct {
	e        entry // phrases[run], if isPhrase
	isPhrase bool
	longer   bool // a longer phrase starts with the run
}

// index builds byWord, byPrefix and pairs from the maps, in the order of
// their sorted keys so that every process builds the same tables.
func (l *lexicon) index() {
	l.infos = []wordInfo{{}}
	words := map[string]int32{}
	info := func(w string) *wordInfo {
		k, ok := words[w]
		if !ok {
			k = int32(len(l.infos))
			words[w] = k
			l.infos = append(l.infos, wordInfo{})
		}
		return &l.infos[k]
	}
	for _, w := range slices.Sorted(maps.Keys(l.words)) {
		in := info(w)
		in.e, in.isWord = l.words[w], true
	}
	for _, w := range slices.Sorted(maps.Keys(l.longest)) {
		info(w).longest = l.longest[w]
	}
	for _, w := range slices.Sorted(maps.Keys(numberWords)) {
		info(w).number = true
	}
	phrases := slices.Sorted(maps.Keys(l.phrases))
	for _, p := range phrases {
		for _, w := range strings.Split(p, " ") {
			info(w)
		}
	}
	for _, p := range phrases {
		ws := strings.Split(p, " ")
		bit := pairBit(words[ws[0]], words[ws[1]])
		l.pairs[bit/64] |= 1 << (bit % 64)
	}
	l.hashInfo = words["#"]
	l.byWord = newStrTable(words)

	l.prefixes = []prefixInfo{{}}
	prefixes := map[string]int32{}
	prefix := func(run string) *prefixInfo {
		k, ok := prefixes[run]
		if !ok {
			k = int32(len(l.prefixes))
			prefixes[run] = k
			l.prefixes = append(l.prefixes, prefixInfo{})
		}
		return &l.prefixes[k]
	}
	for _, p := range phrases {
		words := strings.Split(p, " ")
		for n := 2; n < len(words); n++ {
			prefix(strings.Join(words[:n], " ")).longer = true
		}
		in := prefix(p)
		in.e, in.isPhrase = l.phrases[p], true
	}
	l.byPrefix = newStrTable(prefixes)
	l.hashLongest = l.longest["#"]
}

// strTable maps strings to numbers other than 0 by open addressing, with
// FNV-1a for a hash.
type strTable struct {
	slots []strSlot // a power of two, at most half full
	mask  uint32
}

type strSlot struct {
	key string
	val int32
}

func newStrTable(m map[string]int32) strTable {
	size := 2
	for size < 2*len(m) {
		size *= 2
	}
	t := strTable{slots: make([]strSlot, size), mask: uint32(size - 1)}
	for _, key := range slices.Sorted(maps.Keys(m)) {
		val := m[key]
		i := hashOf([]byte(key)) & t.mask
		for t.slots[i].key != "" {
			i = (i + 1) & t.mask
		}
		t.slots[i] = strSlot{key, val}
	}
	return t
}

// get returns the number of key, or 0 when key is not in the table.
func (t *strTable) get(key []byte) int32 {
	return t.getHashed(key, hashOf(key))
}

// getHashed is get of a key whose hash is h.
func (t *strTable) getHashed(key []byte, h uint32) int32 {
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if s.key == string(key) {
			return s.val
		}
		if s.key == "" {
			return 0
		}
	}
}

func hashOf(b []byte) uint32 {
	h := hashSeed
	for _, c := range b {
		h = hashByte(h, c)
	}
	return h
}

// hashSeed and hashByte are FNV-1a, which the tokenizer computes as it reads
// a word.
const hashSeed uint32 = 2166136261

func hashByte(h uint32, c byte) uint32 { return (h ^ uint32(c)) * 16777619 }

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
// where FLAG is neg, post, cmp, keep, but, mishap, sarcasm, another, again,
// ne, ne-end or boost=X.
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
	l.index()
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
		case f == "ne":
			e.flags |= fNe
		case f == "ne-end":
			e.flags |= fNeEnd
		case strings.HasPrefix(f, "boost="):
			if e.boost, err = strconv.ParseFloat(f[len("boost="):], 64); err != nil {
				return fmt.Errorf("boost: %w", err)
			}
		default:
			return fmt.Errorf("unknown flag %q", f)
		}
	}
	var words []string
	for _, w := range fields[1:] {
		n := normalise(w)
		if n == "" {
			return fmt.Errorf("word %q normalises to nothing", w)
		}
		// Split as the tokenizer splits: "n'importe" is "n'" and "importe".
		for {
			i := strings.IndexByte(n, '\'')
			if i <= 0 || i+1 == len(n) || !elides(n[:i]) {
				break
			}
			words = append(words, n[:i+1])
			n = n[i+1:]
		}
		words = append(words, n)
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
