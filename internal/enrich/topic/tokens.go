package topic

import (
	"strings"
	"unicode"
	"unicode/utf8"
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
	for len(text) > 0 {
		// Split on white space without allocating the fields.
		i := strings.IndexFunc(text, unicode.IsSpace)
		field := text
		if i >= 0 {
			field = text[:i]
			_, size := utf8.DecodeRuneInString(text[i:])
			text = text[i+size:]
		} else {
			text = ""
		}
		if field == "" || skip(field) {
			continue
		}
		t.field(field)
	}
}

func skip(f string) bool {
	return f[0] == '@' || strings.HasPrefix(f, "＠") || strings.Contains(f, "://") ||
		len(f) >= 4 && strings.EqualFold(f[:4], "www.")
}

func (t *tokenizer) field(f string) {
	start := -1 // start of the open word in buf, -1 when none is open
	single := false
	closeWord := func() {
		if start >= 0 && len(t.buf) > start {
			t.spans = append(t.spans, span{start, len(t.buf)})
		}
		start = -1
		single = false
	}
	for _, r := range f {
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
			t.buf = fold(t.buf, r)
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
}

func (t *tokenizer) token(i int) []byte {
	return t.buf[t.spans[i].start:t.spans[i].end]
}

func unspaced(r rune) bool {
	return r >= 0x0E00 && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana,
		unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar)
}
