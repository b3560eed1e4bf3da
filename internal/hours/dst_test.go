package hours_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/hours"
)

// allDay is open around the clock in zone, but limited by a holiday long
// ago, so that days are measured on the wall clock and not as real time.
func allDay(t testing.TB, zone string) *hours.Calendar {
	return mustParse(t, fmt.Sprintf(`{"time_zone": %q, "holidays": ["2000-01-01"], "week": {
		"mon": [["00:00", "24:00"]], "tue": [["00:00", "24:00"]], "wed": [["00:00", "24:00"]], "thu": [["00:00", "24:00"]],
		"fri": [["00:00", "24:00"]], "sat": [["00:00", "24:00"]], "sun": [["00:00", "24:00"]]}}`, zone))
}

// sundays is open on Sundays during the given period only, and on Mondays
// so that the week has business time whatever the period.
func sundays(t testing.TB, zone, from, to string) *hours.Calendar {
	return mustParse(t, fmt.Sprintf(`{"time_zone": %q, "week": {"sun": [[%q, %q]], "mon": [["09:00", "17:00"]]}}`, zone, from, to))
}

// TestClockChanges measures a day, and periods around the change, on the days
// the clocks change. Instants are in UTC so that none is ambiguous:
// Europe/London changes at 01:00 UTC on 29 March and 25 October 2026;
// America/New_York at 07:00 UTC on 8 March and 06:00 UTC on 1 November;
// Australia/Sydney at 16:00 UTC on 4 April (back) and 3 October (forward);
// America/Santiago at midnight, at 03:00 UTC on 5 April (back to Saturday
// 23:00) and 04:00 UTC on 6 September (forward to 01:00).
func TestClockChanges(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		cal  *hours.Calendar
		a, b string // UTC
		want time.Duration
	}{
		{"London spring day", allDay(t, "Europe/London"), "2026-03-29 00:00", "2026-03-29 23:00", 23 * time.Hour},
		{"London autumn day", allDay(t, "Europe/London"), "2026-10-24 23:00", "2026-10-26 00:00", 25 * time.Hour},
		{"London spring 01:00-03:00", sundays(t, "Europe/London", "01:00", "03:00"), "2026-03-28 00:00", "2026-03-30 00:00", time.Hour},
		{"London autumn 01:00-03:00", sundays(t, "Europe/London", "01:00", "03:00"), "2026-10-24 00:00", "2026-10-26 00:00", 3 * time.Hour},
		{"London spring, inside the gap", sundays(t, "Europe/London", "01:15", "01:45"), "2026-03-28 00:00", "2026-03-30 00:00", 0},
		{"London autumn, inside the repeat", sundays(t, "Europe/London", "01:15", "01:45"), "2026-10-24 00:00", "2026-10-26 00:00", 30 * time.Minute},
		{"London autumn, ends in the repeat", sundays(t, "Europe/London", "00:00", "01:30"), "2026-10-24 00:00", "2026-10-26 00:00", 90 * time.Minute},
		{"London autumn, starts in the repeat", sundays(t, "Europe/London", "01:30", "02:30"), "2026-10-24 00:00", "2026-10-26 00:00", 2 * time.Hour},
		{"London ordinary Sunday", sundays(t, "Europe/London", "01:15", "01:45"), "2026-04-04 00:00", "2026-04-06 00:00", 30 * time.Minute},
		{"New York spring day", allDay(t, "America/New_York"), "2026-03-08 05:00", "2026-03-09 04:00", 23 * time.Hour},
		{"New York autumn day", allDay(t, "America/New_York"), "2026-11-01 04:00", "2026-11-02 05:00", 25 * time.Hour},
		{"New York spring 01:00-03:00", sundays(t, "America/New_York", "01:00", "03:00"), "2026-03-07 00:00", "2026-03-09 00:00", time.Hour},
		{"New York autumn 01:00-03:00", sundays(t, "America/New_York", "01:00", "03:00"), "2026-10-31 00:00", "2026-11-02 00:00", 3 * time.Hour},
		{"New York spring, inside the gap", sundays(t, "America/New_York", "02:00", "03:00"), "2026-03-07 00:00", "2026-03-09 00:00", 0},
		{"Sydney autumn day", allDay(t, "Australia/Sydney"), "2026-04-04 13:00", "2026-04-05 14:00", 25 * time.Hour},
		{"Sydney spring day", allDay(t, "Australia/Sydney"), "2026-10-03 14:00", "2026-10-04 13:00", 23 * time.Hour},
		{"Sydney autumn 01:00-03:00", sundays(t, "Australia/Sydney", "01:00", "03:00"), "2026-04-03 00:00", "2026-04-05 12:00", 3 * time.Hour},
		{"Sydney spring 01:00-03:00", sundays(t, "Australia/Sydney", "01:00", "03:00"), "2026-10-02 00:00", "2026-10-04 12:00", time.Hour},
		{"Santiago, Saturday before going back", allDay(t, "America/Santiago"), "2026-04-04 03:00", "2026-04-05 04:00", 25 * time.Hour},
		{"Goose Bay, Saturday before going back across midnight", gooseBay(t), "2010-11-06 00:00", "2010-11-08 00:00", 24 * time.Hour},
		{"Santiago, Sunday without midnight", allDay(t, "America/Santiago"), "2026-09-06 04:00", "2026-09-07 03:00", 23 * time.Hour},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, b := utc(t, tt.a), utc(t, tt.b)
			if got := tt.cal.Between(a, b); got != tt.want {
				t.Errorf("Between(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
			if got := tt.cal.Between(a, tt.cal.Add(a, tt.want)); got != tt.want {
				t.Errorf("Between(a, Add(a, %v)) = %v", tt.want, got)
			}
		})
	}
}

