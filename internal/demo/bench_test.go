package demo

import (
	"fmt"
	"testing"
)

// BenchmarkHeadless drives b.N inbound messages at a fixed rate through
// every channel's signed webhook path, as `parley demo --headless` does,
// and reports the acknowledgement latency percentiles and the rate reached.
// ns/op includes starting and seeding Parley; read the custom metrics.
//
//	go test -run '^$' -bench Headless -benchtime 3000x ./internal/demo/
func BenchmarkHeadless(b *testing.B) {
	for _, rate := range []float64{200, 1000} {
		b.Run(fmt.Sprintf("rate=%g", rate), func(b *testing.B) {
			rep, err := Run(b.Context(), Options{Addr: "127.0.0.1:0", Seed: 1, Headless: true, Rate: rate, Count: b.N}, nil, nil)
			if err != nil {
				b.Fatal(err)
			}
			if rep.Failed > 0 {
				b.Errorf("%d of %d deliveries failed", rep.Failed, rep.Sent)
			}
			b.ReportMetric(float64(rep.AckP50.Microseconds())/1000, "ack-p50-ms")
			b.ReportMetric(float64(rep.AckP99.Microseconds())/1000, "ack-p99-ms")
			if rep.Elapsed > 0 {
				// The rate is the webhooks'; what customers wrote aside
				// from it is not part of it.
				b.ReportMetric(float64(rep.Acknowledged-rep.Aside)/rep.Elapsed.Seconds(), "acked/s")
			}
		})
	}
}
