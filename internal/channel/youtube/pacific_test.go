package youtube

import (
	"testing"
	"time"
)

func TestPacific(t *testing.T) {
	t.Parallel()
	utc := func(s string) time.Time {
		ts, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return ts
	}
	for _, tt := range []struct {
		at    string
		day   string
		reset string
	}{
		{"2026-11-24T10:00:00Z", "2026-11-24", "2026-11-25T08:00:00Z"}, // PST
		{"2026-11-24T07:59:59Z", "2026-11-23", "2026-11-24T08:00:00Z"},
		{"2026-11-24T08:00:00Z", "2026-11-24", "2026-11-25T08:00:00Z"},
		{"2026-07-01T06:59:59Z", "2026-06-30", "2026-07-01T07:00:00Z"}, // PDT
		{"2026-07-01T07:00:00Z", "2026-07-01", "2026-07-02T07:00:00Z"},
		// Daylight saving time starts on 8 March 2026 at 2:00 PST.
		{"2026-03-08T09:59:59Z", "2026-03-08", "2026-03-09T07:00:00Z"},
		{"2026-03-08T10:00:00Z", "2026-03-08", "2026-03-09T07:00:00Z"},
		{"2026-03-08T07:59:59Z", "2026-03-07", "2026-03-08T08:00:00Z"},
		// It ends on 1 November 2026 at 2:00 PDT.
		{"2026-11-01T06:59:59Z", "2026-10-31", "2026-11-01T07:00:00Z"},
		{"2026-11-01T08:59:59Z", "2026-11-01", "2026-11-02T08:00:00Z"},
		{"2026-11-01T09:00:00Z", "2026-11-01", "2026-11-02T08:00:00Z"},
		{"2026-12-31T23:00:00Z", "2026-12-31", "2027-01-01T08:00:00Z"},
	} {
		at := utc(tt.at)
		if got := pacificDay(at); got != tt.day {
			t.Errorf("pacificDay(%s) = %s, want %s", tt.at, got, tt.day)
		}
		if got := nextReset(at); !got.Equal(utc(tt.reset)) {
			t.Errorf("nextReset(%s) = %s, want %s", tt.at, got.Format(time.RFC3339), tt.reset)
		}
	}
}

// TestPacificMatchesZoneInfo compares the rule with the system's time zone
// database, hour by hour over several years, where there is one.
func TestPacificMatchesZoneInfo(t *testing.T) {
	t.Parallel()
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Skipf("no time zone database: %v", err)
	}
	for at := time.Date(2024, 1, 1, 0, 30, 0, 0, time.UTC); at.Year() < 2030; at = at.Add(time.Hour) {
		local := at.In(la)
		if got, want := pacificDay(at), local.Format(time.DateOnly); got != want {
			t.Fatalf("pacificDay(%s) = %s, want %s", at, got, want)
		}
		y, m, d := local.Date()
		if got, want := nextReset(at), time.Date(y, m, d+1, 0, 0, 0, 0, la); !got.Equal(want) {
			t.Fatalf("nextReset(%s) = %s, want %s", at, got, want.UTC())
		}
	}
}
