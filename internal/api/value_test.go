package api_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"math"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// valueRow is a group of GET /api/v1/reports/value, as a client reads it.
type valueRow struct {
	Key               string   `json:"key"`
	Name              string   `json:"name"`
	Contacts          int      `json:"contacts"`
	Resolved          int      `json:"resolved"`
	OneTouch          int      `json:"one_touch"`
	Replies           int      `json:"replies"`
	Negative          int      `json:"negative"`
	NegativeResolved  int      `json:"negative_resolved"`
	SurveysAnswered   int      `json:"surveys_answered"`
	AvgScore          *float64 `json:"avg_score"`
	Satisfied         *float64 `json:"satisfied"`
	PaidHours         *float64 `json:"paid_hours"`
	Cost              *float64 `json:"cost"`
	CostPerContact    *float64 `json:"cost_per_contact"`
	CostPerResolution *float64 `json:"cost_per_resolution"`
	ValueKept         *float64 `json:"value_kept"`
	Return            *float64 `json:"return"`
}

type valueReport struct {
	By     string    `json:"by"`
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
	Inputs struct {
		AHTSeconds    float64  `json:"aht_seconds"`
		MaxOccupancy  float64  `json:"max_occupancy"`
		Shrinkage     float64  `json:"shrinkage"`
		HourlyCost    *float64 `json:"hourly_cost"`
		CustomerValue *float64 `json:"customer_value"`
		SavedShare    *float64 `json:"saved_share"`
	} `json:"inputs"`
	Rows   []valueRow `json:"rows"`
	Totals valueRow   `json:"totals"`
}

// valueSeed stores conversations, their replies and surveys through the
// store, as the pipeline and the desk leave them.
type valueSeed struct {
	t       *testing.T
	ta      *testApp
	contact care.ID
	n       int
}

func (s *valueSeed) conversation(in *care.Inbox, at time.Time, st care.Status, mood care.Mood, team care.ID, replies int) *care.Conversation {
	s.t.Helper()
	ctx := context.Background()
	c := &care.Conversation{WorkspaceID: in.WorkspaceID, InboxID: in.ID, Channel: in.Channel, ContactID: s.contact,
		Status: st, Mood: mood, TeamID: team, CreatedAt: at, LastActivityAt: at, UpdatedAt: at}
	if err := s.ta.Store.CreateConversation(ctx, c); err != nil {
		s.t.Fatal(err)
	}
	msgs := []*care.Message{{Direction: care.DirectionIn, Visibility: care.Private, ContactID: s.contact, Status: care.DeliveryReceived, CreatedAt: at},
		{Direction: care.DirectionOut, Visibility: care.Note, AuthorID: 7, Status: care.DeliveryStored, CreatedAt: at.Add(time.Second)}}
	for i := range replies {
		msgs = append(msgs, &care.Message{Direction: care.DirectionOut, Visibility: care.Private, AuthorID: 7, Status: care.DeliverySent,
			CreatedAt: at.Add(time.Duration(i+1) * time.Minute)})
	}
	for _, m := range msgs {
		m.WorkspaceID, m.ConversationID, m.InboxID, m.Text = c.WorkspaceID, c.ID, c.InboxID, "hello"
		if err := s.ta.Store.CreateMessage(ctx, m); err != nil {
			s.t.Fatal(err)
		}
	}
	return c
}

// survey sends c's survey as the desk does, a private message by nobody
// stored with it, and records the customer's score.
func (s *valueSeed) survey(c *care.Conversation, at time.Time, score int) {
	s.t.Helper()
	ctx := context.Background()
	m := &care.Message{WorkspaceID: c.WorkspaceID, ConversationID: c.ID, InboxID: c.InboxID, Direction: care.DirectionOut,
		Visibility: care.Private, AuthorName: "Survey", Text: "How did we do?", Status: care.DeliverySent, CreatedAt: at}
	if err := s.ta.Store.CreateMessage(ctx, m); err != nil {
		s.t.Fatal(err)
	}
	s.n++
	sv := &care.Survey{WorkspaceID: c.WorkspaceID, ConversationID: c.ID, ContactID: c.ContactID, Channel: c.Channel,
		TokenHash: fmt.Appendf(nil, "value-%d", s.n), SentAt: at}
	if err := s.ta.Store.CreateSurvey(ctx, sv); err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.ta.Store.AnswerSurvey(ctx, sv.ID, score, "", at.Add(time.Minute)); err != nil {
		s.t.Fatal(err)
	}
}

