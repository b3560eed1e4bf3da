package web

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/api"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/staffing"
)

// The staffing page shows supervisors next week's staffing plan, the
// API's report (GET /api/v1/reports/staffing) as a week's grid. Its form
// is a GET form, so a plan's address can be shared, and speaks a
// supervisor's units, minutes and percentages, which are turned into the
// API's seconds and shares; an empty field takes the API's default.

// staffingForm is the form as the person typed it: it comes back as it
// was, a mistake included.
type staffingForm struct {
	Team, Channel, Count, Model          string
	AHT, Within, ServiceLevel, Occupancy string // minutes, minutes, %, %
	Shrinkage, Concurrency, Weeks, Cost  string // %, conversations, weeks, money
	Stretch, TZ                          string // times
	Trend                                bool
}

func staffingFormOf(q url.Values) staffingForm {
	get := func(name string) string { return strings.TrimSpace(q.Get(name)) }
	return staffingForm{Team: get("team"), Channel: get("channel"), Count: get("count"), Model: get("model"),
		AHT: get("aht_min"), Within: get("within_min"), ServiceLevel: get("service_pct"), Occupancy: get("occupancy_pct"),
		Shrinkage: get("shrinkage_pct"), Concurrency: get("concurrency"), Weeks: get("weeks"), Cost: get("hourly_cost"),
		Stretch: get("stretch"), TZ: get("tz"), Trend: get("trend") == "true"}
}

// maxMinutes bounds the handle time and the answer target, as the API
// does: a day.
var maxMinutes = staffing.MaxAHT.Minutes()

// formNumber is a numeric field of a report's form (F) and how it becomes
// the API's parameter. The form checks its own fields, so that a mistake
// is told in the units the person typed; the API checks again, and checks
// what depends on the other parameters.
type formNumber[F any] struct {
	value func(*F) string
	param string
	toAPI func(float64) float64
	ok    func(float64) bool
	msg   string
}

