package topic

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/enrich/fold"
)

// MaxTextBytes is how much of a message Match reads. Posts are far shorter;
// an e-mail's first 64 KiB hold what the customer wrote above the quoted
// thread, and the bound keeps a hostile message from costing more.
const MaxTextBytes = 64 << 10

// span is a token's bytes in a token buffer.
type span struct{ start, end int }

// tokenizer splits text into words, lower-cased and without diacritics, in a
// buffer it reuses. Everything that is not a letter, digit or mark separates
// words, so "#down", "down!" and "(down)" all give "down", and "can't" gives
// "can" and "t", for phrases and messages alike. @mentions and links are
// skipped whole: "@lostbags" is an account, and a link's path says nothing
// of what the customer says. In scripts written without spaces between words
// (Chinese, Japanese, Thai, Lao, Khmer, Burmese) every character is a word,
// so a phrase there matches its characters in sequence anywhere in a run.
type tokenizer struct {
	buf   []byte
	spans []span
	found []found // Match's scratch space, kept with the rest
}

func (t *tokenizer) reset(text string) {
	if len(text) > MaxTextBytes {
		text = text[:MaxTextBytes]
	}
	t.buf = t.buf[:0]
	t.spans = t.spans[:0]
	for i := 0; i < len(text); {
		if c := text[i]; c < utf8.RuneSelf {
			if asciiClass[c] == aSpace {
				i++
				continue
			}
		} else if r, size := utf8.DecodeRuneInString(text[i:]); unicode.IsSpace(r) {
			i += size
			continue
		}
		i = t.field(text, i)
	}
}

// ASCII classes, for reading the ASCII that most messages are made of a
// byte at a time: it has no marks and no letters of unspaced scripts.
const (
	aOther uint8 = iota // ends a word
	aSpace              // ends a field, as unicode.IsSpace
	aUpper
	aLower
	aDigit
	aColon // may start the "://" of a link
)

var asciiClass = func() (c [utf8.RuneSelf]uint8) {
	for _, b := range "\t\n\v\f\r " {
		c[b] = aSpace
	}
	for b := 'A'; b <= 'Z'; b++ {
		c[b] = aUpper
		c[b+'a'-'A'] = aLower
	}
	for b := '0'; b <= '9'; b++ {
		c[b] = aDigit
	}
	c[':'] = aColon
	return c
}()

// fieldEnd returns the end of the white-space-separated field that holds
// text[i].
func fieldEnd(text string, i int) int {
	for i < len(text) {
		if c := text[i]; c < utf8.RuneSelf {
			if asciiClass[c] == aSpace {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			return i
		}
		i += size
	}
	return i
}

// field splits into words the white-space-separated field that starts at
// text[i], unless it is a mention or a link, and returns where it ends.
func (t *tokenizer) field(text string, i int) int {
	if f := text[i:]; f[0] == '@' || strings.HasPrefix(f, "＠") ||
		len(f) >= 4 && f[0]|0x20 == 'w' && f[1]|0x20 == 'w' && f[2]|0x20 == 'w' && f[3] == '.' {
		return fieldEnd(text, i)
	}
	// A "://" further on makes the field a link, and what was read of it
	// is dropped.
	bufLen, spansLen := len(t.buf), len(t.spans)
	start := -1 // start of the open word in buf, -1 when none is open
	single := false
	closeWord := func() {
		if start >= 0 && len(t.buf) > start {
			t.spans = append(t.spans, span{start, len(t.buf)})
		}
		start = -1
		single = false
	}
	for i < len(text) {
		if c := text[i]; c < utf8.RuneSelf {
			switch asciiClass[c] {
			case aSpace:
				closeWord()
				return i
			case aUpper:
				c += 'a' - 'A'
			case aLower, aDigit:
			case aColon:
				if strings.HasPrefix(text[i+1:], "//") {
					t.buf, t.spans = t.buf[:bufLen], t.spans[:spansLen]
					return fieldEnd(text, i)
				}
				fallthrough
			default:
				closeWord()
				i++
				continue
			}
			i++
			if single {
				closeWord()
			}
			if start < 0 {
				start = len(t.buf)
			}
			t.buf = append(t.buf, c)
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			closeWord()
			return i
		}
		i += size
		switch {
		case 0x300 <= r && r <= 0x36F:
			// A combining accent (the é of "e\u0301"): dropped, like the
			// precomposed accents fold removes, without ending the word.
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if unspaced(r) {
				closeWord()
				start, single = len(t.buf), true
			} else if single {
				closeWord()
			}
			if start < 0 {
				start = len(t.buf)
			}
			t.buf = fold.Append(t.buf, r)
		case unicode.IsMark(r):
			// Vowel signs and other marks belong to the letter before;
			// after a separator or an emoji they are noise.
			if start >= 0 {
				t.buf = utf8.AppendRune(t.buf, r)
			}
		default:
			closeWord()
		}
	}
	closeWord()
	return i
}

func (t *tokenizer) token(i int) []byte {
	return t.buf[t.spans[i].start:t.spans[i].end]
}

func unspaced(r rune) bool {
	return r >= 0x0E00 && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana,
		unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar)
}
