package x

import (
	"slices"
	"sort"
	"unicode/utf8"
)

// X counts a post's length after Unicode Normalization Form C (twitter-text's
// TwitterTextParser normalises with java.text.Normalizer before counting), so
// "é" typed as e + U+0301 counts once, and decomposed Hangul jamo count as the
// syllable they form. The standard library has no normaliser and Parley takes
// no dependency for one, so this is the UAX #15 algorithm over tables
// generated from the Unicode Character Database (nfc_tables.go).

// cccRange gives the canonical combining class of the code points lo..hi.
type cccRange struct {
	lo, hi rune
	ccc    uint8
}

// composite says that starter followed by mark composes to result.
type composite struct{ starter, mark, result rune }

// Hangul syllable arithmetic, Unicode §3.12.
const (
	hangulSBase  = 0xAC00
	hangulLBase  = 0x1100
	hangulVBase  = 0x1161
	hangulTBase  = 0x11A7
	hangulLCount = 19
	hangulVCount = 21
	hangulTCount = 28
	hangulNCount = hangulVCount * hangulTCount
	hangulSCount = hangulLCount * hangulNCount
)

var nfcCompose = func() map[[2]rune]rune {
	m := make(map[[2]rune]rune, len(nfcComposition))
	for _, c := range nfcComposition {
		m[[2]rune{c.starter, c.mark}] = c.result
	}
	return m
}()

func combiningClass(r rune) uint8 {
	// Everything below U+0300 is a starter; skip the search for the common
	// case.
	if r < 0x300 {
		return 0
	}
	i := sort.Search(len(nfcCombiningClass), func(i int) bool { return nfcCombiningClass[i].hi >= r })
	if i < len(nfcCombiningClass) && nfcCombiningClass[i].lo <= r {
		return nfcCombiningClass[i].ccc
	}
	return 0
}

// nfc returns s in Normalization Form C. Invalid UTF-8 is kept as U+FFFD.
func nfc(s string) string {
	if quickNFC(s) {
		return s
	}
	rs := make([]rune, 0, len(s))
	for _, r := range s {
		rs = decompose(rs, r)
	}
	reorder(rs)
	return string(compose(rs))
}

// quickNFC reports whether s is certainly in NFC already: only code points
// below U+0300 that no canonical mapping touches. ASCII text, the common
// case, takes this path.
func quickNFC(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func decompose(dst []rune, r rune) []rune {
	if r >= hangulSBase && r < hangulSBase+hangulSCount {
		i := r - hangulSBase
		dst = append(dst, hangulLBase+i/hangulNCount, hangulVBase+(i%hangulNCount)/hangulTCount)
		if t := i % hangulTCount; t != 0 {
			dst = append(dst, hangulTBase+t)
		}
		return dst
	}
	if d, ok := nfcDecomposition[r]; ok {
		for _, c := range d {
			dst = append(dst, c)
		}
		return dst
	}
	return append(dst, r)
}

// reorder puts each run of non-starters in canonical order: a stable sort
// by combining class.
func reorder(rs []rune) {
	for i := 0; i < len(rs); {
		if combiningClass(rs[i]) == 0 {
			i++
			continue
		}
		j := i
		for j < len(rs) && combiningClass(rs[j]) != 0 {
			j++
		}
		if j-i > 1 {
			slices.SortStableFunc(rs[i:j], func(a, b rune) int {
				return int(combiningClass(a)) - int(combiningClass(b))
			})
		}
		i = j
	}
}

// compose applies canonical composition to a decomposed, reordered rs, in
// place.
func compose(rs []rune) []rune {
	out := rs[:0]
	starter := -1
	for _, c := range rs {
		cc := combiningClass(c)
		if starter >= 0 {
			// c is blocked from the starter by the last character between
			// them when that one's class is 0 or not lower than c's;
			// after reordering, only the last one can block.
			adjacent := starter == len(out)-1
			if adjacent || (cc != 0 && combiningClass(out[len(out)-1]) < cc) {
				if p, ok := composePair(out[starter], c); ok {
					out[starter] = p
					continue
				}
			}
		}
		if cc == 0 {
			starter = len(out)
		}
		out = append(out, c)
	}
	return out
}

func composePair(a, b rune) (rune, bool) {
	switch {
	case a >= hangulLBase && a < hangulLBase+hangulLCount && b >= hangulVBase && b < hangulVBase+hangulVCount:
		return hangulSBase + ((a-hangulLBase)*hangulVCount+(b-hangulVBase))*hangulTCount, true
	case a >= hangulSBase && a < hangulSBase+hangulSCount && (a-hangulSBase)%hangulTCount == 0 &&
		b > hangulTBase && b < hangulTBase+hangulTCount:
		return a + (b - hangulTBase), true
	}
	r, ok := nfcCompose[[2]rune{a, b}]
	return r, ok
}
