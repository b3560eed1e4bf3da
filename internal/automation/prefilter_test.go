package automation

import (
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNewPrefilter(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		pattern string
		want    prefilter
	}{
		{`refund`, prefilter{{"refund"}}},
		{`(?i)REFUND`, prefilter{{"refund"}}},
		{`(?i)\b(refund|chargeback)s?\b`, prefilter{{"refund", "chargeback"}}},
		{`order\s*#?\d{5,}`, prefilter{{"order"}}},
		{`(?i)\b(never|worst)\b.*\b(again|ever)\b`, prefilter{{"never", "worst"}, {"again", "ever"}}},
		{`[\w.+-]+@[\w-]+\.[a-z]{2,}`, prefilter{{"@"}, {"."}}},
		{`(ab)+c`, prefilter{{"ab"}, {"c"}}},
		{`(ab){2,3}`, prefilter{{"ab"}, {"ab"}}}, // as simplified: abab(ab)?
		{`(ab){0,3}`, nil},
		{`(ab)*`, nil},
		{`ab?`, prefilter{{"a"}}},
		{`a|b*`, nil},
		{`\+?\d[\d ()-]{7,}\d`, nil},
		{`(?i)σοφια`, nil},                // folded non-ASCII is not safe to screen on
		{`σοφια`, prefilter{{"σοφια"}}},   // but exact non-ASCII is
		{`ΣΟΦΙΑ`, prefilter{{"σοφια"}}},   // folded like the text
		{`(?i)ſcam`, prefilter{{"scam"}}}, // the parser stores ſ as s under (?i)
		{`ſcam`, prefilter{{"scam"}}},
		{`a|b|c|d|e|f|g|h|i|j|k|l|m|n|o|p|q`, nil}, // too many words
		{`a.b.c.d.e.f`, prefilter{{"a"}, {"b"}, {"c"}, {"d"}}},
	} {
		if diff := cmp.Diff(tt.want, newPrefilter(tt.pattern)); diff != "" {
			t.Errorf("newPrefilter(%q) (-want +got):\n%s", tt.pattern, diff)
		}
	}
}

// TestPrefilterNeverHidesAMatch checks the one property the prefilter must
// have on texts chosen to be awkward: whenever the regexp matches, the
// prefilter lets the text through.
func TestPrefilterNeverHidesAMatch(t *testing.T) {
	t.Parallel()
	patterns := []string{`(?i)kelvin`, `(?i)scam`, `(?i)\bstra(ss|ß)e\b`, `(?i)(ab|cd)+x`, `order\s*#?\d{5,}`,
		`(?i)^\s*(stop|unsubscribe)\s*$`, `İstanbul`, `(?i)i̇stanbul`}
	texts := []string{"\u212Aelvin", "ſcam", "STRASSE", "Straße", "ABCDx", "Order #12345", "order #12345", " STOP ",
		"İstanbul", "ISTANBUL", "i\u0307stanbul", "\xffscam\xfe"}
	for _, p := range patterns {
		re := regexp.MustCompile(p)
		pre := newPrefilter(p)
		for _, text := range texts {
			if re.MatchString(text) && !pre.pass(fold(text)) {
				t.Errorf("%q matches %q, but its prefilter %q hides it", p, text, pre)
			}
		}
	}
}
