package web

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/api"
	"github.com/parleyhq/parley/internal/care"
)

// The business case page shows supervisors what the care team's work cost
// and what resolving unhappy customers' issues is worth: the API's report
// (GET /api/v1/reports/value) as a table per channel or team. As on the
// staffing page, the form is a GET form, so a report's address can be
// shared, and speaks a supervisor's units, dates, minutes and percentages,
// which are turned into the API's times, seconds and shares; an empty
// field takes the API's default.

// valueForm is the form as the person typed it: it comes back as it was,
// a mistake included.
type valueForm struct {
	From, To, By                    string // dates, both days included; channel or team
	Cost, AHT, Occupancy, Shrinkage string // money, minutes, %, %
	CustomerValue, Saved            string // money, %
}

func valueFormOf(q url.Values) valueForm {
	get := func(name string) string { return strings.TrimSpace(q.Get(name)) }
	return valueForm{From: get("from"), To: get("to"), By: get("by"), Cost: get("hourly_cost"), AHT: get("aht_min"),
		Occupancy: get("occupancy_pct"), Shrinkage: get("shrinkage_pct"), CustomerValue: get("customer_value"), Saved: get("saved_pct")}
}

// valueNumbers are the form's numbers, checked in its units: the API
// checks again, in its own.
var valueNumbers = []formNumber[valueForm]{
	{func(f *valueForm) string { return f.Cost }, "hourly_cost", asIs, func(x float64) bool { return x >= 0 && x <= 1e6 },
		"Hourly cost must be a number from 0 to 1000000, in any currency, such as 28; or leave it empty."},
	// The API takes a second at least: checked here in seconds, so that
	// 1/60 of a minute passes, and told in minutes, not in the API's
	// seconds, which the person never typed.
	{func(f *valueForm) string { return f.AHT }, "aht", fromMinutes, func(x float64) bool { return fromMinutes(x) >= 1 && x <= maxMinutes },
		"Handle time must be a number of minutes from 1/60 (a second) to 1440 (a day), such as 5."},
	{func(f *valueForm) string { return f.Occupancy }, "max_occupancy", fromPercent, func(x float64) bool { return x >= 1 && x <= 100 },
		"Occupancy must be a percentage from 1 to 100, such as 85: the part of their time on the queue agents spend on contacts."},
	{func(f *valueForm) string { return f.Shrinkage }, "shrinkage", fromPercent, func(x float64) bool { return x >= 0 && x <= 99 },
		"Shrinkage must be a percentage from 0 to 99, such as 30."},
	{func(f *valueForm) string { return f.CustomerValue }, "customer_value", asIs, func(x float64) bool { return x >= 0 && x <= 1e9 },
		"Customer value must be a number from 0 to 1000000000, in the hourly cost's currency, such as 120; or leave it empty."},
	{func(f *valueForm) string { return f.Saved }, "saved_share", fromPercent, func(x float64) bool { return x >= 0 && x <= 100 },
		"Saved must be a percentage from 0 to 100, such as 20; or leave it empty."},
}

