package staffing

import (
	"math"
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

	// Raised is how many hours of the history were raised to their
	// hour's median as one-off drops before the mean (see Forecast).
	Raised int `json:"raised"`
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
// week's storm does not roster next week for another, and a one-off drop
// is raised to the median of those weeks, so that a week the channel was
// down does not roster next week for a quiet one: see oneOffs. A change
// that lasts two weeks or more, growth or decline, and the weekly pattern
// are kept; an hour that is quiet most weeks is never raised; and an hour
// seen in fewer than three weeks is left as it is.
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
	counts, capped, raised := oneOffs(h.Counts, hows)

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
	f := &Week{Loc: loc, Trend: 1, Capped: capped, Raised: raised}
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
