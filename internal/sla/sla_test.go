package sla_test

import (
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/hours"
)

// office is a split shift in Europe/London, Monday to Friday, 08:00–12:30
// and 13:30–17:00, with Christmas Day off. 23 November 2026 is a Monday.
const office = `{"time_zone": "Europe/London",
	"week": {"mon": [["08:00", "12:30"], ["13:30", "17:00"]], "tue": [["08:00", "12:30"], ["13:30", "17:00"]],
	         "wed": [["08:00", "12:30"], ["13:30", "17:00"]], "thu": [["08:00", "12:30"], ["13:30", "17:00"]],
	         "fri": [["08:00", "12:30"], ["13:30", "17:00"]]},
	"holidays": ["2026-12-25"]}`

func officeHours(t testing.TB) *hours.Calendar {
	t.Helper()
	c, err := hours.Parse([]byte(office))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var london = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(err)
	}
	return loc
}()

// at returns the instant London's wall clock shows s, "2006-01-02 15:04";
// November is GMT, so these are UTC too.
func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, london)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
