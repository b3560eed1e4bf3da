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

// seedCase stores a conversation of in created at the fixture's clock, in
// its status and mood, owned by team, with the customer's message and
// replies replies; score > 0 surveys it as the desk does and records the
// answer.
func (f *fixture) seedCase(in *care.Inbox, st care.Status, mood care.Mood, team care.ID, replies, score int) {
	f.t.Helper()
	ctx := context.Background()
	f.seq++
	id, _, err := f.store.ResolveIdentity(ctx, in.WorkspaceID, in.Channel, care.Author{PlatformUserID: fmt.Sprint("case-", f.seq)}, f.now)
	if err != nil {
		f.t.Fatal(err)
	}
	c := &care.Conversation{WorkspaceID: in.WorkspaceID, InboxID: in.ID, Channel: in.Channel, ContactID: id.ContactID,
		Status: st, Mood: mood, TeamID: team, CreatedAt: f.now, LastActivityAt: f.now}
	if err := f.store.CreateConversation(ctx, c); err != nil {
		f.t.Fatal(err)
	}
	f.message(c, "My parcel never came")
	for i := range replies {
		m := &care.Message{WorkspaceID: c.WorkspaceID, ConversationID: c.ID, InboxID: c.InboxID, Direction: care.DirectionOut,
			Visibility: care.Private, AuthorID: f.agent.ID, Text: "Sorry! Looking now.", Status: care.DeliverySent,
			CreatedAt: f.now.Add(time.Duration(i+1) * time.Minute)}
		if err := f.store.CreateMessage(ctx, m); err != nil {
			f.t.Fatal(err)
		}
	}
	if score == 0 {
		return
	}
	at := f.now.Add(time.Hour)
	m := &care.Message{WorkspaceID: c.WorkspaceID, ConversationID: c.ID, InboxID: c.InboxID, Direction: care.DirectionOut,
		Visibility: care.Private, AuthorName: "Survey", Text: "How did we do?", Status: care.DeliverySent, CreatedAt: at}
	if err := f.store.CreateMessage(ctx, m); err != nil {
		f.t.Fatal(err)
	}
	sv := &care.Survey{WorkspaceID: c.WorkspaceID, ConversationID: c.ID, ContactID: c.ContactID, Channel: c.Channel,
		TokenHash: fmt.Appendf(nil, "case-%d", f.seq), SentAt: at}
	if err := f.store.CreateSurvey(ctx, sv); err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.store.AnswerSurvey(ctx, sv.ID, score, "", at.Add(time.Minute)); err != nil {
		f.t.Fatal(err)
	}
}

var (
	valueRowRE = regexp.MustCompile(`(?s)<tr><th scope="row"><bdi>([^<]*)</bdi></th>(.*?)</tr>`)
	valueTD    = regexp.MustCompile(`<td>([^<]*)</td>`)
)

// valueTable reads the business case's table: each row's cells by its
// label, the totals under "Total".
func valueTable(body string) map[string][]string {
	rows := map[string][]string{}
	for _, m := range valueRowRE.FindAllStringSubmatch(body, -1) {
		var cells []string
		for _, c := range valueTD.FindAllStringSubmatch(m[2], -1) {
			cells = append(cells, html.UnescapeString(c[1]))
		}
		rows[html.UnescapeString(m[1])] = cells
	}
	return rows
}