// apiValues turns the form into the API's parameters, or says what to
// correct. Dates are whole days on loc's clock; now bounds the start.
func (f *valueForm) apiValues(loc *time.Location, now time.Time) (url.Values, error) {
	q := url.Values{}
	switch f.By {
	case "", "channel", "team":
		if f.By != "" {
			q.Set("by", f.By)
		}
	default:
		return nil, care.Errorf(care.EINVALID, "Group by channel or by team.")
	}
	var from, to time.Time
	for _, d := range []struct {
		v    string
		t    *time.Time
		what string
	}{{f.From, &from, "From"}, {f.To, &to, "To"}} {
		if d.v == "" {
			continue
		}
		t, err := time.ParseInLocation(time.DateOnly, d.v, loc)
		if err != nil || t.Year() < 2000 || t.Year() >= 9999 {
			return nil, care.Errorf(care.EINVALID, "%s must be a date such as 2026-11-01.", d.what)
		}
		*d.t = t
	}
	switch {
	case !to.IsZero() && !from.IsZero() && to.Before(from):
		return nil, care.Errorf(care.EINVALID, "The end date must be on or after the start date.")
	case !from.IsZero() && !from.Before(now):
		return nil, care.Errorf(care.EINVALID, "The start date must be today or earlier.")
	}
	if !to.IsZero() {
		to = to.AddDate(0, 0, 1) // the end day is included
		if from.IsZero() {
			from = to.AddDate(0, 0, -30) // the API's 30 days, ending there
		}
		q.Set("to", to.Format(time.RFC3339))
	}
	if !from.IsZero() {
		q.Set("from", from.Format(time.RFC3339))
	}
	if err := setNumbers(q, f, valueNumbers); err != nil {
		return nil, err
	}
	if (f.CustomerValue == "") != (f.Saved == "") {
		return nil, care.Errorf(care.EINVALID, "Give both the customer value and the share saved, or leave both empty.")
	}
	return q, nil
}

type valuePage struct {
	layout
	Form   valueForm
	Bys    []option
	Report *valueView
	CSV    string // the same report from the API, as a spreadsheet
}

// valueView is a report as the page shows it: figures as text, "" for
// one the report has not.
type valueView struct {
	Period       string
	Inputs       string
	Group        string // the first column's heading
	Cost, Value  bool   // whether the money's columns show
	Rows         []valueLine
	Totals       valueLine
	ResolvedRate string // of contacts
	OneTouchRate string // of resolutions
}

// valueLine is a row of the table, or its totals; HasCost and HasValue
// say which money columns the table has.
type valueLine struct {
	Label                                 string
	HasCost, HasValue                     bool
	Contacts, Resolved, OneTouch, Replies string
	Negative, NegativeResolved, Surveys   string
	AvgScore, Satisfied                   string
	Cost, PerContact, PerResolution       string
	ValueKept, Return                     string
}

func (h *Handler) value(w http.ResponseWriter, r *http.Request, a *agent) {
	// The report counts every conversation of the workspace.
	if err := seeWorkspace(a, "Only supervisors and admins see the business case.", "see workspace reports"); err != nil {
		h.renderError(w, r, a, err)
		return
	}
	ctx := r.Context()
	form := valueFormOf(r.URL.Query())
	p := valuePage{layout: layout{Title: "Business case", Page: "value", Agent: a}, Form: form}
	for _, b := range []struct{ v, label string }{{"channel", "Channel"}, {"team", "Team"}} {
		p.Bys = append(p.Bys, option{Value: b.v, Label: b.label, Selected: form.By == b.v || form.By == "" && b.v == "channel"})
	}

	loc := h.location()
	q, err := form.apiValues(loc, h.now())
	var rep *api.ValueReport
	if err == nil {
		rep, err = h.API.ValueReport(ctx, a.Principal, q)
	}
	if err == nil {
		p.Report = valueViewOf(rep, loc)
		p.CSV = csvLink("/api/v1/reports/value", q)
	}
	// A number or a date to correct: the form stays, as typed.
	h.renderReport(w, r, a, "value", &p, &p.layout, err, care.EINVALID)
}

// renderReport renders a report page (name, its data p with p's layout
// l) for what asking for its report came to: with err nil, the report; with
// an error the person corrects in the form (of a code in fixable), its
// message above the form and its status; any other, the error page.
func (h *Handler) renderReport(w http.ResponseWriter, r *http.Request, a *agent, name string, p any, l *layout, err error, fixable ...string) {
	status := http.StatusOK
	if err != nil {
		if !slices.Contains(fixable, care.ErrorCode(err)) {
			h.renderError(w, r, a, err)
			return
		}
		status, l.Error = httpStatus(err), care.ErrorMessage(err)
	}
	h.render(w, r, status, name, p)
}

