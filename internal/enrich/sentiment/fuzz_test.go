package sentiment

import (
	"slices"
	"strings"
	"testing"
)

// FuzzAnalyze feeds Analyze hostile text. Run it with
// go test -run '^$' -fuzz FuzzAnalyze -fuzztime 30s ./internal/enrich/sentiment
func FuzzAnalyze(f *testing.F) {
	for _, path := range []string{"testdata/dev.tsv"} {
		for _, ex := range readExamples(f, path) {
			f.Add(ex.text)
		}
	}
	for _, s := range []string{
		"", "\xff\xfe", "not", "no one", "never … again", "\"great\"", "“free”", "sooooooo",
		"10/10", "99999/10", "1/5/10", ":-(((", "x", "@", "#", "http://", "¿?", "?!?!?!", "A B C D E",
		"NOT NOT NOT", "but but but", "thanks for", "great,", "❤\uFE0F\u200D🔥", "👍🏿", "4th time", "45min",
		"das ist gut nicht", "c'est bien pas", "dat is goed niet", "ich mag das nicht",
		strings.Repeat("ñ", 3000), strings.Repeat("no ", 2000), strings.Repeat(":(", 3000),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		r := Analyze(text)
		checkResult(t, text, r)
		again := Analyze(text)
		if again.Score != r.Score || again.Label != r.Label || again.Intensity != r.Intensity || !slices.Equal(again.Cues, r.Cues) {
			t.Fatalf("Analyze(%q) is not deterministic: %+v then %+v", text, r, again)
		}
	})
}
