package staffing_test

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/staffing"
)

// plainMean is the forecast as a plain weighted mean, nothing capped:
// each hour of the week the mean of its counts, each week back weighing
// decay times the week after it.
func plainMean(start time.Time, counts []float64, loc *time.Location, decay float64) [staffing.HoursPerWeek]float64 {
	var sum, weight, mean [staffing.HoursPerWeek]float64
	n := len(counts)
	for i, c := range counts {
		how := staffing.HourOfWeek(start.Add(time.Duration(i)*time.Hour), loc)
		w := math.Pow(decay, float64((n-1-i)/168))
		sum[how] += w * c
		weight[how] += w
	}
	for how := range mean {
		if weight[how] > 0 {
			mean[how] = sum[how] / weight[how]
		}
	}
	return mean
}

// spike sets counts[i] to count, and to is what the forecast should take
// it for: the bound it is lowered to, or count itself if it is kept.
type spike struct {
	i, count int
	to       float64
}

// at is the index of hour of the week how, back whole weeks from the end,
// in a history of weeks whole weeks that starts on a Monday at 00:00 UTC.
func at(weeks, how, back int) int { return (weeks-1-back)*168 + how }

// outage is a day of spikes from hour of the week how, back weeks from
// the end, each at count and lowered to to.
func outage(weeks, how, back, count int, to float64) []spike {
	var s []spike
	for h := how; h < how+24; h++ {
		s = append(s, spike{at(weeks, h, back), count, to})
	}
	return s
}

// hampel is the bound of an hour whose counts have median med and median
// absolute deviation mad, when it is above the Poisson bound.
func hampel(med, mad float64) float64 { return med + 3*1.4826*mad }

// TestForecastCapsSpikes checks that a one-off spike counts no more than
// the bound its hour's other weeks set, while growth, a change that lasts
// two weeks, the weekly pattern and the chance counts of quiet hours are
// kept, and that with one or two weeks of an hour nothing is capped.
func TestForecastCapsSpikes(t *testing.T) {
	t.Parallel()
	london := zone(t, "Europe/London")
	flat := func(int, int) int { return 10 }
	const tue14 = 24 + 14 // Tuesday 14:00
	for _, tt := range []struct {
		name   string
		loc    *time.Location // nil: UTC, from Monday 5 January 2026
		start  string         // with loc, wall clock
		weeks  int
		count  func(how, back int) int
		spikes []spike
	}{
		{
			// 10 an hour every week; the outage brought 100. Poisson
			// arrivals at 10 an hour exceed 20 with odds 0.0016 and 21
			// with 0.0007, so the spike counts as 21: the hour forecasts
			// 10 + 11/3.14 = 13.5 (3.14 being the weights of eight weeks),
			// not the 10 + 90/3.14 = 38.6 of the plain mean.
			name: "an outage last Tuesday at 14:00", weeks: 8, count: flat,
			spikes: []spike{{at(8, tue14, 0), 100, 21}},
		},
		{
			name: "an outage three weeks back", weeks: 8, count: flat,
			spikes: []spike{{at(8, tue14, 3), 100, 21}},
		},
		{
			name: "an outage all Tuesday last week", weeks: 8, count: flat,
			spikes: outage(8, 24, 0, 100, 21),
		},
		{
			// Two spikes at one hour, but weeks apart: neither is a change.
			name: "two outages at one hour, weeks apart", weeks: 8, count: flat,
			spikes: []spike{{at(8, tue14, 1), 100, 21}, {at(8, tue14, 4), 80, 21}},
		},
		{
			// 220, 240, 200, 220, 240, 200, 220 and the spike: median 220,
			// absolute deviations 0, 0, 0, 20, 20, 20, 20 and the spike's,
			// median 20. Poisson's bound at 220 is 267, below Hampel's.
			name: "a busy queue that varies from week to week", weeks: 8,
			count:  func(_, back int) int { return 200 + 20*(back%3) },
			spikes: []spike{{at(8, tue14, 0), 2000, hampel(220, 20)}},
		},
		{
			// Every hour doubles, triples, quadruples the first week, and
			// is followed; Tuesday 14:00 (44, 88, 132, then 1,760 instead
			// of 176) has median 110 and deviations 22, 22, 66 and 1,650.
			name: "a spike on steady growth", weeks: 4,
			count:  func(how, back int) int { return int(pattern(how)) * (4 - back) },
			spikes: []spike{{at(4, tue14, 0), 1760, hampel(110, 44)}},
		},
		{
			// The launch trebled every hour for the last two weeks: each
			// hour's median is its old level, and where the launch weeks
			// are above its bound they are above it together, and kept.
			// Thursday 09:00 (31 an hour) had a spike before, above the 50
			// Poisson arrivals at 31 exceed once in a thousand weeks.
			name: "a launch that lasts the last two weeks", weeks: 8,
			count: func(how, back int) int {
				if back < 2 {
					return 3 * int(pattern(how))
				}
				return int(pattern(how))
			},
			spikes: []spike{{at(8, 3*24+9, 5), 310, 50}},
		},
		{
			name: "busy Monday mornings every week", weeks: 4,
			count: func(how, _ int) int {
				if how >= 8 && how < 12 {
					return 65
				}
				return 5
			},
			spikes: []spike{{at(4, tue14, 0), 80, 13}}, // Poisson's bound at 5
		},
		{
			// A night hour with no contacts most weeks keeps the odd 3
			// and 5 (the bound is Poisson's at 1 an hour, 5); 40 is a spike.
			name: "a quiet night", weeks: 8,
			count: func(how, _ int) int {
				if how%24 < 6 {
					return 0
				}
				return 10
			},
			spikes: []spike{{at(8, 3, 2), 5, 5}, {at(8, 3, 5), 3, 3}, {at(8, 4, 0), 40, 5}},
		},
		{
			name: "two weeks: a spike and a change look alike", weeks: 2, count: flat,
			spikes: []spike{{at(2, tue14, 0), 100, 100}},
		},
		{
			name: "one week", weeks: 1, count: flat,
			spikes: []spike{{at(1, tue14, 0), 100, 100}},
		},
		{
			// Two weeks from Monday 19 October, when the clocks go back on
			// the Sunday: Sunday 01:00 is seen three times, twice in one
			// week, so it too has two weeks, and its spike is kept.
			name: "two weeks, the clocks going back", loc: london, start: "2026-10-19 00:00", weeks: 2, count: flat,
			spikes: []spike{{6*24 + 2, 100, 100}}, // the second 01:00, GMT
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			loc, start := time.UTC, local(t, time.UTC, "2026-01-05 00:00")
			if tt.loc != nil {
				loc, start = tt.loc, local(t, tt.loc, tt.start)
			}
			h := history(start, start.AddDate(0, 0, 7*tt.weeks), loc, tt.count)
			taken := make([]float64, len(h.Counts))
			for i, c := range h.Counts {
				taken[i] = float64(c)
			}
			capped := 0
			for _, s := range tt.spikes {
				h.Counts[s.i], taken[s.i] = s.count, s.to
				if s.to != float64(s.count) {
					capped++
				}
			}
			f, err := staffing.Forecast(h, loc, staffing.Options{})
			if err != nil {
				t.Fatal(err)
			}
			want := plainMean(h.Start, taken, loc, staffing.DefaultDecay)
			sameWeek(t, tt.name, f, func(how int) float64 { return want[how] })
			if f.Capped != capped {
				t.Errorf("%d hours capped, want %d", f.Capped, capped)
			}
		})
	}
}