// csvLink is the Download CSV link of a page's report: the API's same
// report (path, with the parameters q the page asked it with) as CSV. The
// session's cookie is enough for a GET there.
func csvLink(path string, q url.Values) string {
	q = maps.Clone(q)
	q.Set("format", "csv")
	return path + "?" + q.Encode()
}

// valueViewOf lays a report out as the page shows it.
func valueViewOf(rep *api.ValueReport, loc *time.Location) *valueView {
	in := rep.Inputs
	v := &valueView{Period: periodText(rep.From, rep.To, loc), Group: "Channel",
		Cost: in.HourlyCost != nil, Value: in.CustomerValue != nil}
	parts := []string{"handle time " + decimal(in.AHTSeconds/60) + " min", "occupancy " + pct(in.MaxOccupancy), "shrinkage " + pct(in.Shrinkage)}
	if in.HourlyCost != nil {
		parts = append(parts, "hourly cost "+money(*in.HourlyCost))
	}
	if in.CustomerValue != nil && in.SavedShare != nil {
		parts = append(parts, "customer value "+money(*in.CustomerValue), "saved "+pct(*in.SavedShare))
	}
	v.Inputs = strings.Join(parts, " · ")
	if rep.By == "team" {
		v.Group = "Team"
	}
	for _, row := range rep.Rows {
		l := lineOf(row)
		switch {
		case rep.By == "channel":
			l.Label = channelName(care.Channel(row.Key))
		case row.Key == "0":
			l.Label = "No team"
		case plain(row.Name) != "":
			l.Label = plain(row.Name)
		default:
			l.Label = "Team " + row.Key
		}
		l.HasCost, l.HasValue = v.Cost, v.Value
		v.Rows = append(v.Rows, l)
	}
	v.Totals = lineOf(rep.Totals)
	v.Totals.Label, v.Totals.HasCost, v.Totals.HasValue = "Total", v.Cost, v.Value
	t := rep.Totals
	if t.Contacts > 0 {
		v.ResolvedRate = pct(float64(t.Resolved) / float64(t.Contacts))
	}
	if t.Resolved > 0 {
		v.OneTouchRate = pct(float64(t.OneTouch) / float64(t.Resolved))
	}
	return v
}

// lineOf is a row's figures as text.
func lineOf(r api.ValueRow) valueLine {
	opt := func(x *float64, f func(float64) string) string {
		if x == nil {
			return ""
		}
		return f(*x)
	}
	score := func(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }
	times := func(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) + "×" }
	return valueLine{Contacts: strconv.Itoa(r.Contacts), Resolved: strconv.Itoa(r.Resolved), OneTouch: strconv.Itoa(r.OneTouch),
		Replies: strconv.Itoa(r.Replies), Negative: strconv.Itoa(r.Negative), NegativeResolved: strconv.Itoa(r.NegativeResolved),
		Surveys: strconv.Itoa(r.SurveysAnswered), AvgScore: opt(r.AvgScore, score), Satisfied: opt(r.Satisfied, pct),
		Cost: opt(r.Cost, money), PerContact: opt(r.CostPerContact, money), PerResolution: opt(r.CostPerResolution, money),
		ValueKept: opt(r.ValueKept, money), Return: opt(r.Return, times)}
}

// money is an amount in the business's currency, to the cent.
func money(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }

// periodText is a report's period on loc's clock: whole days as the dates
// typed, the end day included; else the times.
func periodText(from, to time.Time, loc *time.Location) string {
	from, to = from.In(loc), to.In(loc)
	zone := loc.String()
	if zone == "Local" { // the server's clock: its zone's abbreviation says more
		zone = from.Format("MST")
	}
	midnight := func(t time.Time) bool {
		return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
	}
	if midnight(from) && midnight(to) {
		return from.Format("Mon 2 Jan 2006") + " – " + to.AddDate(0, 0, -1).Format("Mon 2 Jan 2006") + " (" + zone + ")"
	}
	return from.Format("Mon 2 Jan 2006 15:04") + " – " + to.Format("Mon 2 Jan 2006 15:04") + " (" + zone + ")"
}
