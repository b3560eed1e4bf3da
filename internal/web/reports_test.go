package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

var (
	slaTableRE  = regexp.MustCompile(`(?s)<table class="value-table sla-table">.*?</table>`)
	csatTableRE = regexp.MustCompile(`(?s)<table class="value-table csat-table">.*?</table>`)
	// The satisfaction report's section holds its own Download CSV link.
	csatSectionRE = regexp.MustCompile(`(?s)<section class="csat-report".*?</section>`)
)

// reportTable reads one of the reports' tables (re finds it): each row's
// cells by its label, the totals under "Total"; nil when the page has no
// such table.
func reportTable(body string, re *regexp.Regexp) map[string]string {
	table := re.FindString(body)
	if table == "" {
		return nil
	}
	return reportRows(table)
}

func reportRows(table string) map[string]string {
	rows := map[string]string{}
	for label, cells := range valueTable(table) {
		rows[label] = strings.Join(cells, ",")
	}
	return rows
}

// reportsWorld is November's SLA clocks and surveys of the fixture's
// workspace: a policy with a hostile name and one since removed, a team
// and an agent with hostile names, some work of nobody's.
type reportsWorld struct {
	*fixture
	lee   *care.User
	sup   *client
	team  *care.Team
	rhea  *care.User
	convs []*care.Conversation
}

func newReportsWorld(t *testing.T) *reportsWorld {
	t.Helper()
	f := newFixture(t) // now is Tuesday 24 November 2026, 10:00 UTC
	w := &reportsWorld{fixture: f}
	ctx := context.Background()
	w.lee = f.user("lee@acme.test", "Lee Supervisor", care.RoleSupervisor)
	w.rhea = f.user("rhea@acme.test", `<img src=x onerror=alert("agent")> Rhea`, care.RoleAgent)
	w.team = &care.Team{WorkspaceID: f.ws.ID, Name: `<script>alert("team")</script> Care`}
	if err := f.store.CreateTeam(ctx, w.team); err != nil {
		t.Fatal(err)
	}
	f.setting("sla", `{"policies":[{"id":1,"name":"Urgent <b>social</b>","match":{},"first_response":"30m","resolution":"8h"}]}`)
	x := f.inboxOn(care.ChannelX, "@acme")
	for range 3 {
		w.convs = append(w.convs, f.conversation(f.inbox, "Vera", "Hello?"))
	}
	w.convs = append(w.convs, f.conversation(x, "Xavier", "@acme hello?"))

	day := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }
	for _, o := range []care.SLAOutcome{
		{ConversationID: w.convs[0].ID, PolicyID: 1, Kind: "first_response", Channel: care.ChannelAPI, TeamID: w.team.ID,
			AssigneeID: w.rhea.ID, Band: "under 1k", Met: true, Used: 10 * time.Minute, Target: 30 * time.Minute, At: day(2, 9)},
		{ConversationID: w.convs[0].ID, PolicyID: 1, Kind: "resolution", Channel: care.ChannelAPI, Band: "under 1k",
			Used: 2 * time.Hour, Target: 8 * time.Hour, At: day(3, 9)},
		{ConversationID: w.convs[3].ID, PolicyID: 2, Kind: "next_response", Channel: care.ChannelX, TeamID: w.team.ID,
			AssigneeID: w.rhea.ID, Band: "1k–10k", Met: true, Used: 20 * time.Minute, Target: 30 * time.Minute, At: day(3, 12)},
		// October's: left out.
		{ConversationID: w.convs[1].ID, PolicyID: 1, Kind: "first_response", Channel: care.ChannelAPI, Used: time.Hour,
			Target: 30 * time.Minute, At: time.Date(2026, 10, 31, 23, 0, 0, 0, time.UTC)},
	} {
		o.WorkspaceID = f.ws.ID
		if err := f.store.RecordSLAOutcome(ctx, &o); err != nil {
			t.Fatal(err)
		}
	}
	for i, sv := range []struct {
		conv          *care.Conversation
		agent, team   care.ID
		sent          time.Time
		score         int
		channel       care.Channel
		answeredLater time.Duration
	}{
		{w.convs[0], w.rhea.ID, w.team.ID, day(2, 10), 5, care.ChannelAPI, time.Minute},
		{w.convs[1], w.rhea.ID, w.team.ID, day(2, 11), 3, care.ChannelAPI, time.Hour},
		{w.convs[3], 0, 0, day(3, 10), 0, care.ChannelX, 0},
		{w.convs[2], w.rhea.ID, 0, day(20, 10).AddDate(0, -1, 0), 1, care.ChannelAPI, time.Minute}, // October's
	} {
		s := &care.Survey{WorkspaceID: f.ws.ID, ConversationID: sv.conv.ID, ContactID: sv.conv.ContactID, AgentID: sv.agent,
			TeamID: sv.team, Channel: sv.channel, TokenHash: fmt.Appendf(nil, "report-%d", i), SentAt: sv.sent}
		if err := f.store.CreateSurvey(ctx, s); err != nil {
			t.Fatal(err)
		}
		if sv.score > 0 {
			if _, err := f.store.AnswerSurvey(ctx, s.ID, sv.score, "", sv.sent.Add(sv.answeredLater)); err != nil {
				t.Fatal(err)
			}
		}
	}
	w.sup = f.loginAs(w.lee)
	return w
}

