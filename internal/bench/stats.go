package bench

import (
	"slices"
	"time"
)

// Latency summarises a set of durations. Percentiles use the nearest-rank
// method: P is the smallest sample such that at least P% of the samples are
// less than or equal to it, so every reported figure is one that was
// actually observed.
//
// In JSON the durations are milliseconds: {"count", "p50_ms", "p90_ms",
// "p99_ms", "max_ms"}.
type Latency struct {
	Count int
	P50   time.Duration
	P90   time.Duration
	P99   time.Duration
	Max   time.Duration
}

// Summarize returns the latency summary of samples. It sorts a copy, so the
// caller's order is kept. An empty set gives a zero Latency.
func Summarize(samples []time.Duration) Latency {
	if len(samples) == 0 {
		return Latency{}
	}
	s := slices.Clone(samples)
	slices.Sort(s)
	return Latency{
		Count: len(s),
		P50:   percentile(s, 50),
		P90:   percentile(s, 90),
		P99:   percentile(s, 99),
		Max:   s[len(s)-1],
	}
}

// percentile returns the nearest-rank p-th percentile of sorted, which must
// not be empty; p is in (0, 100].
func percentile(sorted []time.Duration, p float64) time.Duration {
	// rank = ceil(p/100 * n), computed in integers to avoid 0.99*100
	// landing a hair above 99 in floating point.
	n := len(sorted)
	rank := (int(p*100)*n + 100*100 - 1) / (100 * 100)
	rank = max(1, min(rank, n))
	return sorted[rank-1]
}

// perSecond returns n events over d as a rate, 0 when d is not positive.
func perSecond(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}
