package hours_test

import (
	"math"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/hours"
)

// office is a split shift with a lunch break, Monday to Friday, with a
// short Christmas Eve and two bank holidays. 23 November 2026 is a Monday.
const office = `{"time_zone": "Europe/London",
	"week": {"mon": [["08:00", "12:30"], ["13:30", "17:00"]], "tue": [["08:00", "12:30"], ["13:30", "17:00"]],
	         "wed": [["08:00", "12:30"], ["13:30", "17:00"]], "thu": [["08:00", "12:30"], ["13:30", "17:00"]],
	         "fri": [["08:00", "12:30"], ["13:30", "17:00"]]},
	"holidays": ["2026-12-25", "2026-12-28"],
	"special": {"2026-12-24": [["09:00", "13:00"]]}}`

// night is an overnight shift in New York: 20:00 to 06:00, Monday night to
// Saturday morning, as two periods a day.
const night = `{"time_zone": "America/New_York",
	"week": {"mon": [["20:00", "24:00"]], "tue": [["00:00", "06:00"], ["20:00", "24:00"]],
	         "wed": [["00:00", "06:00"], ["20:00", "24:00"]], "thu": [["00:00", "06:00"], ["20:00", "24:00"]],
	         "fri": [["00:00", "06:00"], ["20:00", "24:00"]], "sat": [["00:00", "06:00"]]}}`

func mustParse(t testing.TB, js string) *hours.Calendar {
	t.Helper()
	c, err := hours.Parse([]byte(js))
	if err != nil {
		t.Fatalf("Parse(%s) = %v", js, err)
	}
	return c
}

// wall returns the instant the wall clock of zone shows s, "2006-01-02
// 15:04"; only for wall times that occur once.
func wall(t testing.TB, zone, s string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func utc(t testing.TB, s string) time.Time { return wall(t, "UTC", s) }

func TestAdd(t *testing.T) {
	t.Parallel()
	offc, nightc := mustParse(t, office), mustParse(t, night)
	for _, tt := range []struct {
		name string
		cal  *hours.Calendar
		zone string
		from string
		d    time.Duration
		want string
	}{
		{"inside the morning", offc, "Europe/London", "2026-11-23 09:00", time.Hour, "2026-11-23 10:00"},
		{"across lunch", offc, "Europe/London", "2026-11-23 12:00", time.Hour, "2026-11-23 14:00"},
		{"ends at lunch", offc, "Europe/London", "2026-11-23 12:00", 30 * time.Minute, "2026-11-23 12:30"},
		{"from lunch", offc, "Europe/London", "2026-11-23 12:45", 15 * time.Minute, "2026-11-23 13:45"},
		{"before opening", offc, "Europe/London", "2026-11-23 06:00", time.Hour, "2026-11-23 09:00"},
		{"next morning", offc, "Europe/London", "2026-11-23 16:30", time.Hour, "2026-11-24 08:30"},
		{"ends at closing", offc, "Europe/London", "2026-11-23 16:30", 30 * time.Minute, "2026-11-23 17:00"},
		{"Friday evening to Monday", offc, "Europe/London", "2026-11-27 18:00", 2 * time.Hour, "2026-11-30 10:00"},
		{"Friday afternoon to Monday", offc, "Europe/London", "2026-11-27 16:00", 2 * time.Hour, "2026-11-30 09:00"},
		{"from Saturday", offc, "Europe/London", "2026-11-28 10:00", 30 * time.Minute, "2026-11-30 08:30"},
		{"a full day", offc, "Europe/London", "2026-11-23 08:00", 8 * time.Hour, "2026-11-23 17:00"},
		{"into a special day", offc, "Europe/London", "2026-12-23 16:00", 3 * time.Hour, "2026-12-24 11:00"},
		{"over Christmas", offc, "Europe/London", "2026-12-24 12:00", 2 * time.Hour, "2026-12-29 09:00"},
		{"on a holiday", offc, "Europe/London", "2026-12-25 10:00", time.Minute, "2026-12-29 08:01"},
		{"eight weeks", offc, "Europe/London", "2027-01-04 08:00", 8 * 40 * time.Hour, "2027-02-26 17:00"},
		{"eight weeks and a minute", offc, "Europe/London", "2027-01-04 08:00", 8*40*time.Hour + time.Minute, "2027-03-01 08:01"},
		{"zero", offc, "Europe/London", "2026-11-28 10:00", 0, "2026-11-28 10:00"},
		{"negative", offc, "Europe/London", "2026-11-23 10:00", -time.Hour, "2026-11-23 10:00"},
		{"through midnight", nightc, "America/New_York", "2026-11-23 23:00", 2 * time.Hour, "2026-11-24 01:00"},
		{"ends at 24:00", nightc, "America/New_York", "2026-11-23 23:00", time.Hour, "2026-11-24 00:00"},
		{"Saturday morning to Monday night", nightc, "America/New_York", "2026-11-28 05:00", 2 * time.Hour, "2026-11-30 21:00"},
		{"always open", hours.AlwaysOpen(), "UTC", "2026-11-28 05:00", 50 * time.Hour, "2026-11-30 07:00"},
		{"nil", nil, "UTC", "2026-11-28 05:00", time.Hour, "2026-11-28 06:00"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			from, want := wall(t, tt.zone, tt.from), wall(t, tt.zone, tt.want)
			if got := tt.cal.Add(from, tt.d); !got.Equal(want) {
				t.Errorf("Add(%s, %v) = %v, want %v", tt.from, tt.d, got, want)
			}
			if tt.d > 0 {
				if got := tt.cal.Between(from, want); got != tt.d {
					t.Errorf("Between(%s, %s) = %v, want %v", tt.from, tt.want, got, tt.d)
				}
			}
		})
	}
}

