package listen

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/enrich/fold"
)

// MaxMatchBytes is how much of a text Match reads, and so how much of a
// found post's text the searches keep for matching (it is cut to
// care.MaxListenText only to be stored): a long post on X is up to 25,000
// characters and a Reddit self-post up to 40,000. The bound keeps a
// hostile text from costing more.
const MaxMatchBytes = 64 << 10

// kind is what a token was written as.
type kind uint8

const (
	word    kind = iota // a word of the text
	hashtag             // the first word after a #
	handle              // an @handle, with its domain if it has one
)

// token is a word of a text, folded, in a tokenizer's buffer.
type token struct {
	start, end   int32 // the folded word (for a handle, its name) in buf
	dstart, dend int32 // a handle's domain in buf; empty when none
	from, to     int32 // what the token was read from in the text
	kind         kind
}

// tokenizer splits a text into folded tokens, in buffers it reuses, so that
// Match allocates nothing for them. Terms are compiled by the same code, so
// that a term and a text that say the same thing give the same tokens.
//
// Letters, digits, marks and _ make words; everything else separates them.
// A # before a word makes it a hashtag; an @ that does not follow a word
// starts an @handle (ASCII letters, digits, _, . and -, and an optional
// @domain). A link (a field with "://", or one that starts "www.") is
// skipped to the next white space. In scripts written without spaces (Han,
// kana, Hangul, Thai, Lao, Khmer, Burmese) every character is a token of
// its own. Characters that do not show (zero-width spaces and joiners, the
// soft hyphen, Arabic tatweel) and Arabic and Hebrew vowel marks are
// dropped without ending the word, half-width katakana read as full-width,
// and a voiced sound mark or an Arabic hamza written as a mark is joined to
// its letter, as Unicode's NFKC would.
type tokenizer struct {
	buf  []byte
	toks []token
	link bool // a link was skipped

	open    int  // start in buf of the word being read, -1 when none
	from    int  // start in the text of the word being read
	single  bool // the open word is a character of an unspaced script
	kind    kind // the open word's kind
	pending kind // the kind of the next word opened

	// Match's scratch space, kept with the rest.
	hit, excluded []bool
	key           []byte
}

// ASCII classes, for reading the ASCII that most texts are made of a byte
// at a time.
const (
	aOther uint8 = iota // separates words
	aSpace              // separates words and ends a link
	aWord               // a-z, 0-9, _
	aUpper              // A-Z
	aHash
	aAt
	aColon // may start the "://" of a link
	aDot   // may end the "www" of a link
)

var asciiClass = func() (c [utf8.RuneSelf]uint8) {
	for _, b := range "\t\n\v\f\r " {
		c[b] = aSpace
	}
	for b := 'a'; b <= 'z'; b++ {
		c[b] = aWord
		c[b-'a'+'A'] = aUpper
	}
	for b := '0'; b <= '9'; b++ {
		c[b] = aWord
	}
	c['_'] = aWord
	c['#'] = aHash
	c['@'] = aAt
	c[':'] = aColon
	c['.'] = aDot
	return c
}()

