package hours_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/hours"
)

// FuzzParse feeds Parse hostile JSON. Run it with
// go test -run '^$' -fuzz FuzzParse -fuzztime 30s ./internal/hours
//
// Whatever Parse accepts must survive a round trip through MarshalJSON and
// give a calendar whose arithmetic ends and agrees with itself.
func FuzzParse(f *testing.F) {
	for _, s := range []string{office, night,
		`{"time_zone": "Australia/Sydney", "week": {"sun": [["01:00", "03:00"]]}, "holidays": ["2026-10-04"]}`,
		`{"time_zone": "UTC", "week": {"mon": [["00:00", "24:00"]]}, "special": {"0001-01-01": [["23:59", "24:00"]]}}`,
		`{"time_zone": "America/Goose_Bay", "week": {"sat": [["00:00", "00:01"], ["23:00", "24:00"]]}}`,
		`{"time_zone": "Local", "week": {"mon": [["24:00", "24:00"]]}}`,
		`{"week": {"mon": [["08:00", "12:30"], ["12:00", "17:00"]]}, "holidays": ["9999-12-31"]}`,
	} {
		f.Add([]byte(s))
	}
	from := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := hours.Parse(data)
		if err != nil {
			if care.ErrorCode(err) != care.EINVALID {
				t.Fatalf("Parse = %v, want EINVALID", err)
			}
			return
		}
		out, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("Marshal = %v", err)
		}
		back, err := hours.Parse(out)
		if err != nil {
			t.Fatalf("Parse(Marshal(Parse(%q))) = %v", data, err)
		}
		if again, _ := json.Marshal(back); string(again) != string(out) {
			t.Fatalf("round trip changed %s into %s", out, again)
		}
		for _, d := range []time.Duration{time.Minute, 30 * 24 * time.Hour} {
			if got := c.Between(from, c.Add(from, d)); got != d {
				t.Fatalf("Between(t, Add(t, %v)) = %v", d, got)
			}
		}
		if next := c.NextOpen(from); !c.Open(next) {
			t.Fatalf("NextOpen = %v, which is closed", next)
		}
	})
}