func TestBetween(t *testing.T) {
	t.Parallel()
	offc, nightc := mustParse(t, office), mustParse(t, night)
	for _, tt := range []struct {
		name string
		cal  *hours.Calendar
		zone string
		a, b string
		want time.Duration
	}{
		{"a week", offc, "Europe/London", "2026-11-23 00:00", "2026-11-30 00:00", 40 * time.Hour},
		{"lunch", offc, "Europe/London", "2026-11-23 12:30", "2026-11-23 13:30", 0},
		{"weekend", offc, "Europe/London", "2026-11-27 17:00", "2026-11-30 08:00", 0},
		{"Christmas week", offc, "Europe/London", "2026-12-21 00:00", "2026-12-28 00:00", 3*8*time.Hour + 4*time.Hour},
		{"a year, across both clock changes", offc, "Europe/London", "2027-01-04 00:00", "2028-01-03 00:00", 52 * 40 * time.Hour},
		{"b before a", offc, "Europe/London", "2026-11-23 12:00", "2026-11-23 10:00", 0},
		{"empty", offc, "Europe/London", "2026-11-23 10:00", "2026-11-23 10:00", 0},
		{"a night", nightc, "America/New_York", "2026-11-23 20:00", "2026-11-24 06:00", 10 * time.Hour},
		{"a week of nights", nightc, "America/New_York", "2026-11-23 00:00", "2026-11-30 00:00", 50 * time.Hour},
		{"nil", nil, "UTC", "2026-11-23 00:00", "2026-11-24 00:00", 24 * time.Hour},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.cal.Between(wall(t, tt.zone, tt.a), wall(t, tt.zone, tt.b)); got != tt.want {
				t.Errorf("Between(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestOpen(t *testing.T) {
	t.Parallel()
	offc, nightc := mustParse(t, office), mustParse(t, night)
	for _, tt := range []struct {
		name     string
		cal      *hours.Calendar
		zone, at string
		open     bool
		next     string // NextOpen
	}{
		{"opening", offc, "Europe/London", "2026-11-23 08:00", true, "2026-11-23 08:00"},
		{"before opening", offc, "Europe/London", "2026-11-23 07:59", false, "2026-11-23 08:00"},
		{"lunch starts", offc, "Europe/London", "2026-11-23 12:30", false, "2026-11-23 13:30"},
		{"before lunch", offc, "Europe/London", "2026-11-23 12:29", true, "2026-11-23 12:29"},
		{"closing", offc, "Europe/London", "2026-11-27 17:00", false, "2026-11-30 08:00"},
		{"Sunday", offc, "Europe/London", "2026-11-29 12:00", false, "2026-11-30 08:00"},
		{"special day", offc, "Europe/London", "2026-12-24 08:30", false, "2026-12-24 09:00"},
		{"special day closes", offc, "Europe/London", "2026-12-24 13:00", false, "2026-12-29 08:00"},
		{"holiday", offc, "Europe/London", "2026-12-28 10:00", false, "2026-12-29 08:00"},
		{"midnight in a shift", nightc, "America/New_York", "2026-11-24 00:00", true, "2026-11-24 00:00"},
		{"shift ends", nightc, "America/New_York", "2026-11-28 06:00", false, "2026-11-30 20:00"},
		{"nil", nil, "UTC", "2026-11-28 06:00", true, "2026-11-28 06:00"},
		{"always open", hours.AlwaysOpen(), "UTC", "2026-11-28 06:00", true, "2026-11-28 06:00"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			at := wall(t, tt.zone, tt.at)
			if got := tt.cal.Open(at); got != tt.open {
				t.Errorf("Open(%s) = %v, want %v", tt.at, got, tt.open)
			}
			if got, want := tt.cal.NextOpen(at), wall(t, tt.zone, tt.next); !got.Equal(want) {
				t.Errorf("NextOpen(%s) = %v, want %v", tt.at, got, want)
			}
		})
	}
}

// The zero Calendar is as open as a nil one.
func TestZeroCalendar(t *testing.T) {
	t.Parallel()
	var c hours.Calendar
	from := utc(t, "2026-11-28 06:00")
	if !c.Open(from) || !c.NextOpen(from).Equal(from) || !c.Add(from, time.Hour).Equal(from.Add(time.Hour)) || c.Between(from, from.Add(time.Hour)) != time.Hour {
		t.Error("the zero Calendar is not always open")
	}
}

// Between saturates rather than overflow over millennia.
func TestBetweenSaturates(t *testing.T) {
	t.Parallel()
	c := mustParse(t, office)
	if got := c.Between(time.Time{}, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)); got != math.MaxInt64 {
		t.Errorf("Between(year 1, year 9999) = %v, want the largest Duration", got)
	}
	// Before 1847 London kept its local mean time, without clock changes.
	end := time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC)
	days := (end.Unix() - time.Time{}.Unix()) / 86400
	weekdays := days / 7 * 5
	for d := days / 7 * 7; d < days; d++ {
		if wd := (time.Time{}).AddDate(0, 0, int(d)).Weekday(); wd != time.Saturday && wd != time.Sunday {
			weekdays++
		}
	}
	if got, want := c.Between(time.Time{}, end), time.Duration(weekdays)*8*time.Hour; got != want {
		t.Errorf("Between(year 1, year 1000) = %v, want %v", got, want)
	}
}

// Two minutes a week for 30 days of business time is 21,600 weeks, longer
// than a Duration can hold: Add skips them in parts.
func TestAddCenturies(t *testing.T) {
	t.Parallel()
	c := mustParse(t, `{"time_zone": "UTC", "week": {"mon": [["23:58", "24:00"]]}}`)
	from := utc(t, "2026-11-23 23:58")
	want := from.AddDate(0, 0, 7*21599).Add(2 * time.Minute)
	if got := c.Add(from, 720*time.Hour); !got.Equal(want) {
		t.Errorf("Add(%v, 720h) = %v, want %v", from, got, want)
	}
	if got := c.Between(from, want); got != 720*time.Hour {
		t.Errorf("Between(%v, %v) = %v, want 720h", from, want, got)
	}
}
