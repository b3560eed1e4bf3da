//go:build !lingua

package language

import (
	"strings"
	"unicode/utf8"

	"github.com/abadojack/whatlanggo"
)

// Confidence thresholds. whatlanggo's confidence compares the best profile
// with the runner-up, so it stays low on long texts in a language with a
// close neighbour (a plain 16-word Spanish complaint scores 0.3, Portuguese
// and Italian being near) and reaches 1 on some three-word guesses. A text of
// longTextWords or more is named at minConfidenceLong, a shorter one at
// minConfidence.
const (
	minConfidence     = 0.5
	minConfidenceLong = 0.25
	longTextWords     = 8
)

// likely holds the only languages Detect considers.
//
// Among all of whatlanggo's 49 Latin-script profiles, a sentence or two
// yields confident nonsense: English as Cebuano, Indonesian as Javanese,
// Dutch as Afrikaans, Russian as Bulgarian. Among the languages Parley's
// customers write in, most of those become right answers, and each language
// left out saves 300 map look-ups on every message whatlanggo reads. The
// price is that a post in a Latin-script or Cyrillic language outside the
// set is named as its nearest neighbour (Croatian as Czech) or, more often,
// not named. Other
// scripts keep every profile whatlanggo has: narrowing Arabic script to
// Arabic would call every Persian and Urdu post Arabic, and those profiles
// cost little, being tried only on text in their script.
var likely = whatlanggo.Options{Whitelist: map[whatlanggo.Lang]bool{
	// Tagalog is not in codes but is in the set: the Philippines is one of
	// the largest audiences of social customer care, and without the
	// profile Tagalog posts come out as confident Indonesian.
	whatlanggo.Tgl: true,
	whatlanggo.Urd: true, whatlanggo.Pes: true, whatlanggo.Skr: true, whatlanggo.Uig: true,
	whatlanggo.Mar: true, whatlanggo.Nep: true, whatlanggo.Mai: true, whatlanggo.Bho: true,
	whatlanggo.Ydd: true, whatlanggo.Amh: true, whatlanggo.Tir: true,
}}

// codes maps whatlanggo's languages to the ISO 639-1 codes Parley uses;
// Detect falls back to the ISO 639-3 code for the others.
var codes = map[whatlanggo.Lang]string{
	whatlanggo.Eng: "en", whatlanggo.Spa: "es", whatlanggo.Fra: "fr",
	whatlanggo.Deu: "de", whatlanggo.Ita: "it", whatlanggo.Por: "pt",
	whatlanggo.Nld: "nl", whatlanggo.Swe: "sv", whatlanggo.Dan: "da",
	whatlanggo.Fin: "fi", whatlanggo.Pol: "pl", whatlanggo.Ces: "cs",
	whatlanggo.Tur: "tr", whatlanggo.Rus: "ru", whatlanggo.Ukr: "uk",
	whatlanggo.Arb: "ar", whatlanggo.Heb: "he", whatlanggo.Hin: "hi",
	whatlanggo.Jpn: "ja", whatlanggo.Kor: "ko", whatlanggo.Cmn: "zh",
	whatlanggo.Ind: "id", whatlanggo.Tha: "th", whatlanggo.Vie: "vi",
	whatlanggo.Ell: "el", whatlanggo.Ron: "ro", whatlanggo.Hun: "hu",
	// "no", not "nb": it is the code the networks put on Norwegian posts.
	whatlanggo.Nob: "no",
}

func init() {
	for lang := range codes {
		likely.Whitelist[lang] = true
	}
	// Nynorsk is left out: it is a tenth of written Norwegian, and with both
	// profiles a Bokmål text scores them as a tie, at confidence near 0.
}

// maxTrigramBytes is how much of a cleaned text whatlanggo reads. Its cost
// grows faster than the text (it sorts the text's trigrams, with a slow
// swap, before comparing them with each profile), while a couple of
// sentences settle most texts the tally leaves to it.
const maxTrigramBytes = 160

// trigramLangs are whatlanggo's names for the tally's languages.
var trigramLangs = [numLangs]whatlanggo.Lang{
	english: whatlanggo.Eng, spanish: whatlanggo.Spa, french: whatlanggo.Fra,
	german: whatlanggo.Deu, italian: whatlanggo.Ita, portuguese: whatlanggo.Por,
	dutch: whatlanggo.Nld, swedish: whatlanggo.Swe, danish: whatlanggo.Dan,
	norwegian: whatlanggo.Nob, finnish: whatlanggo.Fin, polish: whatlanggo.Pol,
	czech: whatlanggo.Ces, turkish: whatlanggo.Tur, romanian: whatlanggo.Ron,
	hungarian: whatlanggo.Hun, indonesian: whatlanggo.Ind, tagalog: whatlanggo.Tgl,
	vietnamese: whatlanggo.Vie, russian: whatlanggo.Rus, ukrainian: whatlanggo.Ukr,
}

// Detect returns the language of a social post, or Code "" when the post
// has fewer than three words once links, mentions, hashtags, numbers and
// emoji are removed, or when neither its function words nor whatlanggo
// settle it. Text in a script that one language alone uses (Greek, Hangul,
// kana, Thai…) needs only one word. Malay ("ms") is never returned: it
// shares Indonesian's function words, and whatlanggo has no Malay profile.
func Detect(text string) Result {
	c := clean(text)
	if !c.enough() {
		return Result{}
	}
	opts := likely
	if t, ok := tallyOf(c.text); ok {
		if l, confidence, ok := t.decide(); ok {
			return Result{Code: l.String(), Confidence: confidence}
		}
		if set := t.candidates(); set != 0 {
			opts = whatlanggo.Options{Whitelist: make(map[whatlanggo.Lang]bool, maxCandidates+2)}
			for l := range numLangs {
				if set&(1<<l) != 0 {
					opts.Whitelist[trigramLangs[l]] = true
				}
			}
		}
	}
	info := whatlanggo.DetectWithOptions(head(c.text, maxTrigramBytes), opts)
	threshold := minConfidence
	if c.words >= longTextWords {
		threshold = minConfidenceLong
	}
	if info.Lang < 0 || info.Confidence < threshold {
		return Result{}
	}
	lang := eastSlavic(info.Lang, c.text)
	code, ok := codes[lang]
	if !ok {
		code = lang.Iso6393()
	}
	return Result{Code: code, Confidence: info.Confidence}
}

// head returns the words of a cleaned text that fit in n bytes, or, when
// its first word is longer, that word cut at n bytes: a word of thousands
// of letters has as many trigrams, and whatlanggo would sort them all.
func head(text string, n int) string {
	if len(text) <= n {
		return text
	}
	if i := strings.LastIndexByte(text[:n], ' '); i > 0 {
		return text[:i+1]
	}
	for n > 0 && !utf8.RuneStart(text[n]) {
		n--
	}
	return text[:n]
}

// eastSlavic corrects whatlanggo's Russian and Ukrainian by the letters only
// one of them has, which decide where a few trigrams cannot: ы, э, ъ and ё
// are Russian, і, ї, є and ґ Ukrainian.
func eastSlavic(lang whatlanggo.Lang, text string) whatlanggo.Lang {
	if lang != whatlanggo.Rus && lang != whatlanggo.Ukr {
		return lang
	}
	russian := strings.ContainsAny(text, "ыэъёЫЭЪЁ")
	ukrainian := strings.ContainsAny(text, "іїєґІЇЄҐ")
	switch {
	case russian && !ukrainian:
		return whatlanggo.Rus
	case ukrainian && !russian:
		return whatlanggo.Ukr
	}
	return lang
}