// reset tokenizes text, all of it: callers bound it.
func (t *tokenizer) reset(text string) {
	t.buf, t.toks, t.link = t.buf[:0], t.toks[:0], false
	t.open, t.single, t.pending = -1, false, word
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			switch asciiClass[c] {
			case aUpper:
				c += 'a' - 'A'
				fallthrough
			case aWord:
				if t.single {
					t.closeWord(i)
				}
				if t.open < 0 {
					t.openWord(i)
				}
				t.buf = append(t.buf, c)
				i++
			case aHash:
				i = t.hash(text, i, 1)
			case aAt:
				i = t.at(text, i, 1)
			case aColon:
				if len(text) > i+2 && text[i+1] == '/' && text[i+2] == '/' {
					i = t.skipLink(text, i)
					continue
				}
				t.closeWord(i)
				i++
			case aDot:
				if t.open >= 0 && !t.single && string(t.buf[t.open:]) == "www" {
					i = t.skipLink(text, i)
					continue
				}
				t.closeWord(i)
				i++
			default:
				t.closeWord(i)
				i++
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '＃':
			i = t.hash(text, i, size)
			continue
		case r == '＠':
			i = t.at(text, i, size)
			continue
		}
		start := i
		i += size
		if 0xFF61 <= r && r <= 0xFF9F {
			r = halfwidth[r-0xFF61]
		}
		switch {
		case r == utf8.RuneError:
			// Not UTF-8 (or U+FFFD, which stands for it): a separator.
			t.closeWord(start)
		case r == 0x0640:
			// The Arabic tatweel, the one letter ignored lists.
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if unspaced(r) {
				t.closeWord(start)
				t.openWord(start)
				t.single = true
			} else if t.single {
				t.closeWord(start)
			}
			if t.open < 0 {
				t.openWord(start)
			}
			t.buf = fold.Append(t.buf, r)
		case t.compose(r):
			// A mark made one with the letter before it.
		case 0x300 <= r && r <= 0x36F, ignored(r):
			// A combining accent (the é of "e\u0301"): dropped, like the
			// precomposed accents fold removes, without ending the word;
			// and so is what ignored lists.
		case unicode.IsMark(r):
			// Vowel signs and other marks belong to the letter before;
			// after a separator or an emoji they are noise.
			if t.open >= 0 {
				t.buf = utf8.AppendRune(t.buf, r)
			}
		default:
			t.closeWord(start)
		}
	}
	t.closeWord(len(text))
}

// openWord opens a word at text[at].
func (t *tokenizer) openWord(at int) {
	t.open, t.from, t.single, t.kind, t.pending = len(t.buf), at, false, t.pending, word
}

// closeWord ends the open word, if any, before text[at].
func (t *tokenizer) closeWord(at int) {
	if t.open >= 0 && len(t.buf) > t.open {
		t.toks = append(t.toks, token{start: int32(t.open), end: int32(len(t.buf)), from: int32(t.from), to: int32(at), kind: t.kind})
	}
	t.open, t.single = -1, false
}

// hash reads the # (of size bytes) at text[i]: it makes the word that
// follows a hashtag, unless it follows a word itself ("C#").
func (t *tokenizer) hash(text string, i, size int) int {
	inWord := t.open >= 0
	t.closeWord(i)
	if !inWord && wordStart(text[i+size:]) {
		t.pending = hashtag
	}
	return i + size
}

// at reads the @ (of size bytes) at text[i]: an @handle, unless it follows
// a word, as in an e-mail address, where it is a separator.
func (t *tokenizer) at(text string, i, size int) int {
	inWord := t.open >= 0
	t.closeWord(i)
	if inWord {
		return i + size
	}
	j := i + size
	name := handleEnd(text, j)
	if name == j {
		return j
	}
	end := name
	ds, de := 0, 0
	if name < len(text) && text[name] == '@' {
		if d := domainEnd(text, name+1); d > name+1 {
			ds, de, end = name+1, d, d
		}
	}
	tok := token{kind: handle, from: int32(i), to: int32(end)}
	tok.start = int32(len(t.buf))
	t.buf = appendLower(t.buf, text[j:name])
	tok.end = int32(len(t.buf))
	if de > ds {
		tok.dstart = int32(len(t.buf))
		t.buf = appendLower(t.buf, text[ds:de])
		tok.dend = int32(len(t.buf))
	}
	t.toks = append(t.toks, tok)
	return end
}

// skipLink drops the scheme (or "www") being read and skips the rest of the
// link, to the next white space.
func (t *tokenizer) skipLink(text string, i int) int {
	if t.open >= 0 {
		t.buf = t.buf[:t.open]
	}
	t.open, t.single, t.pending = -1, false, word
	t.link = true
	if j := strings.IndexFunc(text[i:], unicode.IsSpace); j >= 0 {
		return i + j
	}
	return len(text)
}

// text returns the folded text of token i.
func (t *tokenizer) text(i int) []byte {
	return t.buf[t.toks[i].start:t.toks[i].end]
}

// domain returns the folded domain of token i, a handle.
func (t *tokenizer) domain(i int) []byte {
	return t.buf[t.toks[i].dstart:t.toks[i].dend]
}

