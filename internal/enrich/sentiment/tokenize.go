package sentiment

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// kind is what a token is.
type kind uint8

const (
	kWord     kind = iota + 1
	kEmoji         // one pictograph; val from emojiValence
	kEmoticon      // ":(", "<3", or a rating such as "10/10"; val set
	kPunct         // a run of . , ; : ! ? or a line break
)

// token is one unit of a post. Words keep both their place in the input
// (for cues) and their normalised form in the scratch arena (for lookups).
type token struct {
	start, end int32 // bytes of the input
	ns, ne     int32 // bytes of the normalised form in scratch.arena
	info       int32 // kWord: the index of the normalised form in lex.infos
	val        float64
	r          rune // kEmoji: the pictograph
	sent       int32
	kind       kind
	punct      byte  // kPunct: '.', ',', ';', ':', '!' or '?'
	bangs, qs  uint8 // kPunct: how many '!' and '?' the run holds, up to 255
	caps       bool  // an upper-case word that is not an acronym
	elong      bool  // a letter repeated three times or more ("sooo")
	number     bool  // digits or a number word, for phrases such as "# times"
	quoted     bool  // inside a short pair of double quotes
}

// tokenize splits text into s.toks. It never fails: bytes that are not UTF-8
// and symbols it does not know are separators.
func (s *scratch) tokenize(text string) {
	sent := int32(0)
	quoteOpen := -1 // index in s.toks of the first token after an open quote
	prevSpace := true
	for i := 0; i < len(text); {
		// Most posts are mostly ASCII, which needs no decoding.
		c := text[i]
		if c == ' ' {
			i++
			prevSpace = true
			continue
		}
		r, size := rune(c), 1
		wordRune := c < utf8.RuneSelf && isWordByte(c)
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
			wordRune = isWordRune(r)
		}
		switch {
		case r == utf8.RuneError && size <= 1:
			i++
			prevSpace = true
			continue
		case r == '\n' || r == '\r':
			s.lineBreak(i, i+size, &sent)
			i += size
			prevSpace = true
			continue
		case c < utf8.RuneSelf && asciiSpace[c] || c >= utf8.RuneSelf && unicode.IsSpace(r):
			i += size
			prevSpace = true
			continue
		case r == '@' && i+1 < len(text) && isWordByte(text[i+1]):
			i = skipHandle(text, i+1)
			prevSpace = false
			continue
		case (r == 'h' || r == 'H' || r == 'w' || r == 'W') && isURL(text[i:]):
			for i < len(text) && text[i] != ' ' && text[i] != '\n' && text[i] != '\t' {
				i++
			}
			prevSpace = true
			continue
		}
		if (prevSpace || !wordRune) && emoticonStart[c] {
			if n, v := emoticonAt(text[i:], prevSpace); n > 0 {
				s.toks = append(s.toks, token{kind: kEmoticon, start: int32(i), end: int32(i + n), val: v, sent: sent})
				i += n
				prevSpace = false
				continue
			}
		}
		switch {
		case wordRune:
			i = s.word(text, i, sent)
		case r == '!' || r == '?' || r == '.' || r == ',' || r == ';' || r == ':' || r == '…':
			i = s.punctRun(text, i, &sent)
		case r == '"' || r == '“' || r == '”' || r == '«' || r == '»' || r == '„':
			quoteOpen = s.quote(r, quoteOpen)
			i += size
		case isEmoji(r):
			s.toks = append(s.toks, token{kind: kEmoji, start: int32(i), end: int32(i + size), r: r, val: emojiValence[r], sent: sent})
			i += size
		default:
			i += size
		}
		prevSpace = false
	}
}

