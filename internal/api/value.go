package api

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/staffing"
)

// Bounds of the business case's money, so that every figure stays a
// finite number: a billion a customer is beyond any business's margin.
// Occupancy divides the work; below 1% no team works.
const (
	maxCustomerValue  = 1_000_000_000
	minValueOccupancy = 0.01
)

// ValueReport is the business case for the care team's work: the answer
// of GET /api/v1/reports/value and what the web's page of that name shows.
type ValueReport struct {
	By     string      `json:"by"` // channel or team
	From   time.Time   `json:"from"`
	To     time.Time   `json:"to"`
	Inputs ValueInputs `json:"inputs"`
	Rows   []ValueRow  `json:"rows"`
	// Totals are the same figures over every group; its key is "total".
	Totals ValueRow `json:"totals"`
}

// ValueInputs echo what the money was worked out with, in the API's units
// (seconds, shares, the business's currency). The handle time, occupancy
// and shrinkage have the staffing plan's defaults, so that the two
// reports agree; the rest is absent unless given.
type ValueInputs struct {
	AHTSeconds    float64  `json:"aht_seconds"`
	MaxOccupancy  float64  `json:"max_occupancy"`
	Shrinkage     float64  `json:"shrinkage"`
	HourlyCost    *float64 `json:"hourly_cost,omitempty"`
	CustomerValue *float64 `json:"customer_value,omitempty"`
	SavedShare    *float64 `json:"saved_share,omitempty"`
}

// ValueRow is one group of the business case: care.ValueReportRow with
// its shares and, when the business gave what they rest on, its money.
type ValueRow struct {
	Key              string `json:"key"`
	Name             string `json:"name,omitempty"` // the team's, by team
	Contacts         int    `json:"contacts"`
	Resolved         int    `json:"resolved"`
	OneTouch         int    `json:"one_touch"`
	Replies          int    `json:"replies"`
	Negative         int    `json:"negative"`
	NegativeResolved int    `json:"negative_resolved"`
	SurveysAnswered  int    `json:"surveys_answered"`
	// AvgScore and Satisfied (the share of 4s and 5s) are absent without
	// an answered survey: no answer is not a score of 0.
	AvgScore  *float64 `json:"avg_score,omitempty"`
	Satisfied *float64 `json:"satisfied,omitempty"`
	// With hourly_cost: the paid hours the contacts took, their cost, and
	// that per contact and per resolution (absent with none resolved).
	PaidHours         *float64 `json:"paid_hours,omitempty"`
	Cost              *float64 `json:"cost,omitempty"`
	CostPerContact    *float64 `json:"cost_per_contact,omitempty"`
	CostPerResolution *float64 `json:"cost_per_resolution,omitempty"`
	// With customer_value and saved_share: what resolving unhappy
	// customers' issues kept, and that over the cost (absent when the
	// cost is unknown or 0).
	ValueKept *float64 `json:"value_kept,omitempty"`
	Return    *float64 `json:"return,omitempty"`
}

// ValueReport counts what became of the conversations opened in a period,
// by channel or team, and puts the business's money on it: the cost per
// contact and per resolution, and what resolving unhappy customers'
// issues is worth (see docs/value.md). q holds the parameters of GET
// /api/v1/reports/value, so the web's page takes the same.
func (s *Server) ValueReport(ctx context.Context, p care.Principal, q url.Values) (*ValueReport, error) {
	if err := workspaceReport(p, "The business case is for supervisors and admins."); err != nil {
		return nil, err
	}
	by := q.Get("by")
	switch by {
	case "":
		by = "channel"
	case "channel", "team":
	default:
		return nil, care.Errorf(care.EINVALID, "by must be channel or team.")
	}
	// The same from and to as the other reports, read from q.
	from, to, err := s.period(q)
	if err != nil {
		return nil, err
	}
	in, err := valueInputsOf(q)
	if err != nil {
		return nil, err
	}
	groups, err := s.Store.ValueReport(ctx, p.WorkspaceID, from, to, by)
	if err != nil {
		return nil, err
	}
	names, err := s.groupNames(ctx, p.WorkspaceID, by)
	if err != nil {
		return nil, err
	}
	out := &ValueReport{By: by, From: from, To: to, Inputs: in, Rows: make([]ValueRow, len(groups))}
	var total care.ValueReportRow
	for i, g := range groups {
		out.Rows[i] = in.row(g)
		out.Rows[i].Name = names[g.Key]
		total.Contacts += g.Contacts
		total.Resolved += g.Resolved
		total.OneTouch += g.OneTouch
		total.Replies += g.Replies
		total.Negative += g.Negative
		total.NegativeResolved += g.NegativeResolved
		total.SurveysAnswered += g.SurveysAnswered
		total.ScoreSum += g.ScoreSum
		total.Satisfied += g.Satisfied
	}
	total.Key = "total"
	out.Totals = in.row(total)
	return out, nil
}

