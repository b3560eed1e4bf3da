package api

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/hours"
	"github.com/parleyhq/parley/internal/staffing"
)

// Staffing defaults: a social queue answered within the hour, four in
// five of the time, by agents who take five minutes a contact and spend
// about a third of their paid time off the queue. Every one can be set.
const (
	defaultAHT          = 5 * time.Minute
	defaultWithin       = time.Hour
	defaultServiceLevel = 0.8
	defaultOccupancy    = 0.85
	defaultShrinkage    = 0.3
	defaultHistoryWeeks = 4
	maxHistoryWeeks     = 26
	// maxHourlyCost keeps a week's cost a finite number, in any currency.
	maxHourlyCost = 1_000_000
)

// StaffingReport is a week's staffing plan: the answer of GET
// /api/v1/reports/staffing and what the web's staffing page shows.
type StaffingReport struct {
	TimeZone string         `json:"time_zone"`
	From     time.Time      `json:"from"`
	To       time.Time      `json:"to"`
	Count    string         `json:"count"` // what a contact is: "conversations" or "messages"
	Queue    StaffingQueue  `json:"queue"`
	History  StaffingPast   `json:"history"`
	Totals   StaffingTotals `json:"totals"`
	Hours    []StaffingHour `json:"hours"`
}

// StaffingQueue echoes the model and targets the plan was made with, in
// the API's units (seconds, shares).
type StaffingQueue struct {
	Model         staffing.Model `json:"model"`
	AHTSeconds    float64        `json:"aht_seconds"`
	Concurrency   int            `json:"concurrency,omitempty"`
	ServiceLevel  float64        `json:"service_level"`
	WithinSeconds float64        `json:"within_seconds"`
	MaxOccupancy  float64        `json:"max_occupancy"`
	Shrinkage     float64        `json:"shrinkage"`
}

// StaffingPast is the history a plan's forecast was made from.
type StaffingPast struct {
	From     time.Time `json:"from"`  // the hour of the queue's first arrival in the period, if later than its start
	Weeks    int       `json:"weeks"` // covered from From, a part week counting as one
	Contacts int       `json:"contacts"`
	Trend    float64   `json:"trend"` // the factor applied; 1 without ?trend=true
	// Hours lowered to their bound as one-off spikes before the forecast
	// (see staffing.Forecast).
	Capped int `json:"capped"`
	// Hours raised to their hour's median as one-off drops, such as while
	// an inbox was disconnected, before the forecast.
	Raised int `json:"raised"`
}

// StaffingTotals are a plan's sums over its week.
type StaffingTotals struct {
	Contacts   float64 `json:"contacts"`    // forecast for the week
	AgentHours int     `json:"agent_hours"` // on the queue
	StaffHours int     `json:"staff_hours"` // to roster, shrinkage included
	PeakAgents int     `json:"peak_agents"`
	// With ?hourly_cost: the rostered hours' cost, and that over the
	// forecast contacts.
	Cost           *float64 `json:"cost,omitempty"`
	CostPerContact *float64 `json:"cost_per_contact,omitempty"`
}

// StaffingHour is one hour of a plan.
type StaffingHour struct {
	Start        time.Time `json:"start"`
	Contacts     float64   `json:"contacts"` // forecast arrivals in the hour
	Agents       int       `json:"agents"`
	Scheduled    int       `json:"scheduled"`
	Erlangs      float64   `json:"erlangs"`
	PWait        float64   `json:"p_wait"`
	ServiceLevel float64   `json:"service_level"`
	ASASeconds   *float64  `json:"asa_seconds,omitempty"` // absent when overloaded: the wait grows without bound
	Occupancy    float64   `json:"occupancy"`
	Overloaded   bool      `json:"overloaded,omitempty"`
}

// reportHandler answers a report's GET with build's report as JSON or,
// with format=csv, as CSV written by csv.
func reportHandler[T any](build func(context.Context, care.Principal, url.Values) (*T, error), csv func(http.ResponseWriter, *T)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rep, err := build(r.Context(), principal(r), r.URL.Query())
		if err != nil {
			writeError(w, r, err)
			return
		}
		if r.URL.Query().Get("format") == "csv" {
			csv(w, rep)
			return
		}
		writeJSON(w, http.StatusOK, rep)
	}
}

// workspaceReport refuses those who may not read a report on the whole
// workspace: agents (refused says so) and partner teams' members.
func workspaceReport(p care.Principal, refused string) error {
	if !p.Role.AtLeast(care.RoleSupervisor) {
		return care.Errorf(care.EFORBIDDEN, "%s", refused)
	}
	return p.Scope.Refuse("see workspace reports")
}