// TestReportsPage reads November's SLA and satisfaction reports in each
// grouping: rows named as people call them, totals, names escaped, and
// each report's Download CSV link to the API's same report.
func TestReportsPage(t *testing.T) {
	t.Parallel()
	w := newReportsWorld(t)
	res, body := w.sup.get("/reports?from=2026-11-01&to=2026-11-23&sla_by=policy&csat_by=agent")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /reports = %d:\n%s", res.StatusCode, body)
	}
	for _, want := range []string{
		`<a class="reports-link" href="/reports"`,
		`<strong>Sun 1 Nov 2026 – Mon 23 Nov 2026 (UTC)</strong>`,
		`<dt>Clocks stopped</dt><dd>3</dd>`, `<dt>Within target</dt><dd>66.7%</dd>`, `<dt>Business time used</dt><dd>50m</dd>`,
		`<dt>Surveys sent</dt><dd>3</dd>`, `<dt>Answered</dt><dd>2 <span class="muted">66.7%</span></dd>`,
		`<dt>Score</dt><dd>4.00</dd>`, `<dt>CSAT</dt><dd>50%</dd>`,
		`value="2026-11-01"`, `value="2026-11-23"`,
		`<option value="policy" selected>`, `<option value="agent" selected>`,
		`<th scope="col">Policy</th>`, `<th scope="col">Agent</th>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the reports lack %s", want)
		}
	}
	// clocks, within target, share, business time used
	wantSLA := map[string]string{
		"Urgent <b>social</b>": "2,1,50%,1h 5m",
		"Policy 2":             "1,1,100%,20m",
		"Total":                "3,2,66.7%,50m",
	}
	if got := reportTable(body, slaTableRE); !sameRows(got, wantSLA) {
		t.Errorf("SLA by policy = %v, want %v", got, wantSLA)
	}
	// sent, answered, answer rate, score, CSAT
	rhea := `<img src=x onerror=alert("agent")> Rhea`
	wantCSAT := map[string]string{rhea: "2,2,100%,4.00,50%", "Unassigned": "1,0,0%,–,–", "Total": "3,2,66.7%,4.00,50%"}
	if got := reportTable(body, csatTableRE); !sameRows(got, wantCSAT) {
		t.Errorf("CSAT by agent = %v, want %v", got, wantCSAT)
	}
	for _, raw := range []string{"<b>social", "<img src=x", "<script>alert("} {
		if strings.Contains(body, raw) {
			t.Errorf("the page shows raw markup %s", raw)
		}
	}

	// The CSV link asks the API for the same report; the session's cookie
	// is enough for a GET there.
	wantQuery := url.Values{"from": {"2026-11-01T00:00:00Z"}, "to": {"2026-11-24T00:00:00Z"}, "by": {"policy"}, "format": {"csv"}}
	status, records, data, err := w.fetchCSV(t, w.sup, body, "/api/v1/reports/sla", wantQuery)
	if status != http.StatusOK || err != nil || len(records) != 3 ||
		strings.Join(records[0], ",") != "policy,total,met,met_share,avg_used_seconds" || strings.Join(records[1], ",") != "1,2,1,0.5000,3900" {
		t.Fatalf("GET the CSV link with the session = %d, %v:\n%.500s", status, err, data)
	}
	// The satisfaction report's own link: names beside the keys, no score
	// where nobody answered.
	wantQuery = url.Values{"from": {"2026-11-01T00:00:00Z"}, "to": {"2026-11-24T00:00:00Z"}, "by": {"agent"}, "format": {"csv"}}
	status, records, data, err = w.fetchCSV(t, w.sup, csatSectionRE.FindString(body), "/api/v1/reports/csat", wantQuery)
	var gotCSAT []string
	for _, rec := range records {
		gotCSAT = append(gotCSAT, strings.Join(rec, "|"))
	}
	wantCSV := []string{"agent|name|sent|answered|avg_score|satisfied", fmt.Sprintf("%d|%s|2|2|4.00|0.5000", w.rhea.ID, rhea), "0||1|0||"}
	if status != http.StatusOK || err != nil || strings.Join(gotCSAT, "\n") != strings.Join(wantCSV, "\n") {
		t.Fatalf("GET the satisfaction CSV link with the session = %d, %v, want %q:\n%.500s", status, err, wantCSV, data)
	}

	for _, tc := range []struct {
		query     string
		sla, csat map[string]string
	}{
		{"sla_by=team&csat_by=team",
			map[string]string{`<script>alert("team")</script> Care`: "2,2,100%,15m", "No team": "1,0,0%,2h", "Total": "3,2,66.7%,50m"},
			map[string]string{`<script>alert("team")</script> Care`: "2,2,100%,4.00,50%", "No team": "1,0,0%,–,–", "Total": "3,2,66.7%,4.00,50%"}},
		{"sla_by=agent&csat_by=channel",
			map[string]string{rhea: "2,2,100%,15m", "Unassigned": "1,0,0%,2h", "Total": "3,2,66.7%,50m"},
			map[string]string{"API": "2,2,100%,4.00,50%", "X": "1,0,0%,–,–", "Total": "3,2,66.7%,4.00,50%"}},
		{"sla_by=kind&csat_by=day",
			map[string]string{"First response": "1,1,100%,10m", "Resolution": "1,0,0%,2h", "Next response": "1,1,100%,20m", "Total": "3,2,66.7%,50m"},
			map[string]string{"Mon 2 Nov 2026": "2,2,100%,4.00,50%", "Tue 3 Nov 2026": "1,0,0%,–,–", "Total": "3,2,66.7%,4.00,50%"}},
		{"sla_by=channel",
			map[string]string{"API": "2,1,50%,1h 5m", "X": "1,1,100%,20m", "Total": "3,2,66.7%,50m"}, nil},
		{"sla_by=band",
			map[string]string{"under 1k": "2,1,50%,1h 5m", "1k–10k": "1,1,100%,20m", "Total": "3,2,66.7%,50m"}, nil},
		{"sla_by=day",
			map[string]string{"Mon 2 Nov 2026": "1,1,100%,10m", "Tue 3 Nov 2026": "2,1,50%,1h 10m", "Total": "3,2,66.7%,50m"}, nil},
	} {
		res, body := w.sup.get("/reports?from=2026-11-01&to=2026-11-23&" + tc.query)
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET /reports?%s = %d", tc.query, res.StatusCode)
			continue
		}
		if got := reportTable(body, slaTableRE); !sameRows(got, tc.sla) {
			t.Errorf("%s: SLA = %v, want %v", tc.query, got, tc.sla)
		}
		if got := reportTable(body, csatTableRE); tc.csat != nil && !sameRows(got, tc.csat) {
			t.Errorf("%s: CSAT = %v, want %v", tc.query, got, tc.csat)
		}
		if strings.Contains(body, "<script>alert(") || strings.Contains(body, "<img src=x") {
			t.Errorf("%s: the page shows raw markup", tc.query)
		}
	}
	if _, body := w.sup.get("/reports?from=2026-11-01&to=2026-11-23&sla_by=team"); !strings.Contains(body,
		`<bdi>&lt;script&gt;alert(&#34;team&#34;)&lt;/script&gt; Care</bdi>`) {
		t.Error("the team's name is not escaped as text")
	}
}

