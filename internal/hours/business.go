package hours

import (
	"math"
	"time"
)

// Open reports whether t falls in an open period.
func (c *Calendar) Open(t time.Time) bool {
	if c.always() {
		return true
	}
	k := c.locate(t)
	for _, p := range c.periods(k.day) {
		if !t.Before(k.bound(p.start)) && t.Before(k.bound(p.end)) {
			return true
		}
	}
	return false
}

// NextOpen returns the first instant at or after t at which c is open: t
// itself when c is open at t.
func (c *Calendar) NextOpen(t time.Time) time.Time {
	if c.always() {
		return t
	}
	t = t.Round(0)
	// Parse makes sure a week has an open period, and there are few
	// exceptions, so the walk ends within a few weeks past the exceptions.
	for k := c.locate(t); ; k.next() {
		for _, p := range c.periods(k.day) {
			from, to := k.bound(p.start), k.bound(p.end)
			if t.Before(to) && from.Before(to) {
				if from.Before(t) {
					return t
				}
				return from
			}
		}
	}
}

// Add returns the instant at which d of business time has elapsed after t:
// the earliest instant u with Between(t, u) == d, which is the end of an
// open period when d runs out exactly there. Add returns t when d <= 0.
// Its cost grows with the clock changes and exceptions it passes, not with
// d: plain weeks are skipped whole.
func (c *Calendar) Add(t time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return t
	}
	if c.always() {
		return t.Add(d)
	}
	t = t.Round(0)
	for k := c.locate(t); ; k.next() {
		if d > c.weekly && !t.After(k.start) {
			// Keep at least a nanosecond to go, so that the answer is
			// found inside a day and not at a week's end.
			n := k.plainWeeks(int64((d - 1) / c.weekly))
			k.skip(n)
			d -= time.Duration(n) * c.weekly
		}
		for _, p := range c.periods(k.day) {
			from, to := k.bound(p.start), k.bound(p.end)
			if !to.After(t) {
				continue
			}
			if from.Before(t) {
				from = t
			}
			left := to.Sub(from)
			if left >= d {
				return from.Add(d)
			}
			d -= left
		}
		t = k.end()
	}
}

// Between returns the business time in [a, b): how much of it falls in open
// periods. It is 0 when b is not after a, and saturates at the largest
// Duration.
func (c *Calendar) Between(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	if c.always() {
		return b.Sub(a)
	}
	a, b = a.Round(0), b.Round(0)
	var sum time.Duration
	t := a
	for k := c.locate(a); k.start.Before(b); k.next() {
		if !t.After(k.start) {
			n := k.plainWeeks(int64(b.Sub(k.start) / week))
			k.skip(n)
			sum = addSat(sum, time.Duration(n)*c.weekly)
		}
		for _, p := range c.periods(k.day) {
			from, to := k.bound(p.start), k.bound(p.end)
			if from.Before(t) {
				from = t
			}
			if to.After(b) {
				to = b
			}
			if to.After(from) {
				sum = addSat(sum, to.Sub(from))
			}
		}
		t = k.end()
	}
	return sum
}

func addSat(a, b time.Duration) time.Duration {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}
