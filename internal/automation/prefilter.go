package automation

import (
	"regexp/syntax"
	"strings"
)

// A regexp costs microseconds on a message; a substring search costs tens
// of nanoseconds. Most patterns in rules cannot match without certain
// literal words ("(?i)\b(refund|chargeback)s?\b" needs "refund" or
// "chargeback"), so each "matches" condition carries those words and runs
// its regexp only when the folded text has them, the way RE2's FilteredRE2
// screens many patterns at once.

// A prefilter is a conjunction of groups of words: a text can match only
// if, for every group, it contains at least one of the group's words.
type prefilter [][]string

// Bounds on a prefilter; a pattern whose literals exceed them is screened
// on fewer of them, or not at all.
const (
	maxGroups    = 4
	maxGroupSize = 16
)

// fold lower-cases s the way conditions compare text: rune by rune, so that
// a substring of s folds to a substring of fold(s), and with the long s (ſ,
// which (?i) matches with s but which stays ſ in lower case) made an s.
func fold(s string) string {
	s = strings.ToLower(s)
	if strings.Contains(s, "ſ") {
		s = strings.ReplaceAll(s, "ſ", "s")
	}
	return s
}

// newPrefilter returns the prefilter of pattern, or nil when nothing
// literal is certain to be in its matches.
func newPrefilter(pattern string) prefilter {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	return conjunction(re.Simplify())
}

// pass reports whether folded, a folded text, has a word of every group.
func (p prefilter) pass(folded string) bool {
	for _, group := range p {
		if !containsAny(folded, group) {
			return false
		}
	}
	return true
}

// conjunction returns groups every match of re satisfies.
func conjunction(re *syntax.Regexp) prefilter {
	switch re.Op {
	case syntax.OpCapture, syntax.OpPlus:
		return conjunction(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return conjunction(re.Sub[0])
		}
	case syntax.OpConcat:
		// Every part of a concatenation is in every match.
		var p prefilter
		for _, sub := range re.Sub {
			for _, g := range conjunction(sub) {
				if len(p) < maxGroups {
					p = append(p, g)
				}
			}
		}
		return p
	case syntax.OpLiteral, syntax.OpAlternate:
		if g := group(re); g != nil {
			return prefilter{g}
		}
	}
	return nil
}

// group returns words one of which is in every match of re, or nil.
func group(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		s := string(re.Rune)
		// Outside ASCII, (?i) matches letters that lower-casing does not
		// bring together (ς and σ), so only an ASCII literal is safe to
		// look for case-insensitively; fold handles the one non-ASCII
		// letter, ſ, that (?i) matches with an ASCII one (K lower-cases
		// to k).
		if re.Flags&syntax.FoldCase != 0 && !isASCII(s) {
			return nil
		}
		return []string{fold(s)}
	case syntax.OpAlternate:
		var words []string
		for _, sub := range re.Sub {
			w := best(conjunction(sub))
			if w == nil || len(words)+len(w) > maxGroupSize {
				return nil
			}
			words = append(words, w...)
		}
		return words
	}
	return best(conjunction(re))
}

// best returns the most selective group of p: the one whose shortest word
// is longest, as longer words are rarer in text.
func best(p prefilter) []string {
	var b []string
	for _, g := range p {
		if b == nil || shortest(g) > shortest(b) {
			b = g
		}
	}
	return b
}

func shortest(words []string) int {
	n := len(words[0])
	for _, w := range words[1:] {
		n = min(n, len(w))
	}
	return n
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// containsAny reports whether s contains any of words.
func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
