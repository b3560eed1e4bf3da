package language

import (
	"math/bits"
	"unicode"
	"unicode/utf8"
)

// The tally names a language on its own when it has at least minVotes
// votes, one for every wordsPerVote words of the text, and when, against
// every other language that has votes, at least minLead of its words vote
// for it and not the other, leadFactor times as many as the other way
// round. One word, however telling, never decides: "die" is German and
// English, "a" a dozen languages, "no" half of Europe. Counting only the
// words that tell two languages apart lets Danish win over Norwegian, with
// which it shares most of its short words, and the density bound keeps a
// language outside the set from being named after a neighbour it shares a
// few of them with, as Croatian does with Czech.
const (
	minVotes     = 3
	minLead      = 2
	leadFactor   = 2
	wordsPerVote = 5
)

// maxCandidates is how many of the tally's leaders, at most, whatlanggo
// compares when the tally does not decide: its cost grows with each.
const maxCandidates = 3

// tally counts, for each language, the words of a cleaned text that vote
// for it: its function words, and words with a letter that only it, or a
// few languages with it, use.
type tally struct {
	text  string // the cleaned text, which decide reads again
	votes [numLangs]int
	words int // words in the text's main alphabet
	// sets are the votes of the text's first words in the Latin or the
	// Cyrillic alphabet, so that decide need not look them up again;
	// known has a bit for each word of the text that sets holds, and n
	// counts the words of the text.
	sets  [64]langSet
	known uint64
	n     int
}

// tallyOf reads the words of a cleaned text, one look-up each, and
// reports false when the text is not mostly in the Latin or the Cyrillic
// alphabet, which the tally's languages are written in.
func tallyOf(text string) (tally, bool) {
	const latin, cyrillic = 0, 1
	var votes [2][numLangs]int
	var words [2]int
	t := tally{text: text}
	other := 0
	var buf [maxWordBytes]byte
	for rest := text; rest != ""; t.n++ {
		var word string
		if word, rest = nextWord(rest); word == "" {
			continue
		}
		k := t.n
		first, _ := utf8.DecodeRuneInString(word)
		script := latin
		switch {
		case first < utf8.RuneSelf || unicode.Is(unicode.Latin, first):
		case unicode.Is(unicode.Cyrillic, first):
			script = cyrillic
		default:
			other += max(1, wordsIn(first, utf8.RuneCountInString(word)))
			continue
		}
		words[script]++
		set := voteOf(word, &buf)
		if k < len(t.sets) {
			t.sets[k] = set
			t.known |= 1 << k
		}
		for ; set != 0; set &= set - 1 {
			votes[script][bits.TrailingZeros32(uint32(set))]++
		}
	}
	main := latin
	if words[cyrillic] > words[latin] {
		main = cyrillic
	}
	// Three words in four: a post in Cyrillic with a brand name in Latin
	// letters is still read, a half-Japanese one is left to whatlanggo.
	if 4*words[main] < 3*(words[latin]+words[cyrillic]+other) {
		return tally{}, false
	}
	t.votes, t.words = votes[main], words[main]
	return t, true
}

// nextWord splits the first word off a cleaned text, whose words are runs
// of letters and marks each followed by one space: what strings.FieldsSeq
// would yield, without decoding the text.
func nextWord(text string) (word, rest string) {
	// Words are short: a loop costs less than a call to strings.IndexByte.
	for i := 0; i < len(text); i++ {
		if text[i] == ' ' {
			return text[:i], text[i+1:]
		}
	}
	return text, ""
}

// voteOf returns the languages a word votes for; buf is room to lower it.
func voteOf(word string, buf *[maxWordBytes]byte) langSet {
	if len(word) <= maxWordBytes {
		// An ASCII word has no telling letters, and is lowered and
		// hashed in one pass.
		lower := buf[:len(word)]
		h := hashSeed
		ascii := true
		for i := 0; i < len(word); i++ {
			c := word[i]
			if c >= utf8.RuneSelf {
				ascii = false
				break
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			lower[i] = c
			h = hashByte(h, c)
		}
		if ascii {
			return functionWordTable.get(lower, h)
		}
	}
	set := lettersOf(word)
	if lower, ok := lowerInto(buf[:0], word); ok {
		h := hashSeed
		for _, c := range lower {
			h = hashByte(h, c)
		}
		set |= functionWordTable.get(lower, h)
	}
	return set
}

// lowerInto appends word in lower case to dst, and reports false when it
// would be longer than maxWordBytes, which no function word is.
func lowerInto(dst []byte, word string) ([]byte, bool) {
	if len(word) > maxWordBytes {
		return dst, false
	}
	for _, r := range word {
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			dst = append(dst, byte(r))
			continue
		}
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
		if len(dst) > maxWordBytes {
			return dst, false
		}
	}
	return dst, true
}

