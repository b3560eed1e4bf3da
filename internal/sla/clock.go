package sla

import (
	"time"

	"github.com/parleyhq/parley/internal/hours"
)

// Clock measures the business time spent on one target. It is a small value
// stored with the conversation: Consumed holds what was used before Mark,
// so the time used is known at any instant without the message history.
//
// A clock is running while Mark is set and Stopped is not, paused while
// neither is set, and stopped once Stopped is set.
type Clock struct {
	Started  time.Time     `json:"started"`
	Consumed time.Duration `json:"consumed,omitempty"` // business time used before Mark
	Mark     time.Time     `json:"mark,omitzero"`      // when it last started running; zero when paused or stopped
	Stopped  time.Time     `json:"stopped,omitzero"`   // when the target was met; zero until then
}

// Start returns a clock running from at.
func Start(at time.Time) Clock {
	at = at.Round(0)
	return Clock{Started: at, Mark: at}
}

// Running reports whether c is counting.
func (c Clock) Running() bool { return !c.Mark.IsZero() && c.Stopped.IsZero() }

// Pause returns c paused at at, with the business time it ran added to
// Consumed. A clock that is not running is returned as it is.
func (c Clock) Pause(at time.Time, cal *hours.Calendar) Clock {
	if !c.Running() {
		return c
	}
	c.Consumed += cal.Between(c.Mark, at)
	c.Mark = time.Time{}
	return c
}

// Resume returns a paused c running again from at. A running or stopped
// clock is returned as it is.
func (c Clock) Resume(at time.Time) Clock {
	if !c.Mark.IsZero() || !c.Stopped.IsZero() {
		return c
	}
	c.Mark = at.Round(0)
	return c
}

// Stop returns c stopped at at: its target was met, or no longer applies.
// A stopped clock is returned as it is.
func (c Clock) Stop(at time.Time, cal *hours.Calendar) Clock {
	if !c.Stopped.IsZero() {
		return c
	}
	c = c.Pause(at, cal)
	c.Stopped = at.Round(0)
	return c
}

// Used returns the business time c has counted by now.
func (c Clock) Used(now time.Time, cal *hours.Calendar) time.Duration {
	if !c.Running() {
		return c.Consumed
	}
	return c.Consumed + cal.Between(c.Mark, now)
}

// Due returns the instant at which a running c reaches target: when Used
// equals it. A clock that had already used its target when it last resumed
// returns Mark, in the past. Due returns false when c is paused or stopped,
// which have no deadline.
func (c Clock) Due(target time.Duration, cal *hours.Calendar) (time.Time, bool) {
	if !c.Running() {
		return time.Time{}, false
	}
	return c.reach(target, cal), true
}

// reach returns the instant a running c reaches used, or Mark if it had
// already.
func (c Clock) reach(used time.Duration, cal *hours.Calendar) time.Time {
	if left := used - c.Consumed; left > 0 {
		return cal.Add(c.Mark, left)
	}
	return c.Mark
}
