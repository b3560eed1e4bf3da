package moderation

import (
	"hash/maphash"
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one word of a comment, in the forms lists are matched against.
type token struct {
	// canon is the word with leetspeak read as letters ("sh1t" → "shit")
	// and "l" written as "i", so "1" standing for either matches. A word
	// without letters is kept as written: "1488", "$500".
	canon string
	// key is canon with repeated letters written once ("fuuuck" → "fuck").
	key string
	// start and end are the word's offsets in text.norm.
	start, end int
	mention    bool // "@name"
	starred    bool // letters replaced by "*": "f**k"

	// keyHash and stemHash index the lexicons: the hashes of key and of its
	// first minStemRunes runes (stemHash is 0 for a shorter key). A word is
	// hashed once, not once per list.
	keyHash, stemHash uint64

	c0, c1, k0, k1 int // canon and key in the shared buffer, while tokenizing
}

// wordSeed seeds keyHash and stemHash; lexicons and tokens share it.
var wordSeed = maphash.MakeSeed()

// hashes sets tok's canon, key and their hashes from the shared buffer.
func (tok *token) hashes(all string) {
	tok.canon, tok.key = all[tok.c0:tok.c1], all[tok.k0:tok.k1]
	tok.keyHash = maphash.String(wordSeed, tok.key)
	if pre := prefixRunes(tok.key, minStemRunes); pre != "" {
		tok.stemHash = maphash.String(wordSeed, pre)
	}
}

// leet maps the symbols and digits read as letters inside a word.
func leet(r rune) rune {
	switch r {
	case '0':
		return 'o'
	case '1', '!', '|', 'l':
		return 'i'
	case '3', '€':
		return 'e'
	case '4', '@':
		return 'a'
	case '5', '$':
		return 's'
	case '7':
		return 't'
	}
	return r
}

// isWordRune reports whether r can be part of a word: letters, digits and
// the symbols leetspeak and masking put inside words.
func isWordRune(r rune) bool {
	switch r {
	case '@', '$', '€', '!', '|', '*':
		return true
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// trimmed are word runes that end a word only as punctuation ("shit!!!",
// "*nice*"); "@" and "$" are kept, as in "@ss" and "a$$".
func trimmed(c byte) bool { return c == '!' || c == '|' || c == '*' }

// hasLetter reports whether s contains a letter.
func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// canonical appends the canonical form of word to buf (see token.canon).
// Words without letters are appended as written unless asLetters.
func canonical(buf []byte, word string, asLetters bool) []byte {
	if !asLetters && !hasLetter(word) {
		return append(buf, word...)
	}
	for _, r := range word {
		buf = utf8.AppendRune(buf, leet(r))
	}
	return buf
}

// collapse appends s with runs of one rune written once. s may be a part of
// buf before its length: appending never writes there.
func collapse(buf, s []byte) []byte {
	var prev rune = -1
	for len(s) > 0 {
		r, n := utf8.DecodeRune(s)
		s = s[n:]
		if r != prev {
			buf = utf8.AppendRune(buf, r)
		}
		prev = r
	}
	return buf
}

// Bounds on rebuilding split words: a piece joins at most maxJoin others,
// into at most maxJoinBytes, and a comment yields at most maxJoined
// candidates, so a text of "a.a.a.a…" costs no more than an ordinary one.
const (
	maxJoin      = 12
	maxJoinBytes = 48
	maxJoined    = 2000
)

// tokenize fills t.tokens and t.joined from t.norm. Every canonical form is
// a slice of one string, so a comment costs a few allocations, not a few per
// word.
func (t *text) tokenize() {
	s := t.norm
	// Count the words first: growing the slice would copy it a dozen times
	// for a long comment.
	words, in := 0, false
	for _, r := range s {
		w := isWordRune(r)
		if w && !in {
			words++
		}
		in = w
	}
	buf := make([]byte, 0, 3*len(s)+16)
	toks := make([]token, 0, words)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			i += n
			continue
		}
		start := i
		for i < len(s) {
			r, n = utf8.DecodeRuneInString(s[i:])
			if !isWordRune(r) {
				break
			}
			i += n
		}
		end := i
		for start < end && trimmed(s[start]) {
			start++
		}
		for end > start && trimmed(s[end-1]) {
			end--
		}
		if start == end {
			continue
		}
		word := s[start:end]
		if start > 0 && s[start-1] == '#' {
			t.hashtags++
		}
		tok := token{start: start, end: end, c0: len(buf)}
		buf = canonical(buf, word, false)
		tok.c1 = len(buf)
		tok.k0 = len(buf)
		buf = collapse(buf, buf[tok.c0:tok.c1])
		tok.k1 = len(buf)
		tok.mention = word[0] == '@' && len(word) > 1
		tok.starred = strings.IndexByte(word, '*') > 0 && hasLetter(word)
		toks = append(toks, tok)
	}
	joined := t.join(toks, &buf)
	all := string(buf)
	for i := range toks {
		toks[i].hashes(all)
	}
	for i := range joined {
		joined[i].hashes(all)
	}
	t.tokens, t.joined = toks, joined
}

// join rebuilds words split into pieces: "f.u.c.k", "f u c k", "sh-it",
// "mother_fucker". Pieces join across one to three separator characters, and
// across spaces only when every piece is a single character, so "as is" stays
// two words. Every run of two or more consecutive joinable pieces is a
// candidate, as the word may sit inside a longer run ("a f u c k i n g").
func (t *text) join(spans []token, buf *[]byte) []token {
	var out []token
	for i := range spans {
		if spans[i].mention || i+1 == len(spans) || !t.joinable(spans[i], spans[i+1]) {
			continue
		}
		c0 := len(*buf)
		*buf = canonical(*buf, t.norm[spans[i].start:spans[i].end], true)
		for j := i + 1; j < len(spans) && j-i < maxJoin; j++ {
			if !t.joinable(spans[j-1], spans[j]) {
				break
			}
			*buf = canonical(*buf, t.norm[spans[j].start:spans[j].end], true)
			c1 := len(*buf)
			if c1-c0 > maxJoinBytes {
				break
			}
			k0 := len(*buf)
			*buf = collapse(*buf, (*buf)[c0:c1])
			out = append(out, token{start: spans[i].start, end: spans[j].end, c0: c0, c1: c1, k0: k0, k1: len(*buf)})
			if len(out) >= maxJoined {
				return out
			}
			// The next candidate extends this one: copy the pieces so far
			// after the key, keeping each candidate contiguous.
			c0n := len(*buf)
			*buf = append(*buf, (*buf)[c0:c1]...)
			c0 = c0n
		}
	}
	return out
}

// joinable reports whether pieces a and b, in this order, may be one word.
func (t *text) joinable(a, b token) bool {
	if b.mention {
		return false
	}
	gap := t.norm[a.end:b.start]
	if len(gap) == 0 || len(gap) > 3 {
		return false
	}
	single := utf8.RuneCountInString(t.norm[a.start:a.end]) == 1 && utf8.RuneCountInString(t.norm[b.start:b.end]) == 1
	for i := 0; i < len(gap); i++ {
		switch c := gap[i]; {
		case strings.IndexByte(".-_~'\"+=/\\:;,^", c) >= 0:
		case c == ' ' && single:
		default:
			return false
		}
	}
	return true
}
