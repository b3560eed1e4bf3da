package sla

import (
	"slices"
	"time"

	"github.com/parleyhq/parley/internal/hours"
)

// Due is the deadline of a running clock.
type Due struct {
	Kind Kind      `json:"kind"`
	At   time.Time `json:"at"` // when the clock reaches its target: the deadline to show

	// WarnAt is when the clock reaches the warning share of its target; zero
	// when the policy sets no warning, or it or the breach was announced.
	WarnAt time.Time `json:"warn_at,omitzero"`

	// BreachAt is the first instant at which Check finds the target
	// breached (Used > target): a nanosecond of business time after At, so
	// the next opening when At is a closing time. Zero once the breach was
	// announced. A Timer fires the breach then, so that the Check it
	// prompts agrees.
	BreachAt time.Time `json:"breach_at,omitzero"`
}

// Level is how serious an Alert is.
type Level string

// Levels.
const (
	Warning Level = "warning" // the clock used the warning share of its target
	Breach  Level = "breach"  // the clock used more than its target
)

// Alert announces a warning or a breach.
type Alert struct {
	Kind  Kind      `json:"kind"`
	Level Level     `json:"level"`
	Due   time.Time `json:"due,omitzero"` // the deadline; zero when the clock is paused or stopped
}

// kinds lists the clocks in the order they are reported.
var kinds = [...]Kind{FirstResponse, NextResponse, Resolution}

// Deadlines returns the deadlines of the running clocks whose kind has a
// target, for the conversation's due times and for a Timer. Paused and
// stopped clocks have none.
func (s State) Deadlines(t Targets, cal *hours.Calendar) []Due {
	var out []Due
	for _, k := range kinds {
		c, target := s.Clock(k), t.Target(k)
		if c == nil || target <= 0 || !c.Running() {
			continue
		}
		d := Due{Kind: k, At: c.reach(target, cal)}
		breached := slices.Contains(s.Breached, k)
		if w := t.warning(target); w > 0 && !breached && !slices.Contains(s.Warned, k) {
			d.WarnAt = c.reach(w, cal)
		}
		if !breached {
			if c.Consumed > target {
				d.BreachAt = c.Mark
			} else {
				d.BreachAt = cal.Add(d.At, time.Nanosecond)
			}
		}
		if out == nil {
			out = make([]Due, 0, len(kinds))
		}
		out = append(out, d)
	}
	return out
}

// Check returns the state with the alerts due by now announced, and those
// alerts: a breach once a clock has used more than its target, a warning
// once a clock that has not stopped has used its warning share. Each fires
// once. A breach found before its warning was given replaces it, and a
// stopped clock is still checked, so that a late reply counts as a breach
// even if no Timer fired in between.
func (s State) Check(now time.Time, t Targets, cal *hours.Calendar) (State, []Alert) {
	var alerts []Alert
	warned, breached := s.Warned, s.Breached
	for _, k := range kinds {
		c, target := s.Clock(k), t.Target(k)
		if c == nil || target <= 0 || slices.Contains(breached, k) {
			continue
		}
		w, used := t.warning(target), c.Used(now, cal)
		switch {
		case used > target:
			breached = append(slices.Clip(breached), k)
			if !slices.Contains(warned, k) {
				warned = append(slices.Clip(warned), k)
			}
			alerts = append(alerts, Alert{Kind: k, Level: Breach, Due: due(c, target, cal)})
		case w > 0 && used >= w && c.Stopped.IsZero() && !slices.Contains(warned, k):
			warned = append(slices.Clip(warned), k)
			alerts = append(alerts, Alert{Kind: k, Level: Warning, Due: due(c, target, cal)})
		}
	}
	s.Warned, s.Breached = warned, breached
	return s, alerts
}

func due(c *Clock, target time.Duration, cal *hours.Calendar) time.Time {
	at, _ := c.Due(target, cal)
	return at
}