func near(got *float64, want float64) bool {
	return got != nil && math.Abs(*got-want) <= 1e-9*math.Max(1, math.Abs(want))
}

func show(v *float64) string {
	if v == nil {
		return "absent"
	}
	return fmt.Sprint(*v)
}

// TestValueReport seeds four conversations yesterday, three on X and one
// on Facebook, and reads the business case by channel and by team: the
// counts, the money on them, the CSV, the parameters' errors and another
// workspace's report.
func TestValueReport(t *testing.T) {
	ta := startApp(t)
	ctx := context.Background()
	sup := ta.token(t, workspace1, care.RoleSupervisor)
	x := &care.Inbox{WorkspaceID: workspace1, Channel: care.ChannelX, Name: "@acme"}
	fb := &care.Inbox{WorkspaceID: workspace1, Channel: care.ChannelFacebook, Name: "Acme Page"}
	for _, in := range []*care.Inbox{x, fb} {
		if err := ta.Store.CreateInbox(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	team := &care.Team{WorkspaceID: workspace1, Name: "Billing"}
	if err := ta.Store.CreateTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	ident, _, err := ta.Store.ResolveIdentity(ctx, workspace1, care.ChannelX, care.Author{PlatformUserID: "9", DisplayName: "Vera"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	seed := &valueSeed{t: t, ta: ta, contact: ident.ContactID}
	base := time.Now().UTC().Add(-24 * time.Hour).Truncate(time.Hour)
	// Oldest first, as ids grow with time. Before the period: left out.
	seed.conversation(x, base.Add(-2*time.Hour), care.StatusResolved, care.MoodNegative, 0, 1)
	x1 := seed.conversation(x, base, care.StatusResolved, care.MoodNegative, team.ID, 1)           // one touch, unhappy
	x2 := seed.conversation(x, base.Add(time.Minute), care.StatusResolved, care.MoodNeutral, 0, 2) // two replies
	seed.conversation(x, base.Add(2*time.Minute), care.StatusOpen, care.MoodNegative, 0, 1)        // unhappy, open
	seed.conversation(fb, base.Add(3*time.Minute), care.StatusResolved, care.MoodNegative, team.ID, 1)
	seed.survey(x1, base.Add(30*time.Minute), 5) // the survey is no second touch
	seed.survey(x2, base.Add(31*time.Minute), 3)
	period := "from=" + rfc3339(base.Add(-time.Hour)) + "&to=" + rfc3339(base.Add(time.Hour))

	// Counts only: no money without the business's figures.
	var rep valueReport
	res := ta.must(t, http.StatusOK, sup, "GET", "/api/v1/reports/value?"+period, "", &rep)
	for _, absent := range []string{`"cost"`, `"paid_hours"`, `"value_kept"`, `"return"`, `"hourly_cost"`, `"customer_value"`} {
		if strings.Contains(string(res.body), absent) {
			t.Errorf("a report without money has %s: %s", absent, res.body)
		}
	}
	if rep.By != "channel" || len(rep.Rows) != 2 || rep.Inputs.AHTSeconds != 300 || rep.Inputs.MaxOccupancy != 0.85 || rep.Inputs.Shrinkage != 0.3 {
		t.Fatalf("report = %+v, want two channels and the staffing plan's defaults", rep)
	}
	xr, fr, tot := rep.Rows[0], rep.Rows[1], rep.Totals
	if xr.Key != "x" || xr.Contacts != 3 || xr.Resolved != 2 || xr.OneTouch != 1 || xr.Replies != 4 || xr.Negative != 2 ||
		xr.NegativeResolved != 1 || xr.SurveysAnswered != 2 || !near(xr.AvgScore, 4) || !near(xr.Satisfied, 0.5) {
		t.Errorf("x = %+v, want 3 contacts, 2 resolved, 1 in one touch, 4 replies, 2 unhappy, 1 of them resolved, 2 surveys averaging 4", xr)
	}
	if fr.Key != "facebook" || fr.Contacts != 1 || fr.Resolved != 1 || fr.OneTouch != 1 || fr.Replies != 1 || fr.NegativeResolved != 1 ||
		fr.SurveysAnswered != 0 || fr.AvgScore != nil || fr.Satisfied != nil {
		t.Errorf("facebook = %+v, want 1 contact resolved in one touch, no survey score", fr)
	}
	if tot.Key != "total" || tot.Contacts != 4 || tot.Resolved != 3 || tot.OneTouch != 2 || tot.Replies != 5 || tot.Negative != 3 ||
		tot.NegativeResolved != 2 || tot.SurveysAnswered != 2 || !near(tot.AvgScore, 4) || tot.Cost != nil {
		t.Errorf("totals = %+v", tot)
	}

	// 12-minute contacts at 80% occupancy and 50% shrinkage are half a
	// paid hour each: 15 at 30 an hour. Each unhappy customer resolved
	// keeps a quarter of 200.
	rep = valueReport{}
	ta.must(t, http.StatusOK, sup, "GET", "/api/v1/reports/value?"+period+
		"&hourly_cost=30&aht=720&max_occupancy=0.8&shrinkage=0.5&customer_value=200&saved_share=0.25", "", &rep)
	for _, tc := range []struct {
		name                                     string
		row                                      valueRow
		hours, cost, perContact, perRes, kept, r float64
	}{
		{"x", rep.Rows[0], 1.5, 45, 15, 22.5, 50, 50.0 / 45},
		{"facebook", rep.Rows[1], 0.5, 15, 15, 15, 50, 50.0 / 15},
		{"total", rep.Totals, 2, 60, 15, 20, 100, 100.0 / 60},
	} {
		r := tc.row
		if !near(r.PaidHours, tc.hours) || !near(r.Cost, tc.cost) || !near(r.CostPerContact, tc.perContact) ||
			!near(r.CostPerResolution, tc.perRes) || !near(r.ValueKept, tc.kept) || !near(r.Return, tc.r) {
			t.Errorf("%s: hours %s, cost %s, per contact %s, per resolution %s, kept %s, return %s; want %v, %v, %v, %v, %v, %v",
				tc.name, show(r.PaidHours), show(r.Cost), show(r.CostPerContact), show(r.CostPerResolution), show(r.ValueKept), show(r.Return),
				tc.hours, tc.cost, tc.perContact, tc.perRes, tc.kept, tc.r)
		}
	}
	if in := rep.Inputs; in.AHTSeconds != 720 || in.MaxOccupancy != 0.8 || in.Shrinkage != 0.5 || !near(in.HourlyCost, 30) ||
		!near(in.CustomerValue, 200) || !near(in.SavedShare, 0.25) {
		t.Errorf("inputs = %+v, want those asked for", in)
	}
	// Free work has a cost of 0 and no return to speak of.
	rep = valueReport{}
	ta.must(t, http.StatusOK, sup, "GET", "/api/v1/reports/value?"+period+"&hourly_cost=0&customer_value=200&saved_share=0.25", "", &rep)
	if tot := rep.Totals; !near(tot.Cost, 0) || !near(tot.CostPerResolution, 0) || !near(tot.ValueKept, 100) || tot.Return != nil {
		t.Errorf("at no cost: cost %s, kept %s, return %s; want 0, 100 and none", show(tot.Cost), show(tot.ValueKept), show(tot.Return))
	}

	// By team: the owning team, with its name, and 0 for none.
	rep = valueReport{}
	ta.must(t, http.StatusOK, sup, "GET", "/api/v1/reports/value?by=team&"+period, "", &rep)
	if len(rep.Rows) != 2 || rep.Rows[0].Key != "0" || rep.Rows[0].Name != "" || rep.Rows[0].Contacts != 2 || rep.Rows[0].Resolved != 1 ||
		rep.Rows[1].Key != fmt.Sprint(team.ID) || rep.Rows[1].Name != "Billing" || rep.Rows[1].NegativeResolved != 2 || rep.Rows[1].OneTouch != 2 {
		t.Errorf("by team = %+v", rep.Rows)
	}

	// The CSV: the groups, then the totals.
	res = ta.must(t, http.StatusOK, sup, "GET", "/api/v1/reports/value?"+period+"&hourly_cost=30&aht=720&max_occupancy=0.8&shrinkage=0.5&format=csv", "", nil)
	rows, err := csv.NewReader(strings.NewReader(string(res.body))).ReadAll()
	if err != nil || len(rows) != 4 || !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(res.header.Get("Content-Disposition"), "value-by-channel-") {
		t.Fatalf("CSV: %d rows, %v, %v:\n%s", len(rows), err, res.header, res.body)
	}
	if strings.Join(rows[0][:4], ",") != "channel,name,contacts,resolved" || rows[0][12] != "cost" ||
		rows[1][0] != "x" || rows[1][2] != "3" || rows[1][12] != "45.00" || rows[1][15] != "" ||
		rows[3][0] != "total" || rows[3][2] != "4" || rows[3][13] != "15.00" || rows[3][14] != "20.00" {
		t.Errorf("CSV rows = %q", rows)
	}

	for _, q := range []string{"by=agent", "by=day", "from=yesterday", "from=" + rfc3339(base) + "&to=" + rfc3339(base),
		"hourly_cost=-1", "hourly_cost=1000001", "hourly_cost=NaN", "hourly_cost=Inf", "hourly_cost=abc",
		"aht=0", "aht=86401", "aht=-Inf", "max_occupancy=0", "max_occupancy=0.001", "max_occupancy=1.5", "shrinkage=-0.1", "shrinkage=1",
		"customer_value=-1&saved_share=0.5", "customer_value=1e10&saved_share=0.5", "customer_value=100&saved_share=1.5",
		"customer_value=100", "saved_share=0.5", "customer_value=NaN&saved_share=0.5"} {
		p := ta.call(t, sup, "GET", "/api/v1/reports/value?"+q, "").problem(t, http.StatusBadRequest)
		if p.Code != care.EINVALID || p.Detail == "" {
			t.Errorf("%s: %+v, want EINVALID saying what to correct", q, p)
		}
	}
	ta.call(t, ta.token(t, workspace1, care.RoleAgent), "GET", "/api/v1/reports/value", "").problem(t, http.StatusForbidden)

	// Another workspace sees its own conversations only, and this one
	// none of them.
	ws2 := &care.Workspace{Slug: "globex", Name: "Globex"}
	if err := ta.Store.CreateWorkspace(ctx, ws2); err != nil {
		t.Fatal(err)
	}
	in2 := &care.Inbox{WorkspaceID: ws2.ID, Channel: care.ChannelX, Name: "@globex"}
	if err := ta.Store.CreateInbox(ctx, in2); err != nil {
		t.Fatal(err)
	}
	ident2, _, err := ta.Store.ResolveIdentity(ctx, ws2.ID, care.ChannelX, care.Author{PlatformUserID: "9", DisplayName: "Vera"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	other := &valueSeed{t: t, ta: ta, contact: ident2.ContactID, n: 100}
	other.conversation(in2, base.Add(4*time.Minute), care.StatusResolved, care.MoodNegative, 0, 3)
	rep = valueReport{}
	ta.must(t, http.StatusOK, ta.token(t, ws2.ID, care.RoleAdmin), "GET", "/api/v1/reports/value?"+period, "", &rep)
	if len(rep.Rows) != 1 || rep.Totals.Contacts != 1 || rep.Totals.Replies != 3 {
		t.Errorf("the other workspace's report = %+v, want its one conversation", rep)
	}
	rep = valueReport{}
	ta.must(t, http.StatusOK, sup, "GET", "/api/v1/reports/value?"+period, "", &rep)
	if rep.Totals.Contacts != 4 || rep.Totals.Replies != 5 {
		t.Errorf("after another workspace's conversation, totals = %+v, want the same 4 and 5", rep.Totals)
	}

	// The default period is the last 30 days, as for the other reports.
	rep = valueReport{}
	ta.must(t, http.StatusOK, sup, "GET", "/api/v1/reports/value", "", &rep)
	if d := rep.To.Sub(rep.From); d != 30*24*time.Hour || rep.Totals.Contacts != 5 {
		t.Errorf("default period %v to %v (%v), %d contacts; want 30 days and all 5", rep.From, rep.To, d, rep.Totals.Contacts)
	}
}

// TestValueReportExtremes: figures JSON cannot hold are absent, not a 200
// with an empty body, and "-0" is 0.
func TestValueReportExtremes(t *testing.T) {
	ta := startApp(t)
	ctx := context.Background()
	sup := ta.token(t, workspace1, care.RoleSupervisor)
	x := &care.Inbox{WorkspaceID: workspace1, Channel: care.ChannelX, Name: "@acme"}
	if err := ta.Store.CreateInbox(ctx, x); err != nil {
		t.Fatal(err)
	}
	ident, _, err := ta.Store.ResolveIdentity(ctx, workspace1, care.ChannelX, care.Author{PlatformUserID: "9"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	seed := &valueSeed{t: t, ta: ta, contact: ident.ContactID}
	base := time.Now().UTC().Add(-24 * time.Hour).Truncate(time.Hour)
	seed.conversation(x, base, care.StatusResolved, care.MoodNegative, 0, 1)
	period := "from=" + rfc3339(base.Add(-time.Hour)) + "&to=" + rfc3339(base.Add(time.Hour))

	var rep valueReport
	ta.must(t, http.StatusOK, sup, "GET", "/api/v1/reports/value?"+period+"&hourly_cost=1e-300&aht=1&customer_value=1000000000&saved_share=1", "", &rep)
	if r := rep.Totals; r.Return != nil || r.ValueKept == nil || *r.ValueKept != 1e9 {
		t.Errorf("a cost too small to divide by: return %s, value kept %s; want no return, the value kept", show(r.Return), show(r.ValueKept))
	}
	res := ta.must(t, http.StatusOK, sup, "GET", "/api/v1/reports/value?"+period+"&hourly_cost=-0&customer_value=-0&saved_share=0.5", "", nil)
	if strings.Contains(string(res.body), ":-0") {
		t.Errorf("-0 came back: %s", res.body)
	}
	ta.call(t, sup, "GET", "/api/v1/reports/value?"+period+"&aht=1e-10", "").problem(t, http.StatusBadRequest)
}

// TestValueDocsPaidHours reads the paid hours' formula in docs/value.md
// and works it out, in exact constant arithmetic, for three contacts of
// 720 seconds at 80% occupancy and 50% shrinkage: it must be the 1.5
// hours the report gives, so that a reader who follows the docs by hand
// gets the report's figure.
func TestValueDocsPaidHours(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("../../docs/value.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^- paid hours = (.+)$`).FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/value.md has no line \"- paid hours = …\"")
	}
	expr := strings.NewReplacer("×", "*", "−", "-", "`aht`", "720", "`max_occupancy`", "0.8", "`shrinkage`", "0.5",
		"contacts", "3").Replace(string(m[1]))
	expr = regexp.MustCompile(`(\d),(\d{3})`).ReplaceAllString(expr, "$1$2") // 3,600
	// Every number a float constant, so that no division is of integers.
	expr = regexp.MustCompile(`\d+(\.\d+)?`).ReplaceAllStringFunc(expr, func(n string) string {
		if !strings.Contains(n, ".") {
			n += ".0"
		}
		return n
	})
	tv, err := types.Eval(token.NewFileSet(), nil, token.NoPos, expr)
	if err != nil || tv.Value == nil {
		t.Fatalf("the formula %q does not evaluate as %q: %v", m[1], expr, err)
	}
	documented, _ := constant.Float64Val(tv.Value)

	ctx := context.Background()
	now := time.Date(2026, 11, 24, 10, 30, 0, 0, time.UTC)
	s, store, ws := stoppedServer(t, now)
	in := &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelX, Name: "@acme", Credentials: map[string]string{}}
	if err := store.CreateInbox(ctx, in); err != nil {
		t.Fatal(err)
	}
	ident, _, err := store.ResolveIdentity(ctx, ws.ID, care.ChannelX, care.Author{PlatformUserID: "9", DisplayName: "Vera"}, now)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		at := now.Add(-time.Hour + time.Duration(i)*time.Minute)
		c := &care.Conversation{WorkspaceID: ws.ID, InboxID: in.ID, Channel: in.Channel, ContactID: ident.ContactID,
			Status: care.StatusResolved, CreatedAt: at, LastActivityAt: at, UpdatedAt: at}
		if err := store.CreateConversation(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	q, _ := url.ParseQuery("hourly_cost=30&aht=720&max_occupancy=0.8&shrinkage=0.5")
	rep, err := s.ValueReport(ctx, care.Principal{WorkspaceID: ws.ID, Role: care.RoleSupervisor}, q)
	if err != nil {
		t.Fatal(err)
	}
	// 3 × 720 s is 36 minutes, 0.6 hours; over 0.8 and then 0.5: 1.5.
	if rep.Totals.Contacts != 3 || !near(rep.Totals.PaidHours, 1.5) || !near(rep.Totals.PaidHours, documented) {
		t.Errorf("%d contacts: the report pays %s hours, the docs' formula %q %g; want 1.5 both",
			rep.Totals.Contacts, show(rep.Totals.PaidHours), m[1], documented)
	}
}
