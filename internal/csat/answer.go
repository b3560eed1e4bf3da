package csat

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
)

// answerWindow is how long after a survey a bare score in the channel is
// read as its answer.
const answerWindow = 7 * 24 * time.Hour

// numberWord is a word for a score, in any of the built-in languages.
type numberWord struct {
	word string
	n    int
}

// answerWords are the words of every built-in language at once: a customer
// may answer in another language than the one Parley guessed, and no word
// of one language's lists means something else as a reply in another.
var answerWords = func() (w struct {
	numbers                   []numberWord
	articles, skippable       []string
	scales, leadIns, thankYou []string
}) {
	// "/5" and stars read the same in every language.
	w.scales = []string{"/5", "/ 5"}
	// English "a" and "an" only ever come between a lead-in and a score ("I'd
	// give it a 5"): "A star!" is praise, not a 1.
	w.skippable = []string{"a", "an"}
	for _, t := range builtin {
		for i, words := range t.Numbers {
			for _, word := range words {
				w.numbers = append(w.numbers, numberWord{word, i + 1})
			}
		}
		w.articles = append(w.articles, t.Articles...)
		w.scales = append(w.scales, t.Scales...)
		w.leadIns = append(w.leadIns, t.LeadIns...)
		w.thankYou = append(w.thankYou, t.ThanksWords...)
	}
	w.skippable = append(w.skippable, w.articles...)
	// Longest first, so that "ich gebe euch" is tried before "ich gebe" and
	// "de cinco" before "de 5" cannot cut a word short; then by text, so
	// that the map's order never shows.
	longestFirst := func(a, b string) int {
		return cmp.Or(cmp.Compare(len(b), len(a)), strings.Compare(a, b))
	}
	for _, list := range []*[]string{&w.articles, &w.skippable, &w.scales, &w.leadIns, &w.thankYou} {
		slices.SortFunc(*list, longestFirst)
		*list = slices.Compact(*list)
	}
	slices.SortFunc(w.numbers, func(a, b numberWord) int { return longestFirst(a.word, b.word) })
	w.numbers = slices.Compact(w.numbers)
	return w
}()

// score reads a customer's message as a survey answer: a score of 1 to 5 at
// the start, alone or followed by a scale ("/5", "out of 5", "de 5",
// "estrelas"), a separator and a comment ("3 - slow but friendly"), or a
// thank-you ("5 obrigado"). The score is a digit of any script ("٥", "5️⃣"),
// stars ("⭐⭐⭐⭐"), or a number word of a built-in language ("cinco",
// "vier"); a lead-in such as "nota", "je mets" or "I'd give it a" may come
// first. It is conservative: "5 great service" and "2 bags lost" are not
// answers, since a number followed by words may be a new message; those open
// a conversation as usual. So are "4,5" and "4.5", which are no score of
// ours, and "um" or "un" alone, which are far more often a word than a 1.
func score(text string) (n int, comment string, ok bool) {
	t := trimBlank(text)
	if rest, ok := cutLeadIn(t); ok {
		t = rest
	}
	scaled, needScale := false, false
	if stars, rest := countStars(t); stars > 5 {
		return 0, "", false
	} else if stars > 0 {
		// Stars carry their scale: any words may follow ("⭐⭐⭐⭐ quick").
		n, t, scaled = stars, rest, true
	} else if n, t, needScale = number(t); n == 0 {
		return 0, "", false
	}
	rest := trimBlank(t)
	for {
		r, ok := cutScale(rest)
		if !ok {
			break
		}
		rest, scaled = trimBlank(r), true
	}
	switch {
	case needScale && !scaled:
		return 0, "", false // "um", "un", "een": a word far more often than a 1
	case rest == "" || scaled || startsWithSeparator(rest):
	case startsWithWord(rest, answerWords.thankYou):
	default:
		return 0, "", false // a number followed directly by words
	}
	comment = strings.TrimSpace(strings.TrimLeft(rest, " \t\u00a0\u202f-–—,.!:;)…\r\n"))
	if len(comment) > care.MaxSurveyComment {
		comment = strings.ToValidUTF8(comment[:care.MaxSurveyComment], "")
	}
	return n, comment, true
}

// number reads a score at the start of t: a digit, a number word, or an
// article standing for one (needScale: read as 1 only before a scale). It
// returns 0 when t starts with none.
func number(t string) (n int, rest string, needScale bool) {
	r, size := utf8.DecodeRuneInString(t)
	if d := digitValue(r); d >= 0 {
		rest = t[size:]
		next, nsize := utf8.DecodeRuneInString(rest)
		if digitValue(next) >= 0 {
			return 0, "", false // 10, 15, 42: not a score
		}
		if (next == '.' || next == ',') && digitValue(firstRune(rest[nsize:])) >= 0 {
			return 0, "", false // 4.5, 4,5: not a score of ours
		}
		if d < 1 || d > 5 {
			return 0, "", false
		}
		// A keycap emoji is the digit, U+FE0F and U+20E3: "5️⃣".
		rest = strings.TrimPrefix(strings.TrimPrefix(rest, "\ufe0f"), "\u20e3")
		return d, rest, false
	}
	for _, w := range answerWords.numbers {
		if rest, ok := cutWord(t, w.word); ok {
			return w.n, rest, false
		}
	}
	for _, a := range answerWords.articles {
		if rest, ok := cutWord(t, a); ok {
			// "un 5", "uma cinco": the article only introduces the score.
			if after := trimBlank(rest); after != rest {
				if n, r, _ := number(after); n > 0 {
					return n, r, false
				}
			}
			return 1, rest, true
		}
	}
	return 0, "", false
}

