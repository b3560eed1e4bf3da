package api_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/api"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/testdb"
)

// staffingReport is the answer of GET /api/v1/reports/staffing, as a
// client reads it.
type staffingReport struct {
	TimeZone string    `json:"time_zone"`
	From     time.Time `json:"from"`
	To       time.Time `json:"to"`
	Count    string    `json:"count"`
	Queue    struct {
		Model         string  `json:"model"`
		AHTSeconds    float64 `json:"aht_seconds"`
		WithinSeconds float64 `json:"within_seconds"`
	} `json:"queue"`
	History struct {
		Weeks    int `json:"weeks"`
		Contacts int `json:"contacts"`
	} `json:"history"`
	Totals struct {
		Contacts       float64  `json:"contacts"`
		AgentHours     int      `json:"agent_hours"`
		StaffHours     int      `json:"staff_hours"`
		PeakAgents     int      `json:"peak_agents"`
		Cost           *float64 `json:"cost"`
		CostPerContact *float64 `json:"cost_per_contact"`
	} `json:"totals"`
	Hours []struct {
		Start        time.Time `json:"start"`
		Contacts     float64   `json:"contacts"`
		Agents       int       `json:"agents"`
		Scheduled    int       `json:"scheduled"`
		ServiceLevel float64   `json:"service_level"`
		ASASeconds   *float64  `json:"asa_seconds"`
		Occupancy    float64   `json:"occupancy"`
	} `json:"hours"`
}