// gooseBay is open on Saturdays in America/Goose_Bay, where on 7 November
// 2010 the clocks went back from Sunday 00:01 ADT to Saturday 23:01 AST.
// Saturday ended at the first 00:00 ADT, so the repeated Saturday evening
// belongs to Sunday, and is closed.
func gooseBay(t testing.TB) *hours.Calendar {
	return mustParse(t, `{"time_zone": "America/Goose_Bay", "week": {"sat": [["00:00", "24:00"]], "mon": [["09:00", "17:00"]]}}`)
}

// TestClockChangeInstants pins where periods open and close around the
// changes, and Add across them.
func TestClockChangeInstants(t *testing.T) {
	t.Parallel()
	londonNight := sundays(t, "Europe/London", "01:00", "03:00")
	office := mustParse(t, `{"time_zone": "Europe/London", "week": {
		"sat": [["09:00", "17:00"]], "sun": [["09:00", "17:00"]], "mon": [["09:00", "17:00"]]}}`)
	repeat := sundays(t, "Europe/London", "01:15", "01:45")
	sydney := sundays(t, "Australia/Sydney", "01:00", "03:00")
	for _, tt := range []struct {
		name string
		got  time.Time
		want string // UTC
	}{
		// 01:00 London does not exist on 29 March: the period opens at the
		// change, 02:00 BST, and closes at 03:00 BST.
		{"London spring opens at the change", londonNight.NextOpen(utc(t, "2026-03-29 00:00")), "2026-03-29 01:00"},
		{"London spring closes at 03:00 BST", londonNight.Add(utc(t, "2026-03-29 00:00"), time.Hour), "2026-03-29 02:00"},
		// On 25 October it opens at 01:00 BST and closes at 03:00 GMT.
		{"London autumn opens at 01:00 BST", londonNight.NextOpen(utc(t, "2026-10-24 12:00")), "2026-10-25 00:00"},
		{"London autumn closes at 03:00 GMT", londonNight.Add(utc(t, "2026-10-24 12:00"), 3*time.Hour), "2026-10-25 03:00"},
		// The second pass of 01:15-01:45 is closed: next is Monday 09:00 GMT.
		{"London autumn, first pass only", repeat.NextOpen(utc(t, "2026-10-25 00:50")), "2026-10-26 09:00"},
		{"Sydney spring opens at 01:00 AEST", sydney.NextOpen(utc(t, "2026-10-03 00:00")), "2026-10-03 15:00"},
		{"Sydney spring closes at 03:00 AEDT", sydney.Add(utc(t, "2026-10-03 00:00"), time.Hour), "2026-10-03 16:00"},
		// Saturday 16:00 GMT plus two hours: one on Saturday, and Sunday
		// opens at 09:00 BST, 08:00 UTC.
		{"office across spring", office.Add(utc(t, "2026-03-28 16:00"), 2*time.Hour), "2026-03-29 09:00"},
		{"office across autumn", office.Add(utc(t, "2026-10-24 15:00"), 2*time.Hour), "2026-10-25 10:00"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if want := utc(t, tt.want); !tt.got.Equal(want) {
				t.Errorf("got %v, want %v", tt.got.UTC(), want)
			}
		})
	}
	for _, tt := range []struct {
		at   string // UTC
		open bool
	}{
		{"2026-10-25 00:20", true},  // 01:20 BST, first pass
		{"2026-10-25 01:20", false}, // 01:20 GMT, second pass
		{"2026-10-25 00:50", false}, // 01:50 BST
	} {
		if got := repeat.Open(utc(t, tt.at)); got != tt.open {
			t.Errorf("London Open(%s UTC) = %v, want %v", tt.at, got, tt.open)
		}
	}
	for _, tt := range []struct {
		at   string // UTC
		open bool
	}{
		{"2010-11-07 02:30", true},  // Saturday 23:30 ADT
		{"2010-11-07 03:00", false}, // Sunday 00:00 ADT
		{"2010-11-07 03:30", false}, // Saturday 23:30 AST, in Sunday
		{"2010-11-08 03:59", false}, // Sunday 23:59 AST
	} {
		if got := gooseBay(t).Open(utc(t, tt.at)); got != tt.open {
			t.Errorf("Goose Bay Open(%s UTC) = %v, want %v", tt.at, got, tt.open)
		}
	}
	// Sunday 00:00–00:30 there opened at 00:00 ADT, 03:00 UTC; the clock
	// went back to Saturday 23:01 a minute later and first reached 00:30 at
	// 04:30 UTC: 90 minutes.
	sunday := sundays(t, "America/Goose_Bay", "00:00", "00:30")
	if got := sunday.Between(utc(t, "2010-11-07 00:00"), utc(t, "2010-11-08 00:00")); got != 90*time.Minute {
		t.Errorf("Goose Bay Sunday 00:00–00:30 lasted %v, want 1h30m", got)
	}
	for _, tt := range []struct {
		at   string // UTC
		open bool
	}{
		{"2010-11-07 02:59", false},
		{"2010-11-07 03:15", true},
		{"2010-11-07 04:15", true},
		{"2010-11-07 04:30", false},
	} {
		if got := sunday.Open(utc(t, tt.at)); got != tt.open {
			t.Errorf("Goose Bay Sunday Open(%s UTC) = %v, want %v", tt.at, got, tt.open)
		}
	}
}