// StaffingPlan forecasts next week's arrivals, hour by hour, from past
// weeks, and sizes the agents and staff that meet the targets (see package
// staffing for the models). q holds the parameters of GET
// /api/v1/reports/staffing, so the web's page takes the same.
func (s *Server) StaffingPlan(ctx context.Context, p care.Principal, q url.Values) (*StaffingReport, error) {
	if err := workspaceReport(p, "Staffing plans are for supervisors and admins."); err != nil {
		return nil, err
	}
	f := care.ArrivalFilter{Channel: care.Channel(q.Get("channel"))}
	if f.Channel != "" {
		// A misspelt channel would plan an empty week without a word.
		if _, ok := s.Adapters.Sender(f.Channel); !f.Channel.Valid() || s.Adapters != nil && !ok {
			return nil, care.Errorf(care.EINVALID, "Unknown channel %.40q; use a channel name such as x, facebook or email.", f.Channel)
		}
	}
	var err error
	if f.TeamID, err = valuesID(q, "team"); err != nil {
		return nil, err
	}
	loc, err := s.reportZone(ctx, p, q.Get("tz"), f.TeamID)
	if err != nil {
		return nil, err
	}
	queue, err := staffingQueueOf(q)
	if err != nil {
		return nil, err
	}
	weeks, err := valuesInt(q, "weeks", defaultHistoryWeeks, maxHistoryWeeks)
	if err != nil {
		return nil, err
	}
	count := q.Get("count")
	switch count {
	case "":
		count = "conversations"
	case "conversations", "messages":
	default:
		return nil, care.Errorf(care.EINVALID, "count must be conversations or messages.")
	}
	var trend bool
	switch v := q.Get("trend"); v {
	case "", "false":
	case "true":
		trend = true
	default:
		return nil, care.Errorf(care.EINVALID, "trend must be true or false.")
	}
	cost, err := valuesFloat(q, "hourly_cost")
	if err == nil && cost != nil && !(*cost >= 0 && *cost <= maxHourlyCost) {
		err = care.Errorf(care.EINVALID, "hourly_cost must be a number from 0 to %d, the cost of one rostered hour.", maxHourlyCost)
	}
	if err != nil {
		return nil, err
	}

	// The history is the whole hours up to now; the plan is next week,
	// Monday to Monday on the team's clock.
	now := s.now()
	end := now.Truncate(time.Hour)
	start := end.Add(-time.Duration(weeks) * 7 * 24 * time.Hour)
	arrivals, err := s.Store.Arrivals(ctx, p.WorkspaceID, start, end, f)
	if err != nil {
		return nil, err
	}
	past := staffing.History{Start: start, Counts: make([]int, int(end.Sub(start)/time.Hour))}
	total := 0
	for _, a := range arrivals {
		n := a.Conversations
		if count == "messages" {
			n = a.Messages
		}
		if i := int(a.Hour.Sub(start) / time.Hour); i >= 0 && i < len(past.Counts) {
			past.Counts[i] += n
			total += n
		}
	}
	// Hours before the queue's first arrival are unknown, not quiet, so
	// the history starts at its hour: a new inbox or team would otherwise
	// be forecast at a fraction of its rate, its empty hours averaged in
	// as zeros, and a trend would read the part-empty oldest week as
	// growth. Dropping whole empty weeks is not enough for either.
	if first := slices.IndexFunc(past.Counts, func(c int) bool { return c > 0 }); first > 0 {
		past.Start = past.Start.Add(time.Duration(first) * time.Hour)
		past.Counts = past.Counts[first:]
	}
	used := (len(past.Counts) + staffing.HoursPerWeek - 1) / staffing.HoursPerWeek
	// The trend is projected to the week planned, up to two weeks after
	// the history ends, not to the week right after it.
	from := staffing.WeekStart(now, loc).AddDate(0, 0, 7)
	week, err := staffing.Forecast(past, loc, staffing.Options{Trend: trend, Ahead: from.Sub(end)})
	if err != nil {
		return nil, err
	}
	plan, err := queue.Plan(week, from)
	if err != nil {
		return nil, err
	}

	out := &StaffingReport{TimeZone: loc.String(), From: from, To: from.AddDate(0, 0, 7), Count: count,
		Queue: StaffingQueue{Model: queue.Model, AHTSeconds: queue.AHT.Seconds(), Concurrency: queue.Concurrency,
			ServiceLevel: queue.ServiceLevel, WithinSeconds: queue.Within.Seconds(), MaxOccupancy: queue.MaxOccupancy, Shrinkage: queue.Shrinkage},
		History: StaffingPast{From: past.Start, Weeks: used, Contacts: total, Trend: week.Trend, Capped: week.Capped, Raised: week.Raised},
		Hours:   make([]StaffingHour, len(plan))}
	for i, h := range plan {
		row := StaffingHour{Start: h.Start, Contacts: h.Rate, Agents: h.Agents, Scheduled: h.Scheduled, Erlangs: h.Erlangs,
			PWait: h.PWait, ServiceLevel: h.ServiceLevel, Occupancy: h.Occupancy, Overloaded: h.Overloaded}
		if !h.Overloaded {
			asa := h.ASA.Seconds()
			row.ASASeconds = &asa
		}
		out.Hours[i] = row
		out.Totals.Contacts += h.Rate
		out.Totals.AgentHours += h.Agents
		out.Totals.PeakAgents = max(out.Totals.PeakAgents, h.Agents)
	}
	// Rostered hours are the week's agent hours over the time on the
	// queue, not the sum of each hour's rounded-up roster: one agent in
	// a quiet hour is not two people's pay.
	out.Totals.StaffHours = queue.Roster(out.Totals.AgentHours)
	if cost != nil {
		c := float64(out.Totals.StaffHours) * *cost
		out.Totals.Cost = &c
		if out.Totals.Contacts > 0 {
			per := c / out.Totals.Contacts
			out.Totals.CostPerContact = &per
		}
	}
	return out, nil
}

