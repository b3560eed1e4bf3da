package hours

import (
	"slices"
	"time"
)

// Calendar is a team's business hours: open periods per weekday on the wall
// clock of one time zone, holidays closed all day, and special days with
// periods of their own. A Calendar is immutable and safe for concurrent use.
// The zero Calendar and a nil *Calendar are open all the time, like
// AlwaysOpen; every other Calendar comes from Parse.
type Calendar struct {
	loc  *time.Location
	week [7][]period // indexed by time.Weekday

	// exceptions are the holidays (no periods) and special days, sorted by day.
	exceptions []exception

	// weekly is the business time of a week without exceptions or clock
	// changes, which is what lets Add and Between skip such weeks whole.
	weekly time.Duration

	// limited is false for a calendar open around the clock, so that the
	// zero value is open and such calendars cost nothing.
	limited bool
}

// period is an open period of one day on the wall clock, in minutes after
// midnight; end may be 1440 (24:00).
type period struct {
	start, end int32
}

// exception is a holiday (periods nil) or a special day.
type exception struct {
	day     int64 // days since 1970-01-01
	periods []period
}

const (
	minutesPerDay = 24 * 60
	week          = 7 * 24 * time.Hour
)

// AlwaysOpen returns a calendar open 24 hours a day, 7 days a week, in UTC:
// the hours of a team that has none, under which business time is real time.
func AlwaysOpen() *Calendar {
	c := &Calendar{loc: time.UTC, weekly: week}
	for d := range c.week {
		c.week[d] = []period{{0, minutesPerDay}}
	}
	return c
}

// always reports whether c is open around the clock, so that business time
// is real time.
func (c *Calendar) always() bool { return c == nil || !c.limited }

// Location returns the time zone whose wall clock the periods follow.
func (c *Calendar) Location() *time.Location {
	if c == nil || c.loc == nil {
		return time.UTC
	}
	return c.loc
}

// periods returns the open periods of a day: a special day's own, none on a
// holiday, else its weekday's.
func (c *Calendar) periods(day int64) []period {
	if i, ok := slices.BinarySearchFunc(c.exceptions, day, func(e exception, d int64) int {
		switch {
		case e.day < d:
			return -1
		case e.day > d:
			return 1
		}
		return 0
	}); ok {
		return c.exceptions[i].periods
	}
	return c.week[weekday(day)]
}

// nextException returns the first exception on or after day, or false.
func (c *Calendar) nextException(day int64) (int64, bool) {
	i, _ := slices.BinarySearchFunc(c.exceptions, day, func(e exception, d int64) int {
		switch {
		case e.day < d:
			return -1
		case e.day > d:
			return 1
		}
		return 0
	})
	if i == len(c.exceptions) {
		return 0, false
	}
	return c.exceptions[i].day, true
}
