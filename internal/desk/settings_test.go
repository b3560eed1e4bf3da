package desk_test

import (
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/desk"
)

func TestParseApprovalSettings(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, doc string
		want      string // the message; "" for a valid document
	}{
		{"valid", `{"roles":["agent"],"users":[4],"tags":["crisis"],"min_followers":10000,"words":["refund"],"sla":"10m"}`, ""},
		{"not an object", `"x"`, "The approval settings must be a JSON object ({...}), not a string."},
		{"unknown field", `{"role":["agent"]}`, `Unknown field "role" in the approval settings; the fields are roles, users, tags, min_followers, words and sla.`},
		{"roles as a word", `{"roles":"agent"}`, `In the approval settings, "roles" must be an array, not a string.`},
		{"a user by name", `{"users":["sam"]}`, `In the approval settings, "users[0]" must be a whole number, not a string.`},
		{"followers as a fraction", `{"min_followers":10.5}`, `In the approval settings, "min_followers" must be a whole number, not 10.5.`},
		{"sla as a number", `{"sla":15}`, `In the approval settings, "sla" must be a string, not a number.`},
		{"unknown role", `{"roles":["boss"]}`, `Approval settings: unknown role "boss"; the roles are agent, supervisor and admin.`},
		{"too many", `{"tags":[` + strings.Repeat(`"t",`, 100) + `"t"]}`, "Approval settings: at most 1000 words, 100 tags and 10000 users; these have 0, 101 and 0."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := desk.ParseApprovalSettings([]byte(tt.doc))
			checkSettingsError(t, tt.doc, err, tt.want)
		})
	}
}

func TestParseSettings(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, doc string
		want      string // the message; "" for a valid document
	}{
		{"valid", `{"only_assignee_replies":true}`, ""},
		{"not an object", `[true]`, "The desk settings must be a JSON object ({...}), not an array."},
		{"unknown field", `{"only_assignee":true}`, `Unknown field "only_assignee" in the desk settings; the only field is only_assignee_replies.`},
		{"a word for a switch", `{"only_assignee_replies":"yes"}`, `In the desk settings, "only_assignee_replies" must be true or false, not a string.`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := desk.ParseSettings([]byte(tt.doc))
			checkSettingsError(t, tt.doc, err, tt.want)
		})
	}
}

func checkSettingsError(t *testing.T, doc string, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("parse %s = %v, want no error", doc, err)
	case want != "" && (care.ErrorCode(err) != care.EINVALID || care.ErrorMessage(err) != want):
		t.Errorf("parse %s = %v,\nwant EINVALID %q", doc, err, want)
	}
}
