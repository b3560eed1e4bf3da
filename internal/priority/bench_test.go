package priority_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/priority"
)

// BenchmarkRecompute100k recomputes the scores of a queue of 100,000
// conversations, as happens when the queue is consulted; one op is the
// whole queue. The target is 2 s.
func BenchmarkRecompute100k(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	inputs := make([]priority.Input, 100_000)
	for i := range inputs {
		in := priority.Input{
			Waited: time.Duration(r.Int64N(int64(3 * time.Hour))), Target: time.Hour,
			Need: r.Float64(), NeedReason: "negative", Incident: r.Float64() / 4, History: r.Float64() / 2,
		}
		if i%3 == 0 {
			in.Reach, in.ReachReason = reachOf(post{Public: true,
				Followers: r.Int64N(1e6), Engagement: r.Int64N(100), Age: time.Duration(r.Int64N(int64(time.Hour)))})
		}
		if i%2 == 0 {
			due := now.Add(time.Hour - in.Waited)
			in.Due = &due
		}
		inputs[i] = in
	}
	w := priority.DefaultWeights()
	results := make([]priority.Result, len(inputs))
	b.ReportAllocs()
	for b.Loop() {
		for i, in := range inputs {
			results[i] = priority.Compute(in, w, now)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(inputs)), "ns/conversation")
}
