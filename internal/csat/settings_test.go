package csat_test

import (
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/csat"
)

func TestParseSettings(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, doc    string
		wantCooldown time.Duration
		want         string // the message; "" for a valid document
	}{
		{"defaults", `{"enabled":true}`, 720 * time.Hour, ""},
		{"cooldown", `{"enabled":true,"cooldown":"24h","channels":["x"]}`, 24 * time.Hour, ""},
		{"not an object", `"x"`, 0, "The survey settings must be a JSON object ({...}), not a string."},
		{"unknown field", `{"bogus":1}`, 0, `Unknown field "bogus" in the survey settings; the fields are enabled, language, question, questions, cooldown and channels.`},
		{"enabled as a word", `{"enabled":"yes"}`, 0, `In the survey settings, "enabled" must be true or false, not a string.`},
		{"cooldown as a number", `{"cooldown":720}`, 0, `In the survey settings, "cooldown" must be a string, not a number.`},
		{"a channel as a number", `{"channels":["x",1]}`, 0, `In the survey settings, "channels[1]" must be a string, not a number.`},
		{"cooldown not a duration", `{"cooldown":"a month"}`, 0, `cooldown "a month" is not a duration such as 720h.`},
		{"languages", `{"enabled":true,"language":"pt","question":"Olá! {link}","questions":{"en":"Hi! {link}","fr":"Salut ! {link}","tgl":"Salamat! {link}"}}`, 720 * time.Hour, ""},
		{"language as a name", `{"language":"Portuguese"}`, 0, `In the survey settings, "language" must be a language code such as "en" or "pt" (ISO 639-1, in lower case), not "Portuguese".`},
		{"language with a region", `{"language":"pt-BR"}`, 0, `In the survey settings, "language" must be a language code such as "en" or "pt" (ISO 639-1, in lower case), not "pt-BR".`},
		{"language as a number", `{"language":1}`, 0, `In the survey settings, "language" must be a string, not a number.`},
		{"questions as a string", `{"questions":"Olá {link}"}`, 0, `In the survey settings, "questions" must be an object, not a string.`},
		{"a question as a number", `{"questions":{"pt":5}}`, 0, `In the survey settings, "questions.pt" must be a string, not a number.`},
		{"a question in capitals", `{"questions":{"fr":"Salut {link}","PT":"Olá {link}"}}`, 0, `In the survey settings, "questions" has the key "PT"; its keys are language codes such as "pt" or "fr" (ISO 639-1, in lower case).`},
		{"a question under a name", `{"questions":{"Deutsch":"Hallo {link}"}}`, 0, `In the survey settings, "questions" has the key "Deutsch"; its keys are language codes such as "pt" or "fr" (ISO 639-1, in lower case).`},
		{"an empty question", `{"questions":{"de":"  "}}`, 0, `In the survey settings, "questions.de" is empty; write the question, or leave "de" out.`},
		{"a long question", `{"questions":{"it":"` + strings.Repeat("x", 1001) + `"}}`, 0, `In the survey settings, "questions.it" is over 1000 bytes; a question is at most 1000.`},
		{"a long default question", `{"question":"` + strings.Repeat("x", 1001) + `"}`, 0, `The question is at most 1000 bytes.`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, cooldown, err := csat.ParseSettings([]byte(tt.doc))
			switch {
			case tt.want == "" && (err != nil || cooldown != tt.wantCooldown):
				t.Errorf("ParseSettings(%s) = %v, %v; want %v", tt.doc, cooldown, err, tt.wantCooldown)
			case tt.want != "" && (care.ErrorCode(err) != care.EINVALID || care.ErrorMessage(err) != tt.want):
				t.Errorf("ParseSettings(%s) = %v,\nwant EINVALID %q", tt.doc, err, tt.want)
			}
		})
	}
}
