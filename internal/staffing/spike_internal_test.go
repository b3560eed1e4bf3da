package staffing

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestHoursOfWeek checks the hour-by-hour shortcut against HourOfWeek for
// every hour of three years in zones with clock changes of an hour and of
// half an hour, a half-hour offset, a zone that dropped its clock changes,
// and UTC, from starts on the hour, clock changes falling on one of the
// hours, and off it.
func TestHoursOfWeek(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"UTC", "Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "America/Santiago", "Asia/Tehran"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, start := range []time.Time{
			time.Date(2024, 2, 29, 13, 0, 0, 0, time.UTC),
			time.Date(2024, 2, 29, 13, 30, 0, 0, time.UTC),
			time.Date(2024, 2, 29, 13, 59, 59, 999, time.UTC),
		} {
			n := 3 * 365 * 24
			hows := hoursOfWeek(start, n, loc)
			for i, how := range hows {
				at := start.Add(time.Duration(i) * time.Hour)
				if want := HourOfWeek(at, loc); int(how) != want {
					t.Fatalf("%s: %v is hour %d of the week, want %d", name, at.In(loc), how, want)
				}
			}
		}
	}
}

// TestPoissonBound checks the bound against the Poisson distribution's
// quantiles, worked out by summing its terms, and that the expansion used
// past a mean of 700 meets the sum there within an arrival.
func TestPoissonBound(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ mean, want float64 }{
		{1, 5}, {2, 8}, {3, 10}, {5, 13}, {10, 21}, {31, 50}, {110, 144}, {220, 267}, {600, 677}, {700, 783},
	} {
		if got := poissonBound(tt.mean); got != tt.want {
			t.Errorf("poissonBound(%g) = %g, want %g", tt.mean, got, tt.want)
		}
	}
	if got := poissonBound(700.5); got < 783 || got > 785 {
		t.Errorf("poissonBound(700.5) = %g, want 784 within an arrival", got)
	}
}

// TestMAD checks the merged median absolute deviation against sorting the
// deviations, on random samples with ties, of odd and even sizes.
func TestMAD(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 7))
	for range 2000 {
		vals := make([]float64, 1+r.IntN(30))
		for i := range vals {
			vals[i] = float64(r.IntN(12))
		}
		slices.Sort(vals)
		med := median(vals)
		devs := make([]float64, len(vals))
		for i, v := range vals {
			devs[i] = math.Abs(v - med)
		}
		slices.Sort(devs)
		if got, want := mad(vals, med), median(devs); got != want {
			t.Fatalf("mad(%v) = %g, want %g", vals, got, want)
		}
	}
}
