//go:build lingua

package language

import (
	"strings"
	"sync"

	"github.com/pemistahl/lingua-go"
)

// minConfidence is the lingua confidence, a probability among the candidate
// languages, below which Detect answers "".
const minConfidence = 0.5

// candidates are the languages Parley's customers write in most, plus
// Tagalog, Persian and Urdu, which would otherwise be named as Indonesian
// or Arabic. Each language lingua considers costs memory (its models,
// loaded once) and time on every message.
var candidates = []lingua.Language{
	lingua.English, lingua.Spanish, lingua.French, lingua.German, lingua.Italian,
	lingua.Portuguese, lingua.Dutch, lingua.Swedish, lingua.Danish, lingua.Bokmal,
	lingua.Finnish, lingua.Polish, lingua.Czech, lingua.Turkish, lingua.Russian,
	lingua.Ukrainian, lingua.Arabic, lingua.Hebrew, lingua.Hindi, lingua.Japanese,
	lingua.Korean, lingua.Chinese, lingua.Indonesian, lingua.Malay, lingua.Thai,
	lingua.Vietnamese, lingua.Greek, lingua.Romanian, lingua.Hungarian,
	lingua.Tagalog, lingua.Persian, lingua.Urdu,
}

var (
	detectorOnce sync.Once
	detector     lingua.LanguageDetector
)

// Detect returns the language of a social post, or Code "" when the post
// has fewer than three words once links, mentions, hashtags, numbers and
// emoji are removed, or when neither its function words nor lingua settle
// it. Text in a script that one language alone uses (Greek, Hangul, kana,
// Thai…) needs only one word. The first post the function words do not
// settle loads lingua's models for every candidate language, which takes
// seconds and about 1 GB; later calls share them.
func Detect(text string) Result {
	c := clean(text)
	if !c.enough() {
		return Result{}
	}
	// The function words settle most posts at a hundredth of lingua's
	// cost, but not Indonesian, which lingua tells from Malay.
	if t, ok := tallyOf(c.text); ok {
		if l, confidence, ok := t.decide(); ok && l != indonesian {
			return Result{Code: l.String(), Confidence: confidence}
		}
	}
	detectorOnce.Do(func() {
		detector = lingua.NewLanguageDetectorBuilder().
			FromLanguages(candidates...).
			WithPreloadedLanguageModels().
			Build()
	})
	values := detector.ComputeLanguageConfidenceValues(c.text)
	if len(values) == 0 || values[0].Value() < minConfidence {
		return Result{}
	}
	lang := values[0].Language()
	var code string
	switch lang {
	case lingua.Unknown:
		return Result{}
	case lingua.Bokmal:
		// "no", not "nb": it is the code the networks put on Norwegian posts.
		code = "no"
	case lingua.Tagalog, lingua.Persian, lingua.Urdu:
		code = strings.ToLower(lang.IsoCode639_3().String())
	default:
		code = strings.ToLower(lang.IsoCode639_1().String())
	}
	return Result{Code: code, Confidence: values[0].Value()}
}
