package listen

import (
	"math"
	"slices"
	"time"
)

// MinSpike is the fewest posts in a bucket that can be a spike: below it,
// a jump (1 → 4) is noise, however large in proportion.
const MinSpike = 10

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
func spikes(subjects []SubjectReport, step Step) []Spike {
	window := dayWindow
	if step == Hour {
		window = hourWindow
	}
	found := []Spike{}
	history := make([]int, 0, window)
	for _, s := range subjects {
		for b, pt := range s.Series {
			history = history[:0]
			for _, h := range s.Series[max(0, b-window):b] {
				history = append(history, h.Posts)
			}
			if 2*len(history) < window {
				continue
			}
			base := median(history)
			if step == Hour {
				base = max(base, sameHour(s.Series, b, history[:0]))
			}
			if isSpike(pt.Posts, base) {
				found = append(found, Spike{Subject: s.Name, Start: pt.Start, Posts: pt.Posts,
					Expected: base, Negative: ratio(pt.Negative, pt.Posts)})
			}
		}
	}
	slices.SortStableFunc(found, func(a, b Spike) int { return b.Start.Compare(a.Start) })
	return found
}

// sameHour is the median of the bucket b's hour on the days before it in
// the series (up to a week), 0 when there are none. Care is talked about
// by day and asleep by night: against the last 24 hours alone, a busy
// brand's every afternoon would be a spike. Against the same hour of past
// days as well, an ordinary afternoon is not; a surge is above both.
func sameHour(series []Point, b int, buf []int) float64 {
	for d := 1; d <= dayWindow && b-d*hourWindow >= 0; d++ {
		buf = append(buf, series[b-d*hourWindow].Posts)
	}
	if len(buf) == 0 {
		return 0
	}
	return median(buf)
}

// isSpike reports whether count posts are a spike over a baseline of base:
// at least MinSpike, at least twice base, and more than three standard
// deviations above it were counts Poisson with mean base.
func isSpike(count int, base float64) bool {
	c := float64(count)
	return count >= MinSpike && c >= 2*base && c > base+3*math.Sqrt(max(base, 1))
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
