package x

import (
	"strings"
	"unicode/utf8"
)

// X's counting rules, from twitter-text's configuration v3 (config/v3.json in
// twitter/twitter-text, the configuration X's own clients ship):
//
//	{"version": 3, "maxWeightedTweetLength": 280, "scale": 100,
//	 "defaultWeight": 200, "emojiParsingEnabled": true, "transformedURLLength": 23,
//	 "ranges": [{"start": 0, "end": 4351, "weight": 100},
//	            {"start": 8192, "end": 8205, "weight": 100},
//	            {"start": 8208, "end": 8223, "weight": 100},
//	            {"start": 8242, "end": 8247, "weight": 100}]}
//
// and the algorithm of its reference parser (TwitterTextParser.java): the text
// is normalised to NFC; each URL counts transformedURLLength whatever its
// length, because X wraps it in a t.co link; each emoji sequence counts
// defaultWeight once; every other code point counts the weight of its range,
// defaultWeight outside them. Weights are in hundredths.
const (
	// MaxPostLength is the longest public post, in weighted characters.
	MaxPostLength = 280
	// MaxDMLength is the longest direct message, in characters.
	MaxDMLength = 10000

	weightScale       = 100
	weightDefault     = 200
	weightURL         = 23 * weightScale
	weightSingleRange = 100
)

// WeightedLength returns the length of text as X counts it against the
// 280-character limit of a post: after NFC normalisation, a URL counts 23
// whatever its length, an emoji sequence 2, a code point in Latin, Greek,
// Cyrillic, Hebrew, Arabic and the other scripts up to U+10FF or in the
// common punctuation ranges 1, any other (CJK, Hangul, most symbols) 2.
// Text that is empty or only whitespace counts 0, as in twitter-text. It
// never panics and never returns less than 0.
func WeightedLength(text string) int {
	n, _ := weigh(text)
	return n
}

// weigh returns the weighted length of text and whether it holds a
// character X refuses in a post (U+FFFE, U+FEFF, U+FFFF).
func weigh(text string) (length int, invalid bool) {
	if strings.TrimFunc(text, func(r rune) bool { return r <= ' ' }) == "" {
		// Java's String.trim, which twitter-text applies, strips every
		// character up to U+0020.
		return 0, false
	}
	s := nfc(text)
	urls := extractURLs(s)
	emoji := map[int]int{}
	if !quickNFC(s) { // every emoji sequence holds a non-ASCII character
		for _, m := range emojiPattern.FindAllStringIndex(s, -1) {
			emoji[m[0]] = m[1]
		}
	}
	weight, next := 0, 0
	for off := 0; off < len(s); {
		// A URL is counted only where the walk lands on its start; one
		// that begins inside an emoji match is counted character by
		// character, as in twitter-text.
		for next < len(urls) && urls[next].start < off {
			next++
		}
		if next < len(urls) && urls[next].start == off {
			weight += weightURL
			off = urls[next].end
			next++
			if off >= len(s) {
				break
			}
		}
		r, size := utf8.DecodeRuneInString(s[off:])
		if end, ok := emoji[off]; ok {
			weight += weightDefault
			size = end - off
		} else {
			weight += runeWeight(r)
		}
		invalid = invalid || r == 0xFFFE || r == 0xFEFF || r == 0xFFFF
		off += size
	}
	return weight / weightScale, invalid
}

func runeWeight(r rune) int {
	switch {
	case r <= 0x10FF, r >= 0x2000 && r <= 0x200D, r >= 0x2010 && r <= 0x201F, r >= 0x2032 && r <= 0x2037:
		return weightSingleRange
	}
	return weightDefault
}
