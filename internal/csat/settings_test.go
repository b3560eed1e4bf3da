package csat_test

import (
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
		{"unknown field", `{"bogus":1}`, 0, `Unknown field "bogus" in the survey settings; the fields are enabled, question, cooldown and channels.`},
		{"enabled as a word", `{"enabled":"yes"}`, 0, `In the survey settings, "enabled" must be true or false, not a string.`},
		{"cooldown as a number", `{"cooldown":720}`, 0, `In the survey settings, "cooldown" must be a string, not a number.`},
		{"a channel as a number", `{"channels":["x",1]}`, 0, `In the survey settings, "channels[1]" must be a string, not a number.`},
		{"cooldown not a duration", `{"cooldown":"a month"}`, 0, `cooldown "a month" is not a duration such as 720h.`},
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
