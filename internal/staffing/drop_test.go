package staffing_test

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/staffing"
)

// drop sets counts[i] to count, and to is what the forecast should take
// it for: the median it is raised to, or count itself if it is kept.
type drop struct {
	i, count int
	to       float64
}

// down is a run of hours hours of drops from hour of the week how, back
// weeks from the end of a history of weeks whole weeks, each at count and
// taken for to.
func down(weeks, how, back, hours, count int, to float64) []drop {
	var d []drop
	for h := how; h < how+hours; h++ {
		d = append(d, drop{at(weeks, h, back), count, to})
	}
	return d
}

// TestForecastRaisesDrops checks that a one-off drop, a week in which a
// channel was down, counts as its hour's median, while a fall that lasts
// two weeks, the chance lows of quiet hours and the zeros of hours that
// are quiet every week are kept, and that with two weeks nothing is
// raised.
func TestForecastRaisesDrops(t *testing.T) {
	t.Parallel()
	const tue = 24 // Tuesday 00:00
	flat := func(int, int) int { return 40 }
	for _, tt := range []struct {
		name  string
		weeks int
		count func(how, back int) int
		drops []drop
		// spikes are capped as before, beside the drops.
		spikes []spike
	}{
		{
			// 40 an hour every week; the inbox was disconnected all last
			// Tuesday. Each Tuesday hour forecasts 40, not the
			// 40 × 2.14/3.14 = 27.3 of the plain mean, 3.14 being the
			// weights of eight weeks and 1 the latest's.
			name: "an inbox down all last Tuesday", weeks: 8, count: flat,
			drops: down(8, tue, 0, 24, 0, 40),
		},
		{
			name: "a platform down one afternoon three weeks back", weeks: 8, count: flat,
			drops: down(8, tue+13, 3, 5, 0, 40),
		},
		{
			// Poisson arrivals at 40 an hour fall below 22 once in a
			// thousand weeks: 21 is a drop, 22 is chance.
			name: "part of an hour lost", weeks: 8, count: flat,
			drops: []drop{{at(8, tue+9, 1), 21, 40}, {at(8, tue+10, 1), 22, 22}, {at(8, tue+11, 1), 5, 40}},
		},
		{
			name: "a fall that lasts the last two weeks", weeks: 8,
			count: func(_, back int) int {
				if back < 2 {
					return 10
				}
				return 40
			},
		},
		{
			// Two weeks running cannot be told from a lasting fall.
			name: "a fall two weeks running, some weeks back", weeks: 8,
			count: func(_, back int) int {
				if back == 3 || back == 4 {
					return 0
				}
				return 40
			},
		},
		{
			// The first week of a fall is taken for a drop: the plan errs
			// by a week of too many agents, not too few.
			name: "the first week of a fall", weeks: 8, count: flat,
			drops: down(8, 0, 0, 168, 10, 40),
		},
		{
			// Nights are quiet every week, with the odd 2; days bring 40.
			// The outage day is raised in the day's hours only: an hour
			// whose median is 0 has nothing to be raised to.
			name: "quiet nights and an outage day", weeks: 8,
			count: func(how, back int) int {
				switch {
				case how%24 >= 6:
					return 40
				case back == 4 && how%24 == 3:
					return 2
				}
				return 0
			},
			drops: down(8, tue+6, 0, 18, 0, 40),
		},
		{
			// 5 an hour: Poisson arrivals at 5 bring none with odds
			// 0.0067, too often to tell a lost hour from a quiet one, so
			// a queue this quiet keeps even a day without arrivals.
			name: "a quiet queue's empty day", weeks: 8,
			count: func(how, back int) int {
				if back == 0 && how >= tue && how < tue+24 {
					return 0
				}
				return 5
			},
		},
		{
			// 200, 220, 240, 200, 220, 240, 200, 220 back from last week.
			// Last week's 50 at Tuesday 09:00 makes them 50, 200, 200,
			// 220, 220, 220, 240, 240: median 220, MAD 20, Hampel's
			// lower bound 220 − 3 × 1.4826 × 20 = 131.0, below Poisson's
			// 176; 50 is raised to 220. At 10:00, 170 for a 220 four
			// weeks back leaves median 210, MAD 10 and a bound of 165.5:
			// 170 is kept.
			name: "a busy queue that varies from week to week", weeks: 8,
			count: func(_, back int) int { return 200 + 20*(back%3) },
			drops: []drop{{at(8, tue+9, 0), 50, 220}, {at(8, tue+10, 4), 170, 170}},
		},
		{
			// The drop is raised to the median, 40; the spike is lowered
			// to Poisson's upper bound at 40, 61.
			name: "a drop and a spike at one hour, weeks apart", weeks: 8, count: flat,
			drops:  []drop{{at(8, tue+14, 1), 0, 40}},
			spikes: []spike{{at(8, tue+14, 5), 400, 61}},
		},
		{
			name: "two weeks: a drop and a change look alike", weeks: 2, count: flat,
			drops: down(2, tue, 0, 24, 0, 0),
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			start := local(t, time.UTC, "2026-01-05 00:00")
			h := history(start, start.AddDate(0, 0, 7*tt.weeks), time.UTC, tt.count)
			raw := make([]float64, len(h.Counts))
			taken := make([]float64, len(h.Counts))
			for i, c := range h.Counts {
				taken[i] = float64(c)
			}
			raised, capped := 0, 0
			for _, d := range tt.drops {
				h.Counts[d.i], taken[d.i] = d.count, d.to
				if d.to != float64(d.count) {
					raised++
				}
			}
			for _, s := range tt.spikes {
				h.Counts[s.i], taken[s.i] = s.count, s.to
				if s.to != float64(s.count) {
					capped++
				}
			}
			for i, c := range h.Counts {
				raw[i] = float64(c)
			}
			f, err := staffing.Forecast(h, time.UTC, staffing.Options{})
			if err != nil {
				t.Fatal(err)
			}
			want := plainMean(h.Start, taken, time.UTC, staffing.DefaultDecay)
			sameWeek(t, tt.name, f, func(how int) float64 { return want[how] })
			if f.Raised != raised || f.Capped != capped {
				t.Errorf("%d hours raised and %d capped, want %d and %d", f.Raised, f.Capped, raised, capped)
			}
			if raised > 0 {
				plain := plainMean(h.Start, raw, time.UTC, staffing.DefaultDecay)
				t.Logf("an hour of the drop: forecast %.1f, %.1f without raising it", f.Rates[tt.drops[0].i%168], plain[tt.drops[0].i%168])
			}
		})
	}
}

