package hours

import (
	"math"
	"time"
)

// This file maps the wall clock of a calendar's zone onto instants. A
// period opens the first time the wall clock reaches its start and closes
// the first time it reaches its end (see the package documentation for
// what that means when the clocks change).

// at returns the first instant at which the wall clock shows minute m of
// day or later, and whether it shows exactly that minute: false when the
// clocks skipped it, in which case the instant is the change that did.
func (c *Calendar) at(day int64, m int32) (time.Time, bool) {
	y, mo, d := civil(day)
	t := time.Date(y, mo, d, 0, int(m), 0, 0, c.loc)
	wall := (day*minutesPerDay + int64(m)) * 60
	_, off := t.Zone()
	shown := t.Unix() + int64(off)
	if shown == wall {
		// In a repeated hour the wall time also shows in the zone period
		// before t's, earlier; time.Date does not promise which it picks.
		start, _ := t.ZoneBounds()
		if !start.IsZero() && t.Sub(start) < 24*time.Hour {
			_, prev := start.Add(-time.Second).Zone()
			if e := wall - int64(prev); prev != off && e < start.Unix() {
				return time.Unix(e, 0).In(c.loc), true
			}
		}
		return t, true
	}
	// The minute was skipped. time.Date read it in one of the two zone
	// periods around the change; the change is the boundary between them.
	start, end := t.ZoneBounds()
	if shown > wall {
		return start, false
	}
	return end, false
}

// cursor walks a calendar day by day. While no clock change is near, days
// are exactly 24 hours and minute m of the day is start plus m minutes, so
// walking costs no time zone arithmetic.
type cursor struct {
	c       *Calendar
	day     int64
	start   time.Time // first instant of day
	exact   bool      // start shows midnight (false when midnight was skipped)
	zoneEnd time.Time // end of the zone period holding start; zero if none
	linear  bool      // no clock change falls within the day
}

func (c *Calendar) cursorAt(day int64) cursor {
	start, exact := c.at(day, 0)
	_, end := start.ZoneBounds()
	k := cursor{c: c, day: day, start: start, exact: exact, zoneEnd: end}
	k.settle()
	return k
}

// settle works out whether the cursor's day is linear. The end is strict
// because a change at the next midnight moves it.
func (k *cursor) settle() {
	k.linear = k.exact && (k.zoneEnd.IsZero() || k.start.Add(24*time.Hour).Before(k.zoneEnd))
}

// locate returns a cursor on the day that holds t.
func (c *Calendar) locate(t time.Time) cursor {
	t = t.Round(0)
	_, off := t.In(c.loc).Zone()
	wall := t.Unix() + int64(off) // seconds
	day := floorDiv(wall, 86400)
	// Usually the zone period holding t holds its whole day too, and the
	// day started as long ago as t's wall clock says. The period must have
	// begun two days before, longer than any clock change, or the one
	// before may have shown this midnight first.
	start := t.Add(-time.Duration(wall-day*86400)*time.Second - time.Duration(t.Nanosecond()))
	if zoneStart, zoneEnd := t.In(c.loc).ZoneBounds(); zoneStart.IsZero() || start.Sub(zoneStart) >= 48*time.Hour {
		k := cursor{c: c, day: day, start: start, exact: true, zoneEnd: zoneEnd}
		if k.settle(); k.linear {
			return k
		}
	}
	k := c.cursorAt(day)
	// t's date is almost always the day holding it. The day cannot start
	// after t, which shows a time of that date, but where the clocks go
	// back across midnight the repeated evening belongs to the next day.
	if !t.Before(k.end()) {
		return c.cursorAt(k.day + 1)
	}
	return k
}

// end returns the first instant of the next day.
func (k *cursor) end() time.Time {
	if k.linear {
		return k.start.Add(24 * time.Hour)
	}
	t, _ := k.c.at(k.day+1, 0)
	return t
}

// bound returns the instant a period boundary at minute m opens or closes.
func (k *cursor) bound(m int32) time.Time {
	if k.linear {
		return k.start.Add(time.Duration(m) * time.Minute)
	}
	t, _ := k.c.at(k.day, m)
	return t
}

// next moves the cursor to the following day.
func (k *cursor) next() {
	if k.linear {
		k.day++
		k.start = k.start.Add(24 * time.Hour)
		k.settle()
		return
	}
	*k = k.c.cursorAt(k.day + 1)
}

// plainWeeks returns how many whole weeks from the cursor's day, at most
// limit, hold no exception and no clock change, so that each has exactly
// the calendar's weekly business time and lasts exactly 168 hours.
func (k *cursor) plainWeeks(limit int64) int64 {
	if !k.exact || limit <= 0 {
		return 0
	}
	// The skip itself must fit in a Duration; a longer one is done in parts.
	n := min(limit, int64(math.MaxInt64/week))
	if !k.zoneEnd.IsZero() {
		// Every day's end, the last one included, must fall before the change.
		n = min(n, int64((k.zoneEnd.Sub(k.start)-1)/week))
	}
	if e, ok := k.c.nextException(k.day); ok {
		n = min(n, (e-k.day)/7)
	}
	return max(n, 0)
}

// skip moves the cursor n plain weeks ahead.
func (k *cursor) skip(n int64) {
	if n <= 0 {
		return
	}
	k.day += 7 * n
	k.start = k.start.Add(time.Duration(n) * week)
	k.settle()
}