// sameRows compares a table with the rows wanted, whatever their order.
func sameRows(got, want map[string]string) bool {
	if len(got) != len(want) {
		return false
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

// TestReportsDefaults: an empty form reports the last 30 days, SLA by day
// and satisfaction by agent, as the API does; a period with nothing says
// so, and still offers the CSVs.
func TestReportsDefaults(t *testing.T) {
	t.Parallel()
	w := newReportsWorld(t)
	res, body := w.sup.get("/reports")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /reports = %d", res.StatusCode)
	}
	for _, want := range []string{
		`<strong>Sun 25 Oct 2026 10:00 – Tue 24 Nov 2026 10:00 (UTC)</strong>`,
		`<option value="day" selected>Day (UTC)</option>`, `<option value="agent" selected>Agent</option>`,
		`<th scope="col">Day (UTC)</th>`, `<dt>Clocks stopped</dt><dd>4</dd>`, `<dt>Surveys sent</dt><dd>3</dd>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the default reports lack %s", want)
		}
	}
	if m := csvHref.FindStringSubmatch(body); m == nil || !strings.Contains(html.UnescapeString(m[1]), "by=day") {
		t.Errorf("the default SLA report's CSV link = %v", m)
	}
	if m := csvHref.FindStringSubmatch(csatSectionRE.FindString(body)); m == nil ||
		!strings.HasPrefix(html.UnescapeString(m[1]), "/api/v1/reports/csat?") || !strings.Contains(html.UnescapeString(m[1]), "by=agent") {
		t.Errorf("the default satisfaction report's CSV link = %v", m)
	}

	_, body = w.sup.get("/reports?from=2026-01-01&to=2026-01-31")
	for _, want := range []string{`<p class="empty">No SLA clock stopped in this period.</p>`, `<p class="empty">No survey was sent in this period.</p>`,
		`<dt>Clocks stopped</dt><dd>0</dd>`, `<dt>Within target</dt><dd>–</dd>`, `class="button csv-link"`} {
		if !strings.Contains(body, want) {
			t.Errorf("an empty period lacks %s", want)
		}
	}
	if strings.Contains(body, "sla-table") || strings.Contains(body, "csat-table") {
		t.Error("an empty period shows a table")
	}
	if n := strings.Count(body, `class="button csv-link"`); n != 2 {
		t.Errorf("an empty period offers %d CSV links, want one a report", n)
	}
}

// TestReportsMistakes: what the form cannot report with comes back above
// it with 400, as typed, with no report and no CSV link.
func TestReportsMistakes(t *testing.T) {
	t.Parallel()
	w := newReportsWorld(t)
	checkFormMistakes(t, w.sup, "/reports", `class="reports-form`, "plan-totals", []formMistake{
		{"from=2026-13-01", 400, "From must be a date such as 2026-11-01.", `value="2026-13-01"`},
		{"to=yesterday", 400, "To must be a date such as 2026-11-01.", `value="yesterday"`},
		{"from=2026-11-10&to=2026-11-09", 400, "The end date must be on or after the start date.", `value="2026-11-09"`},
		{"from=2026-11-25", 400, "The start date must be today or earlier.", `value="2026-11-25"`},
		{"sla_by=queue", 400, "Group the SLA report by day, policy, team, agent, channel, clock or customer's followers.", `<option value="day">`},
		{"csat_by=policy", 400, "Group the satisfaction report by agent, team, channel or day.", `<option value="agent">`},
		{`from="><script>alert(1)</script>`, 400, "From must be a date", `value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"`},
	})
}

// TestReportsRefused: agents and members of a partner team get 403 and no
// link; the partner team's own supervisor included. Without a session the
// page leads to the login form and back.
func TestReportsRefused(t *testing.T) {
	t.Parallel()
	checkReportRefused(t, newPartnerWorld(t), "/reports", "sla_by=team", "Only supervisors and admins see the reports.",
		[]string{"plan-totals", "Acme Care"}, "plan-totals")
}
