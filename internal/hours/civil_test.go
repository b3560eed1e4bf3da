package hours

import (
	"testing"
	"time"
)

// The day arithmetic agrees with package time across leap years, centuries
// and dates before 1970.
func TestDayNumbers(t *testing.T) {
	t.Parallel()
	for d := time.Date(1583, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2500; d = d.AddDate(0, 0, 1) {
		n := d.Unix() / 86400
		if d.Unix() < 0 && d.Unix()%86400 != 0 {
			n--
		}
		if got := dayNumber(d.Date()); got != n {
			t.Fatalf("dayNumber(%v) = %d, want %d", d, got, n)
		}
		if y, m, dd := civil(n); y != d.Year() || m != d.Month() || dd != d.Day() {
			t.Fatalf("civil(%d) = %d-%d-%d, want %v", n, y, m, dd, d)
		}
		if got := weekday(n); got != d.Weekday() {
			t.Fatalf("weekday(%d) = %v, want %v", n, got, d.Weekday())
		}
	}
}
