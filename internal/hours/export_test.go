package hours

import "time"

// SlowBetween is Between without its shortcuts: every period boundary of
// every day is mapped onto the timeline by at, and no week is skipped. The
// property tests hold the fast paths to it.
func (c *Calendar) SlowBetween(a, b time.Time) time.Duration {
	if c.always() {
		return max(b.Sub(a), 0)
	}
	first := func(t time.Time) int64 { y, m, d := t.In(c.loc).Date(); return dayNumber(y, m, d) }
	var sum time.Duration
	for day := first(a) - 1; day <= first(b)+1; day++ {
		for _, p := range c.periods(day) {
			from, _ := c.at(day, p.start)
			to, _ := c.at(day, p.end)
			from, to = later(from, a), earlier(to, b)
			if to.After(from) {
				sum += to.Sub(from)
			}
		}
	}
	return sum
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
