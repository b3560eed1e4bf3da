package staffing

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestPoissonFloor checks the lower bound against the Poisson
// distribution's quantiles, worked out by summing its terms, and the
// expansion used past a mean of 700 against the same sum taken in
// logarithms, which do not underflow, within an arrival.
func TestPoissonFloor(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ mean, want float64 }{
		{0, 0}, {1, 0}, {3, 0}, {6.5, 0}, {7, 1}, {10, 2}, {13, 3}, {20, 8}, {31, 15}, {40, 22}, {100, 71}, {220, 176}, {600, 526}, {700, 620},
	} {
		if got := poissonFloor(tt.mean); got != tt.want {
			t.Errorf("poissonFloor(%g) = %g, want %g", tt.mean, got, tt.want)
		}
	}
	for m := 700.5; m < 20000; m *= 1.07 {
		lp, c := -m, 0.0
		for cdf := math.Exp(lp); cdf <= oneOffOdds; cdf += math.Exp(lp) {
			c++
			lp += math.Log(m / c)
		}
		if got := poissonFloor(m); math.Abs(got-c) > 1 {
			t.Errorf("poissonFloor(%g) = %g, want %g within an arrival", m, got, c)
		}
	}
}

// TestOneOffsProperties checks oneOffs on random histories, quiet and
// busy hours, noise, outages of hours to weeks, spikes, starts at any
// hour and a zone whose clocks change, against what it promises of every
// hour: a count raised was below its hour's median, in an hour of the
// week seen in three weeks or more whose median is at least 6.9 (so an
// hour quiet most weeks is never raised), and is raised to that median,
// never above the highest count of the other weeks; a count lowered was
// above the median and stays at or above it; and the totals are those
// counted.
func TestOneOffsProperties(t *testing.T) {
	t.Parallel()
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(25, 11))
	levels := []func() int{
		func() int { return 0 },
		func() int { return r.IntN(3) },
		func() int { return 3 + r.IntN(8) },
		func() int { return 20 + r.IntN(60) },
		func() int { return 300 + r.IntN(600) },
	}
	allCapped, allRaised := 0, 0
	for run := range 400 {
		loc := time.UTC
		if run%2 == 1 {
			loc = london
		}
		start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(365*24)) * time.Hour)
		n := 1 + r.IntN(10*HoursPerWeek)
		var level [HoursPerWeek]int
		for how := range level {
			level[how] = levels[r.IntN(len(levels))]()
		}
		hows := hoursOfWeek(start, n, loc)
		counts := make([]int, n)
		for i, how := range hows {
			l := float64(level[how])
			counts[i] = max(0, int(l+(r.Float64()*2-1)*2*math.Sqrt(l)))
		}
		// Outages of an hour to two weeks, and spikes.
		for range r.IntN(4) {
			from := r.IntN(n)
			to := min(n, from+1+r.IntN(2*HoursPerWeek))
			share := r.Float64() * 0.5
			for i := from; i < to; i++ {
				counts[i] = int(float64(counts[i]) * share)
			}
		}
		for range r.IntN(4) {
			i := r.IntN(n)
			counts[i] = counts[i]*(2+r.IntN(20)) + r.IntN(50)
		}

		x, capped, raised := oneOffs(counts, hows)
		week := func(i int) int { return (n - 1 - i) / HoursPerWeek }
		byHow := make([][]int, HoursPerWeek) // each hour of the week's hours
		for i, how := range hows {
			byHow[how] = append(byHow[how], i)
		}
		gotCapped, gotRaised := 0, 0
		for how, hours := range byHow {
			if len(hours) == 0 {
				continue
			}
			vals := make([]float64, len(hours))
			weeks := map[int]bool{}
			for j, i := range hours {
				vals[j] = float64(counts[i])
				weeks[week(i)] = true
			}
			slices.Sort(vals)
			med := median(vals)
			for _, i := range hours {
				c := float64(counts[i])
				switch {
				case x[i] > c:
					gotRaised++
					others := 0.0
					for _, k := range hours {
						if week(k) != week(i) {
							others = max(others, float64(counts[k]))
						}
					}
					if len(weeks) < minOneOffWeeks || med < 6.9 || c >= med || x[i] != med || x[i] > others {
						t.Fatalf("run %d: hour of the week %d, median %g over %d weeks: %g raised to %g, the other weeks' highest %g",
							run, how, med, len(weeks), c, x[i], others)
					}
				case x[i] < c:
					gotCapped++
					if len(weeks) < minOneOffWeeks || c <= med || x[i] < med {
						t.Fatalf("run %d: hour of the week %d, median %g over %d weeks: %g lowered to %g",
							run, how, med, len(weeks), c, x[i])
					}
				}
			}
		}
		if capped != gotCapped || raised != gotRaised {
			t.Fatalf("run %d: %d capped and %d raised, counted %d and %d", run, capped, raised, gotCapped, gotRaised)
		}
		allCapped, allRaised = allCapped+capped, allRaised+raised
	}
	t.Logf("%d hours capped and %d raised in all", allCapped, allRaised)
	if allCapped == 0 || allRaised == 0 {
		t.Error("the histories had nothing to cap or raise")
	}
}