// lettersOf returns the languages that the letters of word point to. Only
// letters that few of the tally's languages use are counted: "ñ" is
// Spanish, "ł" Polish, and "ä" tells Swedish from Danish and Norwegian,
// but "ü", "ç" or "é" are in too many of them to say anything.
func lettersOf(word string) langSet {
	var set langSet
	for _, r := range word {
		if r < 0xc0 {
			continue
		}
		switch unicode.ToLower(r) {
		case 'ñ':
			set |= 1 << spanish
		case 'ã', 'õ':
			set |= 1<<portuguese | 1<<vietnamese
		case 'ä':
			set |= 1<<german | 1<<swedish | 1<<finnish
		case 'ö':
			set |= 1<<german | 1<<swedish | 1<<finnish | 1<<turkish | 1<<hungarian
		case 'ß':
			set |= 1 << german
		case 'å':
			set |= 1<<swedish | 1<<danish | 1<<norwegian
		case 'æ', 'ø':
			set |= 1<<danish | 1<<norwegian
		case 'ł', 'ą', 'ę', 'ś', 'ź', 'ż', 'ć', 'ń':
			set |= 1 << polish
		case 'ř', 'ě', 'ů':
			set |= 1 << czech
		case 'ő', 'ű':
			set |= 1 << hungarian
		case 'ğ', 'ı':
			set |= 1 << turkish
		case 'ş': // Romanian "ș" is often typed with Turkish's cedilla
			set |= 1<<turkish | 1<<romanian
		case 'ș', 'ț':
			set |= 1 << romanian
		case 'ă':
			set |= 1<<romanian | 1<<vietnamese
		case 'đ', 'ơ', 'ư':
			set |= 1 << vietnamese
		case 'ы', 'э', 'ъ', 'ё':
			set |= 1 << russian
		case 'і', 'ї', 'є', 'ґ':
			set |= 1 << ukrainian
		default:
			// Latin Extended Additional: the vowels with two diacritics
			// that Vietnamese, alone among the tally's languages, writes.
			if 0x1ea0 <= r && r <= 0x1ef9 {
				set |= 1 << vietnamese
			}
		}
	}
	return set
}

// leaders returns the languages with the most and second most votes.
func (t *tally) leaders() (first, second lang) {
	first, second = 0, 1
	if t.votes[second] > t.votes[first] {
		first, second = second, first
	}
	for l := lang(2); l < numLangs; l++ {
		switch {
		case t.votes[l] > t.votes[first]:
			first, second = l, first
		case t.votes[l] > t.votes[second]:
			second = l
		}
	}
	return first, second
}

// decide returns the language the votes name on their own, with a
// confidence that grows with its votes and its lead over its closest
// rival: 0.75 for three votes against none, 0.5 at the least lead that
// decides. It reports false when the votes are too few or too close.
func (t *tally) decide() (lang, float64, bool) {
	first, _ := t.leaders()
	best := t.votes[first]
	if best < minVotes || best*wordsPerVote < t.words {
		return 0, 0, false
	}
	var rivals langSet
	for l := range numLangs {
		if l != first && t.votes[l] > 0 {
			rivals |= 1 << l
		}
	}
	// own[l] counts the words that vote for first and not l, against[l]
	// those that vote for l and not first.
	var own, against [numLangs]int
	add := func(set langSet) {
		count := &against
		if set&(1<<first) != 0 {
			set, count = rivals&^set, &own
		} else {
			set &= rivals
		}
		for ; set != 0; set &= set - 1 {
			count[bits.TrailingZeros32(uint32(set))]++
		}
	}
	if t.n <= len(t.sets) && t.known == 1<<t.n-1 {
		// tallyOf kept the votes of every word.
		for _, set := range t.sets[:t.n] {
			add(set)
		}
	} else {
		var buf [maxWordBytes]byte
		for k, rest := 0, t.text; rest != ""; k++ {
			var word string
			if word, rest = nextWord(rest); word == "" {
				continue
			}
			if k < len(t.sets) && t.known&(1<<k) != 0 {
				add(t.sets[k])
			} else {
				add(voteOf(word, &buf))
			}
		}
	}
	closest := 0.0
	for set := rivals; set != 0; set &= set - 1 {
		l := bits.TrailingZeros32(uint32(set))
		if own[l] < minLead || own[l] < leadFactor*against[l] {
			return 0, 0, false
		}
		closest = max(closest, float64(against[l])/float64(own[l]))
	}
	return first, (1 - closest) * float64(best) / float64(best+1), true
}

// candidates returns the languages whatlanggo should compare when the
// votes do not decide: the leaders, up to maxCandidates, and the close
// neighbours of the first, so that there are always two or more. It
// returns the empty set when the votes are too few to trust that the
// text's language is among them: a stray "õ" or "nie" in an Estonian or
// Afrikaans post would otherwise leave whatlanggo to choose, with full
// confidence, between three wrong languages.
func (t *tally) candidates() langSet {
	first, _ := t.leaders()
	if best := t.votes[first]; best < minVotes || best*wordsPerVote < t.words {
		return 0
	}
	votes := t.votes
	var set langSet
	for range maxCandidates {
		best := lang(0)
		for l := range numLangs {
			if votes[l] > votes[best] {
				best = l
			}
		}
		if votes[best] == 0 {
			break
		}
		if set == 0 {
			set = neighbours[best]
		}
		set |= 1 << best
		votes[best] = 0
	}
	return set
}

// neighbours are, for each language, those whatlanggo most often takes
// it for, or that share most of its short words; always in its alphabet.
var neighbours = [numLangs]langSet{
	english:    1<<dutch | 1<<french,
	spanish:    1<<portuguese | 1<<italian,
	french:     1<<italian | 1<<spanish,
	german:     1<<dutch | 1<<swedish,
	italian:    1<<spanish | 1<<portuguese,
	portuguese: 1<<spanish | 1<<italian,
	dutch:      1<<german | 1<<english,
	swedish:    1<<norwegian | 1<<danish,
	danish:     1<<norwegian | 1<<swedish,
	norwegian:  1<<danish | 1<<swedish,
	finnish:    1<<hungarian | 1<<turkish,
	polish:     1<<czech | 1<<hungarian,
	czech:      1<<polish | 1<<hungarian,
	turkish:    1<<finnish | 1<<hungarian,
	romanian:   1<<italian | 1<<spanish,
	hungarian:  1<<finnish | 1<<turkish,
	indonesian: 1<<tagalog | 1<<english,
	tagalog:    1<<indonesian | 1<<spanish,
	vietnamese: 1<<indonesian | 1<<tagalog,
	russian:    1 << ukrainian,
	ukrainian:  1 << russian,
}
