package moderation

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of a word list entry.
const (
	maxEntryBytes = 100
	maxEntryWords = 8
	// minStemRunes is the least a wildcard word may fix before its "*":
	// "ab*" would match too much to be meant.
	minStemRunes = 3
	// maxStarred bounds the masked words ("f**k") of one comment compared
	// with a list, as each is compared with every entry of its first letter.
	maxStarred = 32
)

// pattern is one word of a list entry.
type pattern struct {
	canon, key        string // as token.canon and token.key
	keyHash, stemHash uint64 // as token.keyHash and token.stemHash
	stem              bool   // the word ended in "*": a token may continue it
}

// entry is one entry of a word list: a word or a phrase.
type entry struct {
	label string // the entry normalised and without "*", for reasons
	words []pattern
}

// lexicon is a compiled word list. Entries match whole words, after the
// normalisation of prepare: "ass" matches "a$$" and "asss" but not "assess"
// or "as", "fuck*" matches "fuuucking".
type lexicon struct {
	entries []entry
	exact   map[uint64][]int32 // first word's keyHash → entries, for exact first words
	stems   map[uint64][]int32 // first word's stemHash → entries, for wildcard first words
	byFirst map[rune][]int32   // first rune of the first word → entries, for masked words
}

// compileLexicon compiles list. It returns an error naming the first entry
// that has no letters or digits, is too long, or puts "*" anywhere but at
// the end of a word after at least minStemRunes letters.
func compileLexicon(list []string) (*lexicon, error) {
	l := &lexicon{
		exact:   make(map[uint64][]int32),
		stems:   make(map[uint64][]int32),
		byFirst: make(map[rune][]int32),
	}
	for _, item := range list {
		e, err := compileEntry(item)
		if err != nil {
			return nil, err
		}
		idx := int32(len(l.entries))
		l.entries = append(l.entries, e)
		first := e.words[0]
		if first.stem {
			l.stems[first.stemHash] = append(l.stems[first.stemHash], idx)
		} else {
			l.exact[first.keyHash] = append(l.exact[first.keyHash], idx)
		}
		r, _ := utf8.DecodeRuneInString(first.canon)
		l.byFirst[r] = append(l.byFirst[r], idx)
	}
	return l, nil
}

func compileEntry(item string) (entry, error) {
	if len(item) > maxEntryBytes {
		return entry{}, fmt.Errorf("%.20q… is longer than %d bytes", item, maxEntryBytes)
	}
	fields := strings.Fields(item)
	if len(fields) == 0 {
		return entry{}, fmt.Errorf("an entry is empty")
	}
	if len(fields) > maxEntryWords {
		return entry{}, fmt.Errorf("%q has more than %d words", item, maxEntryWords)
	}
	// The label is shown in reasons: normalised, it holds no invisible or
	// invalid characters.
	e := entry{label: strings.Join(strings.Fields(strings.ReplaceAll(prepare(item).norm, "*", "")), " ")}
	for _, f := range fields {
		base, stem := strings.CutSuffix(f, "*")
		if strings.Contains(base, "*") {
			return entry{}, fmt.Errorf("%q: \"*\" may only end a word", item)
		}
		toks := prepare(base).tokens
		if len(toks) == 0 {
			return entry{}, fmt.Errorf("%q: %q has no letters or digits", item, f)
		}
		for i, tok := range toks {
			p := pattern{canon: tok.canon, key: tok.key, keyHash: tok.keyHash, stemHash: tok.stemHash}
			if stem && i == len(toks)-1 {
				if utf8.RuneCountInString(tok.key) < minStemRunes {
					return entry{}, fmt.Errorf("%q: a word ending in \"*\" needs at least %d letters before it (a repeated letter counts once)", item, minStemRunes)
				}
				p.stem = true
			}
			e.words = append(e.words, p)
		}
	}
	return e, nil
}