// TestForecastSpikeTrend checks that a day-long outage in the latest week
// of a growing queue barely moves the trend, which would otherwise read
// it as a jump in the level and extrapolate it.
func TestForecastSpikeTrend(t *testing.T) {
	t.Parallel()
	start := local(t, time.UTC, "2026-01-05 00:00")
	h := history(start, start.AddDate(0, 0, 28), time.UTC, func(how, back int) int {
		n := int(pattern(how)) * (4 - back)
		if back == 0 && how >= 24 && how < 48 {
			n *= 10
		}
		return n
	})
	f, err := staffing.Forecast(h, time.UTC, staffing.Options{Trend: true})
	if err != nil {
		t.Fatal(err)
	}
	// Levels 1, 2, 3 and 4 put the week after at 5. The capped Tuesday
	// still counts 6.95 times the first week's rather than 4 (Hampel's
	// bound over four weeks), which lifts the other days' forecast by
	// 2.5%; uncapped, its 40 times lift them by a fifth.
	if f.Capped != 24 {
		t.Errorf("%d hours capped, want 24", f.Capped)
	}
	for how, r := range f.Rates {
		if want := 5 * pattern(how); how >= 24 && how < 48 {
			continue
		} else if math.Abs(r/want-1) > 0.05 {
			t.Fatalf("hour %d forecasts %g, want %g within 5%%", how, r, want)
		}
	}
}

// poisson draws Poisson arrivals at mean m (Knuth's method, for small m).
func poisson(r *rand.Rand, m float64) int {
	limit, k := math.Exp(-m), 0
	for p := r.Float64(); p > limit; p *= r.Float64() {
		k++
	}
	return k
}

// TestForecastPoissonNoiseKept forecasts queues of 3 arrivals an hour at
// random, every hour of every week alike, from four and from eight weeks:
// their chance highs are noise, not spikes, and capping them would plan
// too few people for every hour. The mean forecast stays at 3, and few
// hours are capped: those are an arrival or two above a bound set from a
// median of 2, as a few weeks of Poisson(3) often have, and cost the
// forecast nothing worth planning for.
func TestForecastPoissonNoiseKept(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(2026, 11))
	start := local(t, time.UTC, "2026-01-05 00:00")
	for _, weeks := range []int{4, 8} {
		const runs = 100
		var sum float64
		capped := 0
		for range runs {
			h := history(start, start.AddDate(0, 0, 7*weeks), time.UTC, func(int, int) int { return poisson(r, 3) })
			f, err := staffing.Forecast(h, time.UTC, staffing.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, rate := range f.Rates {
				sum += rate
			}
			capped += f.Capped
		}
		mean := sum / (runs * staffing.HoursPerWeek)
		hours := runs * weeks * staffing.HoursPerWeek
		t.Logf("%d weeks: mean forecast %.4f, %d of %d hours capped", weeks, mean, capped, hours)
		if math.Abs(mean/3-1) > 0.01 {
			t.Errorf("%d weeks: mean forecast %.4f, want 3 within 1%%", weeks, mean)
		}
		if capped*200 > hours {
			t.Errorf("%d weeks: %d of %d hours capped, want at most 1 in 200", weeks, capped, hours)
		}
	}
}