// word reads a word starting at i: letters, digits and marks, with
// apostrophes and hyphens inside it ("can't", "rip-off", "wi-fi"), except
// that an elided word ends at its apostrophe ("l'", see elisions).
func (s *scratch) word(text string, i int, sent int32) int {
	start := i
	end := i
	// Most words are lower-case ASCII letters, their own normal form,
	// which is hashed as it is read; lower says whether the word is one.
	lower, triple := true, false
	h := hashSeed
	var prev byte
	for end < len(text) {
		for ; end < len(text); end++ {
			c := text[end]
			if c-'a' < 26 {
				if c == prev && end-start >= 2 && c == text[end-2] {
					triple = true
				}
				prev = c
				h = hashByte(h, c)
			} else if isWordByte(c) {
				lower = false
			} else {
				break
			}
		}
		if end == len(text) {
			break
		}
		r, size := rune(text[end]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[end:])
		}
		if r >= utf8.RuneSelf && isWordRune(r) {
			end += size
			lower = false
			continue
		}
		if r == '\'' || r == '’' || r == '-' {
			if end+size < len(text) && wordRuneAt(text[end+size:]) {
				end += size
				lower = false
				if r != '-' && elides(text[start:end-size]) {
					break // "l'" of "l'application" is a word of its own
				}
				continue
			}
		}
		break
	}
	switch {
	case text[start] >= '0' && text[start] <= '9':
		return s.numeric(text, start, end, sent)
	case lower:
		s.appendLower(text, start, end, sent, h, triple)
	default:
		s.appendWord(text, start, end, sent)
	}
	return end
}

// appendLower adds text[start:end], lower-case ASCII letters whose hash is
// h, as a word token; triple says whether a letter is repeated three times
// or more. It is appendWord for the words that are most of most posts.
func (s *scratch) appendLower(text string, start, end int, sent int32, h uint32, triple bool) {
	ns := len(s.arena)
	s.arena = append(s.arena, text[start:end]...)
	t := token{kind: kWord, start: int32(start), end: int32(end), ns: int32(ns), ne: int32(len(s.arena)), sent: sent}
	if triple {
		t.elong = true
		s.collapse(ns)
		t.ne = int32(len(s.arena))
		t.info = lex.byWord.get(s.arena[ns:])
	} else {
		t.info = lex.byWord.getHashed(s.arena[ns:], h)
	}
	// Without capitals, no caps.
	t.number = t.ne-t.ns >= 3 && t.ne-t.ns <= 6 && lex.infos[t.info].number
	s.toks = append(s.toks, t)
}

// appendWord adds text[start:end] as a word token, normalised into the arena.
func (s *scratch) appendWord(text string, start, end int, sent int32) {
	ns := len(s.arena)
	letters, upper, digits := 0, 0, 0
	var last rune
	run, elong := 0, false
	for j := start; j < end; {
		if c := text[j]; c < utf8.RuneSelf {
			j++
			switch {
			case c >= 'a' && c <= 'z':
				letters++
			case c >= 'A' && c <= 'Z':
				letters++
				upper++
				c += 'a' - 'A'
			case c >= '0' && c <= '9':
				digits++
			}
			// Lower-case letters are the only ASCII letters left.
			if rune(c) == last && c >= 'a' && c <= 'z' {
				run++
				if run >= 3 {
					elong = true
				}
			} else {
				run = 1
			}
			last = rune(c)
			s.arena = append(s.arena, c)
			continue
		}
		r, size := utf8.DecodeRuneInString(text[j:])
		j += size
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
		f := fold(r)
		if f == last && unicode.IsLetter(f) {
			run++
			if run >= 3 {
				elong = true
			}
		} else {
			run = 1
		}
		last = f
		s.arena = utf8.AppendRune(s.arena, f)
	}
	t := token{kind: kWord, start: int32(start), end: int32(end), ns: int32(ns), ne: int32(len(s.arena)), sent: sent}
	if elong {
		t.elong = true
		s.collapse(ns)
		t.ne = int32(len(s.arena))
	}
	norm := s.arena[ns:t.ne]
	t.info = lex.byWord.get(norm)
	// Codes such as "ABC123" or "SL204" are capitals, not shouting.
	t.caps = letters >= 3 && upper == letters && digits == 0 && !lex.acronyms[string(norm)]
	t.number = len(norm) >= 3 && len(norm) <= 6 && lex.infos[t.info].number
	s.toks = append(s.toks, t)
}

// collapse shortens letters repeated three times or more in arena[from:] to
// the form the lexicon knows: "soooo" → "so", "gooood" → "good",
// "pleaseeee" → "please". Unknown words keep two of each run.
func (s *scratch) collapse(from int) {
	s.squeezed = squeeze(s.squeezed[:0], s.arena[from:], 2)
	two := len(s.squeezed)
	s.squeezed = squeeze(s.squeezed, s.squeezed[:two], 1)
	best := s.squeezed[:two]
	if !lex.known(best) {
		if one := s.squeezed[two:]; lex.known(one) {
			best = one
		}
	}
	s.arena = append(s.arena[:from], best...)
}