// setNumbers checks f's numbers and sets them on q in the API's units.
func setNumbers[F any](q url.Values, f *F, nums []formNumber[F]) error {
	for _, n := range nums {
		v := n.value(f)
		if v == "" {
			continue
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || !n.ok(x) {
			return care.Errorf(care.EINVALID, "%s", n.msg)
		}
		q.Set(n.param, strconv.FormatFloat(n.toAPI(x), 'g', -1, 64))
	}
	return nil
}

func fromMinutes(x float64) float64 { return x * 60 }
func fromPercent(x float64) float64 { return x / 100 } // x/100, not x*0.01: 57% is 0.57, not 0.5700000000000001
func asIs(x float64) float64        { return x }

var staffingNumbers = []formNumber[staffingForm]{
	{func(f *staffingForm) string { return f.AHT }, "aht", fromMinutes, func(x float64) bool { return x > 0 && x <= maxMinutes },
		"Handle time must be a number of minutes above 0 and at most 1440 (a day), such as 5."},
	{func(f *staffingForm) string { return f.Within }, "within", fromMinutes, func(x float64) bool { return x >= 0 && x <= maxMinutes },
		"Answer within must be a number of minutes from 0 (at once) to 1440 (a day), such as 60."},
	{func(f *staffingForm) string { return f.ServiceLevel }, "service_level", fromPercent, func(x float64) bool { return x >= 0 && x < 100 },
		"Service level must be a percentage from 0 (no target) to below 100, such as 80."},
	{func(f *staffingForm) string { return f.Occupancy }, "max_occupancy", fromPercent, func(x float64) bool { return x >= 0 && x <= 100 },
		"Max occupancy must be a percentage up to 100, such as 85 (0 for no cap, except with the workload model)."},
	{func(f *staffingForm) string { return f.Shrinkage }, "shrinkage", fromPercent, func(x float64) bool { return x >= 0 && x <= 100*staffing.MaxShrinkage },
		"Shrinkage must be a percentage from 0 to 99, such as 30."},
	{func(f *staffingForm) string { return f.Cost }, "hourly_cost", asIs, func(x float64) bool { return x >= 0 },
		"Hourly cost must be a number of 0 or more, in any currency, such as 28; or leave it empty."},
	// Above a concurrency of 5 there is no published figure to default
	// to, and the API needs the team's own: without this field the page
	// could not plan concurrency 6 to 20. The API checks it against the
	// concurrency.
	{func(f *staffingForm) string { return f.Stretch }, "stretch", asIs, func(x float64) bool { return x >= 1 && x <= staffing.MaxConcurrency },
		"Stretch must be a number from 1 to the concurrency, such as 1.5: how many times longer a conversation takes at full concurrency than alone; or leave it empty for the default up to a concurrency of 5."},
}

// apiValues turns the form into the API's parameters, or says what to
// correct.
func (f *staffingForm) apiValues() (url.Values, error) {
	q := url.Values{}
	// The selects' "all" and "automatic" are the API's absent parameter.
	set := func(name, v, absent string) {
		if v != "" && v != absent {
			q.Set(name, v)
		}
	}
	set("team", f.Team, "all")
	set("channel", f.Channel, "all")
	set("count", f.Count, "")
	set("model", f.Model, "automatic")
	set("tz", f.TZ, "")
	if f.Trend {
		q.Set("trend", "true")
	}
	if err := setNumbers(q, f, staffingNumbers); err != nil {
		return nil, err
	}
	for _, w := range []struct{ v, param, msg string }{
		{f.Concurrency, "concurrency", "Concurrency must be a whole number: the conversations an agent holds at once, such as 3."},
		{f.Weeks, "weeks", "Weeks of history must be a whole number, such as 4."},
	} {
		if w.v == "" {
			continue
		}
		if _, err := strconv.Atoi(w.v); err != nil {
			return nil, care.Errorf(care.EINVALID, "%s", w.msg)
		}
		q.Set(w.param, w.v)
	}
	return q, nil
}

type staffingPage struct {
	layout
	Form     staffingForm
	Teams    []option
	Channels []option
	Counts   []option
	Models   []option
	Plan     *planView
	CSV      string // the same plan from the API, as a spreadsheet
}

// planView is a plan as the page shows it.
type planView struct {
	From, To, Zone string
	Model          string
	Chosen         bool // the model was picked from the targets
	Count          string
	Weeks          int
	Contacts       int // in the history
	Trend          string
	Capped         int // hours of history lowered as one-off spikes
	Raised         int // hours of history raised as one-off drops
	Targets        string
	Totals         planTotals
	Overloaded     int
	Hours          []string
	Days           []planDay
}

type planTotals struct {
	Contacts               string
	AgentHours, StaffHours int
	PeakAgents             int
	Cost, CostPerContact   string
}

type planDay struct {
	Label string
	Cells [24]planCell
}

// planCell is an hour of the local clock: usually one hour of the plan,
// two in the hour the clocks go back to repeat, none in the one they skip.
type planCell struct {
	Staff string
	Class string
	Title string
	Over  bool
}

// Load shades: a cell's rostered staff against the week's peak, in
// quarters; load-0 has none.
const loadLevels = 4

func (h *Handler) staffing(w http.ResponseWriter, r *http.Request, a *agent) {
	// A plan counts every conversation of the workspace or a team.
	if err := seeWorkspace(a, "Only supervisors and admins see staffing plans.", "see workspace reports"); err != nil {
		h.renderError(w, r, a, err)
		return
	}
	ctx := r.Context()
	form := staffingFormOf(r.URL.Query())
	p := staffingPage{layout: layout{Title: "Staffing", Page: "staffing", Agent: a}, Form: form}

	teams, err := h.Store.Teams(ctx, a.WorkspaceID)
	if err != nil {
		h.renderError(w, r, a, err)
		return
	}
	p.Teams = append(p.Teams, option{Value: "all", Label: "All teams", Selected: form.Team == "" || form.Team == "all"})
	for _, t := range teams {
		id := strconv.FormatInt(t.ID, 10)
		name := plain(t.Name)
		if name == "" {
			name = "Team " + id
		}
		p.Teams = append(p.Teams, option{Value: id, Label: name, Selected: form.Team == id})
	}
	chans, err := h.channels(ctx, a.WorkspaceID)
	if err != nil {
		h.renderError(w, r, a, err)
		return
	}
	p.Channels = append(p.Channels, option{Value: "all", Label: "All channels", Selected: form.Channel == "" || form.Channel == "all"})
	for _, c := range chans {
		p.Channels = append(p.Channels, option{Value: string(c), Label: channelName(c), Selected: form.Channel == string(c)})
	}
	for _, c := range []struct{ v, label string }{{"conversations", "Conversations opened"}, {"messages", "Customer messages"}} {
		p.Counts = append(p.Counts, option{Value: c.v, Label: c.label, Selected: form.Count == c.v || form.Count == "" && c.v == "conversations"})
	}
	for _, m := range []struct{ v, label string }{{"automatic", "Automatic"}, {string(staffing.ModelErlangC), "Erlang C (live)"},
		{string(staffing.ModelConcurrent), "Concurrent (chats)"}, {string(staffing.ModelWorkload), "Workload (within hours)"}} {
		p.Models = append(p.Models, option{Value: m.v, Label: m.label, Selected: form.Model == m.v || form.Model == "" && m.v == "automatic"})
	}

	status := http.StatusOK
	q, err := form.apiValues()
	var rep *api.StaffingReport
	if err == nil {
		rep, err = h.API.StaffingPlan(ctx, a.Principal, q)
	}
	switch code := care.ErrorCode(err); {
	case err == nil:
		p.Plan = planOf(rep, form.Model == "" || form.Model == "automatic")
		q.Set("format", "csv")
		p.CSV = "/api/v1/reports/staffing?" + q.Encode()
	case code == care.EINVALID || code == care.ENOTFOUND:
		// A number to correct or a team gone: the form stays, as typed.
		status, p.Error = httpStatus(err), care.ErrorMessage(err)
	default:
		h.renderError(w, r, a, err)
		return
	}
	h.render(w, r, status, "staffing", p)
}

// planOf lays a report out as the page shows it: each hour of the plan in
// the cell of its local day and hour.
func planOf(rep *api.StaffingReport, chosen bool) *planView {
	loc := rep.From.Location()
	if l, err := time.LoadLocation(rep.TimeZone); err == nil {
		loc = l
	}
	from := rep.From.In(loc)
	v := &planView{From: from.Format("Mon 2 Jan 2006"), To: rep.To.In(loc).AddDate(0, 0, -1).Format("Mon 2 Jan 2006"),
		Zone: rep.TimeZone, Model: string(rep.Queue.Model), Chosen: chosen, Count: rep.Count,
		Weeks: rep.History.Weeks, Contacts: rep.History.Contacts, Targets: targetsText(rep.Queue)}
	v.Capped, v.Raised = rep.History.Capped, rep.History.Raised
	if rep.History.Trend != 1 && rep.History.Trend != 0 {
		v.Trend = "×" + strconv.FormatFloat(round(rep.History.Trend, 2), 'f', -1, 64)
	}
	t := rep.Totals
	v.Totals = planTotals{Contacts: decimal(t.Contacts), AgentHours: t.AgentHours, StaffHours: t.StaffHours, PeakAgents: t.PeakAgents}
	if t.Cost != nil {
		v.Totals.Cost = strconv.FormatFloat(*t.Cost, 'f', 2, 64)
	}
	if t.CostPerContact != nil {
		v.Totals.CostPerContact = strconv.FormatFloat(*t.CostPerContact, 'f', 2, 64)
	}
	for i := range 24 {
		v.Hours = append(v.Hours, twoDigits(i))
	}

	// Days are counted on the calendar, not in 24-hour steps, which a
	// clock change would shift.
	y, m, d := from.Date()
	first := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	v.Days = make([]planDay, 7)
	for i := range v.Days {
		v.Days[i].Label = time.Date(y, m, d+i, 12, 0, 0, 0, loc).Format("Mon 2 Jan")
	}
	var cells [7][24][]api.StaffingHour
	peak := 0
	for _, h := range rep.Hours {
		at := h.Start.In(loc)
		ay, am, ad := at.Date()
		day := int(time.Date(ay, am, ad, 0, 0, 0, 0, time.UTC).Sub(first) / (24 * time.Hour))
		if day < 0 || day >= len(cells) {
			continue
		}
		cells[day][at.Hour()] = append(cells[day][at.Hour()], h)
		peak = max(peak, h.Scheduled)
	}
	for day := range cells {
		for hour, hs := range cells[day] {
			v.Days[day].Cells[hour] = cellOf(hs, peak, loc)
			if v.Days[day].Cells[hour].Over {
				v.Overloaded++
			}
		}
	}
	return v
}

// cellOf is one hour of the local clock. Its number is the most staff any
// hour in it needs: a repeated hour's roster covers both.
func cellOf(hs []api.StaffingHour, peak int, loc *time.Location) planCell {
	if len(hs) == 0 {
		return planCell{Class: "skipped", Title: "No such hour this week: the clocks go forward."}
	}
	staff, over := 0, false
	titles := make([]string, len(hs))
	for i, h := range hs {
		staff = max(staff, h.Scheduled)
		over = over || h.Overloaded
		titles[i] = hourTitle(h, loc)
	}
	level := 0
	if peak > 0 && staff > 0 {
		level = (staff*loadLevels + peak - 1) / peak
	}
	class := "load-" + strconv.Itoa(level)
	if over {
		class += " over"
	}
	if len(hs) > 1 {
		class += " repeated"
	}
	return planCell{Staff: strconv.Itoa(staff), Class: class, Title: strings.Join(titles, "\n"), Over: over}
}

// hourTitle is an hour's figures, for the cell's tooltip.
func hourTitle(h api.StaffingHour, loc *time.Location) string {
	var b strings.Builder
	b.WriteString(h.Start.In(loc).Format("Mon 2 Jan 15:04 MST"))
	b.WriteString(": ")
	b.WriteString(counted(decimal(h.Contacts), "contact") + ", ")
	b.WriteString(counted(strconv.Itoa(h.Agents), "agent") + ", ")
	b.WriteString(strconv.Itoa(h.Scheduled) + " staff, ")
	b.WriteString("service level " + pct(h.ServiceLevel) + ", ")
	if h.ASASeconds != nil {
		b.WriteString("ASA " + waitText(time.Duration(*h.ASASeconds*float64(time.Second))) + ", ")
	}
	b.WriteString("occupancy " + pct(h.Occupancy))
	if h.Overloaded {
		b.WriteString("; overloaded: the queue grows whatever the staff")
	}
	return b.String()
}

// targetsText is the queue a plan was sized for, in the form's units.
func targetsText(q api.StaffingQueue) string {
	parts := []string{
		"handle time " + decimal(q.AHTSeconds/60) + " min",
		"answered within " + decimal(q.WithinSeconds/60) + " min",
		"service level " + pct(q.ServiceLevel),
		"max occupancy " + pct(q.MaxOccupancy),
		"shrinkage " + pct(q.Shrinkage),
	}
	if q.Concurrency > 0 {
		parts = append(parts, "concurrency "+strconv.Itoa(q.Concurrency))
	}
	return strings.Join(parts, " · ")
}

func round(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(x*p) / p
}

// decimal is a figure to one decimal place, without a trailing ".0".
func decimal(x float64) string { return strconv.FormatFloat(round(x, 1), 'f', -1, 64) }

// pct is a share as a percentage, to one decimal place.
func pct(x float64) string { return decimal(100*x) + "%" }

// counted is a number and its noun: "1 agent", "2 agents", "0.5 contacts".
func counted(n, noun string) string {
	if n == "1" {
		return n + " " + noun
	}
	return n + " " + noun + "s"
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
