package sentiment

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
	pair    int     // the other half of "ne … pas" (see pairNe), or -1
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
				s.items = append(s.items, item{first: i, last: i, clause: clause, negBy: -1, boostBy: -1, pair: -1,
					e: entry{val: t.val, flags: fKeep | fComplaint}})
			}
			i++
		case kWord:
			e, n := s.lookup(i)
			it := item{first: i, last: i + n - 1, clause: clause, e: e, word: true, negBy: -1, boostBy: -1, pair: -1}
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
	t := &s.toks[i]
	info := &lex.infos[t.info]
	longest := info.longest
	if t.number {
		longest = max(longest, lex.hashLongest)
	}
	if longest > 1 {
		n := 1
		for n < longest && i+n < len(s.toks) && s.toks[i+n].kind == kWord {
			n++
		}
		if n >= 2 {
			// The longest phrase wins, its words as written before the
			// same words with numbers as "#".
			pn, pe := 0, entry{}
			if lex.mayPair(t.info, s.toks[i+1].info) {
				pn, pe = s.longestPhrase(i, n, false)
			}
			hn, he := 0, entry{}
			if s.anyNumber(i, n) && lex.mayPair(s.hashedInfo(i), s.hashedInfo(i+1)) {
				hn, he = s.longestPhrase(i, n, true)
			}
			switch {
			case pn >= 2 && pn >= hn:
				return pe, pn
			case hn >= 2:
				return he, hn
			}
		}
	}
	if info.isWord {
		return info.e, 1
	}
	if w := s.norm(i); len(w) >= 3 && w[len(w)-1] == 't' && w[len(w)-2] == '\'' && w[len(w)-3] == 'n' {
		// Contractions the table does not list ("mustn't", "needn't").
		return entry{flags: fNegator}, 1
	}
	return entry{}, 1
}

// longestPhrase returns the number of words and the entry of the longest
// phrase of two to n words from token i, or 0; with hash, numbers are
// written "#". It stops at the first run of words that starts no phrase.
func (s *scratch) longestPhrase(i, n int, hash bool) (int, entry) {
	s.key = s.keyWord(s.key[:0], i, hash)
	best, e := 0, entry{}
	for j := i + 1; j < i+n; j++ {
		s.key = append(s.key, ' ')
		s.key = s.keyWord(s.key, j, hash)
		p := &lex.prefixes[lex.byPrefix.get(s.key)]
		if p.isPhrase {
			best, e = j-i+1, p.e
		}
		if !p.longer {
			break
		}
	}
	return best, e
}

// hashedInfo is the index in lex.infos of word token j, as "#" if it is a
// number.
func (s *scratch) hashedInfo(j int) int32 {
	if s.toks[j].number {
		return lex.hashInfo
	}
	return s.toks[j].info
}

// keyWord appends word token j to key, as "#" if hash and it is a number.
func (s *scratch) keyWord(key []byte, j int, hash bool) []byte {
	if hash && s.toks[j].number {
		return append(key, '#')
	}
	return append(key, s.norm(j)...)
}

func (s *scratch) anyNumber(i, n int) bool {
	for j := i; j < i+n; j++ {
		if s.toks[j].number {
			return true
		}
	}
	return false
}