// squeeze appends b to dst keeping at most keep copies of each run of one
// letter.
func squeeze(dst, b []byte, keep int) []byte {
	var last rune
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == last {
			n++
		} else {
			n, last = 1, r
		}
		if n <= keep {
			dst = append(dst, b[:size]...)
		}
		b = b[size:]
	}
	return dst
}

// numeric reads a token that starts with a digit: a rating ("10/10", "1/5"),
// an ordinal ("4th" becomes "#th"), a number glued to its unit ("45min"
// becomes "45" and "min"), or a plain number.
func (s *scratch) numeric(text string, start, end int, sent int32) int {
	d := start
	for d < end && text[d] >= '0' && text[d] <= '9' {
		d++
	}
	if d == end {
		if v, n, ok := rating(text[start:]); ok {
			s.toks = append(s.toks, token{kind: kEmoticon, start: int32(start), end: int32(start + n), val: v, sent: sent})
			return start + n
		}
		s.hash(text, start, end, sent)
		return end
	}
	suffix := strings.ToLower(text[d:end])
	switch {
	case suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th":
		ns := len(s.arena)
		s.arena = append(s.arena, "#th"...)
		s.toks = append(s.toks, token{kind: kWord, start: int32(start), end: int32(end), ns: int32(ns), ne: int32(len(s.arena)), sent: sent,
			info: lex.byWord.get(s.arena[ns:])})
	case units[suffix]:
		s.hash(text, start, d, sent)
		s.appendWord(text, d, end, sent)
	default:
		s.appendWord(text, start, end, sent)
	}
	return end
}

// hash adds a number as a word; phrases match it as itself ("5 stars") or
// as "#" ("# times").
func (s *scratch) hash(text string, start, end int, sent int32) {
	ns := len(s.arena)
	s.arena = append(s.arena, text[start:end]...)
	s.toks = append(s.toks, token{kind: kWord, start: int32(start), end: int32(end), ns: int32(ns), ne: int32(len(s.arena)), sent: sent, number: true,
		info: lex.byWord.get(s.arena[ns:])})
}

// rating reads "N/10" or "N/5" at the start of text and maps it to a valence:
// 10/10 is as good as "great", 0/10 as bad as "terrible".
func rating(text string) (v float64, n int, ok bool) {
	num, i := 0, 0
	for i < len(text) && i < 3 && text[i] >= '0' && text[i] <= '9' {
		num = num*10 + int(text[i]-'0')
		i++
	}
	if i == 0 || i >= len(text) || text[i] != '/' {
		return 0, 0, false
	}
	var den int
	switch {
	case strings.HasPrefix(text[i+1:], "10"):
		den, n = 10, i+3
	case strings.HasPrefix(text[i+1:], "5"):
		den, n = 5, i+2
	default:
		return 0, 0, false
	}
	if n < len(text) && text[n] >= '0' && text[n] <= '9' || num > den {
		return 0, 0, false
	}
	return (float64(num)/float64(den) - 0.5) * 6, n, true
}

// punctRun reads a run of punctuation. "!!!", "?!" and "??" are kept as
// counts; any run with '.', '!' or '?' ends the sentence.
func (s *scratch) punctRun(text string, i int, sent *int32) int {
	start := i
	var bangs, qs int
	end := byte(0)
run:
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch r {
		case '!':
			bangs++
		case '?':
			qs++
		case '.', '…':
			if end == 0 || end == ',' || end == ';' || end == ':' {
				end = '.'
			}
		case ',', ';', ':':
			if end == 0 {
				end = byte(r)
			}
		default:
			break run
		}
		i += size
	}
	switch {
	case qs > 0 && bangs == 0 || qs > bangs:
		end = '?'
	case bangs > 0:
		end = '!'
	}
	s.toks = append(s.toks, token{kind: kPunct, start: int32(start), end: int32(i), punct: end, sent: *sent,
		bangs: uint8(min(bangs, 255)), qs: uint8(min(qs, 255))})
	if end == '.' || end == '!' || end == '?' {
		*sent++
	}
	return i
}

