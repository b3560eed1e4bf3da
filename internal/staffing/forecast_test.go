package staffing_test

import (
	"math"
	"regexp"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/staffing"
)

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// local returns the instant of a wall-clock time "2006-01-02 15:04" in loc.
func local(t testing.TB, loc *time.Location, s string) time.Time {
	t.Helper()
	at, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

// pattern is a week with every hour different, so that a pattern shifted
// by an hour cannot pass for it.
func pattern(how int) float64 { return float64(how%24*3 + how/24 + 1) }

// history counts arrivals from start to end (real hours) with count, given
// the wall-clock hour of the week in loc, worked out here by hand, and the
// number of whole 168-hour blocks back from the end.
func history(start, end time.Time, loc *time.Location, count func(how, weeksBack int) int) staffing.History {
	n := int(end.Sub(start) / time.Hour)
	h := staffing.History{Start: start, Counts: make([]int, n)}
	for i := range n {
		w := start.Add(time.Duration(i) * time.Hour).In(loc)
		how := (int(w.Weekday())+6)%7*24 + w.Hour()
		h.Counts[i] = count(how, (n-1-i)/168)
	}
	return h
}

func TestHourOfWeek(t *testing.T) {
	t.Parallel()
	london, tokyo, kolkata := zone(t, "Europe/London"), zone(t, "Asia/Tokyo"), zone(t, "Asia/Kolkata")
	utc := func(s string) time.Time { return local(t, time.UTC, s) }
	for _, tt := range []struct {
		at   time.Time
		loc  *time.Location
		want int
	}{
		{local(t, london, "2026-11-23 00:00"), london, 0}, // a Monday
		{local(t, london, "2026-11-23 00:59"), london, 0},
		{local(t, london, "2026-11-23 09:30"), london, 9},
		{local(t, london, "2026-11-25 13:00"), london, 2*24 + 13},
		{local(t, london, "2026-11-29 23:59"), london, 167},
		{utc("2026-11-29 20:00"), tokyo, 5},                              // Monday 05:00 in Tokyo
		{utc("2026-11-23 18:29"), kolkata, 23},                           // Monday 23:59 in Kolkata
		{utc("2026-11-23 18:30"), kolkata, 24},                           // Tuesday 00:00
		{utc("2026-03-29 00:30"), london, 6*24 + 0},                      // Sunday 00:30 GMT
		{utc("2026-03-29 01:30"), london, 6*24 + 2},                      // Sunday 02:30 BST: 01:00 was skipped
		{utc("2026-10-25 00:30"), london, 6*24 + 1},                      // Sunday 01:30 BST
		{utc("2026-10-25 01:30"), london, 6*24 + 1},                      // Sunday 01:30 GMT, again
		{utc("2026-10-25 02:30"), london, 6*24 + 2},                      // Sunday 02:30 GMT
		{utc("2026-11-01 05:30"), zone(t, "America/New_York"), 6*24 + 1}, // 01:30 EDT
		{utc("2026-11-01 06:30"), zone(t, "America/New_York"), 6*24 + 1}, // 01:30 EST
	} {
		if got := staffing.HourOfWeek(tt.at, tt.loc); got != tt.want {
			t.Errorf("HourOfWeek(%v, %v) = %d, want %d", tt.at, tt.loc, got, tt.want)
		}
	}
}

// sameWeek fails unless got is want hour by hour, to within float rounding.
func sameWeek(t *testing.T, name string, got *staffing.Week, want func(how int) float64) {
	t.Helper()
	for how, r := range got.Rates {
		if !near(r, want(how), 1e-9) {
			t.Errorf("%s: hour %d (%s %02d:00) forecasts %g, want %g", name, how,
				time.Weekday((how/24+1)%7), how%24, r, want(how))
		}
	}
}

func TestForecastRecoversPattern(t *testing.T) {
	t.Parallel()
	london, newYork := zone(t, "Europe/London"), zone(t, "America/New_York")
	for _, tt := range []struct {
		name       string
		loc        *time.Location
		start, end string // wall clock in loc
		hours      int    // real hours between them
	}{
		{"flat weeks in UTC", time.UTC, "2026-01-05 00:00", "2026-02-02 00:00", 4 * 168},
		{"starting mid-week", time.UTC, "2026-01-07 13:00", "2026-02-04 13:00", 4 * 168},
		{"London, clocks go forward", london, "2026-03-16 00:00", "2026-04-13 00:00", 4*168 - 1},
		{"London, clocks go back", london, "2026-10-12 00:00", "2026-11-09 00:00", 4*168 + 1},
		{"New York, clocks go forward", newYork, "2026-02-23 00:00", "2026-03-23 00:00", 4*168 - 1},
		{"New York, clocks go back", newYork, "2026-10-19 00:00", "2026-11-16 00:00", 4*168 + 1},
		{"London, history ends the week clocks go forward", london, "2026-03-02 00:00", "2026-03-30 00:00", 4*168 - 1},
		{"New York, history starts the week clocks go back", newYork, "2026-11-02 00:00", "2026-11-30 00:00", 4 * 168},
	} {
		start, end := local(t, tt.loc, tt.start), local(t, tt.loc, tt.end)
		if got := int(end.Sub(start) / time.Hour); got != tt.hours {
			t.Fatalf("%s: %d hours, want %d", tt.name, got, tt.hours)
		}
		h := history(start, end, tt.loc, func(how, _ int) int { return int(pattern(how)) })
		for _, o := range []staffing.Options{{}, {Decay: 1}, {Decay: 0.2}, {Trend: true}} {
			f, err := staffing.Forecast(h, tt.loc, o)
			if err != nil {
				t.Fatal(err)
			}
			sameWeek(t, tt.name, f, pattern)
			if !near(f.Trend, 1, 1e-9) {
				t.Errorf("%s: trend %g on a steady history", tt.name, f.Trend)
			}
		}
	}
}

// TestForecastClockChangeWeek forecasts from the week of a clock change
// alone: the skipped hour has no history and forecasts 0, and the two
// repeated hours are two samples of the same hour of the week.
func TestForecastClockChangeWeek(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name       string
		zone       string
		monday     string
		hours      int
		skipped    int // hour of the week without history, -1 for none
		repeated   int // hour of the week seen twice, -1 for none
		twiceFirst int // index of its first hour in the history
	}{
		{"London spring", "Europe/London", "2026-03-23 00:00", 167, 6*24 + 1, -1, 0},
		{"London autumn", "Europe/London", "2026-10-19 00:00", 169, -1, 6*24 + 1, 6*24 + 1},
		{"New York spring", "America/New_York", "2026-03-02 00:00", 167, 6*24 + 2, -1, 0},
		{"New York autumn", "America/New_York", "2026-10-26 00:00", 169, -1, 6*24 + 1, 6*24 + 1},
	} {
		loc := zone(t, tt.zone)
		start := local(t, loc, tt.monday)
		end := start.AddDate(0, 0, 7)
		if got := int(end.Sub(start) / time.Hour); got != tt.hours {
			t.Fatalf("%s: %d hours, want %d", tt.name, got, tt.hours)
		}
		h := history(start, end, loc, func(how, _ int) int { return int(pattern(how)) })
		if tt.repeated >= 0 {
			h.Counts[tt.twiceFirst], h.Counts[tt.twiceFirst+1] = 4, 10
		}
		f, err := staffing.Forecast(h, loc, staffing.Options{})
		if err != nil {
			t.Fatal(err)
		}
		sameWeek(t, tt.name, f, func(how int) float64 {
			switch how {
			case tt.skipped:
				return 0
			case tt.repeated:
				return 7
			}
			return pattern(how)
		})
	}
}

