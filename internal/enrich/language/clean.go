package language

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxInputBytes is how much of a message Detect reads. A few sentences
// settle the language; reading a long email to the end would spend the
// enrichment budget on nothing, and a hostile message can be any size.
const MaxInputBytes = 4 << 10

// minWords is how many words a text must keep, once cleaned, before Detect
// names its language. Shorter Latin-script texts ("ok thanks", "merci",
// "gracias!!") are shared by too many languages, or mis-scored by trigram
// models, for a guess to be worth routing on.
const minWords = 3

// cleaned is a message reduced to what tells its language: its words.
type cleaned struct {
	text  string // the words, each followed by one space
	words int    // words of two letters or more; see wordsIn
	// scripts has a bit for each script of the letters; see scriptOf.
	scripts uint8
}

// enough reports whether c has the words to name its language: three, or
// one when its script alone names the language, as Greek, Hangul, Thai and
// Georgian do, and kana (with or without kanji) does for Japanese. Han alone
// does not: Chinese and Japanese share it.
func (c cleaned) enough() bool {
	if c.words >= minWords {
		return true
	}
	switch c.scripts {
	case greek, hangul, thai, georgian, kana, kana | han:
		return c.words > 0
	}
	return false
}

// Scripts that enough tells apart.
const (
	shared uint8 = 1 << iota // Latin, Cyrillic, Arabic…: many languages each
	greek
	hangul
	thai
	georgian
	kana
	han
)

func scriptOf(r rune) uint8 {
	switch {
	case r < 0x370:
		return shared
	case unicode.Is(unicode.Greek, r):
		return greek
	case unicode.Is(unicode.Hangul, r):
		return hangul
	case unicode.Is(unicode.Thai, r):
		return thai
	case unicode.Is(unicode.Georgian, r):
		return georgian
	case unicode.In(r, unicode.Hiragana, unicode.Katakana):
		return kana
	case unicode.Is(unicode.Han, r):
		return han
	}
	return shared
}

// clean removes from a post what carries no language, or the wrong one: HTML
// markup (see stripMarkup), URLs, e-mail addresses, @mentions, #hashtags,
// $cashtags, the "RT" of a retweet, digits, emoji and punctuation. Hashtags go entirely rather than losing
// their "#": they are often English in posts that are not (#fail,
// #customerservice, #BlackFriday), and their run-together words
// (#NeverFlyingAgain) make trigrams that no language has.
func clean(text string) cleaned {
	if len(text) > MaxInputBytes {
		text = text[:MaxInputBytes]
		// Drop a rune cut in two; the loop below would read it as U+FFFD.
		for len(text) > 0 {
			r, size := utf8.DecodeLastRuneInString(text)
			if r != utf8.RuneError || size != 1 {
				break
			}
			text = text[:len(text)-1]
		}
	}
	text = stripMarkup(text)
	var b strings.Builder
	b.Grow(len(text))
	words := 0
	var scripts uint8
	for i := 0; i < len(text); {
		// The fields of strings.Fields, without allocating them.
		if c := text[i]; c < utf8.RuneSelf {
			if asciiClass[c] == aSpace {
				i++
				continue
			}
		} else if r, size := utf8.DecodeRuneInString(text[i:]); unicode.IsSpace(r) {
			i += size
			continue
		}
		end, skip := scanField(text, i)
		field := text[i:end]
		i = end
		if skip {
			continue
		}
		inWord := false
		letters := 0
		var first rune
		for j := 0; j < len(field); {
			// ASCII, most of most posts, has letters of the shared
			// script and no marks; a run of its letters is copied whole.
			if c := field[j]; c < utf8.RuneSelf {
				if !isLetter(c) {
					j++
					if inWord {
						b.WriteByte(' ')
						words += wordsIn(first, letters)
						inWord = false
					}
					continue
				}
				run := j + 1
				for run < len(field) && isLetter(field[run]) {
					run++
				}
				if !inWord {
					first = rune(c)
					letters = 0
				}
				inWord = true
				letters += run - j
				scripts |= shared
				b.WriteString(field[j:run])
				j = run
				continue
			}
			r, size := utf8.DecodeRuneInString(field[j:])
			j += size
			switch {
			case unicode.IsLetter(r):
				if !inWord {
					first = r
					letters = 0
				}
				inWord = true
				letters++
				scripts |= scriptOf(r)
				b.WriteRune(r)
			case inWord && unicode.IsMark(r):
				// Vowel signs of Indic scripts, combining accents: part of
				// the word. A mark after an emoji or a digit is dropped.
				b.WriteRune(r)
			case inWord:
				b.WriteByte(' ')
				words += wordsIn(first, letters)
				inWord = false
			}
		}
		if inWord {
			b.WriteByte(' ')
			words += wordsIn(first, letters)
		}
	}
	return cleaned{text: b.String(), words: words, scripts: scripts}
}

// isLetter reports whether c is an ASCII letter, which are all the letters
// below utf8.RuneSelf.
func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// ASCII classes, for reading the ASCII that most posts are made of a byte
// at a time: the bytes that end or may skip a field, and the rest.
const (
	aOther uint8 = iota
	aSpace       // as unicode.IsSpace
	aAt
	aColon
	aDot
	aSlash
)

var asciiClass = func() (c [utf8.RuneSelf]uint8) {
	for _, b := range "\t\n\v\f\r " {
		c[b] = aSpace
	}
	c['@'], c[':'], c['.'], c['/'] = aAt, aColon, aDot, aSlash
	return c
}()

// scanField finds the end of the white-space-separated field that starts
// at text[i], and whether it is markup or an address rather than words: a
// field that starts with "@", "#", "$", "＃", "＠" or "www.", is "RT", has
// "://" or "@" in it, or a "/" after its first dot when that is not its
// first byte (example.com/orders/123).
func scanField(text string, i int) (end int, skip bool) {
	switch f := text[i:]; {
	case f[0] == '@' || f[0] == '#' || f[0] == '$',
		strings.HasPrefix(f, "＃") || strings.HasPrefix(f, "＠"),
		len(f) >= 4 && f[0]|0x20 == 'w' && f[1]|0x20 == 'w' && f[2]|0x20 == 'w' && f[3] == '.':
		skip = true
	}
	dot := -1 // the first '.', from the start of the field
	for end = i; end < len(text); {
		c := text[end]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(text[end:])
			if unicode.IsSpace(r) {
				break
			}
			end += size
			continue
		}
		k := asciiClass[c]
		if k == aOther {
			end++
			continue
		}
		switch k {
		case aSpace:
			return end, skip || isRT(text, i, end)
		case aAt:
			skip = true
		case aColon:
			skip = skip || strings.HasPrefix(text[end+1:], "//")
		case aDot:
			if dot < 0 {
				dot = end - i
			}
		case aSlash:
			skip = skip || dot > 0
		}
		end++
	}
	return end, skip || isRT(text, i, end)
}

// isRT reports whether text[i:end] is "RT", the mark of a retweet.
func isRT(text string, i, end int) bool {
	return end-i == 2 && text[i] == 'R' && text[i+1] == 'T'
}

// wordsIn counts the words in a run of letters that starts with first. In
// scripts written without spaces between words a run is a whole phrase, and
// two characters stand for about a word; elsewhere one-letter runs, often
// the remains of "don't" or "l'avion", are not counted.
func wordsIn(first rune, letters int) int {
	// No unspaced script has a letter below U+0E00.
	if first >= 0x0E00 && unspaced(first) {
		return letters / 2
	}
	if letters < 2 {
		return 0
	}
	return 1
}

func unspaced(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana,
		unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar)
}