// lineBreak ends the sentence at a line break, unless punctuation already
// did.
func (s *scratch) lineBreak(start, end int, sent *int32) {
	if n := len(s.toks); n == 0 || s.toks[n-1].kind == kPunct {
		return
	}
	s.toks = append(s.toks, token{kind: kPunct, start: int32(start), end: int32(end), punct: '.', sent: *sent})
	*sent++
}

// quote opens or closes a quotation. Only a closed quote of one to three
// words counts: that is how customers mark scare quotes ("unlimited" data),
// and an unclosed or long quote is just a quotation.
func (s *scratch) quote(r rune, open int) int {
	closing := r == '”' || r == '»' || (r == '"' && open >= 0)
	if r == '“' || r == '«' || r == '„' || !closing {
		return len(s.toks)
	}
	if open < 0 || open > len(s.toks) {
		return -1
	}
	words := 0
	for _, t := range s.toks[open:] {
		if t.kind != kWord {
			return -1
		}
		words++
	}
	if words >= 1 && words <= 3 {
		for i := open; i < len(s.toks); i++ {
			s.toks[i].quoted = true
		}
	}
	return -1
}

// wordRuneAt reports whether s starts with a word rune.
func wordRuneAt(s string) bool {
	if s[0] < utf8.RuneSelf {
		return isWordByte(s[0])
	}
	r, _ := utf8.DecodeRuneInString(s)
	return isWordRune(r)
}

// asciiSpace marks the ASCII bytes that unicode.IsSpace accepts.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

func isWordRune(r rune) bool {
	return r < utf8.RuneSelf && isWordByte(byte(r)) || r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r))
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// skipHandle skips an @handle, whose words are a brand's or a person's name,
// not sentiment ("@TrashPandaGames").
func skipHandle(text string, i int) int {
	for i < len(text) && (isWordByte(text[i]) || text[i] == '.' && i+1 < len(text) && isWordByte(text[i+1])) {
		i++
	}
	return i
}

func isURL(s string) bool {
	return hasPrefixFold(s, "http://") || hasPrefixFold(s, "https://") || hasPrefixFold(s, "www.")
}

// hasPrefixFold reports whether s starts with prefix, which is lower-case
// ASCII, in any case: strings.EqualFold without decoding, since only ASCII
// can match ASCII byte for byte.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if c, p := s[i], prefix[i]; c != p && (c|0x20 != p || p < 'a' || p > 'z') {
			return false
		}
	}
	return true
}

// elisions are the French and Italian articles, pronouns and particles
// that lose their vowel before another word and join it with an
// apostrophe: "l'application", "j'attends", "n'est", "qu'il", "dell'ordine".
// Read as one word, "l'application" would be a word no lexicon lists and
// "n'est … pas" would lose its "ne"; so the elided word ends at its
// apostrophe. English words with an apostrophe ("don't", "it's", "I'm")
// start with none of these.
var elisions = map[string]bool{
	"c": true, "d": true, "j": true, "l": true, "m": true, "n": true, "s": true, "t": true,
	"qu": true, "jusqu": true, "lorsqu": true, "puisqu": true, "quoiqu": true,
	"v": true, "un": true, "dell": true, "all": true, "nell": true, "dall": true, "sull": true,
	"quest": true, "quell": true, "nessun": true,
}

// elides reports whether w, the letters before an apostrophe, is one of
// the elisions, in any case.
func elides(w string) bool {
	var b [8]byte
	if len(w) > len(b) {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return elisions[string(b[:len(w)])]
}

// units are the time units a number may be glued to ("45min", "2hrs").
var units = map[string]bool{
	"min": true, "mins": true, "minute": true, "minutes": true, "h": true, "hr": true, "hrs": true,
	"hour": true, "hours": true, "d": true, "day": true, "days": true, "wk": true, "wks": true,
	"week": true, "weeks": true, "month": true, "months": true,
}

// numberWords are spelled-out numbers, which phrases see as "#" like digits.
var numberWords = map[string]bool{
	"two": true, "three": true, "four": true, "five": true, "six": true, "seven": true,
	"eight": true, "nine": true, "ten": true, "eleven": true, "twelve": true,
	"dos": true, "tres": true, "cuatro": true, "cinco": true, "deux": true, "trois": true,
	"quatre": true, "cinq": true, "zwei": true, "drei": true, "vier": true, "funf": true,
	"dois": true, "duas": true, "twee": true, "drie": true,
}