// TestForecastOutageWeek forecasts a queue of 40 arrivals an hour at
// random, from eight weeks in which its inbox was down all Tuesday last
// week and a weekend three weeks back, against the true 40: the plain
// mean of those weeks plans the outage's hours about a third short. A
// few of the outage's hours may be kept, where eight weeks of Poisson
// counts happen to spread so widely (a MAD of 9 or more, twice the usual)
// that Hampel's lower bound reaches 0; and a few chance lows of the other
// hours may be raised.
func TestForecastOutageWeek(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(2026, 25))
	start := local(t, time.UTC, "2026-01-05 00:00")
	const weeks = 8
	out := func(how, back int) bool {
		return back == 0 && how >= 24 && how < 48 || back == 3 && how >= 5*24
	}
	h := history(start, start.AddDate(0, 0, 7*weeks), time.UTC, func(how, back int) int {
		if out(how, back) {
			return 0
		}
		return poisson(r, 40)
	})
	lost := 0
	for i := range h.Counts {
		if out(i%168, weeks-1-i/168) {
			lost++
		}
	}
	f, err := staffing.Forecast(h, time.UTC, staffing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	raw := make([]float64, len(h.Counts))
	for i, c := range h.Counts {
		raw[i] = float64(c)
	}
	plain := plainMean(h.Start, raw, time.UTC, staffing.DefaultDecay)
	for _, tt := range []struct {
		name     string
		from, to int // hours of the week
		plainLow float64
	}{
		{"last week's Tuesday", 24, 48, 0.25},
		{"the weekend three weeks back", 5 * 24, 168, 0.05},
	} {
		var got, without float64
		for how := tt.from; how < tt.to; how++ {
			got += f.Rates[how]
			without += plain[how]
		}
		got /= float64(tt.to - tt.from)
		without /= float64(tt.to - tt.from)
		t.Logf("%s: forecast %.2f an hour, %.2f without raising the outage, truly 40", tt.name, got, without)
		if math.Abs(got/40-1) > 0.03 {
			t.Errorf("%s: forecast %.2f an hour, want 40 within 3%%", tt.name, got)
		}
		if without/40 > 1-tt.plainLow {
			t.Errorf("%s: the plain mean is %.2f an hour, not the shortfall this test is about", tt.name, without)
		}
	}
	if f.Raised < lost-4 || f.Raised > lost+4 {
		t.Errorf("%d hours raised, want the %d of the outages within 4", f.Raised, lost)
	}
}

