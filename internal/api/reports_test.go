package api_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
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

// The satisfaction report downloads as CSV with each group's name beside
// its key, a formula in a name defused, and no score where no survey was
// answered: no answer is not a score of 0.
func TestCSATReportCSV(t *testing.T) {
	w := newWorld(t)
	var team care.Team
	w.must(t, http.StatusCreated, w.supervisor, "POST", "/api/v1/teams", `{"name":"=HYPERLINK(\"http://evil.test\")"}`, &team)
	sent := time.Now().Add(-time.Hour)
	for i, sv := range []struct {
		agent, team care.ID
		score       int
	}{{w.member, team.ID, 5}, {w.member, team.ID, 3}, {0, 0, 0}} {
		s := &care.Survey{WorkspaceID: workspace1, ConversationID: w.in.ConversationID, ContactID: w.in.ContactID,
			AgentID: sv.agent, TeamID: sv.team, Channel: care.ChannelAPI, TokenHash: fmt.Appendf(nil, "csv-%d", i), SentAt: sent}
		if err := w.Store.CreateSurvey(t.Context(), s); err != nil {
			t.Fatal(err)
		}
		if sv.score > 0 {
			if _, err := w.Store.AnswerSurvey(t.Context(), s.ID, sv.score, "", sent.Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
	}
	id := func(v care.ID) string { return strconv.FormatInt(v, 10) }
	for _, tc := range []struct {
		by   string
		want []string // each record, its cells joined by |
	}{
		{"agent", []string{"agent|name|sent|answered|avg_score|satisfied", id(w.member) + "|Agnes|2|2|4.00|0.5000", "0||1|0||"}},
		{"team", []string{"team|name|sent|answered|avg_score|satisfied", id(team.ID) + `|'=HYPERLINK("http://evil.test")|2|2|4.00|0.5000`, "0||1|0||"}},
		{"channel", []string{"channel|name|sent|answered|avg_score|satisfied", "api||3|2|4.00|0.5000"}},
	} {
		t.Run(tc.by, func(t *testing.T) {
			r := w.call(t, w.supervisor, "GET", "/api/v1/reports/csat?format=csv&by="+tc.by+"&from="+rfc3339(sent.Add(-time.Hour)), "")
			if r.status != http.StatusOK || r.header.Get("Content-Type") != "text/csv; charset=utf-8" ||
				r.header.Get("Content-Disposition") != `attachment; filename="csat-by-`+tc.by+`.csv"` {
				t.Fatalf("CSV report = %s %v", r, r.header)
			}
			records, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
			if err != nil {
				t.Fatalf("the CSV does not read: %v\n%s", err, r.body)
			}
			var got []string
			for _, rec := range records {
				got = append(got, strings.Join(rec, "|"))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("CSV by %s =\n%s\nwant\n%s", tc.by, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
	w.call(t, w.supervisor, "GET", "/api/v1/reports/csat?format=csv&by=policy", "").problem(t, http.StatusBadRequest)
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
