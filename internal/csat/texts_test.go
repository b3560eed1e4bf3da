package csat

import (
	"reflect"
	"strings"
	"testing"
)

// Every built-in language says everything, with its placeholders, and reads
// every score.
func TestBuiltinTexts(t *testing.T) {
	for _, lang := range []string{"en", "es", "fr", "de", "pt", "it", "nl"} {
		t.Run(lang, func(t *testing.T) {
			tx := builtin[lang]
			if tx == nil {
				t.Fatalf("no texts for %s", lang)
			}
			v := reflect.ValueOf(*tx)
			for i := range v.NumField() {
				if f := v.Field(i); f.Kind() == reflect.String && strings.TrimSpace(f.String()) == "" {
					t.Errorf("%s.%s is empty", lang, v.Type().Field(i).Name)
				}
			}
			if !strings.Contains(tx.Question, "{link}") {
				t.Errorf("%s question %q has no {link}", lang, tx.Question)
			}
			if !strings.Contains(tx.Answered, "{score}") {
				t.Errorf("%s Answered %q has no {score}", lang, tx.Answered)
			}
			// The scale explains the two ends of the buttons.
			if !strings.Contains(tx.Scale, "1") || !strings.Contains(tx.Scale, "5") {
				t.Errorf("%s scale %q does not name 1 and 5", lang, tx.Scale)
			}
			for n := 2; n <= 5; n++ {
				if len(tx.Numbers[n-1]) == 0 {
					t.Errorf("%s has no word for %d", lang, n)
				}
			}
			if len(tx.Numbers[0]) == 0 && len(tx.Articles) == 0 {
				t.Errorf("%s has no word for 1", lang)
			}
			if len(tx.Scales) == 0 || len(tx.LeadIns) == 0 || len(tx.ThanksWords) == 0 {
				t.Errorf("%s lacks scales, lead-ins or thanks", lang)
			}
		})
	}
	if len(builtin) != 7 {
		t.Errorf("%d built-in languages; this test knows 7", len(builtin))
	}
}

// No word means two scores, whichever languages it comes from.
func TestNumberWordsAgree(t *testing.T) {
	seen := map[string]int{}
	for _, w := range answerWords.numbers {
		if n, ok := seen[strings.ToLower(w.word)]; ok && n != w.n {
			t.Errorf("%q is both %d and %d", w.word, n, w.n)
		}
		seen[strings.ToLower(w.word)] = w.n
	}
	for _, a := range answerWords.articles {
		if n, ok := seen[a]; ok && n != 1 {
			t.Errorf("article %q is also %d", a, n)
		}
	}
}

func TestQuestionAndPageLanguage(t *testing.T) {
	own := &Settings{Question: "Thanks from Acme! Rate us: {link}"}
	perLanguage := &Settings{Question: "Thanks from Acme! {link}", Questions: map[string]string{"pt": "Obrigado da Acme! {link}", "sv": "Tack från Acme! {link}"}}
	portuguese := &Settings{Language: "pt", Question: "Obrigado da Acme! {link}"}
	swedish := &Settings{Language: "sv"}
	swedishOwn := &Settings{Language: "sv", Questions: map[string]string{"sv": "Tack! {link}"}}
	for _, tt := range []struct {
		name     string
		st       *Settings
		lang     string
		question string
		page     string
	}{
		{"no settings, English", &Settings{}, "en", builtin["en"].Question, "en"},
		{"no settings, unknown", &Settings{}, "", builtin["en"].Question, "en"},
		{"no settings, Swedish", &Settings{}, "sv", builtin["en"].Question, "en"},
		{"es", &Settings{}, "es", builtin["es"].Question, "es"},
		{"fr", &Settings{}, "fr", builtin["fr"].Question, "fr"},
		{"de", &Settings{}, "de", builtin["de"].Question, "de"},
		{"pt", &Settings{}, "pt", builtin["pt"].Question, "pt"},
		{"it", &Settings{}, "it", builtin["it"].Question, "it"},
		{"nl", &Settings{}, "nl", builtin["nl"].Question, "nl"},
		{"own question, English", own, "en", own.Question, "en"},
		{"own question, unknown language", own, "", own.Question, "en"},
		{"own question, Portuguese customer", own, "pt", builtin["pt"].Question, "pt"},
		{"own question, Swedish customer", own, "sv", own.Question, "en"},
		{"per language, pt", perLanguage, "pt", "Obrigado da Acme! {link}", "pt"},
		{"per language, sv", perLanguage, "sv", "Tack från Acme! {link}", "en"},
		{"per language, fr", perLanguage, "fr", builtin["fr"].Question, "fr"},
		{"per language, en", perLanguage, "en", "Thanks from Acme! {link}", "en"},
		{"Portuguese workspace, pt", portuguese, "pt", portuguese.Question, "pt"},
		{"Portuguese workspace, unknown", portuguese, "", portuguese.Question, "pt"},
		{"Portuguese workspace, Polish", portuguese, "pl", portuguese.Question, "pt"},
		{"Portuguese workspace, en", portuguese, "en", builtin["en"].Question, "en"},
		{"Swedish workspace, no text", swedish, "", builtin["en"].Question, "en"},
		{"Swedish workspace, own", swedishOwn, "", "Tack! {link}", "en"},
		{"Swedish workspace, de", swedishOwn, "de", builtin["de"].Question, "de"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.st.question(tt.lang); got != tt.question {
				t.Errorf("question(%q) = %q, want %q", tt.lang, got, tt.question)
			}
			if got, _ := pageTexts(tt.lang, tt.st.language()); got != tt.page {
				t.Errorf("page language for %q = %q, want %q", tt.lang, got, tt.page)
			}
		})
	}
}

func TestNormLanguage(t *testing.T) {
	for in, want := range map[string]string{"pt": "pt", "PT": "pt", "pt-BR": "pt", "pt_PT": "pt", " de ": "de", "": "", "tgl": "tgl"} {
		if got := normLanguage(in); got != want {
			t.Errorf("normLanguage(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAcceptLanguage(t *testing.T) {
	for _, tt := range []struct{ header, want string }{
		{"", ""},
		{"pt-PT,pt;q=0.9,en;q=0.8", "pt"},
		{"sv-SE, sv;q=0.9, de;q=0.5, en;q=0.4", "de"},
		{"en;q=0.2, fr;q=0.9", "fr"},
		{"nl, it", "nl"},
		{"*", ""},
		{"es;q=bad, it;q=0.1", "it"},
		{"ja", ""},
	} {
		if got := acceptLanguage(tt.header); got != tt.want {
			t.Errorf("acceptLanguage(%q) = %q, want %q", tt.header, got, tt.want)
		}
	}
}