// TestValuePage seeds November's conversations, three on the web form's
// inbox and one on X, and reads the business case by channel with money,
// then by team; the CSV link leads to the same report from the API.
func TestValuePage(t *testing.T) {
	t.Parallel()
	f := newFixture(t) // now is Tuesday 24 November 2026, 10:00 UTC
	lee := f.user("lee@acme.test", "Lee Supervisor", care.RoleSupervisor)
	x := f.inboxOn(care.ChannelX, "@acme")
	team := &care.Team{WorkspaceID: f.ws.ID, Name: `<script>alert("team")</script> Care`}
	if err := f.store.CreateTeam(context.Background(), team); err != nil {
		t.Fatal(err)
	}
	now := f.now
	f.now = time.Date(2026, 10, 31, 23, 0, 0, 0, time.UTC) // October's: left out
	f.seedCase(f.inbox, care.StatusResolved, care.MoodNegative, 0, 1, 0)
	f.now = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	f.seedCase(f.inbox, care.StatusResolved, care.MoodNegative, team.ID, 1, 5) // one reply, surveyed
	f.now = f.now.Add(time.Hour)
	f.seedCase(f.inbox, care.StatusResolved, care.MoodNeutral, 0, 2, 3)
	f.now = f.now.Add(time.Hour)
	f.seedCase(f.inbox, care.StatusOpen, care.MoodNegative, 0, 1, 0)
	f.now = f.now.Add(time.Hour)
	f.seedCase(x, care.StatusResolved, care.MoodNegative, team.ID, 1, 0)
	f.now = now
	sup := f.loginAs(lee)

	// 12-minute contacts at 80% occupancy and 50% shrinkage are half a
	// paid hour each: 15 at 30 an hour. Each unhappy customer resolved
	// keeps a quarter of 200.
	res, body := sup.get("/value?from=2026-11-01&to=2026-11-23&by=channel&hourly_cost=30&aht_min=12&occupancy_pct=80&shrinkage_pct=50&customer_value=200&saved_pct=25")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /value = %d:\n%s", res.StatusCode, body)
	}
	for _, want := range []string{
		`<a class="value-link" href="/value"`,
		`<strong>Sun 1 Nov 2026 – Mon 23 Nov 2026 (UTC)</strong>`,
		`handle time 12 min · occupancy 80% · shrinkage 50% · hourly cost 30.00 · customer value 200.00 · saved 25%`,
		`<dt>Contacts</dt><dd>4</dd>`, `<dt>Resolved</dt><dd>3 <span class="muted">75%</span></dd>`,
		`<dt>In one reply</dt><dd>2 <span class="muted">66.7%</span></dd>`,
		`<dt>Unhappy customers resolved</dt><dd>2 <span class="muted">of 3</span></dd>`,
		`<dt>Cost per contact</dt><dd>15.00</dd>`, `<dt>Cost per resolution</dt><dd>20.00</dd>`,
		`<dt>Value kept</dt><dd>100.00</dd>`, `<dt>Return on cost</dt><dd>1.67×</dd>`,
		`value="2026-11-01"`, `value="2026-11-23"`, `value="12"`, `value="80"`, `value="50"`, `value="30"`, `value="200"`, `value="25"`,
		`<option value="channel" selected>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the business case lacks %s", want)
		}
	}
	rows := valueTable(body)
	for label, want := range map[string]string{
		// contacts, resolved, in one reply, replies, unhappy, unhappy resolved, surveys, score, CSAT, cost, per contact, per resolution, value kept, return
		"API":   "3,2,1,4,2,1,2,4.00,50%,45.00,15.00,22.50,50.00,1.11×",
		"X":     "1,1,1,1,1,1,0,–,–,15.00,15.00,15.00,50.00,3.33×",
		"Total": "4,3,2,5,3,2,2,4.00,50%,60.00,15.00,20.00,100.00,1.67×",
	} {
		if got := strings.Join(rows[label], ","); got != want {
			t.Errorf("row %s = %s, want %s", label, got, want)
		}
	}
	if len(rows) != 3 {
		t.Errorf("the table has rows %v, want API, X and Total", rows)
	}

	// The CSV link asks the API for the same report, in its units; the
	// session's cookie is enough for a GET there.
	wantQuery := url.Values{"from": {"2026-11-01T00:00:00Z"}, "to": {"2026-11-24T00:00:00Z"}, "by": {"channel"}, "hourly_cost": {"30"},
		"aht": {"720"}, "max_occupancy": {"0.8"}, "shrinkage": {"0.5"}, "customer_value": {"200"}, "saved_share": {"0.25"}, "format": {"csv"}}
	status, records, data, err := f.fetchCSV(t, sup, body, "/api/v1/reports/value", wantQuery)
	if status != http.StatusOK || err != nil || len(records) != 4 || records[3][0] != "total" || records[3][12] != "60.00" {
		t.Fatalf("GET the CSV link with the session = %d, %v:\n%.500s", status, err, data)
	}

	// By team, counts only: the team's name is anyone's text; no money
	// columns without the business's figures.
	_, body = sup.get("/value?from=2026-11-01&to=2026-11-23&by=team")
	rows = valueTable(body)
	teamName := `<script>alert("team")</script> Care`
	if got := strings.Join(rows[teamName], ","); got != "2,2,2,2,2,2,1,5.00,100%" {
		t.Errorf("the team's row = %s", got)
	}
	if got := strings.Join(rows["No team"], ","); got != "2,1,0,3,1,0,1,3.00,0%" {
		t.Errorf("the no-team row = %s", got)
	}
	if strings.Contains(body, `<script>alert(`) || !strings.Contains(body, `&lt;script&gt;alert(&#34;team&#34;)&lt;/script&gt; Care`) {
		t.Error("the team's name is not escaped")
	}
	for _, absent := range []string{"<th scope=\"col\">Cost</th>", "<dt>Cost per contact</dt>", "<dt>Value kept</dt>", "Return"} {
		if strings.Contains(body, absent) {
			t.Errorf("a report without money shows %s", absent)
		}
	}
	if !strings.Contains(body, `<option value="team" selected>`) || !strings.Contains(body, "<th scope=\"col\">Team</th>") {
		t.Error("the report by team does not keep the choice")
	}
}

// TestValueDefaults: an empty form reports the last 30 days, counts only,
// with the staffing plan's defaults; a period with nothing says so.
func TestValueDefaults(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.user("ada@acme.test", "Ada Admin", care.RoleAdmin)
	f.now = f.now.Add(-time.Hour) // the period ends now, and leaves now out
	f.conversation(f.inbox, "Vera", "Hello?")
	f.now = f.now.Add(time.Hour)
	c := f.loginAs(admin)
	res, body := c.get("/value")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /value as an admin = %d", res.StatusCode)
	}
	for _, want := range []string{
		`<strong>Sun 25 Oct 2026 10:00 – Tue 24 Nov 2026 10:00 (UTC)</strong>`,
		`handle time 5 min · occupancy 85% · shrinkage 30%`,
		`name="aht_min" type="text" value="" placeholder="5"`,
		`name="occupancy_pct" type="text" value="" placeholder="85"`,
		`name="shrinkage_pct" type="text" value="" placeholder="30"`,
		`<dt>Contacts</dt><dd>1</dd>`, `<option value="channel" selected>`, `class="button csv-link"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the default report lacks %s", want)
		}
	}
	if strings.Contains(body, "<dt>Cost per contact</dt>") || strings.Contains(body, "No conversations") {
		t.Error("the default report shows a cost, or says it is empty")
	}
	_, body = c.get("/value?from=2026-01-01&to=2026-01-31")
	if !strings.Contains(body, `<p class="empty">No conversations were created in this period.</p>`) ||
		strings.Contains(body, "value-table") || !strings.Contains(body, `<dt>Contacts</dt><dd>0</dd>`) {
		t.Errorf("an empty period does not say so:\n%s", body)
	}
}

// TestValueMistakes: what the form cannot report with comes back above
// it, in the form's units, with the form as typed and no report.
func TestValueMistakes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	lee := f.user("lee@acme.test", "Lee Supervisor", care.RoleSupervisor)
	checkFormMistakes(t, f.loginAs(lee), "/value", `class="value-form`, "plan-totals", []formMistake{
		{"from=2026-13-01", 400, "From must be a date such as 2026-11-01.", `value="2026-13-01"`},
		{"to=yesterday", 400, "To must be a date such as 2026-11-01.", `value="yesterday"`},
		{"from=0001-01-01", 400, "From must be a date", `value="0001-01-01"`},
		{"to=9999-12-31", 400, "To must be a date", `value="9999-12-31"`},
		{"from=2026-11-10&to=2026-11-09", 400, "The end date must be on or after the start date.", `value="2026-11-09"`},
		{"from=2026-11-25", 400, "The start date must be today or earlier.", `value="2026-11-25"`},
		{"by=agent", 400, "Group by channel or by team.", `<option value="channel">`},
		{"hourly_cost=-1", 400, "Hourly cost must be a number from 0 to 1000000", `value="-1"`},
		{"hourly_cost=Inf", 400, "Hourly cost must be a number", `value="Inf"`},
		{"aht_min=0", 400, "Handle time must be a number of minutes from 1/60 (a second)", `name="aht_min" type="text" value="0"`},
		// 0.6 seconds: told in the minutes typed, not in the API's seconds.
		{"aht_min=0.01", 400, "Handle time must be a number of minutes from 1/60 (a second) to 1440 (a day)", `value="0.01"`},
		{"aht_min=NaN", 400, "Handle time must be", `value="NaN"`},
		{"occupancy_pct=0", 400, "Occupancy must be a percentage from 1 to 100", `name="occupancy_pct" type="text" value="0"`},
		{"occupancy_pct=150", 400, "Occupancy must be a percentage from 1 to 100", `value="150"`},
		{"shrinkage_pct=99.5", 400, "Shrinkage must be a percentage from 0 to 99", `value="99.5"`},
		{"customer_value=-5&saved_pct=10", 400, "Customer value must be a number from 0", `value="-5"`},
		{"customer_value=120&saved_pct=120", 400, "Saved must be a percentage from 0 to 100", `value="120"`},
		{"customer_value=120", 400, "Give both the customer value and the share saved", `value="120"`},
		{"saved_pct=20", 400, "Give both the customer value and the share saved", `value="20"`},
		{`hourly_cost="><script>alert(1)</script>`, 400, "Hourly cost must be", `value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"`},
	})
}

