package web_test

import (
	"context"
	"encoding/csv"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the daylight-saving weeks are planned in Europe/London

	"github.com/parleyhq/parley/internal/care"
)

// seedArrivals stores n conversations opened a minute apart from at, with
// the fixture's clock set back to at for them. Call it oldest first: the
// store finds a period's rows by their ids, which grow with time.
func (f *fixture) seedArrivals(at time.Time, n int) {
	f.t.Helper()
	now := f.now
	for i := range n {
		f.now = at.Add(time.Duration(i) * time.Minute)
		f.conversation(f.inbox, "Vera", "Where is my order?")
	}
	f.now = now
}

// gridCell is one cell of the staffing grid as the page shows it.
type gridCell struct {
	class, title, text string
}

var (
	gridRow = regexp.MustCompile(`(?s)<tr><th scope="row">([^<]*)</th>(.*?)</tr>`)
	gridTD  = regexp.MustCompile(`(?s)<td class="([^"]*)" title="([^"]*)">(.*?)</td>`)
	csvHref = regexp.MustCompile(`class="button csv-link" href="([^"]+)"`)
)

// grid reads the staffing grid of a page: its rows by day label, each
// with its cells in hour order.
func grid(t *testing.T, body string) (labels []string, rows map[string][]gridCell) {
	t.Helper()
	rows = map[string][]gridCell{}
	for _, m := range gridRow.FindAllStringSubmatch(body, -1) {
		var cells []gridCell
		for _, c := range gridTD.FindAllStringSubmatch(m[2], -1) {
			cells = append(cells, gridCell{class: c[1], title: html.UnescapeString(c[2]), text: c[3]})
		}
		if len(cells) != 24 {
			t.Errorf("the row of %s has %d cells, want 24", m[1], len(cells))
		}
		labels = append(labels, m[1])
		rows[m[1]] = cells
	}
	return labels, rows
}

