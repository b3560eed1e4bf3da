package hours_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/hours"
	"pgregory.net/rapid"
)

// Zones with clock changes in either hemisphere, at midnight (Santiago),
// back across midnight (Goose Bay, until 2010), by half an hour (Lord Howe),
// of a whole day (Apia, 2011), and none.
var zones = []string{"UTC", "Europe/London", "America/New_York", "Australia/Sydney", "America/Santiago",
	"Australia/Lord_Howe", "Pacific/Apia", "Asia/Kolkata", "America/St_Johns", "Asia/Tehran", "America/Goose_Bay"}

// Calendars and instants are drawn within three years of one of these
// starts; Apia skipped 30 December 2011 whole.
var (
	eras     = []time.Time{time.Date(2010, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}
	spanDays = 3 * 365
)

// drawPeriods draws up to three periods on a quarter-hour grid, which
// includes the times around every clock change of the zones above.
func drawPeriods(t *rapid.T, label string) [][]string {
	n := rapid.IntRange(0, 3).Draw(t, label+".n")
	marks := rapid.SliceOfNDistinct(rapid.IntRange(0, 96), 2*n, 2*n, rapid.ID).Draw(t, label)
	slices.Sort(marks)
	var ps [][]string
	for i := 0; i+1 < len(marks); i += 2 {
		ps = append(ps, []string{clock(marks[i] * 15), clock(marks[i+1] * 15)})
	}
	return ps
}

func clock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

func drawCalendar(t *rapid.T) (*hours.Calendar, time.Time) {
	era := rapid.SampledFrom(eras).Draw(t, "era")
	week := map[string][][]string{}
	for _, d := range []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"} {
		if ps := drawPeriods(t, d); len(ps) > 0 {
			week[d] = ps
		}
	}
	if len(week) == 0 {
		week["mon"] = [][]string{{"09:00", "17:00"}}
	}
	dates := rapid.SliceOfNDistinct(rapid.IntRange(0, spanDays), 0, 8, rapid.ID).Draw(t, "dates")
	var holidays []string
	special := map[string][][]string{}
	for i, d := range dates {
		date := era.AddDate(0, 0, d).Format(time.DateOnly)
		if ps := drawPeriods(t, date); i%2 == 0 && len(ps) > 0 {
			special[date] = ps
		} else {
			holidays = append(holidays, date)
		}
	}
	js, err := json.Marshal(map[string]any{"time_zone": rapid.SampledFrom(zones).Draw(t, "zone"),
		"week": week, "holidays": holidays, "special": special})
	if err != nil {
		t.Fatal(err)
	}
	c, err := hours.Parse(js)
	if err != nil {
		t.Fatalf("Parse(%s) = %v", js, err)
	}
	return c, era
}

func drawTime(t *rapid.T, era time.Time, label string) time.Time {
	ns := rapid.Int64Range(0, int64(spanDays)*int64(24*time.Hour)).Draw(t, label)
	return era.Add(time.Duration(ns))
}

func drawDuration(t *rapid.T, label string) time.Duration {
	max := rapid.SampledFrom([]time.Duration{time.Hour, 24 * time.Hour, 30 * 24 * time.Hour, 400 * 24 * time.Hour}).Draw(t, label+".scale")
	return time.Duration(rapid.Int64Range(0, int64(max)).Draw(t, label))
}

// Add is the inverse of Between, monotonic in d, and the earliest answer.
func TestAddInverse(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		c, era := drawCalendar(t)
		from := drawTime(t, era, "from")
		d1, d2 := drawDuration(t, "d1"), drawDuration(t, "d2")
		u1, u2 := c.Add(from, d1), c.Add(from, d2)
		if got := c.Between(from, u1); got != d1 {
			t.Fatalf("Between(t, Add(t, %v)) = %v (Add = %v)", d1, got, u1)
		}
		if d1 > 0 {
			if got := c.Between(from, u1.Add(-1)); got >= d1 {
				t.Fatalf("Add(t, %v) = %v is not the earliest: a nanosecond earlier Between = %v", d1, u1, got)
			}
		}
		if (d1 < d2 && u1.After(u2)) || (d2 < d1 && u2.After(u1)) {
			t.Fatalf("Add(t, %v) = %v but Add(t, %v) = %v", d1, u1, d2, u2)
		}
	})
}

// Between agrees with a day-by-day walk without shortcuts, and adds up.
func TestBetweenReference(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		c, era := drawCalendar(t)
		a := drawTime(t, era, "a")
		b := a.Add(drawDuration(t, "ab"))
		m := a.Add(time.Duration(rapid.Int64Range(0, int64(b.Sub(a))).Draw(t, "m")))
		got, want := c.Between(a, b), c.SlowBetween(a, b)
		if got != want {
			t.Fatalf("Between(%v, %v) = %v, want %v", a, b, got, want)
		}
		if parts := c.Between(a, m) + c.Between(m, b); parts != got {
			t.Fatalf("Between(a, m) + Between(m, b) = %v, want %v", parts, got)
		}
	})
}

// Open and NextOpen agree with Between.
func TestOpenProperties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		c, era := drawCalendar(t)
		at := drawTime(t, era, "at")
		if open, measured := c.Open(at), c.Between(at, at.Add(1)) == 1; open != measured {
			t.Fatalf("Open(%v) = %v, but Between of the next nanosecond says %v", at, open, measured)
		}
		next := c.NextOpen(at)
		if next.Before(at) || !c.Open(next) || c.Between(at, next) != 0 {
			t.Fatalf("NextOpen(%v) = %v: open %v, business time before it %v", at, next, c.Open(next), c.Between(at, next))
		}
		if c.Open(at) != next.Equal(at) {
			t.Fatalf("Open(%v) = %v but NextOpen = %v", at, c.Open(at), next)
		}
	})
}
