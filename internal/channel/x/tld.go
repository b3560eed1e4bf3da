package x

import (
	_ "embed"
	"strings"
	"unicode/utf8"
)

//go:embed tlds.txt
var tldList string

// asciiTLDs holds the ASCII top-level domains; unicodeTLDs the others, the
// generic ones first and each group in list order, which decides between two
// that both match (嘉里大酒店 before 嘉里).
var asciiTLDs, unicodeTLDs = func() (map[string]bool, []string) {
	ascii := map[string]bool{}
	var uni []string
	for _, line := range strings.Split(tldList, "\n") {
		if strings.HasPrefix(line, "#") || strings.HasPrefix(line, "[") {
			continue
		}
		for _, t := range strings.Fields(line) {
			if isASCII(t) {
				ascii[t] = true
			} else {
				uni = append(uni, t)
			}
		}
	}
	return ascii, uni
}()

// matchTLD matches, at p, a generic or country TLD that is not followed by
// [a-z0-9@+-] (the regex's lookahead) or, when punycodeOK, xn--[-0-9a-z]+,
// and returns the end of the match, or -1.
func matchTLD(s string, p int, punycodeOK bool) int {
	if p >= len(s) {
		return -1
	}
	if s[p] < utf8.RuneSelf {
		// An ASCII TLD must span the whole run of letters, digits and
		// hyphens, since the lookahead refuses each of them after it.
		q := p
		for q < len(s) && (isAlnum(s[q]) || s[q] == '-') {
			q++
		}
		if q > p && !tldBlocked(s, q) && asciiTLDs[strings.ToLower(s[p:q])] {
			return q
		}
		if punycodeOK && q > p+len("xn--") && hasFoldPrefix(s[p:], "xn--") {
			return q
		}
		return -1
	}
	for _, t := range unicodeTLDs {
		if strings.HasPrefix(s[p:], t) && !tldBlocked(s, p+len(t)) {
			return p + len(t)
		}
	}
	return -1
}

func tldBlocked(s string, q int) bool {
	return q < len(s) && (isAlnum(s[q]) || s[q] == '@' || s[q] == '+' || s[q] == '-')
}
