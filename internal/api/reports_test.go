package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// Report rows grouped by policy, team or agent carry the group's name beside
// its id; an id that names nothing, such as 0 for unassigned, has none.
func TestReportNames(t *testing.T) {
	w := newWorld(t)
	w.must(t, http.StatusOK, w.admin, "PUT", "/api/v1/settings/sla",
		`{"policies":[{"id":7,"name":"Everything","match":{},"first_response":"30m"}]}`, nil)
	now := time.Now()
	for _, assignee := range []care.ID{w.member, 0} {
		o := &care.SLAOutcome{WorkspaceID: workspace1, ConversationID: w.in.ConversationID, PolicyID: 7, Kind: "first_response",
			Channel: care.ChannelAPI, TeamID: w.team, AssigneeID: assignee, Met: true, Used: time.Minute, Target: 30 * time.Minute, At: now}
		if err := w.Store.RecordSLAOutcome(t.Context(), o); err != nil {
			t.Fatal(err)
		}
	}
	id := func(v care.ID) string { return strconv.FormatInt(v, 10) }
	for _, tc := range []struct {
		by   string
		want map[string]string // key → name; "" for none
	}{
		{"policy", map[string]string{"7": "Everything"}},
		{"team", map[string]string{id(w.team): "Tier 1"}},
		{"agent", map[string]string{id(w.member): "Agnes", "0": ""}},
		{"channel", map[string]string{"api": ""}},
	} {
		t.Run(tc.by, func(t *testing.T) {
			var rep struct {
				Rows []map[string]json.RawMessage `json:"rows"`
			}
			from := rfc3339(now.Add(-time.Hour))
			w.must(t, http.StatusOK, w.supervisor, "GET", fmt.Sprintf("/api/v1/reports/sla?by=%s&from=%s", tc.by, from), "", &rep)
			got := map[string]string{}
			for _, row := range rep.Rows {
				var key, name string
				json.Unmarshal(row["key"], &key)
				if raw, ok := row["name"]; ok {
					json.Unmarshal(raw, &name)
					if name == "" {
						t.Errorf("row %s has an empty name rather than none", key)
					}
				}
				got[key] = name
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("by %s: names %v, want %v", tc.by, got, tc.want)
			}
		})
	}
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// A team's business hours are returned as they were set, and go when
// removed.
func TestTeamHours(t *testing.T) {
	w := newWorld(t)
	path := fmt.Sprintf("/api/v1/teams/%d", w.team)
	hours := `{"time_zone":"Europe/London","week":{"mon":[["08:00","17:00"]]}}`
	for _, tc := range []struct {
		name, body, want string
	}{
		{"set", `{"hours":` + hours + `}`, hours},
		{"other fields keep them", `{"escalation":false}`, hours},
		{"removed", `{"hours":null}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var patched, got map[string]json.RawMessage
			w.must(t, http.StatusOK, w.supervisor, "PATCH", path, tc.body, &patched)
			w.must(t, http.StatusOK, w.agent, "GET", path, "", &got)
			for _, team := range []map[string]json.RawMessage{patched, got} {
				if h := string(team["hours"]); h != tc.want {
					t.Errorf("hours = %s, want %s", h, tc.want)
				}
			}
		})
	}
}
