package staffing

import (
	"math"
	"slices"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// HoursPerWeek is the number of hours in a week of wall-clock time.
const HoursPerWeek = 7 * 24

// DefaultDecay is the weight of each week relative to the week after it
// when Options.Decay is 0: the latest week counts 1, the one before 0.7,
// then 0.49, 0.34, 0.24…, so that the last four weeks carry about four
// fifths of the forecast of an eight-week history.
const DefaultDecay = 0.7

// MaxHistory bounds the hours of a History: three years, far more than
// the decay lets count.
const MaxHistory = 3 * 366 * 24

// trendWeeks is how many of the latest whole weeks the trend is fitted to,
// and minTrendWeeks the fewest it is fitted to at all: two points make a
// line out of any noise.
const (
	trendWeeks    = 8
	minTrendWeeks = 3
)

// Spikes, such as an outage that brought ten times the usual contacts one
// Tuesday afternoon, are capped before the mean (see capSpikes). An hour
// of the week is judged only once it has been seen in minSpikeWeeks
// weeks: with one or two, a spike and a new normal look alike. The bound
// is Hampel's, the median plus spikeMADs median absolute deviations, each
// scaled by madScale to the standard deviation it estimates in normal
// noise; but the MAD of a few weeks of small Poisson counts is often 0,
// so the bound is never below the count a steady hour exceeds by chance
// with odds spikeOdds, once in a thousand weeks.
const (
	minSpikeWeeks = 3
	spikeMADs     = 3
	madScale      = 1.4826
	spikeOdds     = 0.001
)

// HourOfWeek returns the hour of the week in which t falls on the wall
// clock of loc, from 0 (Monday 00:00–01:00) to 167 (Sunday 23:00–24:00).
// Because it reads the wall clock, the hour skipped when clocks go forward
// has no instant, and the hour repeated when they go back has two hours'.
func HourOfWeek(t time.Time, loc *time.Location) int {
	t = t.In(loc)
	return (int(t.Weekday())+6)%7*24 + t.Hour()
}

// History is a queue's arrivals, hour by hour: Counts[i] contacts arrived
// in the hour of real time starting at Start + i hours. An hour without
// arrivals counts 0; hours before Start or past the last count are
// unknown, not quiet.
type History struct {
	Start  time.Time `json:"start"`
	Counts []int     `json:"counts"`
}

// Options tune a Forecast.
type Options struct {
	// Decay is the weight of each week of history relative to the week
	// after it, above 0 and at most 1 (every week alike); 0 means
	// DefaultDecay. Weeks are counted back from the end of the history,
	// in blocks of 168 hours.
	Decay float64 `json:"decay,omitempty"`

	// Trend scales the forecast by the level a straight line through the
	// levels of the latest whole weeks (up to 8) projects for the week
	// forecast (see Ahead), a week's level being its arrivals over those
	// the forecast expects for its hours. It needs at least 3 whole weeks
	// and is ignored with fewer. It suits steady growth or decline; a line
	// extrapolates a campaign too, a rise that lasts weeks rather than a
	// spike capped as one-off, so leave it off after one.
	Trend bool `json:"trend,omitempty"`

	// Ahead is the time from the end of the history to the start of the
	// week forecast, at least 0: 0 is the week right after the history.
	// Only Trend reads it: a plan for next Monday made on a Tuesday is
	// for a week that starts six days after the history ends, and a
	// growing queue grows for those days too.
	Ahead time.Duration `json:"ahead,omitempty"`
}

// Week is a forecast: the expected arrivals per hour of each hour of the
// week on the wall clock of Loc, Rates[0] being Monday 00:00–01:00.
type Week struct {
	Loc   *time.Location        `json:"-"`
	Rates [HoursPerWeek]float64 `json:"rates"`

	// Trend is the factor Options.Trend applied, 1 when none was.
	Trend float64 `json:"trend"`

	// Capped is how many hours of the history were lowered to their
	// bound as one-off spikes before the mean (see Forecast).
	Capped int `json:"capped"`
}

// Rate returns the forecast arrivals per hour for the hour in which t
// falls.
func (w *Week) Rate(t time.Time) float64 {
	return w.Rates[HourOfWeek(t, w.Loc)]
}

// Forecast returns the expected arrivals per hour of each hour of the
// week Options.Ahead after the end of h (by default the week right after
// it), on the wall clock of loc, where business hours live.
//
// The rate of an hour of the week is the weighted mean of the arrivals
// in that hour in past weeks, the weights decaying by Options.Decay per
// week back; an hour of the week the history never covers forecasts 0.
// Hours are matched on the wall clock, so the weeks the clocks change do
// not shift the pattern: the hour skipped in spring adds nothing to its
// hour of the week, and each of the two hours repeated in autumn adds
// its own arrivals as one more sample of that hour.
//
// Before the mean, and before the trend, a one-off spike is lowered to a
// bound drawn from the other weeks of its hour of the week, so that last
// week's outage does not roster next week for a storm: see capSpikes.
// A rise that lasts two weeks or more, growth and the weekly pattern
// are kept, and an hour seen in fewer than three weeks is left as it is.
func Forecast(h History, loc *time.Location, o Options) (*Week, error) {
	if loc == nil {
		return nil, care.Errorf(care.EINVALID, "A time zone is needed: business hours follow the team's local clock.")
	}
	decay := o.Decay
	if decay == 0 {
		decay = DefaultDecay
	}
	if !(decay > 0 && decay <= 1) {
		return nil, care.Errorf(care.EINVALID, "decay is the weight of a week relative to the week after it, above 0 and at most 1, such as 0.7, or 0 for the default.")
	}
	if o.Ahead < 0 {
		return nil, care.Errorf(care.EINVALID, "ahead, the time from the end of the history to the week forecast, cannot be negative.")
	}
	n := len(h.Counts)
	if n > MaxHistory {
		return nil, care.Errorf(care.EINVALID, "counts covers %d hours; at most %d (three years) can be forecast from.", n, MaxHistory)
	}
	for i, c := range h.Counts {
		if c < 0 {
			return nil, care.Errorf(care.EINVALID, "counts[%d] is %d; arrivals cannot be negative.", i, c)
		}
	}

	hows := hoursOfWeek(h.Start, n, loc)
	counts, capped := capSpikes(h.Counts, hows)

	// sum and weight add up the weighted arrivals and the weighted hours
	// seen of each hour of the week.
	var sum, weight [HoursPerWeek]float64
	w, age := 1.0, 0
	for i := n - 1; i >= 0; i-- {
		if a := (n - 1 - i) / HoursPerWeek; a != age {
			w, age = math.Pow(decay, float64(a)), a
		}
		sum[hows[i]] += w * counts[i]
		weight[hows[i]] += w
	}
	f := &Week{Loc: loc, Trend: 1, Capped: capped}
	for i := range f.Rates {
		if weight[i] > 0 {
			f.Rates[i] = sum[i] / weight[i]
		}
	}
	if o.Trend {
		if factor, ok := trend(counts, hows, &f.Rates, o.Ahead); ok {
			f.Trend = factor
			for i := range f.Rates {
				f.Rates[i] *= factor
			}
		}
	}
	return f, nil
}

// trend fits a least-squares line to the level of each of the latest whole
// weeks of counts (blocks of 168 hours back from its end), hows being
// each hour's hour of the week: its arrivals over those the seasonal rates
// expect for the same hours, 1 for a week just like the average. It
// returns the level the line projects for the week that starts ahead
// after the history, at least 0, and whether there were weeks enough to
// fit one.
// Measuring each week against the rates of its own hours, rather than
// against the week's total, keeps the level of a week with a clock change,
// one hour short or long, as true as any other.
func trend(counts []float64, hows []uint8, rates *[HoursPerWeek]float64, ahead time.Duration) (float64, bool) {
	n := len(counts)
	weeks := min(n/HoursPerWeek, trendWeeks)
	if weeks < minTrendWeeks {
		return 0, false
	}
	// The a-th week back is at x = −a, the week after h at x = 1, and
	// the week forecast ahead of that by its share of a week: the line is
	// read where that week is, not where the history stops.
	var sx, sy, sxx, sxy float64
	for a := range weeks {
		end := n - a*HoursPerWeek
		var arrivals, expected float64
		for i := end - HoursPerWeek; i < end; i++ {
			arrivals += counts[i]
			expected += rates[hows[i]]
		}
		if expected == 0 {
			// Only a history without arrivals expects none.
			return 0, false
		}
		x, y := -float64(a), arrivals/expected
		sx, sy, sxx, sxy = sx+x, sy+y, sxx+x*x, sxy+x*y
	}
	k := float64(weeks)
	slope := (k*sxy - sx*sy) / (k*sxx - sx*sx)
	x := 1 + float64(ahead)/float64(HoursPerWeek*time.Hour)
	return max(0, sy/k+slope*(x-sx/k)), true
}

// hoursOfWeek returns the hour of the week on the wall clock of loc of
// each of the n hours from start. Within a stretch of one UTC offset each
// hour follows the one before, so the zone is looked up only where an
// offset ends, not for every hour.
func hoursOfWeek(start time.Time, n int, loc *time.Location) []uint8 {
	hows := make([]uint8, n)
	how, next := 0, 0 // next is the first hour past the offset in force
	for i := range hows {
		if i < next {
			how = (how + 1) % HoursPerWeek
		} else {
			t := start.Add(time.Duration(i) * time.Hour)
			how, next = HourOfWeek(t, loc), n
			if _, end := t.In(loc).ZoneBounds(); !end.IsZero() {
				if d := end.Sub(t); d < time.Duration(n-i)*time.Hour {
					next = i + int((d+time.Hour-1)/time.Hour)
				}
			}
		}
		hows[i] = uint8(how)
	}
	return hows
}

// capSpikes returns counts as numbers, with each one-off spike lowered to
// the bound of its hour of the week, and how many were; hows holds each
// hour's hour of the week.
//
// For each hour of the week seen in at least minSpikeWeeks weeks, the
// bound is the greater of the median of its counts plus spikeMADs × 1.4826
// × their median absolute deviation (Hampel's rule: medians, so the spike
// itself barely moves them), and the count Poisson arrivals at the median,
// or at 1 if the median is lower, exceed with odds spikeOdds, so that a
// quiet hour's chance 5 among 0s is not taken for a spike. A count above
// the bound is lowered to it unless the nearest week on either side also
// has a count above it at that hour: a rise that lasts two weeks, such as
// a launch or steady growth, is a change to follow, not a spike. So a
// spike in the latest week is capped, and a change shows in the forecast
// from its second week on. Counts are only lowered, never raised: a quiet
// week stays in the mean.
func capSpikes(counts []int, hows []uint8) ([]float64, int) {
	n := len(counts)
	x := make([]float64, n)
	for i, c := range counts {
		x[i] = float64(c)
	}
	if n <= (minSpikeWeeks-1)*HoursPerWeek {
		// No hour of the week is seen in enough weeks.
		return x, 0
	}
	// order lists the hours of the history by hour of the week, each hour
	// of the week's in time order, from first[how] to first[how+1].
	var first [HoursPerWeek + 1]int
	for _, how := range hows {
		first[how+1]++
	}
	for how := range HoursPerWeek {
		first[how+1] += first[how]
	}
	order := make([]int, n)
	next := first
	for i, how := range hows {
		order[next[how]] = i
		next[how]++
	}
	week := func(i int) int { return (n - 1 - i) / HoursPerWeek }
	var vals []float64
	capped := 0
	for how := range HoursPerWeek {
		s := order[first[how]:first[how+1]]
		weeks := 0
		for j, i := range s {
			if j == 0 || week(i) != week(s[j-1]) {
				weeks++
			}
		}
		if weeks < minSpikeWeeks {
			continue
		}
		vals = vals[:0]
		for _, i := range s {
			vals = append(vals, x[i])
		}
		slices.Sort(vals)
		med := median(vals)
		bound := med + spikeMADs*madScale*mad(vals, med)
		if vals[len(vals)-1] <= bound {
			continue
		}
		if bound = max(bound, poissonBound(max(med, 1))); vals[len(vals)-1] <= bound {
			continue
		}
		above := func(i int) bool { return float64(counts[i]) > bound }
		// lasts says whether the nearest week on either side of s[j] is
		// above the bound too.
		lasts := func(j int) bool {
			for k := j - 1; k >= 0; k-- {
				if week(s[k]) != week(s[j]) {
					if above(s[k]) {
						return true
					}
					break
				}
			}
			for k := j + 1; k < len(s); k++ {
				if week(s[k]) != week(s[j]) {
					return above(s[k])
				}
			}
			return false
		}
		for j, i := range s {
			if above(i) && !lasts(j) {
				x[i] = bound
				capped++
			}
		}
	}
	return x, capped
}

// median returns the median of sorted, which is not empty.
func median(sorted []float64) float64 {
	m := len(sorted) / 2
	if len(sorted)%2 == 1 {
		return sorted[m]
	}
	return (sorted[m-1] + sorted[m]) / 2
}

// mad returns the median absolute deviation from med of sorted, which
// is not empty. The deviations below med, read from med down, and those
// above it, read up, are two sorted runs, so it merges them to their
// middle rather than sorting them.
func mad(sorted []float64, med float64) float64 {
	up, _ := slices.BinarySearch(sorted, med) // sorted[up:] are at least med
	down := up - 1
	next := func() float64 {
		if down >= 0 && (up == len(sorted) || med-sorted[down] < sorted[up]-med) {
			down--
			return med - sorted[down+1]
		}
		up++
		return sorted[up-1] - med
	}
	var prev, cur float64
	for range len(sorted)/2 + 1 {
		prev, cur = cur, next()
	}
	if len(sorted)%2 == 1 {
		return cur
	}
	return (prev + cur) / 2
}

// poissonBound returns the fewest arrivals c such that Poisson arrivals
// at mean m exceed c with odds of at most spikeOdds. Past a mean of 700,
// where e^−m nears the smallest float64, it takes the Cornish–Fisher
// expansion m + z√m + (z² − 1)/6, z being the normal quantile of the same
// odds, within an arrival of the exact figure there.
func poissonBound(m float64) float64 {
	if m > 700 {
		z := math.Sqrt2 * math.Erfinv(1-2*spikeOdds)
		return math.Ceil(m + z*math.Sqrt(m) + (z*z-1)/6)
	}
	p := math.Exp(-m)
	c, cdf := 0.0, p
	for cdf < 1-spikeOdds {
		c++
		p *= m / c
		cdf += p
	}
	return c
}
