package priority

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"time"
)

// Input is what a conversation's score is computed from. Components outside
// their range are clamped, and a value that is not a number counts as 0.
type Input struct {
	// Waited is the business time waited, from the SLA clock, or the wall
	// time when no SLA applies; 0 when nobody waits, which adds no points
	// and no "waiting" reason.
	Waited time.Duration
	// Target is the SLA target Waited is measured against; 0 means
	// DefaultTarget.
	Target time.Duration
	// Due is the SLA deadline, shown as "SLA due in 6 min"; nil when none.
	Due *time.Time
	// Need is U in [0,1]: the stronger of negative sentiment intensity and
	// topic severity. NeedReason names it on the card ("negative",
	// "refund").
	Need       float64
	NeedReason string
	// Reach is R in [0,1], 0 for anything private (see ReachOf).
	// ReachReason names it ("38k followers").
	Reach       float64
	ReachReason string
	// Incident is V in [0,1]: severity/10 of an open incident.
	// IncidentReason names it ("outage: 6 customers in 30 min").
	Incident       float64
	IncidentReason string
	// History is H in [0,1]: repeat contacts on the same matter, reopens.
	History float64
	// Value is the customer's value to the business in [0,1].
	Value float64
	// Boost is extra points from a topic rule or an automation, within
	// ±MaxBoost; it may be negative.
	Boost float64
}

// Result is a conversation's score and its explanation.
type Result struct {
	Score float64
	// Urgent is true once the conversation has waited UrgentAt of its SLA
	// target: it is then dispatched before anything that is not.
	Urgent bool
	// Parts are the score's terms, in a fixed order; their Points add up
	// to Score.
	Parts []Part
	// Reasons are short strings for the conversation card, most important
	// first; callers join them with " · ".
	Reasons []string
}

// Part is one term of a score.
type Part struct {
	// Name is the component: "waiting", "need", "reach", "incident",
	// "history", "value" or "boost".
	Name   string
	Points float64
	// Why is the term as a person reads it: "waiting 20/60 min: 13.3".
	Why string
}

const (
	// DefaultTarget is the target waiting is measured against when a
	// conversation has no SLA.
	DefaultTarget = 60 * time.Minute
	// UrgentAt is the share of its SLA target after which a conversation
	// goes ahead of everything that has not reached it.
	UrgentAt = 0.8
	// MaxBoost bounds Input.Boost either way.
	MaxBoost = 50
)

// Compute scores one conversation at time now with weights w. It never
// fails: hostile or broken input is clamped, so the score is finite and
// grows with every component.
func Compute(in Input, w Weights, now time.Time) Result {
	w = w.sane()
	target := in.Target
	if target <= 0 {
		target = DefaultTarget
	}
	waited := max(in.Waited, 0)
	ratio := float64(waited) / float64(target)

	parts := make([]Part, 0, 7)
	waiting := w.Waiting * ratio
	parts = append(parts, Part{Name: "waiting", Points: waiting,
		Why: "waiting " + minutes(waited) + "/" + minutes(target) + " min: " + pts(waiting)})
	add := func(name string, weight, v float64, reason, fallback string) {
		if p := weight * unit(v); p > 0 {
			parts = append(parts, Part{Name: name, Points: p, Why: label(reason, fallback) + ": " + pts(p)})
		}
	}
	add("need", w.Need, in.Need, in.NeedReason, "needs help")
	add("reach", w.Reach, in.Reach, in.ReachReason, "public post")
	add("incident", w.Incident, in.Incident, in.IncidentReason, "open incident")
	add("history", w.History, in.History, "", "repeat contact")
	add("value", w.Value, in.Value, "", "valued customer")
	if b := boost(in.Boost); b != 0 {
		parts = append(parts, Part{Name: "boost", Points: b, Why: "rule: " + signed(b)})
	}

	r := Result{Urgent: ratio >= UrgentAt, Parts: parts}
	for _, p := range parts {
		r.Score += p.Points
	}
	r.Reasons = reasons(in, r, waited, now)
	return r
}

// reasons lists what matters most first: an urgent conversation's deadline,
// then the parts by points, then a deadline that is not pressing yet.
func reasons(in Input, r Result, waited time.Duration, now time.Time) []string {
	var buf [8]int // Compute makes at most 7 parts; this keeps the sort off the heap
	order := buf[:len(r.Parts)]
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(r.Parts[b].Points, r.Parts[a].Points) })

	out := make([]string, 0, len(order)+1)
	var due string
	if in.Due != nil {
		if left := in.Due.Sub(now); left >= 0 {
			due = "SLA due in " + span(left)
		} else {
			over := -left
			if over < 0 { // the negation of the smallest duration wraps to itself
				over = math.MaxInt64
			}
			due = "SLA overdue by " + span(over)
		}
		if r.Urgent {
			out = append(out, due)
		}
	}
	for _, i := range order {
		p := r.Parts[i]
		switch p.Name {
		case "waiting":
			// Nobody waiting is no reason: the card of an answered
			// conversation must not read "waiting <1 min".
			if waited > 0 {
				out = append(out, "waiting "+span(waited))
			}
		case "need":
			out = append(out, label(in.NeedReason, "needs help"))
		case "reach":
			out = append(out, label(in.ReachReason, "public post"))
		case "incident":
			out = append(out, label(in.IncidentReason, "open incident"))
		case "history":
			out = append(out, "repeat contact")
		case "value":
			out = append(out, "valued customer")
		case "boost":
			out = append(out, "rule "+signed(p.Points))
		}
	}
	if due != "" && !r.Urgent {
		out = append(out, due)
	}
	return out
}

// unit clamps a component to [0,1]; NaN counts as nothing.
func unit(v float64) float64 {
	if !(v > 0) {
		return 0
	}
	return min(v, 1)
}

func boost(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return max(-MaxBoost, min(v, MaxBoost))
}

// pts writes points with one decimal, as every card shows them.
func pts(p float64) string { return strconv.FormatFloat(p, 'f', 1, 64) }

func signed(p float64) string {
	if p > 0 {
		return "+" + pts(p)
	}
	return pts(p)
}
