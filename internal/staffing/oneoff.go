package staffing

import (
	"math"
	"slices"
)

// One-off weeks are set right before the mean (see oneOffs): a spike,
// such as an outage elsewhere that brought ten times the usual contacts
// one Tuesday afternoon, and a drop, such as a week in which an inbox was
// disconnected or the platform down and next to nothing arrived. An hour
// of the week is judged only once it has been seen in minOneOffWeeks
// weeks: with one or two, a one-off and a new normal look alike. The
// bounds are Hampel's, the median less or plus oneOffMADs median absolute
// deviations, each scaled by madScale to the standard deviation it
// estimates in normal noise; but the MAD of a few weeks of small Poisson
// counts is often 0, so a bound is never nearer the median than the count
// a steady hour falls below or exceeds by chance with odds oneOffOdds,
// once in a thousand weeks.
const (
	minOneOffWeeks = 3
	oneOffMADs     = 3
	madScale       = 1.4826
	oneOffOdds     = 0.001
)

// oneOffs returns counts as numbers, with each one-off spike lowered to
// the upper bound of its hour of the week and each one-off drop raised to
// the median of its hour of the week, and how many were lowered and
// raised; hows holds each hour's hour of the week.
//
// For each hour of the week seen in at least minOneOffWeeks weeks, the
// bounds are the median of its counts less and plus oneOffMADs × 1.4826
// × their median absolute deviation (Hampel's rule: medians, so the
// one-off itself barely moves them), each widened if need be to the count
// Poisson arrivals at the median fall below, or exceed, with odds
// oneOffOdds. Above, the mean is taken as at least 1, so that a quiet
// hour's chance 5 among 0s is not a spike; below, nothing falls short of
// a median of 0, so an hour that is quiet most weeks, such as at night,
// is never raised, and a count of 0 is a drop only where the median is
// about 7 or more, the odds of no arrival at all being e^−median.
//
// A count beyond a bound is kept when the nearest week on either side is
// beyond it the same way at that hour: a change that lasts two weeks, a
// launch or growth, a lost account or a season's end, is to be followed.
// So a one-off in the latest week is set right, and a change shows in the
// forecast from its second week on.
//
// A spike is lowered only to the bound, keeping a share of it: planning a
// little high costs wages. A drop is raised to the median, what the hour
// usually brings, rather than to the lower bound: a week in which the
// channel was down says nothing of how many would have written, and what
// a bound kept of it would plan too few agents, at the cost of the
// service level and a queue that builds up. A raised count is thus never
// above the highest of the other weeks, and a count is never lowered
// below the median nor raised above it.
func oneOffs(counts []int, hows []uint8) (x []float64, capped, raised int) {
	n := len(counts)
	x = make([]float64, n)
	for i, c := range counts {
		x[i] = float64(c)
	}
	if n <= (minOneOffWeeks-1)*HoursPerWeek {
		// No hour of the week is seen in enough weeks.
		return x, 0, 0
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
	// lasts says whether the nearest week on either side of s[j], the
	// hours s being one hour of the week's, is beyond the bound too.
	lasts := func(s []int, j int, beyond func(i int) bool) bool {
		for k := j - 1; k >= 0; k-- {
			if week(s[k]) != week(s[j]) {
				if beyond(s[k]) {
					return true
				}
				break
			}
		}
		for k := j + 1; k < len(s); k++ {
			if week(s[k]) != week(s[j]) {
				return beyond(s[k])
			}
		}
		return false
	}
	var vals []float64
	for how := range HoursPerWeek {
		s := order[first[how]:first[how+1]]
		weeks := 0
		for j, i := range s {
			if j == 0 || week(i) != week(s[j-1]) {
				weeks++
			}
		}
		if weeks < minOneOffWeeks {
			continue
		}
		vals = vals[:0]
		for _, i := range s {
			vals = append(vals, x[i])
		}
		slices.Sort(vals)
		med := median(vals)
		spread := oneOffMADs * madScale * mad(vals, med)
		// Poisson's bounds cost a sum each, so they are worked out only
		// when a count is beyond Hampel's.
		lo, hi := med-spread, med+spread
		if vals[len(vals)-1] > hi {
			hi = max(hi, poissonBound(max(med, 1)))
		}
		if vals[0] < lo {
			lo = min(lo, poissonFloor(med))
		}
		if vals[0] >= lo && vals[len(vals)-1] <= hi {
			continue
		}
		above := func(i int) bool { return float64(counts[i]) > hi }
		below := func(i int) bool { return float64(counts[i]) < lo }
		for j, i := range s {
			switch {
			case above(i) && !lasts(s, j, above):
				x[i] = hi
				capped++
			case below(i) && !lasts(s, j, below):
				x[i] = med
				raised++
			}
		}
	}
	return x, capped, raised
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

// oneOffZ is the normal quantile of the odds oneOffOdds, for the Poisson
// bounds of large means.
var oneOffZ = math.Sqrt2 * math.Erfinv(1-2*oneOffOdds)

// poissonBound returns the fewest arrivals c such that Poisson arrivals
// at mean m exceed c with odds of at most oneOffOdds. Past a mean of 700,
// where e^−m nears the smallest float64, it takes the Cornish–Fisher
// expansion m + z√m + (z² − 1)/6, z being the normal quantile of the same
// odds, within an arrival of the exact figure there.
func poissonBound(m float64) float64 {
	if m > 700 {
		return math.Ceil(m + oneOffZ*math.Sqrt(m) + (oneOffZ*oneOffZ-1)/6)
	}
	p := math.Exp(-m)
	c, cdf := 0.0, p
	for cdf < 1-oneOffOdds {
		c++
		p *= m / c
		cdf += p
	}
	return c
}

// poissonFloor returns the most arrivals c such that Poisson arrivals at
// mean m fall below c with odds of at most oneOffOdds: 0, below which
// nothing falls, for a mean under 6.9, where the odds of no arrival at
// all, e^−m, are higher. Past a mean of 700 it takes the Cornish–Fisher
// expansion m − z√m + (z² − 1)/6, rounded, within an arrival of the exact
// figure up to a mean of 20,000 at least.
func poissonFloor(m float64) float64 {
	if m > 700 {
		return math.Round(m - oneOffZ*math.Sqrt(m) + (oneOffZ*oneOffZ-1)/6)
	}
	p := math.Exp(-m)
	c, cdf := 0.0, p // cdf is the odds of at most c arrivals
	for cdf <= oneOffOdds {
		c++
		p *= m / c
		cdf += p
	}
	return c
}