// TestStaffingPage seeds four weeks in which six conversations open on
// Wednesdays at 14:00 and two on Saturdays at 03:00 (UTC), and reads next
// week's plan on the page: the grid, the totals, the CSV link and the
// CSV it leads to.
func TestStaffingPage(t *testing.T) {
	t.Parallel()
	f := newFixture(t) // now is Tuesday 24 November 2026, 10:00 UTC
	lee := f.user("lee@acme.test", "Lee Supervisor", care.RoleSupervisor)
	wed := time.Date(2026, 11, 18, 14, 0, 0, 0, time.UTC)
	sat := time.Date(2026, 11, 21, 3, 0, 0, 0, time.UTC)
	for week := 3; week >= 0; week-- {
		back := -time.Duration(week) * 7 * 24 * time.Hour
		f.seedArrivals(wed.Add(back), 6)
		f.seedArrivals(sat.Add(back), 2)
	}
	// A team's name is anyone's text.
	team := &care.Team{WorkspaceID: f.ws.ID, Name: `<script>alert("team")</script> Care`}
	if err := f.store.CreateTeam(context.Background(), team); err != nil {
		t.Fatal(err)
	}
	sup := f.loginAs(lee)

	// Ten-minute contacts answered within two hours, the workload model's
	// work, at 50% occupancy and 25% shrinkage: Wednesday's
	// six are an hour's work, two agents, three rostered; Saturday's two
	// need one agent, two rostered. The week's three agent hours are four
	// staff hours (3 / 0.75), not the five the hours' rosters add up to.
	res, body := sup.get("/staffing?team=all&channel=all&count=conversations&model=automatic&aht_min=10&within_min=120&occupancy_pct=50&shrinkage_pct=25&hourly_cost=20")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /staffing = %d:\n%s", res.StatusCode, body)
	}
	for _, want := range []string{
		`<a class="staffing-link" href="/staffing"`,
		`<strong>Mon 30 Nov 2026 – Sun 6 Dec 2026</strong> (UTC)`,
		`model <strong>workload</strong> <span class="muted">(chosen from the targets)</span>`,
		`history: 4 weeks, 32 conversations`,
		`handle time 10 min · answered within 120 min · service level 80% · max occupancy 50% · shrinkage 25%`,
		`<dt>Forecast conversations</dt><dd>8</dd>`, `<dt>Agent hours</dt><dd>3</dd>`, `<dt>Staff hours</dt><dd>4</dd>`,
		`<dt>Peak agents</dt><dd>2</dd>`, `<dt>Cost</dt><dd>80.00</dd>`, `<dt>Cost per contact</dt><dd>10.00</dd>`,
		`value="10"`, `value="50"`, `value="25"`, `value="20"`,
		`&lt;script&gt;alert(&#34;team&#34;)&lt;/script&gt; Care`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the staffing page lacks %s", want)
		}
	}
	if strings.Contains(body, `<script>alert(`) {
		t.Error("the team's name is not escaped")
	}
	if strings.Contains(body, "Overloaded hours") {
		t.Error("a plan with nothing overloaded counts overloaded hours")
	}
	labels, rows := grid(t, body)
	want := []string{"Mon 30 Nov", "Tue 1 Dec", "Wed 2 Dec", "Thu 3 Dec", "Fri 4 Dec", "Sat 5 Dec", "Sun 6 Dec"}
	if strings.Join(labels, ",") != strings.Join(want, ",") {
		t.Fatalf("grid rows = %q, want %q", labels, want)
	}
	for _, day := range want {
		for hour, c := range rows[day] {
			switch {
			case day == "Wed 2 Dec" && hour == 14:
				if c.text != "3" || c.class != "load-4" || !strings.Contains(c.title, "Wed 2 Dec 14:00 UTC: 6 contacts, 2 agents, 3 staff") ||
					!strings.Contains(c.title, "occupancy 50%") || !strings.Contains(c.title, "service level") || !strings.Contains(c.title, "ASA") {
					t.Errorf("Wednesday 14:00 = %+v, want 3 staff, the busiest shade, and its figures", c)
				}
			case day == "Sat 5 Dec" && hour == 3:
				if c.text != "2" || c.class != "load-3" || !strings.Contains(c.title, "2 contacts, 1 agent, 2 staff") {
					t.Errorf("Saturday 03:00 = %+v, want 2 staff", c)
				}
			default:
				if c.text != "0" || c.class != "load-0" {
					t.Errorf("%s %02d:00 = %+v, want nobody", day, hour, c)
				}
			}
		}
	}

	// The CSV link asks the API for the same plan, in its units; the
	// session's cookie is enough for a GET there.
	wantQuery := url.Values{"aht": {"600"}, "within": {"7200"}, "max_occupancy": {"0.5"}, "shrinkage": {"0.25"}, "hourly_cost": {"20"},
		"count": {"conversations"}, "format": {"csv"}}
	status, records, data, err := f.fetchCSV(t, sup, body, "/api/v1/reports/staffing", wantQuery)
	if status != http.StatusOK || err != nil || len(records) != 169 {
		t.Fatalf("GET the CSV link with the session = %d, %d rows, %v:\n%.300s", status, len(records), err, data)
	}
	busy := 0
	for _, r := range records[1:] {
		if r[0] == "2026-12-02T14:00:00Z" && r[3] == "3" {
			busy++
		}
	}
	if busy != 1 {
		t.Error("the CSV does not roster 3 on Wednesday at 14:00")
	}

	// A target of 0 minutes (answered at once) is a plan, not a mistake.
	if res, body := sup.get("/staffing?within_min=0&aht_min=4"); res.StatusCode != http.StatusOK ||
		!strings.Contains(body, "staffing-grid") || strings.Contains(body, "Answer within must") {
		t.Errorf("within_min=0 = %d; want a plan:\n%.400s", res.StatusCode, body)
	}

	// A team and a channel travel to the plan and its CSV; the team owns
	// none of the conversations.
	_, body = sup.get("/staffing?team=" + itoa(team.ID) + "&channel=api&count=messages")
	if !strings.Contains(body, "history: 4 weeks, 0 messages") ||
		!strings.Contains(body, `<option value="`+itoa(team.ID)+`" selected>`) || !strings.Contains(body, `<option value="api" selected>`) {
		t.Errorf("the team's plan does not show the team's history or keep the choices:\n%s", body)
	}
	if m := csvHref.FindStringSubmatch(body); m == nil ||
		!strings.Contains(m[1], "team="+itoa(team.ID)) || !strings.Contains(m[1], "channel=api") || !strings.Contains(m[1], "count=messages") {
		t.Errorf("the CSV link does not carry the team, the channel and the count: %v", m)
	}

	// Full occupancy would staff an hour of work with exactly one agent
	// busy all the time, a queue that never clears: refused, as a mistake.
	res, body = sup.get("/staffing?model=workload&aht_min=10&occupancy_pct=100")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "below 1") || strings.Contains(body, "staffing-grid") {
		t.Errorf("workload at 100%% occupancy = %d, want 400 with the reason and no grid", res.StatusCode)
	}
}