// staffingQueueOf reads the model and targets from the query, in seconds
// and shares, with the defaults above.
func staffingQueueOf(values url.Values) (staffing.Queue, error) {
	q := staffing.Queue{AHT: defaultAHT, Within: defaultWithin, ServiceLevel: defaultServiceLevel,
		MaxOccupancy: defaultOccupancy, Shrinkage: defaultShrinkage}
	// A handling time takes some time; a target of 0 s is a real one: the
	// share of contacts answered without waiting at all.
	seconds := func(name string, d *time.Duration, zeroOK bool) error {
		v, err := valuesFloat(values, name)
		if err != nil || v == nil {
			return err
		}
		if *v < 0 || *v == 0 && !zeroOK || *v > staffing.MaxAHT.Seconds() {
			least := "above 0"
			if zeroOK {
				least = "from 0"
			}
			return care.Errorf(care.EINVALID, "Query parameter %s must be a number of seconds %s and at most a day.", name, least)
		}
		*d = time.Duration(*v * float64(time.Second))
		return nil
	}
	share := func(name string, x *float64) error {
		v, err := valuesFloat(values, name)
		if err != nil || v == nil {
			return err
		}
		*x = *v // Validate bounds each one and names it
		return nil
	}
	for _, err := range []error{seconds("aht", &q.AHT, false), seconds("within", &q.Within, true), share("service_level", &q.ServiceLevel),
		share("max_occupancy", &q.MaxOccupancy), share("shrinkage", &q.Shrinkage)} {
		if err != nil {
			return q, err
		}
	}
	stretch, err := valuesFloat(values, "stretch")
	if err != nil {
		return q, err
	}
	if stretch != nil {
		q.Stretch = *stretch
	}
	if v := values.Get("concurrency"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return q, care.Errorf(care.EINVALID, "Query parameter concurrency must be a whole number.")
		}
		q.Concurrency = n
	}
	q.Model = staffing.Model(values.Get("model"))
	if q.Model == "" {
		q.Model = staffing.Suggest(q.AHT, q.Within, q.Concurrency)
	}
	return q, q.Validate()
}

// reportZone is the clock a report is read on (a plan's hours of the week,
// listening's days):
// ?tz=, else the team's business hours' zone, else UTC.
func (s *Server) reportZone(ctx context.Context, p care.Principal, name string, teamID care.ID) (*time.Location, error) {
	var team *care.Team
	if teamID != 0 {
		t, err := s.Store.Team(ctx, teamID)
		switch {
		case care.ErrorCode(err) == care.ENOTFOUND || err == nil && t.WorkspaceID != p.WorkspaceID:
			return nil, care.Errorf(care.ENOTFOUND, "Team not found.")
		case err != nil:
			return nil, err
		}
		team = t
	}
	if name != "" {
		loc, err := time.LoadLocation(name)
		if err != nil || name == "Local" {
			return nil, care.Errorf(care.EINVALID, "Unknown time zone %.64q; use an IANA name such as Europe/London.", name)
		}
		return loc, nil
	}
	if team != nil && len(team.Hours) > 0 {
		if c, err := hours.Parse(team.Hours); err == nil {
			return c.Location(), nil
		}
	}
	return time.UTC, nil
}

func writeStaffingCSV(w http.ResponseWriter, rep *StaffingReport) {
	cw := csvDownload(w, "staffing-"+rep.From.Format("2006-01-02"))
	cw.Write([]string{"start", "contacts", "agents", "scheduled", "erlangs", "p_wait", "service_level", "asa_seconds", "occupancy"})
	f := func(v float64, prec int) string { return strconv.FormatFloat(v, 'f', prec, 64) }
	for _, h := range rep.Hours {
		asa := ""
		if h.ASASeconds != nil {
			asa = f(*h.ASASeconds, 1)
		}
		cw.Write([]string{h.Start.Format(time.RFC3339), f(h.Contacts, 2), strconv.Itoa(h.Agents), strconv.Itoa(h.Scheduled),
			f(h.Erlangs, 3), f(h.PWait, 4), f(h.ServiceLevel, 4), asa, f(h.Occupancy, 4)})
	}
	cw.Flush()
}
