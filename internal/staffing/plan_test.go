package staffing_test

import (
	"math"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/staffing"
)

// patternWeek is a forecast of pattern(how)·scale arrivals an hour in loc.
func patternWeek(loc *time.Location, scale float64) *staffing.Week {
	w := &staffing.Week{Loc: loc, Trend: 1}
	for how := range w.Rates {
		w.Rates[how] = pattern(how) * scale
	}
	return w
}

func TestWeekStart(t *testing.T) {
	t.Parallel()
	london, santiago := zone(t, "Europe/London"), zone(t, "America/Santiago")
	for _, tt := range []struct {
		loc      *time.Location
		at, want string
	}{
		{london, "2026-11-25 15:40", "2026-11-23 00:00"},
		{london, "2026-11-23 00:00", "2026-11-23 00:00"},
		{london, "2026-11-22 23:59", "2026-11-16 00:00"},
		{london, "2026-03-29 12:00", "2026-03-23 00:00"}, // the Sunday clocks go forward
		{london, "2026-11-01 09:00", "2026-10-26 00:00"}, // across the end of a month
		{london, "2027-01-01 09:00", "2026-12-28 00:00"}, // and of a year
		{santiago, "2026-04-06 10:00", "2026-04-06 00:00"},
	} {
		got := staffing.WeekStart(local(t, tt.loc, tt.at), tt.loc)
		if want := local(t, tt.loc, tt.want); !got.Equal(want) {
			t.Errorf("WeekStart(%s) = %v, want %v", tt.at, got, want)
		}
	}
}

func TestPlan(t *testing.T) {
	t.Parallel()
	london := zone(t, "Europe/London")
	w := patternWeek(london, 10)
	for _, q := range []staffing.Queue{
		classic,
		{Model: staffing.ModelConcurrent, Concurrency: 3, AHT: 7 * time.Minute, ServiceLevel: 0.8, Within: time.Minute, MaxOccupancy: 0.85, Shrinkage: 0.35},
		{Model: staffing.ModelWorkload, AHT: 4 * time.Minute, Within: 2 * time.Hour, MaxOccupancy: 0.85, Shrinkage: 0.3},
	} {
		from := local(t, london, "2026-11-23 00:00")
		plan, err := q.Plan(w, from)
		if err != nil {
			t.Fatal(err)
		}
		if len(plan) != 168 {
			t.Fatalf("%d hours, want 168", len(plan))
		}
		for i, h := range plan {
			if !h.Start.Equal(from.Add(time.Duration(i)*time.Hour)) || h.Rate != pattern(i)*10 {
				t.Fatalf("hour %d: starts %v at %g an hour", i, h.Start, h.Rate)
			}
			want, err := q.Required(h.Rate)
			if err != nil {
				t.Fatal(err)
			}
			if h.Metrics != want {
				t.Errorf("hour %d: %+v, want %+v", i, h.Metrics, want)
			}
			if h.Agents == 0 || h.Scheduled < h.Agents || h.Overloaded {
				t.Errorf("hour %d: %+v", i, h.Metrics)
			}
		}
	}

	quiet, err := classic.Plan(&staffing.Week{Loc: london}, local(t, london, "2026-11-23 00:00"))
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range quiet {
		if h.Agents != 0 || h.Scheduled != 0 || h.ServiceLevel != 1 {
			t.Fatalf("a quiet week needs nobody: %+v", h)
		}
	}
}

// TestPlanClockChanges plans the weeks the clocks change, from a forecast
// of past weeks on the local clock, and checks that every hour of the plan
// has the rate of its hour on the wall clock, the pattern unshifted.
func TestPlanClockChanges(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name     string
		zone     string
		day      string // a day in the week to plan
		hours    int
		changeAt int // the local hour on Sunday that is skipped or repeated
	}{
		{"London spring", "Europe/London", "2026-03-26 12:00", 167, 1},
		{"London autumn", "Europe/London", "2026-10-25 12:00", 169, 1},
		{"New York spring", "America/New_York", "2026-03-04 12:00", 167, 2},
		{"New York autumn", "America/New_York", "2026-10-28 12:00", 169, 1},
	} {
		loc := zone(t, tt.zone)
		from := staffing.WeekStart(local(t, loc, tt.day), loc)
		past := history(from.AddDate(0, 0, -42), from, loc, func(how, _ int) int { return 10 * int(pattern(how)) })
		w, err := staffing.Forecast(past, loc, staffing.Options{})
		if err != nil {
			t.Fatal(err)
		}
		plan, err := classic.Plan(w, from)
		if err != nil {
			t.Fatal(err)
		}
		if len(plan) != tt.hours {
			t.Fatalf("%s: %d hours, want %d", tt.name, len(plan), tt.hours)
		}
		atChange := 0
		for i, h := range plan {
			wall := h.Start.In(loc)
			how := (int(wall.Weekday())+6)%7*24 + wall.Hour()
			if !h.Start.Equal(from.Add(time.Duration(i)*time.Hour)) || !near(h.Rate, 10*pattern(how), 1e-9) {
				t.Errorf("%s: hour %d (%s) at %g an hour, want %g", tt.name, i, wall.Format("Mon 15:04 MST"), h.Rate, 10*pattern(how))
			}
			if wall.Weekday() == time.Sunday && wall.Hour() == tt.changeAt {
				atChange++
			}
		}
		if want := 1 + tt.hours - 168; atChange != want {
			t.Errorf("%s: Sunday %02d:00 planned %d times, want %d", tt.name, tt.changeAt, atChange, want)
		}
		if end := plan[len(plan)-1].Start.Add(time.Hour); !end.Equal(from.AddDate(0, 0, 7)) {
			t.Errorf("%s: plan ends at %v, want the next Monday 00:00", tt.name, end.In(loc))
		}
	}
}

func TestPlanInvalid(t *testing.T) {
	t.Parallel()
	london := zone(t, "Europe/London")
	from := local(t, london, "2026-11-23 00:00")
	busy := patternWeek(london, 1)
	busy.Rates[100] = 1e9
	broken := patternWeek(london, 1)
	broken.Rates[5] = math.NaN()
	for _, tt := range []struct {
		name string
		q    staffing.Queue
		w    *staffing.Week
	}{
		{"no forecast", classic, nil},
		{"no time zone", classic, &staffing.Week{}},
		{"invalid queue", staffing.Queue{}, patternWeek(london, 1)},
		{"an hour beyond one queue", classic, busy},
		{"a rate that is no number", classic, broken},
	} {
		if _, err := tt.q.Plan(tt.w, from); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("%s: %v, want EINVALID", tt.name, err)
		}
	}
}
