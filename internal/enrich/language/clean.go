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

// clean removes from a post what carries no language, or the wrong one: URLs,
// e-mail addresses, @mentions, #hashtags, $cashtags, the "RT" of a retweet,
// digits, emoji and punctuation. Hashtags go entirely rather than losing
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
	var b strings.Builder
	b.Grow(len(text))
	words := 0
	var scripts uint8
	for _, field := range strings.Fields(text) {
		if skipField(field) {
			continue
		}
		inWord := false
		letters := 0
		var first rune
		for _, r := range field {
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

// wordsIn counts the words in a run of letters that starts with first. In
// scripts written without spaces between words a run is a whole phrase, and
// two characters stand for about a word; elsewhere one-letter runs, often
// the remains of "don't" or "l'avion", are not counted.
func wordsIn(first rune, letters int) int {
	if unspaced(first) {
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

// skipField reports whether a whitespace-separated field is markup or an
// address rather than words.
func skipField(f string) bool {
	switch f[0] {
	case '@', '#', '$':
		return true
	}
	if strings.HasPrefix(f, "＃") || strings.HasPrefix(f, "＠") || f == "RT" {
		return true
	}
	if strings.Contains(f, "://") || strings.Contains(f, "@") {
		return true
	}
	if len(f) >= 4 && strings.EqualFold(f[:4], "www.") {
		return true
	}
	// A bare link such as example.com/orders/123: a dot before a slash.
	if dot := strings.IndexByte(f, '.'); dot > 0 && strings.IndexByte(f[dot:], '/') > 0 {
		return true
	}
	return false
}
