package listen

import (
	"math"
	"slices"
	"time"
)

// MinSpike is the fewest posts in a bucket that can be a spike: below it,
// a jump (1 → 4) is noise, however large in proportion.
const MinSpike = 10

// chance is the most that chance may explain of a spike: a count that
// posts arriving at random at one steady rate would reach at least once
// in a thousand buckets is not one. See isSpike.
const chance = 1e-3

// Baseline windows: how many buckets before a bucket its baseline is taken
// from. A day of hours, so that the baseline spans the daily cycle; a week
// of days, so that it spans the weekly one.
const (
	hourWindow = 24
	dayWindow  = 7
)

// Spike is a bucket in which a subject was talked about far more than its
// recent history predicts: the start of a story, often a complaint
// spreading.
type Spike struct {
	Subject  string    `json:"subject"`
	Start    time.Time `json:"start"`    // the bucket
	Posts    int       `json:"posts"`    // posts in the bucket
	Expected float64   `json:"expected"` // the baseline it was compared with
	// Negative is the share of the bucket's posts that were negative: a
	// spike of complaints is the one to act on first.
	Negative float64 `json:"negative"`
}

// spikes finds the spikes of every subject's series, newest first, and in
// settings order within a bucket.
//
// A day is judged once the report holds at least half a week before it. An
// hour is judged only once the report holds the same hour of an earlier
// day: talk follows the clock, quiet by night and busy by day, so against
// the night before it every ordinary afternoon of a report's first day
// would be a spike. Whether an hour is unusual for its time can only be
// told from that time on other days, so the first day of an hourly report
// has no spikes, whatever its counts: there is not enough history.
func spikes(subjects []SubjectReport, step Step) []Spike {
	window, first := dayWindow, (dayWindow+1)/2
	if step == Hour {
		window, first = hourWindow, hourWindow
	}
	found := []Spike{}
	recent := make([]int, 0, window)
	same := make([]int, 0, dayWindow)
	for _, s := range subjects {
		for b := first; b < len(s.Series); b++ {
			pt := s.Series[b]
			recent = recent[:0]
			for _, h := range s.Series[max(0, b-window):b] {
				recent = append(recent, h.Posts)
			}
			base := median(recent)
			var spike bool
			if step == Hour {
				same = sameHour(s.Series, b, same[:0])
				base = max(base, median(same))
				spike = isSpike(pt.Posts, base, recent) && isSpike(pt.Posts, base, same)
			} else {
				spike = isSpike(pt.Posts, base, recent)
			}
			if spike {
				found = append(found, Spike{Subject: s.Name, Start: pt.Start, Posts: pt.Posts,
					Expected: base, Negative: ratio(pt.Negative, pt.Posts)})
			}
		}
	}
	slices.SortStableFunc(found, func(a, b Spike) int { return b.Start.Compare(a.Start) })
	return found
}

// sameHour appends to buf the counts of the bucket b's hour on the days
// before it in the series, up to a week. Care is talked about by day and
// asleep by night: against the last 24 hours alone, a busy brand's every
// afternoon would be a spike. An hour's baseline is the higher of the
// medians of the last 24 hours and of the same hour of past days, and it
// must be beyond chance against both: an ordinary afternoon is not; a
// surge is above both.
func sameHour(series []Point, b int, buf []int) []int {
	for d := 1; d <= dayWindow && b-d*hourWindow >= 0; d++ {
		buf = append(buf, series[b-d*hourWindow].Posts)
	}
	return buf
}

// isSpike reports whether count posts are a spike over a baseline of base,
// given sample, the counts of buckets the baseline was taken from: at
// least MinSpike, at least twice base, and more than chance explains.
//
// Chance is Poisson noise: posts arriving at random at a steady rate vary
// by about the square root of the rate, and at a few posts a day that is
// most of it. A brand with about 7 a day has days of 14, and weeks whose
// median is 5, so a rule of three square roots above the median flagged
// an ordinary day in a quarter of 30-day reports. The test here takes the
// noise of the sample into account as well as the bucket's: were the
// bucket and its sample all Poisson at one rate, whatever the rate, the
// bucket's share of their posts would be binomial, one in len(sample)+1
// on average; a count is more than chance when a share as large would
// come less often than chance (1 in 1,000). That bounds the false spikes
// of a subject talked about at a steady rate: a 30-day report judges 26
// days, so at most 2.6% of such reports have one, at any volume; the
// lower bound of MinSpike and the rule of twice the baseline only remove
// spikes. A burst of three times a steady 7 a day (21) is still a spike in
// about 19 reports of 20, and the odd miss is a week whose days ran high.
func isSpike(count int, base float64, sample []int) bool {
	if count < MinSpike || float64(count) < 2*base {
		return false
	}
	sum := 0
	for _, n := range sample {
		sum += n
	}
	return binomialTail(count, count+sum, 1/float64(len(sample)+1)) < chance
}

// binomialTail returns the probability that a binomial count of n trials
// of probability p (0 < p ≤ 1/2) is at least k: 1 when k is not above its
// mean, otherwise the sum of the probabilities of k, k+1, …, n, each the
// one before times (n-j)/(j+1)·p/(1-p). Above the mean the terms fall, at
// worst as fast as a normal curve's, so the sum ends within some
// thousands of terms even for a million posts.
func binomialTail(k, n int, p float64) float64 {
	if float64(k) <= float64(n)*p {
		return 1
	}
	ln, _ := math.Lgamma(float64(n) + 1)
	lk, _ := math.Lgamma(float64(k) + 1)
	lnk, _ := math.Lgamma(float64(n-k) + 1)
	t := math.Exp(ln - lk - lnk + float64(k)*math.Log(p) + float64(n-k)*math.Log1p(-p))
	odds := p / (1 - p)
	sum := 0.0
	for j := k; j <= n && t > sum*1e-12; j++ {
		sum += t
		t *= float64(n-j) / float64(j+1) * odds
	}
	return sum
}

// median returns the median of counts, which it sorts.
func median(counts []int) float64 {
	slices.Sort(counts)
	n := len(counts)
	if n%2 == 1 {
		return float64(counts[n/2])
	}
	return float64(counts[n/2-1]+counts[n/2]) / 2
}