// wordStart reports whether s starts with a letter, digit or _.
func wordStart(s string) bool {
	if s == "" {
		return false
	}
	if s[0] < utf8.RuneSelf {
		return asciiClass[s[0]] == aWord || asciiClass[s[0]] == aUpper
	}
	r, _ := utf8.DecodeRuneInString(s)
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// handleEnd returns the end of the handle name that starts at text[i]: ASCII
// letters, digits, _, . and -, starting with a letter, digit or _ and not
// ending with . or - (which end a sentence or a clause: "thanks @acme.").
// It returns i when there is none.
func handleEnd(text string, i int) int {
	if i >= len(text) || !handleChar(text[i]) || text[i] == '.' || text[i] == '-' {
		return i
	}
	j := i
	for j < len(text) && handleChar(text[j]) {
		j++
	}
	for text[j-1] == '.' || text[j-1] == '-' {
		j--
	}
	return j
}

// domainEnd returns the end of the domain that starts at text[i], the
// "mastodon.social" of "@acme@mastodon.social": ASCII letters, digits, .
// and -, with a dot inside. It returns i when there is none.
func domainEnd(text string, i int) int {
	j := i
	for j < len(text) && (handleChar(text[j]) && text[j] != '_') {
		j++
	}
	for j > i && (text[j-1] == '.' || text[j-1] == '-') {
		j--
	}
	if j == i || text[i] == '.' || text[i] == '-' {
		return i
	}
	for k := i + 1; k < j; k++ {
		if text[k] == '.' {
			return j
		}
	}
	return i
}

func handleChar(c byte) bool {
	return c < utf8.RuneSelf && (asciiClass[c] == aWord || asciiClass[c] == aUpper || c == '.' || c == '-')
}

// appendLower appends s, ASCII, lower-cased.
func appendLower(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}

// unspaced reports whether r is a letter of a script written without spaces
// between words, or Hangul, where particles join the noun before ("삼성은"):
// in both a name is found inside a run of letters, not as a whole word.
func unspaced(r rune) bool {
	return r >= 0x0E00 && (r == 0x30FC || r == 0xFF70 || unicode.In(r, unicode.Han, unicode.Hiragana,
		unicode.Katakana, unicode.Hangul, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar))
}

// ignored reports whether r is dropped from the word it is in: characters
// that do not show (zero-width space, non-joiner and joiner, word joiner,
// byte order mark, soft hyphen), which split a name only to the eye of a
// filter, and are put there to slip past one; the Arabic tatweel, which
// only stretches a word ("بنـــك"); and Arabic and Hebrew vowel and
// cantillation marks, which most writers leave out, so that a term is
// found however it is pointed. Hebrew punctuation (the maqaf, a hyphen)
// is not a mark and still separates.
func ignored(r rune) bool {
	// The ranges are spelled out, rather than asking unicode.IsMark, so
	// that the common Arabic letters cost a few comparisons.
	switch {
	case r < 0x00AD:
		return false
	case r == 0x00AD:
		return true
	case r < 0x0591:
		return false
	case r <= 0x05C7: // Hebrew points and accents, among its punctuation
		return unicode.IsMark(r)
	case r < 0x0610:
		return false
	case r <= 0x061A: // Arabic honorifics and Quranic marks
		return true
	case r < 0x0640: // letters
		return false
	case r == 0x0640: // tatweel
		return true
	case r <= 0x064A: // letters
		return false
	case r <= 0x065F || r == 0x0670: // harakat, superscript alef
		return true
	case r < 0x06D6:
		return false
	case r <= 0x06ED: // Quranic marks, among signs
		return unicode.IsMark(r)
	}
	return 0x200B <= r && r <= 0x200D || r == 0x2060 || r == 0xFEFF
}

// compose joins the combining mark m to the letter before it when Unicode
// has the two as one letter, as NFKC does: the ガ of "カ\u3099" and of
// half-width "ｶﾞ", the أ of "ا\u0654". It reports whether it took m: an
// Arabic hamza or madda that joins nothing is dropped like the other
// Arabic marks, and a voiced sound mark that joins nothing is left to be
// read as any mark.
func (t *tokenizer) compose(m rune) bool {
	arabic := 0x0653 <= m && m <= 0x0655
	if !arabic && m != 0x3099 && m != 0x309A {
		return false
	}
	if t.open < 0 || len(t.buf) == t.open {
		return arabic
	}
	r, size := utf8.DecodeLastRune(t.buf[t.open:])
	c := composed(r, m)
	if c == 0 {
		return arabic
	}
	t.buf = utf8.AppendRune(t.buf[:len(t.buf)-size], c)
	return true
}

// composed returns the letter that r and the combining mark m make, or 0.
func composed(r, m rune) rune {
	switch m {
	case 0x0653: // madda above
		if r == 'ا' {
			return 'آ'
		}
	case 0x0654: // hamza above
		switch r {
		case 'ا':
			return 'أ'
		case 'و':
			return 'ؤ'
		case 'ي':
			return 'ئ'
		case 'ە':
			return 'ۀ'
		case 'ہ':
			return 'ۂ'
		case 'ے':
			return 'ۓ'
		}
	case 0x0655: // hamza below
		if r == 'ا' {
			return 'إ'
		}
	case 0x3099, 0x309A: // voiced and semi-voiced sound marks
		k := r
		hiragana := 0x3041 <= r && r <= 0x309F
		if hiragana {
			k += 0x60 // the katakana of the same sound
		}
		var v rune
		switch {
		case m == 0x309A:
			if 0x30CF <= k && k <= 0x30DB && (k-0x30CF)%3 == 0 { // ハ ヒ フ ヘ ホ
				v = k + 2
			}
		case 0x30AB <= k && k <= 0x30C1 && (k-0x30AB)%2 == 0, // カ … チ
			k == 0x30C4 || k == 0x30C6 || k == 0x30C8,       // ツ テ ト
			0x30CF <= k && k <= 0x30DB && (k-0x30CF)%3 == 0, // ハ … ホ
			k == 0x30FD: // ヽ
			v = k + 1
		case k == 0x30A6: // ウ
			v = 0x30F4
		case 0x30EF <= k && k <= 0x30F2 && !hiragana: // ワ ヰ ヱ ヲ
			v = k + 8
		}
		if v != 0 && hiragana {
			v -= 0x60
		}
		return v
	}
	return 0
}

// halfwidth maps U+FF61 to U+FF9F, the half-width katakana and their
// punctuation, to the full-width characters NFKC makes of them; the two
// sound marks become the combining ones, for compose to join.
var halfwidth = [...]rune{
	'。', '「', '」', '、', '・', 'ヲ', 'ァ', 'ィ', 'ゥ', 'ェ', 'ォ', 'ャ', 'ュ', 'ョ', 'ッ', // FF61–FF6F
	'ー', 'ア', 'イ', 'ウ', 'エ', 'オ', 'カ', 'キ', 'ク', 'ケ', 'コ', 'サ', 'シ', 'ス', 'セ', 'ソ', // FF70–FF7F
	'タ', 'チ', 'ツ', 'テ', 'ト', 'ナ', 'ニ', 'ヌ', 'ネ', 'ノ', 'ハ', 'ヒ', 'フ', 'ヘ', 'ホ', 'マ', // FF80–FF8F
	'ミ', 'ム', 'メ', 'モ', 'ヤ', 'ユ', 'ヨ', 'ラ', 'リ', 'ル', 'レ', 'ロ', 'ワ', 'ン', 0x3099, 0x309A, // FF90–FF9F
}

// foldPunct returns the punctuation r as the ASCII people mostly type for
// it: full-width forms, curly quotes and apostrophes, the Hebrew geresh
// and gershayim, and the dashes. A name's punctuation (see term.joins)
// then matches however a keyboard or an editor wrote it.
func foldPunct(r rune) rune {
	switch {
	case r < utf8.RuneSelf:
		return r
	case 0xFF01 <= r && r <= 0xFF5E:
		return r - 0xFF01 + '!'
	}
	switch r {
	case '‘', '’', '‚', '‛', '′', '´', '׳':
		return '\''
	case '“', '”', '„', '‟', '″', '״':
		return '"'
	case '‐', '‑', '‒', '–', '—', '―', '−', '﹣':
		return '-'
	case '﹠':
		return '&'
	case '﹡':
		return '*'
	}
	return r
}