func TestForecastWeights(t *testing.T) {
	t.Parallel()
	start := local(t, time.UTC, "2026-01-05 00:00")
	// Two weeks: 10 an hour, then 20 an hour.
	twoWeeks := history(start, start.AddDate(0, 0, 14), time.UTC, func(_, back int) int { return 20 - 10*back })
	// A week and a half: 10 an hour on the Thursday to Sunday a week back,
	// then 20 an hour.
	halfWeek := history(start.AddDate(0, 0, 3), start.AddDate(0, 0, 14), time.UTC, func(_, back int) int { return 20 - 10*back })
	for _, tt := range []struct {
		name string
		h    staffing.History
		o    staffing.Options
		want func(how int) float64
	}{
		{"every week alike", twoWeeks, staffing.Options{Decay: 1}, func(int) float64 { return 15 }},
		{"default decay", twoWeeks, staffing.Options{}, func(int) float64 { return (20 + 0.7*10) / 1.7 }},
		{"decay 0.5", twoWeeks, staffing.Options{Decay: 0.5}, func(int) float64 { return (20 + 0.5*10) / 1.5 }},
		{"next to no memory", twoWeeks, staffing.Options{Decay: 1e-9}, func(int) float64 { return 20 }},
		{"a partial week back", halfWeek, staffing.Options{Decay: 0.5}, func(how int) float64 {
			if how >= 3*24 {
				return (20 + 0.5*10) / 1.5
			}
			return 20
		}},
	} {
		f, err := staffing.Forecast(tt.h, time.UTC, tt.o)
		if err != nil {
			t.Fatal(err)
		}
		sameWeek(t, tt.name, f, tt.want)
	}
}

func TestForecastSparse(t *testing.T) {
	t.Parallel()
	london := zone(t, "Europe/London")
	for _, tt := range []struct {
		name string
		h    staffing.History
		want func(how int) float64
	}{
		{"no history", staffing.History{}, func(int) float64 { return 0 }},
		{"no history, a start", staffing.History{Start: local(t, london, "2026-05-06 10:00")}, func(int) float64 { return 0 }},
		{
			// Tuesday 10:00 to Wednesday 15:59; the rest of the week is unknown.
			"thirty hours",
			history(local(t, london, "2026-05-05 10:00"), local(t, london, "2026-05-06 16:00"), london, func(how, _ int) int { return int(pattern(how)) }),
			func(how int) float64 {
				if how >= 24+10 && how < 2*24+16 {
					return pattern(how)
				}
				return 0
			},
		},
	} {
		f, err := staffing.Forecast(tt.h, london, staffing.Options{Trend: true})
		if err != nil {
			t.Fatal(err)
		}
		sameWeek(t, tt.name, f, tt.want)
		if f.Trend != 1 {
			t.Errorf("%s: trend %g without three weeks", tt.name, f.Trend)
		}
	}
}