// TestValueRefused: agents and members of a partner team get 403 and no
// link; the partner team's own supervisor included. Without a session the
// page leads to the login form and back.
func TestValueRefused(t *testing.T) {
	t.Parallel()
	checkReportRefused(t, newPartnerWorld(t), "/value", "hourly_cost=30", "Only supervisors and admins see the business case.",
		[]string{"plan-totals"}, "plan-totals")
}

// FuzzValueForm asks for whatever report address someone might share:
// the page answers with a report or a mistake to correct in the form's
// words, never a failure, and what it shows back is escaped.
func FuzzValueForm(f *testing.F) {
	for _, seed := range []string{
		"from=2026-11-01&to=2026-11-23&by=team&hourly_cost=28&aht_min=5&occupancy_pct=85&shrinkage_pct=30&customer_value=120&saved_pct=20",
		"", "by=channel", "from=2026-11-24&to=2026-11-24", "to=2026-02-30", "from=9999-12-31", "from=2000-01-01&to=9999-12-31",
		"hourly_cost=1e6&aht_min=1440&occupancy_pct=1&shrinkage_pct=99&customer_value=1e9&saved_pct=100",
		"hourly_cost=0x1p-2&aht_min=1e-300&occupancy_pct=1.0000001", "aht_min=-0&shrinkage_pct=-0", "customer_value=1e400&saved_pct=1",
		`by="><script>x</script>`, "from=\xff&to=\x00", "hourly_cost=%E2%80%AE5", "saved_pct=NaN&customer_value=Inf",
	} {
		f.Add(seed)
	}
	fx := newFixture(f)
	lee := fx.user("lee@acme.test", "Lee Supervisor", care.RoleSupervisor)
	sup := fx.loginAs(lee)
	fx.now = fx.now.Add(-time.Hour)
	fx.seedCase(fx.inbox, care.StatusResolved, care.MoodNegative, 0, 1, 4)
	fx.now = fx.now.Add(time.Hour)
	f.Fuzz(func(t *testing.T, query string) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		c := *sup
		c.t = t
		res, body := c.get("/value?" + q.Encode())
		switch res.StatusCode {
		case http.StatusOK:
			if !strings.Contains(body, `class="plan-totals"`) {
				t.Fatalf("GET /value?%s = 200 without a report:\n%s", q.Encode(), body)
			}
		case http.StatusBadRequest:
			if !strings.Contains(body, `<p class="flash error" role="alert">`) || strings.Contains(body, "plan-totals") {
				t.Fatalf("GET /value?%s = 400 without a reason, or with a report:\n%s", q.Encode(), body)
			}
		default:
			t.Fatalf("GET /value?%s = %d:\n%s", q.Encode(), res.StatusCode, body)
		}
		if strings.Contains(body, "<script>x") {
			t.Fatal("the page shows raw markup")
		}
	})
}
