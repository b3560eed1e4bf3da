package sentiment

import "bytes"

// item is a word, phrase, emoji or emoticon with what the rules made of it.
type item struct {
	first, last int // tokens, inclusive
	clause      int // items in one clause can negate and boost each other
	e           entry
	word        bool // a word or phrase, as opposed to an emoji or emoticon
	isFor       bool // the word "for", for "thanks for losing my bag"

	c       float64 // contribution to the sum
	negBy   int     // item that negated this one, or -1
	boostBy int     // nearest item that boosted this one, or -1
	used    bool    // a negator that negated something
	how     how
}

// how records the rule that shaped an item, for its cue.
type how uint8

const (
	howPlain how = iota
	howNegated
	howUnmet
	howScare
	howSarcasm
)

// match groups tokens into items, preferring the longest phrase the
// lexicon knows at each word.
func (s *scratch) match() {
	clause := 0
	for i := 0; i < len(s.toks); {
		t := &s.toks[i]
		switch t.kind {
		case kPunct:
			clause++
			i++
		case kEmoji, kEmoticon:
			if t.val != 0 {
				// A face is not negated by the words before it, and it is
				// the customer's tone even inside a question.
				s.items = append(s.items, item{first: i, last: i, clause: clause, negBy: -1, boostBy: -1,
					e: entry{val: t.val, flags: fKeep | fComplaint}})
			}
			i++
		case kWord:
			e, n := s.lookup(i)
			it := item{first: i, last: i + n - 1, clause: clause, e: e, word: true, negBy: -1, boostBy: -1}
			it.isFor = n == 1 && string(s.norm(i)) == "for"
			if e.has(fContrast) {
				clause++
				it.clause = clause
			}
			s.items = append(s.items, it)
			i += n
		default:
			i++
		}
	}
}

// lookup returns the entry of the longest phrase starting at word token i,
// and how many tokens it spans; an unknown word is a zero entry of one
// token.
func (s *scratch) lookup(i int) (entry, int) {
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
			if e, ok := lex.phrases[string(s.phraseKey(i, n, false))]; ok {
				return e, n
			}
			if s.anyNumber(i, n) {
				if e, ok := lex.phrases[string(s.phraseKey(i, n, true))]; ok {
					return e, n
				}
			}
		}
	}
	if e, ok := lex.words[string(w)]; ok {
		return e, 1
	}
	if bytes.HasSuffix(w, []byte("n't")) {
		// Contractions the table does not list ("mustn't", "needn't").
		return entry{flags: fNegator}, 1
	}
	return entry{}, 1
}

// phraseKey joins n words from token i with spaces into s.key; with hash,
// numbers are written "#".
func (s *scratch) phraseKey(i, n int, hash bool) []byte {
	s.key = s.key[:0]
	for j := i; j < i+n; j++ {
		if j > i {
			s.key = append(s.key, ' ')
		}
		if hash && s.toks[j].number {
			s.key = append(s.key, '#')
			continue
		}
		s.key = append(s.key, s.norm(j)...)
	}
	return s.key
}

func (s *scratch) anyNumber(i, n int) bool {
	for j := i; j < i+n; j++ {
		if s.toks[j].number {
			return true
		}
	}
	return false
}
