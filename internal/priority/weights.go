package priority

import (
	"fmt"
	"math"
	"strings"

	"github.com/parleyhq/parley/internal/care"
)

// Weights are the points each component is worth at its full value (at the
// SLA target for Waiting). Configure them per workspace and check them with
// Validate; Compute counts a negative or non-finite weight as 0 and caps the
// reach weight at half the waiting weight, so the invariants hold even for a
// configuration that was never validated.
type Weights struct {
	Waiting  float64
	Need     float64
	Reach    float64
	Incident float64
	History  float64
	// Value weighs the customer's value to the business. It is 0 by
	// default: paying more should not buy a faster answer unless a
	// workspace decides so.
	Value float64
	// ReachOff turns the reach boost off entirely, whatever Reach says.
	ReachOff bool
}

// DefaultWeights returns the proposed weights: 40, 25, 15, 10 and 10 points,
// and none for customer value.
func DefaultWeights() Weights {
	return Weights{Waiting: 40, Need: 25, Reach: 15, Incident: 10, History: 10}
}

// maxWeight keeps one component from dwarfing the rest so badly that the
// score stops being readable; it is far above any sensible setting.
const maxWeight = 1000

// Validate reports every problem with w in one error with code
// care.EINVALID: a weight that is negative, not a number or above 1000, or a
// reach weight above half the waiting weight, which would let reach alone
// move a message ahead of one that has waited more than half an SLA longer.
func (w Weights) Validate() error {
	var problems []string
	for _, c := range []struct {
		name string
		v    float64
	}{
		{"waiting", w.Waiting}, {"need", w.Need}, {"reach", w.Reach},
		{"incident", w.Incident}, {"history", w.History}, {"value", w.Value},
	} {
		switch {
		case math.IsNaN(c.v) || math.IsInf(c.v, 0):
			problems = append(problems, fmt.Sprintf("the %s weight must be a number", c.name))
		case c.v < 0:
			problems = append(problems, fmt.Sprintf("the %s weight is %g; it must not be negative", c.name, c.v))
		case c.v > maxWeight:
			problems = append(problems, fmt.Sprintf("the %s weight is %g; it must be at most %d", c.name, c.v, maxWeight))
		}
	}
	if w.Reach > 0.5*w.Waiting {
		problems = append(problems, fmt.Sprintf(
			"the reach weight (%g) must be at most half the waiting weight (%g), so that reach cannot put a message ahead of one that has waited more than half an SLA longer",
			w.Reach, w.Waiting))
	}
	if len(problems) > 0 {
		return care.Errorf(care.EINVALID, "invalid priority weights: %s", strings.Join(problems, "; "))
	}
	return nil
}

// sane is w as Compute uses it: every weight finite and at least 0, reach 0
// when switched off. Keeping this in one place is what lets the score be
// monotonic whatever the configuration says.
func (w Weights) sane() Weights {
	f := func(v float64) float64 {
		if !(v >= 0) || math.IsInf(v, 1) {
			return 0
		}
		return min(v, maxWeight)
	}
	s := Weights{Waiting: f(w.Waiting), Need: f(w.Need), Reach: f(w.Reach), Incident: f(w.Incident),
		History: f(w.History), Value: f(w.Value), ReachOff: w.ReachOff}
	s.Reach = min(s.Reach, 0.5*s.Waiting)
	if s.ReachOff {
		s.Reach = 0
	}
	return s
}