// prefixRunes returns the first n runes of s, or "" if s is shorter.
func prefixRunes(s string, n int) string {
	i := 0
	for ; n > 0; n-- {
		if i >= len(s) {
			return ""
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}

// find returns the first entry that matches toks at some position.
func (l *lexicon) find(toks []token) (*entry, bool) {
	starred := 0
	for i, tok := range toks {
		if tok.starred {
			if starred++; starred > maxStarred {
				continue
			}
			r, _ := utf8.DecodeRuneInString(tok.canon)
			if e, ok := l.matchAny(toks, i, l.byFirst[r]); ok {
				return e, true
			}
			continue
		}
		if e, ok := l.matchAny(toks, i, l.exact[tok.keyHash]); ok {
			return e, true
		}
		if tok.stemHash != 0 && len(l.stems) > 0 {
			if e, ok := l.matchAny(toks, i, l.stems[tok.stemHash]); ok {
				return e, true
			}
		}
	}
	return nil, false
}

// findWord is find for single-word entries only: the words of text.joined
// are not a sentence.
func (l *lexicon) findWord(toks []token) (*entry, bool) {
	for i := range toks {
		if e, ok := l.find(toks[i : i+1]); ok && len(e.words) == 1 {
			return e, true
		}
	}
	return nil, false
}

// whole returns the entry that is exactly toks, start to end.
func (l *lexicon) whole(toks []token) (*entry, bool) {
	if len(toks) == 0 {
		return nil, false
	}
	cands := l.exact[toks[0].keyHash]
	if toks[0].stemHash != 0 {
		cands = append(cands[:len(cands):len(cands)], l.stems[toks[0].stemHash]...)
	}
	for _, idx := range cands {
		if e := &l.entries[idx]; len(e.words) == len(toks) && matchAt(toks, 0, e) {
			return e, true
		}
	}
	return nil, false
}

func (l *lexicon) matchAny(toks []token, i int, cands []int32) (*entry, bool) {
	for _, idx := range cands {
		if e := &l.entries[idx]; matchAt(toks, i, e) {
			return e, true
		}
	}
	return nil, false
}

// matchAt reports whether e's words are toks[i:], in order.
func matchAt(toks []token, i int, e *entry) bool {
	if len(toks)-i < len(e.words) {
		return false
	}
	for j, p := range e.words {
		if !p.matches(toks[i+j]) {
			return false
		}
	}
	return true
}

// matches reports whether tok is p. Repeated letters may repeat more, never
// less: "asss" is "ass", "as" is not.
func (p pattern) matches(tok token) bool {
	if tok.starred {
		return p.masks(tok.canon)
	}
	if p.stem {
		if !strings.HasPrefix(tok.key, p.key) {
			return false
		}
	} else if tok.key != p.key {
		return false
	}
	return covers(tok.canon, p.canon, p.stem)
}

// covers reports whether s is p with each run of a letter as long or longer;
// with prefix, s may go on after p.
func covers(s, p string, prefix bool) bool {
	for p != "" {
		pr, pc, pn := run(p)
		sr, sc, sn := run(s)
		if sr != pr || sc < pc {
			return false
		}
		p, s = p[pn:], s[sn:]
	}
	return prefix || s == ""
}

// run returns the first rune of s, how many times it repeats, and the bytes
// that takes.
func run(s string) (r rune, count, size int) {
	if s == "" {
		return utf8.RuneError, 0, 0
	}
	r, _ = utf8.DecodeRuneInString(s)
	for size < len(s) {
		q, n := utf8.DecodeRuneInString(s[size:])
		if q != r {
			break
		}
		count++
		size += n
	}
	return r, count, size
}

// masks reports whether the masked word s ("f**k", "f***ing", "sh*t") can be
// p: every letter shown agrees, the first is shown (tokenize trims leading
// "*"), and at least two letters are shown in all, so "f***" alone is no
// word.
func (p pattern) masks(s string) bool {
	if utf8.RuneCountInString(s) < utf8.RuneCountInString(p.canon) {
		return false
	}
	shown, pc := 0, p.canon
	for i, r := range s {
		if r != '*' {
			shown++
		}
		if pc == "" {
			if !p.stem {
				return false
			}
			continue
		}
		q, n := utf8.DecodeRuneInString(pc)
		pc = pc[n:]
		if i == 0 && r == '*' || r != '*' && r != q {
			return false
		}
	}
	return shown >= 2
}

// mask hides all but the first letter or digit of each word of label, so a
// reason never repeats an offensive word: "fuck" → "f***".
func mask(label string) string {
	var b strings.Builder
	for i, w := range strings.Fields(label) {
		if i > 0 {
			b.WriteByte(' ')
		}
		for j, r := range w {
			if j == 0 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
				b.WriteRune(r)
			} else {
				b.WriteByte('*')
			}
		}
		if b.Len() > 60 {
			break
		}
	}
	return b.String()
}