// cutLeadIn takes a lead-in ("nota", "ich gebe", "I'd give it a") and what
// separates it from the score off t.
func cutLeadIn(t string) (string, bool) {
	for _, l := range answerWords.leadIns {
		rest, ok := cutWord(t, l)
		if !ok {
			continue
		}
		rest = trimBlank(strings.TrimLeft(trimBlank(rest), ":="))
		for _, a := range answerWords.skippable {
			if r, ok := cutWord(rest, a); ok && trimBlank(r) != r {
				if n, _, _ := number(trimBlank(r)); n > 0 {
					rest = trimBlank(r)
				}
				break
			}
		}
		return rest, true
	}
	return t, false
}

// cutScale takes one scale ("/5", "de cinco", "stars", "⭐⭐") off t.
func cutScale(t string) (string, bool) {
	if stars, rest := countStars(t); stars > 0 {
		return rest, true
	}
	for _, s := range answerWords.scales {
		if rest, ok := cutWord(t, s); ok {
			return rest, true
		}
	}
	return t, false
}

// countStars counts the star emoji at the start of t ("⭐⭐⭐⭐☆"), the
// hollow stars of a rating included after them but not counted.
func countStars(t string) (int, string) {
	n := 0
	for {
		r, size := utf8.DecodeRuneInString(t)
		if r != '⭐' && r != '🌟' && r != '★' {
			break
		}
		n++
		t = strings.TrimPrefix(t[size:], "\ufe0f")
	}
	if n > 0 {
		t = strings.TrimLeft(t, "☆✩\ufe0f")
	}
	return n, t
}

// startsWithSeparator says whether a comment may start here: punctuation
// that ends the score ("5 - fast", "5! thanks", "5\nthanks") or an emoji
// ("5 🙏"). Currency, per cent and degree signs are not: "5 € charged
// twice" is a new message.
func startsWithSeparator(t string) bool {
	r := firstRune(t)
	if strings.ContainsRune("-–—,.!:;)…\r\n", r) {
		return true
	}
	return unicode.Is(unicode.So, r) && r != '°' && r != '№'
}

// startsWithWord says whether t starts with one of words, case aside.
func startsWithWord(t string, words []string) bool {
	for _, w := range words {
		if _, ok := cutWord(t, w); ok {
			return true
		}
	}
	return false
}

// cutWord takes word off the start of t, case aside, when no letter or digit
// follows it: "cinco" is not cut from "cincos", nor "de 5" from "de 50".
func cutWord(t, word string) (string, bool) {
	for _, wr := range word {
		r, size := utf8.DecodeRuneInString(t)
		if size == 0 || !equalFold(r, wr) {
			return "", false
		}
		t = t[size:]
	}
	next := firstRune(t)
	if unicode.IsLetter(next) || digitValue(next) >= 0 || unicode.Is(unicode.Mn, next) {
		return "", false
	}
	return t, true
}

// equalFold compares two runes as strings.EqualFold does, without the
// allocation of turning each into a string.
func equalFold(a, b rune) bool {
	if a == b || isApostrophe(a) && isApostrophe(b) {
		return true
	}
	for f := unicode.SimpleFold(a); f != a; f = unicode.SimpleFold(f) {
		if f == b {
			return true
		}
	}
	return false
}

// digitValue is the value of a decimal digit of any script, -1 for a rune
// that is none. Unicode keeps each script's digits 0 to 9 in a row, and every
// range of unicode.Nd starts with a zero.
func digitValue(r rune) int {
	if r >= '0' && r <= '9' {
		return int(r - '0')
	}
	if r < utf8.RuneSelf || !unicode.Is(unicode.Nd, r) {
		return -1
	}
	for _, rg := range unicode.Nd.R16 {
		if lo, hi := rune(rg.Lo), rune(rg.Hi); r >= lo && r <= hi {
			return int(r-lo) % 10
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if lo, hi := rune(rg.Lo), rune(rg.Hi); r >= lo && r <= hi {
			return int(r-lo) % 10
		}
	}
	return -1
}

// isApostrophe says whether r is a straight or a typographic apostrophe:
// phones put in the latter ("I’d give it a 5").
func isApostrophe(r rune) bool { return r == '\'' || r == '’' }

func firstRune(t string) rune {
	r, size := utf8.DecodeRuneInString(t)
	if size == 0 {
		return -1
	}
	return r
}

// trimBlank trims the spaces a phone keyboard puts around words, no-break
// ones included, but not line breaks: "5\nthanks" is a score and a comment.
func trimBlank(t string) string {
	return strings.Trim(t, " \t\u00a0\u202f")
}