func TestForecastTrend(t *testing.T) {
	t.Parallel()
	london := zone(t, "Europe/London")
	monday := local(t, london, "2026-08-03 00:00")
	weeks := func(scale ...int) staffing.History {
		n := len(scale)
		return history(monday, monday.AddDate(0, 0, 7*n), london, func(how, back int) int {
			return int(pattern(how)) * scale[n-1-back]
		})
	}
	for _, tt := range []struct {
		name  string
		h     staffing.History
		scale float64 // of the pattern in the forecast
	}{
		{"growing", weeks(1, 2, 3, 4), 5},
		{"growing over three weeks", weeks(2, 4, 6), 8},
		{"declining", weeks(8, 6, 4), 2},
		{"declining to nothing", weeks(3, 2, 1), 0},
		{"declining past nothing", weeks(9, 5, 1), 0},
		{"only the last eight weeks count", weeks(100, 100, 1, 2, 3, 4, 5, 6, 7, 8), 9},
	} {
		f, err := staffing.Forecast(tt.h, london, staffing.Options{Trend: true})
		if err != nil {
			t.Fatal(err)
		}
		sameWeek(t, tt.name, f, func(how int) float64 { return tt.scale * pattern(how) })
		plain, err := staffing.Forecast(tt.h, london, staffing.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if want := tt.scale * pattern(0) / plain.Rates[0]; !near(f.Trend, want, 1e-9) {
			t.Errorf("%s: trend factor %g, want %g", tt.name, f.Trend, want)
		}
	}
	// The line is read at the week forecast: a week that starts ahead of
	// the end of the history by a share of a week is that much further
	// along it. Levels 1, 2, 3, 4 put the week right after at 5.
	for _, tt := range []struct {
		ahead time.Duration
		scale float64
	}{
		{0, 5},
		{84 * time.Hour, 5.5},
		{6 * 24 * time.Hour, 5 + 6.0/7}, // planned on a Tuesday for next Monday
		{7 * 24 * time.Hour, 6},
		{13*24*time.Hour + 23*time.Hour, 5 + 335.0/168},
	} {
		f, err := staffing.Forecast(weeks(1, 2, 3, 4), london, staffing.Options{Trend: true, Ahead: tt.ahead})
		if err != nil {
			t.Fatal(err)
		}
		sameWeek(t, "growing, "+tt.ahead.String()+" ahead", f, func(how int) float64 { return tt.scale * pattern(how) })
	}
	// Without a trend the week ahead is the pattern.
	f, err := staffing.Forecast(weeks(1, 2, 3, 4), london, staffing.Options{Ahead: 7 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if f.Trend != 1 {
		t.Errorf("no trend asked for, a week ahead: trend %g", f.Trend)
	}
	// Two weeks are too few to fit a line to.
	f, err = staffing.Forecast(weeks(1, 2), london, staffing.Options{Trend: true})
	if err != nil {
		t.Fatal(err)
	}
	if f.Trend != 1 {
		t.Errorf("two weeks: trend %g", f.Trend)
	}
}

func TestForecastInvalid(t *testing.T) {
	t.Parallel()
	ok := staffing.History{Start: local(t, time.UTC, "2026-01-05 00:00"), Counts: []int{1, 2, 3}}
	for _, tt := range []struct {
		name  string
		h     staffing.History
		loc   *time.Location
		o     staffing.Options
		field string
	}{
		{"no time zone", ok, nil, staffing.Options{}, "time zone"},
		{"negative count", staffing.History{Counts: []int{1, 2, 0, -4}}, time.UTC, staffing.Options{}, "counts[3]"},
		{"too long", staffing.History{Counts: make([]int, staffing.MaxHistory+1)}, time.UTC, staffing.Options{}, "counts"},
		{"decay above 1", ok, time.UTC, staffing.Options{Decay: 1.5}, "decay"},
		{"negative decay", ok, time.UTC, staffing.Options{Decay: -0.5}, "decay"},
		{"decay NaN", ok, time.UTC, staffing.Options{Decay: math.NaN()}, "decay"},
		{"ahead of the history's end, backwards", ok, time.UTC, staffing.Options{Trend: true, Ahead: -time.Hour}, "ahead"},
	} {
		_, err := staffing.Forecast(tt.h, tt.loc, tt.o)
		if care.ErrorCode(err) != care.EINVALID || !regexp.MustCompile(`(?i)(^|\W)`+regexp.QuoteMeta(tt.field)+`(\W|$)`).MatchString(care.ErrorMessage(err)) {
			t.Errorf("%s: %v, want EINVALID naming %s", tt.name, err, tt.field)
		}
	}
}
