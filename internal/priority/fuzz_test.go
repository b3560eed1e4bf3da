package priority_test

import (
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/priority"
)

// FuzzCompute feeds Compute what arrives from outside: reasons taken from
// topic names and network data, and numbers that may be anything. Run it
// with go test -run '^$' -fuzz FuzzCompute -fuzztime 30s ./internal/priority
func FuzzCompute(f *testing.F) {
	f.Add(int64(20*time.Minute), int64(time.Hour), 0.8, "angry complaint", 0.5, "gaining fast", 0.7, 1.0, 0.0, 10.0, int64(6*time.Minute))
	f.Add(int64(-1), int64(-1), -1.0, "\x00\u202e\xff", 2.0, "   ", -3.0, 9.0, 1e308, -1e308, int64(-1)<<62)
	f.Fuzz(func(t *testing.T, waited, target int64, need float64, needReason string, reach float64, reachReason string,
		incident, history, value, boost float64, due int64) {
		d := now.Add(time.Duration(due))
		in := priority.Input{Waited: time.Duration(waited), Target: time.Duration(target), Due: &d,
			Need: need, NeedReason: needReason, Reach: reach, ReachReason: reachReason,
			Incident: incident, History: history, Value: value, Boost: boost}
		checkExplained(t, in, priority.Compute(in, priority.DefaultWeights(), now))
	})
}