// TestStaffingDefaults: an empty form plans with the API's defaults, and
// the placeholders say what they are.
// TestStaffingShowsCappedSpikes: an hour of one past week far above the
// same hour of the others is capped before forecasting, and the plan says
// so, so that a planner knows why the forecast is below that week.
func TestStaffingShowsCappedSpikes(t *testing.T) {
	t.Parallel()
	f := newFixture(t) // now is Tuesday 24 November 2026, 10:00 UTC
	lee := f.user("lee@acme.test", "Lee Supervisor", care.RoleSupervisor)
	wed := time.Date(2026, 11, 18, 14, 0, 0, 0, time.UTC)
	for week := 3; week >= 0; week-- {
		n := 6
		if week == 1 {
			n = 60 // an outage
		}
		f.seedArrivals(wed.Add(-time.Duration(week)*7*24*time.Hour), n)
	}
	res, body := f.loginAs(lee).get("/staffing?count=conversations")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /staffing = %d", res.StatusCode)
	}
	if !strings.Contains(body, "1 spike hour capped</span>") {
		t.Errorf("the plan does not say a spike hour was capped:\n%.2000s", body)
	}
}

func TestStaffingDefaults(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.user("ada@acme.test", "Ada Admin", care.RoleAdmin)
	res, body := f.loginAs(admin).get("/staffing")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /staffing as an admin = %d", res.StatusCode)
	}
	for _, want := range []string{
		`handle time 5 min · answered within 60 min · service level 80% · max occupancy 85% · shrinkage 30%`,
		`name="aht_min" type="text" value="" placeholder="5"`,
		`name="within_min" type="text" value="" placeholder="60"`,
		`name="service_pct" type="text" value="" placeholder="80"`,
		`name="shrinkage_pct" type="text" value="" placeholder="30"`,
		`name="occupancy_pct" type="text" value="" placeholder="85"`,
		`name="weeks" type="text" value="" placeholder="4"`,
		`history: 4 weeks, 0 conversations`, `<option value="all" selected>All teams</option>`,
		`<option value="automatic" selected>`, `<dt>Forecast conversations</dt><dd>0</dd>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the default plan lacks %s", want)
		}
	}
	if strings.Contains(body, "<dt>Cost</dt>") {
		t.Error("a plan without an hourly cost shows a cost")
	}
	if labels, _ := grid(t, body); len(labels) != 7 {
		t.Errorf("the grid has %d rows, want 7", len(labels))
	}
}

// TestStaffingMistakes: what the form cannot plan with comes back above
// it, with the form as typed and no plan.
func TestStaffingMistakes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	lee := f.user("lee@acme.test", "Lee Supervisor", care.RoleSupervisor)
	checkFormMistakes(t, f.loginAs(lee), "/staffing", `class="staffing-form"`, "staffing-grid", []formMistake{
		{"aht_min=abc", 400, "Handle time must be a number of minutes above 0", `value="abc"`},
		{"aht_min=0", 400, "Handle time must be a number of minutes above 0", `name="aht_min" type="text" value="0"`},
		{"aht_min=1441", 400, "at most 1440 (a day)", `value="1441"`},
		{"aht_min=NaN", 400, "Handle time must be", `value="NaN"`},
		{"within_min=-5", 400, "Answer within must be a number of minutes", `value="-5"`},
		{"service_pct=100", 400, "Service level must be a percentage", `value="100"`},
		{"shrinkage_pct=99.5", 400, "Shrinkage must be a percentage from 0 to 99", `value="99.5"`},
		{"occupancy_pct=150", 400, "Max occupancy must be a percentage up to 100", `value="150"`},
		{"hourly_cost=-1", 400, "Hourly cost must be a number of 0 or more", `value="-1"`},
		{"hourly_cost=Inf", 400, "Hourly cost must be a number", `value="Inf"`},
		{"concurrency=two", 400, "Concurrency must be a whole number", `value="two"`},
		{"model=concurrent&concurrency=6&stretch=abc", 400, "Stretch must be a number from 1 to the concurrency", `name="stretch" type="text" value="abc"`},
		{"model=concurrent&concurrency=6&stretch=0.5", 400, "Stretch must be a number from 1", `value="0.5"`},
		{"model=concurrent&concurrency=3&stretch=4", 400, "stretch is how many times longer", `value="4"`},
		{"model=concurrent&concurrency=6", 400, "stretch is needed above a concurrency of 5", `name="stretch" type="text" value=""`},
		{"weeks=x", 400, "Weeks of history must be a whole number", `value="x"`},
		{"weeks=27&aht_min=7", 400, "weeks must be a number from 1 to 26", `value="7"`},
		{"model=erlang_c&concurrency=3", 400, `apply to the "concurrent" model only`, `<option value="erlang_c" selected>`},
		{"model=workload&occupancy_pct=0", 400, "max_occupancy is needed by the workload model", `value="0"`},
		{"tz=Mars/Olympus", 400, "Unknown time zone", `value="Mars/Olympus"`},
		{"team=999999", 404, "Team not found.", `<option value="all"`},
		{`aht_min="><script>alert(1)</script>`, 400, "Handle time must be", `value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"`},
	})
}

// TestStaffingHighConcurrency: above a concurrency of 5 the plan needs a
// measured stretch, which the form takes and passes on, to the plan and
// to its CSV.
func TestStaffingHighConcurrency(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	lee := f.user("lee@acme.test", "Lee Supervisor", care.RoleSupervisor)
	f.seedArrivals(time.Date(2026, 11, 18, 14, 0, 0, 0, time.UTC), 12)
	sup := f.loginAs(lee)
	res, body := sup.get("/staffing?model=concurrent&concurrency=6&stretch=4&within_min=1")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /staffing at concurrency 6, stretch 4 = %d:\n%s", res.StatusCode, body)
	}
	for _, want := range []string{`name="stretch" type="text" value="4"`, `model <strong>concurrent</strong>`, "concurrency 6", "staffing-grid"} {
		if !strings.Contains(body, want) {
			t.Errorf("the plan at concurrency 6 lacks %s", want)
		}
	}
	if m := csvHref.FindStringSubmatch(body); m == nil || !strings.Contains(html.UnescapeString(m[1]), "stretch=4") {
		t.Errorf("the CSV link does not carry the stretch: %v", m)
	}
}

// TestStaffingDaylightSaving: a week with a clock change has 169 or 167
// hours; each goes in the cell of its local day and hour.
func TestStaffingDaylightSaving(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		now    time.Time
		sunday string
		check  func(gridCell) bool
		want   string
	}{
		// Britain's clocks go back on Sunday 25 October 2026: 01:00 twice.
		{"autumn", time.Date(2026, 10, 14, 10, 0, 0, 0, time.UTC), "Sun 25 Oct", func(c gridCell) bool {
			return strings.Contains(c.class, "repeated") && strings.Contains(c.title, "Sun 25 Oct 01:00 BST: ") &&
				strings.Contains(c.title, "\nSun 25 Oct 01:00 GMT: ") && c.text == "0"
		}, "01:00 BST then 01:00 GMT in one cell"},
		// And forward on Sunday 28 March 2027: no 01:00.
		{"spring", time.Date(2027, 3, 17, 10, 0, 0, 0, time.UTC), "Sun 28 Mar", func(c gridCell) bool {
			return c.class == "skipped" && c.text == "" && strings.Contains(c.title, "clocks go forward")
		}, "an empty cell"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			f.now = tc.now
			lee := f.user("lee@acme.test", "Lee Supervisor", care.RoleSupervisor)
			res, body := f.loginAs(lee).get("/staffing?tz=Europe/London")
			if res.StatusCode != http.StatusOK {
				t.Fatalf("GET /staffing = %d", res.StatusCode)
			}
			labels, rows := grid(t, body)
			if len(labels) != 7 || labels[6] != tc.sunday {
				t.Fatalf("grid rows = %q, want 7 ending %s", labels, tc.sunday)
			}
			if c := rows[tc.sunday][1]; !tc.check(c) {
				t.Errorf("%s 01:00 = %+v, want %s", tc.sunday, c, tc.want)
			}
			for _, hour := range []int{0, 2} {
				if c := rows[tc.sunday][hour]; c.class != "load-0" || strings.Contains(c.title, "\n") {
					t.Errorf("%s %02d:00 = %+v, want one hour", tc.sunday, hour, c)
				}
			}
			if c := rows[tc.sunday][2]; !strings.Contains(c.title, tc.sunday+" 02:00 ") {
				t.Errorf("%s 02:00 holds %q", tc.sunday, c.title)
			}
		})
	}
}

// TestStaffingRefused: agents and members of a partner team get 403 and no
// link; the partner team's own supervisor included. Without a session the
// page leads to the login form and back.
func TestStaffingRefused(t *testing.T) {
	t.Parallel()
	checkReportRefused(t, newPartnerWorld(t), "/staffing", "aht_min=10", "Only supervisors and admins see staffing plans.",
		[]string{"staffing-grid", "Outsource Co"}, "Outsource Co")
}

// fetchCSV follows a report page's Download CSV link, which asks the API
// for the same report: it checks the link's path and query, then GETs it
// with the page's session cookie, enough for a GET there.
func (f *fixture) fetchCSV(t *testing.T, c *client, page, path string, want url.Values) (int, [][]string, []byte, error) {
	t.Helper()
	m := csvHref.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no Download CSV link")
	}
	link, err := url.Parse(html.UnescapeString(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	if link.Path != path || link.Query().Encode() != want.Encode() {
		t.Errorf("CSV link = %s, want %s?%s", link, path, want.Encode())
	}
	apiSrv := httptest.NewServer(f.h.API.Handler())
	defer apiSrv.Close()
	req, err := http.NewRequest("GET", apiSrv.URL+link.String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse(f.srv.URL)
	for _, ck := range c.c.Jar.Cookies(base) {
		req.AddCookie(ck)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	records, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	return res.StatusCode, records, data, err
}

// formMistake is what a report page's form cannot report with: the query,
// the status and message the page answers with, and what the form shows
// again.
type formMistake struct {
	query  string
	status int
	msg    string
	kept   string
}

// checkFormMistakes asks a report page (path) for each mistake as c: the
// message comes above the form (form marks where it starts), the form
// keeps what was typed, and the page shows no report (figures marks one),
// no CSV link and no raw markup.
func checkFormMistakes(t *testing.T, c *client, path, form, figures string, mistakes []formMistake) {
	t.Helper()
	for _, tc := range mistakes {
		t.Run(tc.query, func(t *testing.T) {
			q, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			c := *c
			c.t = t
			res, body := c.get(path + "?" + q.Encode())
			if res.StatusCode != tc.status {
				t.Errorf("status = %d, want %d", res.StatusCode, tc.status)
			}
			flash := regexpFind(t, body, `<p class="flash error" role="alert">[^<]*</p>`)
			if !strings.Contains(html.UnescapeString(flash), tc.msg) {
				t.Errorf("error = %s, want %q", flash, tc.msg)
			}
			if !strings.Contains(body, tc.kept) {
				t.Errorf("the form does not keep %s", tc.kept)
			}
			if strings.Index(body, flash) > strings.Index(body, form) {
				t.Error("the error is below the form")
			}
			for _, shown := range []string{figures, "csv-link", "<script>alert"} {
				if strings.Contains(body, shown) {
					t.Errorf("a refused form shows %s", shown)
				}
			}
		})
	}
}

// checkReportRefused asks a workspace report page (path, with query) as
// those who may not see it: agents, told refused, and the partner team's
// members, its supervisor included, get 403 with none of hidden and are
// not offered the page; without a session it leads to the login form and
// back. The admin gets it, shown included.
func checkReportRefused(t *testing.T, w *partnerWorld, path, query, refused string, hidden []string, shown string) {
	t.Helper()
	for _, tc := range []struct {
		name string
		c    *client
		msg  string
	}{
		{"agent", w.loginAs(w.ina), refused},
		{"partner agent", w.sam, refused},
		{"partner supervisor", w.louC, "Members of a partner team cannot see workspace reports"},
	} {
		res, body := tc.c.get(path + "?" + query)
		if res.StatusCode != http.StatusForbidden || !strings.Contains(body, tc.msg) {
			t.Errorf("GET %s as the %s = %d, want 403 saying %q", path, tc.name, res.StatusCode, tc.msg)
		}
		for _, h := range hidden {
			if strings.Contains(body, h) {
				t.Errorf("the %s's refusal shows %s", tc.name, h)
			}
		}
		if _, body := tc.c.get("/"); strings.Contains(body, `href="`+path+`"`) {
			t.Errorf("the %s is offered %s", tc.name, path)
		}
	}
	res, body := w.adaC.get(path)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `href="`+path+`"`) || !strings.Contains(body, shown) {
		t.Errorf("GET %s as the admin = %d, want the page with %s", path, res.StatusCode, shown)
	}
	res, _ = w.client().get(path + "?" + query)
	if loc, want := res.Header.Get("Location"), "/login?next="+url.QueryEscape(path+"?"+query); res.StatusCode != http.StatusSeeOther || loc != want {
		t.Errorf("GET %s without a session = %d to %q, want %q", path, res.StatusCode, loc, want)
	}
}