// TestStaffingPlan seeds four weeks with 36 conversations in one hour of
// the week (a day ago's hour, each week) and checks the plan for next
// week: that hour of the week forecast at 36, staffed by the workload
// model, every other hour at zero; then the CSV, the parameters' errors and
// the team and channel filters.
func TestStaffingPlan(t *testing.T) {
	ta := startApp(t)
	ctx := context.Background()
	sup := ta.token(t, workspace1, care.RoleSupervisor)
	in := &care.Inbox{WorkspaceID: workspace1, Channel: care.ChannelX, Name: "@acme"}
	if err := ta.Store.CreateInbox(ctx, in); err != nil {
		t.Fatal(err)
	}
	ident, _, err := ta.Store.ResolveIdentity(ctx, workspace1, care.ChannelX, care.Author{PlatformUserID: "9", DisplayName: "Vera"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	busy := time.Now().UTC().Truncate(time.Hour).Add(-24 * time.Hour)
	for week := 3; week >= 0; week-- { // oldest first, as ids grow with time
		at := busy.Add(-time.Duration(week) * 7 * 24 * time.Hour)
		for i := range 36 {
			when := at.Add(time.Duration(i) * time.Minute)
			c := &care.Conversation{WorkspaceID: workspace1, InboxID: in.ID, Channel: in.Channel, ContactID: ident.ContactID,
				Status: care.StatusResolved, CreatedAt: when, LastActivityAt: when, UpdatedAt: when}
			if err := ta.Store.CreateConversation(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
	}

	// A Facebook inbox opened last week: ten conversations in the same
	// hour of the week, once. Its forecast is ten, not a quarter of it.
	fb := &care.Inbox{WorkspaceID: workspace1, Channel: care.ChannelFacebook, Name: "Acme Page"}
	if err := ta.Store.CreateInbox(ctx, fb); err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		when := busy.Add(time.Duration(40+i) * time.Minute)
		c := &care.Conversation{WorkspaceID: workspace1, InboxID: fb.ID, Channel: fb.Channel, ContactID: ident.ContactID,
			Status: care.StatusResolved, CreatedAt: when, LastActivityAt: when, UpdatedAt: when}
		if err := ta.Store.CreateConversation(ctx, c); err != nil {
			t.Fatal(err)
		}
	}

	var rep staffingReport
	ta.must(t, http.StatusOK, sup, "GET", "/api/v1/reports/staffing?model=workload&aht=600&max_occupancy=0.5&shrinkage=0.25&hourly_cost=20", "", &rep)
	rep = staffingReport{}
	ta.must(t, http.StatusOK, sup, "GET", "/api/v1/reports/staffing?model=workload&aht=600&max_occupancy=0.5&shrinkage=0.25&hourly_cost=20&channel=x", "", &rep)
	if len(rep.Hours) != 168 || rep.TimeZone != "UTC" || rep.History.Contacts != 4*36 || rep.History.Weeks != 4 || rep.Count != "conversations" {
		t.Fatalf("plan: %d hours, zone %q, history %+v, count %q", len(rep.Hours), rep.TimeZone, rep.History, rep.Count)
	}
	if !rep.From.After(time.Now()) || rep.From.Weekday() != time.Monday || rep.To.Sub(rep.From) != 7*24*time.Hour {
		t.Errorf("plan from %v to %v, want next week, Monday to Monday", rep.From, rep.To)
	}
	busyHours := 0
	for _, h := range rep.Hours {
		if h.Start.Weekday() == busy.Weekday() && h.Start.Hour() == busy.Hour() {
			busyHours++
			// 36 contacts × 10 minutes = 6 hours of work, at 50%: 12
			// agents; 12 / (1 − 0.25) = 16 rostered.
			if h.Contacts != 36 || h.Agents != 12 || h.Scheduled != 16 || h.Occupancy != 0.5 {
				t.Errorf("busy hour %v = %+v, want 36 contacts, 12 agents, 16 rostered, occupancy 0.5", h.Start, h)
			}
		} else if h.Contacts != 0 || h.Agents != 0 || h.Scheduled != 0 {
			t.Errorf("quiet hour %v = %+v, want nothing", h.Start, h)
		}
	}
	if busyHours != 1 {
		t.Errorf("%d hours of the plan match the busy hour of the week, want 1", busyHours)
	}
	tot := rep.Totals
	if tot.Contacts != 36 || tot.AgentHours != 12 || tot.StaffHours != 16 || tot.PeakAgents != 12 ||
		tot.Cost == nil || *tot.Cost != 320 || tot.CostPerContact == nil || *tot.CostPerContact != 320.0/36 {
		t.Errorf("totals = %+v, want 36 contacts, 12 agent hours, 16 staff hours, cost 320, %.4f a contact", tot, 320.0/36)
	}

	// The default model for an hour's target and five-minute contacts is
	// the workload; a tighter target turns to Erlang C.
	rep = staffingReport{} // each answer decoded afresh, nothing left from the last
	ta.must(t, http.StatusOK, sup, "GET", "/api/v1/reports/staffing", "", &rep)
	if rep.Queue.Model != "workload" || rep.Queue.AHTSeconds != 300 || rep.Queue.WithinSeconds != 3600 {
		t.Errorf("default queue = %+v", rep.Queue)
	}
	rep = staffingReport{}
	ta.must(t, http.StatusOK, sup, "GET", "/api/v1/reports/staffing?within=60&aht=240&tz=Europe/London", "", &rep)
	if rep.Queue.Model != "erlang_c" || rep.TimeZone != "Europe/London" {
		t.Errorf("queue = %+v in %s, want erlang_c in Europe/London", rep.Queue, rep.TimeZone)
	}
	for _, h := range rep.Hours {
		if h.Contacts > 0 && (h.ServiceLevel < 0.8 || h.ASASeconds == nil) {
			t.Errorf("Erlang C hour %+v misses the 80%% target", h)
		}
	}

	// A target of 0 s asks for the share answered without waiting: at
	// least the agents of a minute's target, each busy hour meeting it.
	minute := rep
	rep = staffingReport{}
	ta.must(t, http.StatusOK, sup, "GET", "/api/v1/reports/staffing?within=0&aht=240&tz=Europe/London", "", &rep)
	if rep.Queue.Model != "erlang_c" || rep.Queue.WithinSeconds != 0 || rep.Totals.AgentHours < minute.Totals.AgentHours {
		t.Errorf("within=0: queue %+v, %d agent hours; want Erlang C and at least the %d for 60 s",
			rep.Queue, rep.Totals.AgentHours, minute.Totals.AgentHours)
	}
	for _, h := range rep.Hours {
		if h.Contacts > 0 && h.ServiceLevel < 0.8 {
			t.Errorf("within=0 hour %+v: under 80%% answered at once", h)
		}
	}

	// The young Facebook queue: one week of history used, at its rate.
	rep = staffingReport{}
	ta.must(t, http.StatusOK, sup, "GET", "/api/v1/reports/staffing?channel=facebook&weeks=8&trend=true", "", &rep)
	if rep.History.Weeks != 1 || rep.History.Contacts != 10 || rep.Totals.Contacts != 10 {
		t.Errorf("facebook plan: history %+v, totals %+v; want one week of 10, forecast 10", rep.History, rep.Totals)
	}
	// A channel with no history at all, and a team that owns none.
	rep = staffingReport{}
	ta.must(t, http.StatusOK, sup, "GET", "/api/v1/reports/staffing?channel=instagram", "", &rep)
	if rep.History.Contacts != 0 || rep.Totals.AgentHours != 0 {
		t.Errorf("instagram plan = %+v, want empty", rep.Totals)
	}
	team := &care.Team{WorkspaceID: workspace1, Name: "Billing"}
	if err := ta.Store.CreateTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	rep = staffingReport{}
	ta.must(t, http.StatusOK, sup, "GET", fmt.Sprintf("/api/v1/reports/staffing?team=%d", team.ID), "", &rep)
	if rep.History.Contacts != 0 {
		t.Errorf("a team that owns nothing has %d contacts of history", rep.History.Contacts)
	}
	// Staff hours are the week's agent hours over the time on the queue.
	rep = staffingReport{}
	ta.must(t, http.StatusOK, sup, "GET", "/api/v1/reports/staffing?shrinkage=0.3", "", &rep)
	// ceil(n / 0.7) in integers: ceil(10n / 7).
	if want := (rep.Totals.AgentHours*10 + 6) / 7; rep.Totals.StaffHours != want {
		t.Errorf("staff hours %d for %d agent hours at 30%% shrinkage, want %d", rep.Totals.StaffHours, rep.Totals.AgentHours, want)
	}
	// Concurrency above 5 takes a measured stretch.
	ta.must(t, http.StatusOK, sup, "GET", "/api/v1/reports/staffing?model=concurrent&concurrency=6&stretch=4&within=60", "", nil)

	res := ta.must(t, http.StatusOK, sup, "GET", "/api/v1/reports/staffing?model=workload&aht=600&max_occupancy=0.5&format=csv", "", nil)
	rows, err := csv.NewReader(strings.NewReader(string(res.body))).ReadAll()
	if err != nil || len(rows) != 169 || rows[0][0] != "start" || !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv") {
		t.Errorf("CSV: %d rows, %v, header %v", len(rows), err, res.header.Get("Content-Type"))
	}

	for _, q := range []string{"aht=0", "aht=abc", "within=-5", "within=86401", "service_level=1", "shrinkage=1", "max_occupancy=2",
		"model=magic", "concurrency=x", "concurrency=99&model=concurrent", "weeks=0", "weeks=27", "count=calls",
		"trend=maybe", "tz=Mars/Olympus", "tz=Local", "hourly_cost=-1", "hourly_cost=1.7e308", "hourly_cost=NaN",
		"model=workload&max_occupancy=0", "model=workload&max_occupancy=1", "channel=facebok", "aht=Inf",
		"model=concurrent&concurrency=6", "model=concurrent&concurrency=3&stretch=9"} {
		p := ta.call(t, sup, "GET", "/api/v1/reports/staffing?"+q, "").problem(t, http.StatusBadRequest)
		if p.Detail == "" {
			t.Errorf("%s: no detail", q)
		}
	}
	ta.call(t, sup, "GET", "/api/v1/reports/staffing?team=999999", "").problem(t, http.StatusNotFound)
	ta.call(t, sup, "GET", "/api/v1/reports/staffing?team=999999&tz=UTC", "").problem(t, http.StatusNotFound)
}

// arrival is a conversation opened on a channel at a time.
type arrival struct {
	at time.Time
	ch care.Channel
}

// hourly is a conversation a minute past each of the hours hours before
// end.
func hourly(ch care.Channel, end time.Time, hours int) []arrival {
	out := make([]arrival, hours)
	for i := range out {
		out[i] = arrival{end.Add(time.Duration(i-hours)*time.Hour + time.Minute), ch}
	}
	return out
}

// TestStaffingPlanSteadyQueues plans next week for queues whose history is
// known exactly, on a stopped clock (Tuesday 24 November 2026, 10:30 UTC,
// so the history ends at 10:00 and the plan is Monday 30 November to
// Monday 7 December), and checks the figures against arithmetic done here.
func TestStaffingPlanSteadyQueues(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 10, 30, 0, 0, time.UTC)
	s, store, ws := stoppedServer(t, now)
	sup := care.Principal{WorkspaceID: ws.ID, Role: care.RoleSupervisor, Name: "Lee"}
	end := now.Truncate(time.Hour)
	from := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	ahead := from.Sub(end).Hours() / 168 // of a week: 134 hours

	var seed []arrival
	seed = append(seed, hourly(care.ChannelX, end, 4*168)...)         // four whole weeks
	seed = append(seed, hourly(care.ChannelFacebook, end, 17*24)...)  // a queue opened 17 days ago
	seed = append(seed, hourly(care.ChannelInstagram, end, 10*24)...) // and one 10 days ago
	for back, n := range []int{7, 6, 5, 4} {                          // one busy hour a week, one more each week
		at := end.Add(-24*time.Hour - time.Duration(back)*168*time.Hour)
		for i := range n {
			seed = append(seed, arrival{at.Add(time.Duration(i) * time.Minute), care.ChannelEmail})
		}
	}
	// Oldest first: the store finds a period's rows by their ids.
	slices.SortStableFunc(seed, func(a, b arrival) int { return a.at.Compare(b.at) })
	contacts := map[care.Channel]care.ID{}
	inboxes := map[care.Channel]*care.Inbox{}
	for _, a := range seed {
		in := inboxes[a.ch]
		if in == nil {
			in = &care.Inbox{WorkspaceID: ws.ID, Channel: a.ch, Name: string(a.ch), Credentials: map[string]string{}}
			if err := store.CreateInbox(ctx, in); err != nil {
				t.Fatal(err)
			}
			ident, _, err := store.ResolveIdentity(ctx, ws.ID, a.ch, care.Author{PlatformUserID: "9", DisplayName: "Vera"}, a.at)
			if err != nil {
				t.Fatal(err)
			}
			inboxes[a.ch], contacts[a.ch] = in, ident.ContactID
		}
		c := &care.Conversation{WorkspaceID: ws.ID, InboxID: in.ID, Channel: a.ch, ContactID: contacts[a.ch],
			Status: care.StatusResolved, CreatedAt: a.at, LastActivityAt: a.at, UpdatedAt: a.at}
		if err := store.CreateConversation(ctx, c); err != nil {
			t.Fatal(err)
		}
	}

	for _, tc := range []struct {
		name, query string
		weeks       int     // of history used
		trend       float64 // the factor applied
		// every hour's forecast, by hour of the week (Monday 00:00 is 0)
		hour                   func(how int) float64
		agentHours, staffHours int
		cost, perContact       float64 // 0: no hourly_cost asked
	}{
		{
			// 168 agent hours at 30% shrinkage are ceil(168 × 10 / 7) =
			// 240 staff hours, not the 241 that 168 / 0.7 rounds up to in
			// float64: 6,720 at 28, 40 a contact.
			name: "four steady weeks, costed", query: "channel=x&hourly_cost=28", weeks: 4, trend: 1,
			hour: func(int) float64 { return 1 }, agentHours: 168, staffHours: (168*10 + 6) / 7, cost: 240 * 28, perContact: 240 * 28 / 168,
		},
		{
			// Its history starts with its first conversation, 17 days ago:
			// two whole weeks and a part week, too few for a trend, and
			// the hours before it are not a quiet start to grow from.
			name: "a queue 17 days old, trend asked", query: "channel=facebook&weeks=4&trend=true", weeks: 3, trend: 1,
			hour: func(int) float64 { return 1 }, agentHours: 168, staffHours: 240,
		},
		{
			// Ten days of one an hour forecast one an hour, not the 0.588
			// the empty hours before them would make of 96 hours.
			name: "a queue 10 days old", query: "channel=instagram", weeks: 2, trend: 1,
			hour: func(int) float64 { return 1 }, agentHours: 168, staffHours: 240,
		},
		{
			// 5, 6 and 7 in the last three whole weeks (the 4 before is
			// in the part week the history starts with) grow by one a
			// week: the week right after would have 8, and the week
			// planned starts 134 hours later still.
			name: "one more a week", query: "channel=email&trend=true", weeks: 4,
			trend: (8 + ahead) / ((7 + 0.7*6 + 0.49*5 + 0.343*4) / (1 + 0.7 + 0.49 + 0.343)),
			hour: func(how int) float64 {
				if how == 10 { // Monday 10:00
					return 8 + ahead
				}
				return 0
			},
			agentHours: 1, staffHours: 2,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := s.StaffingPlan(ctx, sup, q)
			if err != nil {
				t.Fatal(err)
			}
			if !rep.From.Equal(from) || len(rep.Hours) != 168 {
				t.Fatalf("plan from %v, %d hours; want %v, 168", rep.From, len(rep.Hours), from)
			}
			if rep.History.Weeks != tc.weeks || math.Abs(rep.History.Trend-tc.trend) > 1e-9 {
				t.Errorf("history %+v, want %d weeks, trend %g", rep.History, tc.weeks, tc.trend)
			}
			want := 0.0
			for i, h := range rep.Hours {
				want += tc.hour(i)
				if math.Abs(h.Contacts-tc.hour(i)) > 1e-9 {
					t.Errorf("%v forecasts %g, want %g", h.Start, h.Contacts, tc.hour(i))
				}
			}
			tot := rep.Totals
			if math.Abs(tot.Contacts-want) > 1e-9 || tot.AgentHours != tc.agentHours || tot.StaffHours != tc.staffHours {
				t.Errorf("totals %g contacts, %d agent hours, %d staff hours; want %g, %d, %d",
					tot.Contacts, tot.AgentHours, tot.StaffHours, want, tc.agentHours, tc.staffHours)
			}
			if tc.cost != 0 && (tot.Cost == nil || *tot.Cost != tc.cost || tot.CostPerContact == nil || *tot.CostPerContact != tc.perContact) {
				t.Errorf("cost %s, %s a contact; want %g, %g", show(tot.Cost), show(tot.CostPerContact), tc.cost, tc.perContact)
			}
		})
	}
}

// stoppedServer is an API server over a fresh store with one workspace,
// whose clock stands still at now.
func stoppedServer(t *testing.T, now time.Time) (*api.Server, care.Store, *care.Workspace) {
	t.Helper()
	store := testdb.SQLite(t)
	ws := &care.Workspace{Slug: "acme", Name: "Acme"}
	if err := store.CreateWorkspace(context.Background(), ws); err != nil {
		t.Fatal(err)
	}
	return &api.Server{Store: store, Now: func() time.Time { return now }}, store, ws
}
