// Package cputime reads the CPU time the process has used, every goroutine
// and thread, user and system. Benchmarks report it beside wall time: on a
// small machine shared with other work, the CPU a piece of code costs is
// steadier than how long it took.
package cputime

import "testing"

// Bench starts measuring b's CPU time; the function it returns, called
// after the loop, reports it as cpu-ns/op. Nothing is reported where the
// platform does not tell.
func Bench(b *testing.B) (stop func()) {
	start, ok := Process()
	return func() {
		if end, _ := Process(); ok && b.N > 0 {
			b.ReportMetric(float64((end-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
		}
	}
}
