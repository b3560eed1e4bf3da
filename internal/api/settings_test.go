package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

func TestSettings(t *testing.T) {
	w := newWorld(t)
	var doc map[string]any
	w.must(t, http.StatusOK, w.supervisor, "GET", "/api/v1/settings/sla", "", &doc)
	if _, ok := doc["policies"]; !ok {
		t.Errorf("default sla setting = %v, want policies", doc)
	}
	for _, tc := range []struct{ name, body, want string }{
		{"bad duration", `{"policies":[{"id":1,"first_response":"soon"}]}`, "duration"},
		{"unknown field", `{"rules":[]}`, `Unknown field "rules"`},
		{"not JSON", `{`, "not JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := w.call(t, w.admin, "PUT", "/api/v1/settings/sla", tc.body).problem(t, http.StatusBadRequest)
			if !strings.Contains(p.Detail, tc.want) {
				t.Errorf("detail %q, want it to mention %q", p.Detail, tc.want)
			}
		})
	}
	w.call(t, w.admin, "PUT", "/api/v1/settings/colour", `{}`).problem(t, http.StatusNotFound)
	w.call(t, w.supervisor, "PUT", "/api/v1/settings/sla", `{"policies":[]}`).problem(t, http.StatusForbidden)

	good := `{"topics":[{"topic":"refund","phrases":["refund*"],"severity":0.5}],"vip":["@bigfan"]}`
	w.must(t, http.StatusOK, w.admin, "PUT", "/api/v1/settings/triage", good, nil)
	w.must(t, http.StatusOK, w.supervisor, "GET", "/api/v1/settings/triage", "", &doc)
	if vip, _ := doc["vip"].([]any); len(vip) != 1 || vip[0] != "@bigfan" {
		t.Errorf("saved triage setting = %v", doc)
	}
	var audit struct{ Entries []care.AuditEntry }
	w.must(t, http.StatusOK, w.supervisor, "GET", "/api/v1/audit?target=setting:triage", "", &audit)
	if len(audit.Entries) != 1 || audit.Entries[0].Action != "setting.update" {
		t.Errorf("audit = %+v, want one setting.update", audit.Entries)
	}

	r := w.call(t, w.supervisor, "GET", "/api/v1/reports/sla?by=channel&format=csv", "")
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") ||
		!strings.HasPrefix(string(r.body), "channel,total,met,met_share,avg_used_seconds\n") {
		t.Errorf("CSV report = %s %q", r, r.body)
	}
	w.call(t, w.supervisor, "GET", "/api/v1/reports/sla?by=colour", "").problem(t, http.StatusBadRequest)
	w.call(t, w.supervisor, "GET", "/api/v1/reports/sla?from=yesterday", "").problem(t, http.StatusBadRequest)
}

// A dry run says how many conversations it looked at, which is fewer than
// its limit in a workspace that has fewer.
func TestDryRunChecked(t *testing.T) {
	w := newWorld(t)
	page, err := w.Store.Conversations(t.Context(), care.ConversationFilter{WorkspaceID: workspace1, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	all := len(page.Conversations)
	rule := `{"id":1,"name":"Orders","enabled":true,"trigger":"message.received","conditions":[{"field":"text","op":"contains","value":"order"}],"actions":[{"type":"add_tag","tag":"order"}]}`
	for _, tc := range []struct {
		query string
		want  int
	}{
		{"", all},
		{"?limit=1000", all},
		{"?limit=1", 1},
	} {
		t.Run(tc.query, func(t *testing.T) {
			var got struct {
				Checked         int       `json:"checked"`
				ConversationIDs []care.ID `json:"conversation_ids"`
			}
			w.must(t, http.StatusOK, w.supervisor, "POST", "/api/v1/automation/dry-run"+tc.query, rule, &got)
			if got.Checked != tc.want || len(got.ConversationIDs) > got.Checked {
				t.Errorf("dry run = %+v, want %d checked", got, tc.want)
			}
		})
	}
}