// valueInputsOf reads the money's parameters, with the staffing plan's
// defaults for the work's.
func valueInputsOf(q url.Values) (ValueInputs, error) {
	in := ValueInputs{AHTSeconds: defaultAHT.Seconds(), MaxOccupancy: defaultOccupancy, Shrinkage: defaultShrinkage}
	for _, f := range []struct {
		name string
		set  func(float64)
		ok   func(float64) bool
		msg  string
	}{
		{"hourly_cost", func(x float64) { in.HourlyCost = &x }, func(x float64) bool { return x >= 0 && x <= maxHourlyCost },
			fmt.Sprintf("hourly_cost must be a number from 0 to %d, the cost of one paid agent hour.", maxHourlyCost)},
		{"aht", func(x float64) { in.AHTSeconds = x }, func(x float64) bool { return x >= 1 && x <= staffing.MaxAHT.Seconds() },
			"aht must be a number of seconds from 1 to a day (86400): the time an agent spends on a contact."},
		{"max_occupancy", func(x float64) { in.MaxOccupancy = x }, func(x float64) bool { return x >= minValueOccupancy && x <= 1 },
			fmt.Sprintf("max_occupancy must be a share from %g to 1, such as 0.85: the part of their time on the queue agents spend on contacts.", minValueOccupancy)},
		{"shrinkage", func(x float64) { in.Shrinkage = x }, func(x float64) bool { return x >= 0 && x <= staffing.MaxShrinkage },
			fmt.Sprintf("shrinkage must be a share from 0 to %g, such as 0.3: the part of paid time agents are off the queue.", staffing.MaxShrinkage)},
		{"customer_value", func(x float64) { in.CustomerValue = &x }, func(x float64) bool { return x >= 0 && x <= maxCustomerValue },
			fmt.Sprintf("customer_value must be a number from 0 to %d: what keeping one customer is worth, such as a year's margin.", maxCustomerValue)},
		{"saved_share", func(x float64) { in.SavedShare = &x }, func(x float64) bool { return x >= 0 && x <= 1 },
			"saved_share must be a share from 0 to 1, such as 0.2: of unhappy customers whose issue is resolved, the part who stay but would have left without it."},
	} {
		v, err := valuesFloat(q, f.name)
		if err != nil {
			return in, err
		}
		if v == nil {
			continue
		}
		if !f.ok(*v) {
			return in, care.Errorf(care.EINVALID, "%s", f.msg)
		}
		f.set(*v)
	}
	if (in.CustomerValue == nil) != (in.SavedShare == nil) {
		return in, care.Errorf(care.EINVALID, "customer_value and saved_share go together: give both for the value of resolving issues, or neither.")
	}
	return in, nil
}

// row is a group's figures with the money these inputs put on it.
func (in ValueInputs) row(g care.ValueReportRow) ValueRow {
	r := ValueRow{Key: g.Key, Contacts: g.Contacts, Resolved: g.Resolved, OneTouch: g.OneTouch, Replies: g.Replies,
		Negative: g.Negative, NegativeResolved: g.NegativeResolved, SurveysAnswered: g.SurveysAnswered}
	ratio := func(a, b float64) *float64 {
		x := a / b
		if b <= 0 || math.IsInf(x, 0) || math.IsNaN(x) {
			// Absent, not infinite: a cost too small to divide by is
			// no return at all, and JSON has no Inf.
			return nil
		}
		return &x
	}
	r.AvgScore = ratio(float64(g.ScoreSum), float64(g.SurveysAnswered))
	r.Satisfied = ratio(float64(g.Satisfied), float64(g.SurveysAnswered))
	if in.HourlyCost != nil {
		// Paid hours as the staffing plan rosters them: the handle time
		// over the occupancy agents can keep up, over the share of paid
		// time they are on the queue.
		hours := float64(g.Contacts) * in.AHTSeconds / 3600 / in.MaxOccupancy / (1 - in.Shrinkage)
		cost := hours * *in.HourlyCost
		r.PaidHours, r.Cost = &hours, &cost
		r.CostPerContact = ratio(cost, float64(g.Contacts))
		r.CostPerResolution = ratio(cost, float64(g.Resolved))
	}
	if in.CustomerValue != nil && in.SavedShare != nil {
		kept := float64(g.NegativeResolved) * *in.CustomerValue * *in.SavedShare
		r.ValueKept = &kept
		if r.Cost != nil {
			r.Return = ratio(kept, *r.Cost)
		}
	}
	return r
}

func writeValueCSV(w http.ResponseWriter, rep *ValueReport) {
	cw := csvDownload(w, "value-by-"+rep.By+"-"+rep.From.UTC().Format("2006-01-02"))
	cw.Write([]string{rep.By, "name", "contacts", "resolved", "one_touch", "replies", "negative", "negative_resolved",
		"surveys_answered", "avg_score", "satisfied", "paid_hours", "cost", "cost_per_contact", "cost_per_resolution", "value_kept", "return"})
	f := func(v *float64, prec int) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', prec, 64)
	}
	for _, r := range slices.Concat(rep.Rows, []ValueRow{rep.Totals}) {
		cw.Write([]string{csvSafe(r.Key), csvSafe(r.Name), strconv.Itoa(r.Contacts), strconv.Itoa(r.Resolved), strconv.Itoa(r.OneTouch),
			strconv.Itoa(r.Replies), strconv.Itoa(r.Negative), strconv.Itoa(r.NegativeResolved), strconv.Itoa(r.SurveysAnswered),
			f(r.AvgScore, 2), f(r.Satisfied, 4), f(r.PaidHours, 2), f(r.Cost, 2), f(r.CostPerContact, 2), f(r.CostPerResolution, 2),
			f(r.ValueKept, 2), f(r.Return, 2)})
	}
	cw.Flush()
}