// TestForecastDropTrend checks that an outage day in the latest week of a
// growing queue barely moves the trend: 40 an hour eight weeks back, 2
// more each week, so 54 last week and 56 the week after. Unraised, the
// lost Tuesday makes last week look 14% smaller, and the line bends down.
func TestForecastDropTrend(t *testing.T) {
	t.Parallel()
	start := local(t, time.UTC, "2026-01-05 00:00")
	h := history(start, start.AddDate(0, 0, 56), time.UTC, func(how, back int) int {
		if back == 0 && how >= 24 && how < 48 {
			return 0
		}
		return 54 - 2*back
	})
	f, err := staffing.Forecast(h, time.UTC, staffing.Options{Trend: true})
	if err != nil {
		t.Fatal(err)
	}
	if f.Raised != 24 {
		t.Errorf("%d hours raised, want 24", f.Raised)
	}
	// The raised Tuesday counts its median, 45 (of 0, 40, 42, … 52),
	// rather than 54, which keeps the week after within 2% of 56.
	for how, r := range f.Rates {
		if how >= 24 && how < 48 {
			continue
		}
		if math.Abs(r/56-1) > 0.02 {
			t.Fatalf("hour %d forecasts %g, want 56 within 2%%", how, r)
		}
	}
}

// TestForecastPoissonLowsKept forecasts queues of Poisson arrivals, every
// hour of every week alike, without outages: their chance lows are
// noise, not drops. A queue of 3 an hour is never raised, since it brings
// none once in twenty hours; one of 40 rarely is, and its forecast stays
// at 40.
func TestForecastPoissonLowsKept(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(2026, 12))
	start := local(t, time.UTC, "2026-01-05 00:00")
	for _, mean := range []float64{3, 40} {
		for _, weeks := range []int{4, 8} {
			const runs = 50
			var sum float64
			raised := 0
			for range runs {
				h := history(start, start.AddDate(0, 0, 7*weeks), time.UTC, func(int, int) int { return poisson(r, mean) })
				f, err := staffing.Forecast(h, time.UTC, staffing.Options{})
				if err != nil {
					t.Fatal(err)
				}
				for _, rate := range f.Rates {
					sum += rate
				}
				raised += f.Raised
			}
			got := sum / (runs * staffing.HoursPerWeek)
			hours := runs * weeks * staffing.HoursPerWeek
			t.Logf("%g an hour, %d weeks: mean forecast %.4f, %d of %d hours raised", mean, weeks, got, raised, hours)
			if math.Abs(got/mean-1) > 0.01 {
				t.Errorf("%g an hour, %d weeks: mean forecast %.4f, want %g within 1%%", mean, weeks, got, mean)
			}
			if mean < 6 && raised > 0 || raised*500 > hours {
				t.Errorf("%g an hour, %d weeks: %d of %d hours raised", mean, weeks, raised, hours)
			}
		}
	}
}
