package sla_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/cputime"
	"github.com/parleyhq/parley/internal/sla"
)

// BenchmarkRecompute100k recomputes the SLA of 100,000 open conversations
// on the split-shift office calendar in Europe/London: Deadlines and Check
// for each, as after a restart or a change of business hours. One op is
// all 100,000; ns/conv is the cost of one conversation, and cpu-ns/op the
// CPU time of an op, which a busy machine does not inflate.
func BenchmarkRecompute100k(b *testing.B) {
	const n = 100_000
	cal := officeHours(b)
	now := at(b, "2026-11-26 11:00") // a Thursday
	rng := rand.New(rand.NewPCG(1, 2))
	states := make([]sla.State, n)
	for i := range states {
		// Conversations opened over the last three weeks, some answered,
		// some waiting on the customer, some with a new message since.
		created := now.Add(-time.Duration(rng.Int64N(int64(21 * 24 * time.Hour))))
		s := sla.State{}.Apply(sla.Event{At: created, Type: sla.CustomerMessage}, standard, cal)
		t := created
		for range rng.IntN(4) {
			t = t.Add(time.Duration(rng.Int64N(int64(now.Sub(t)/2 + 1))))
			ev := []sla.EventType{sla.AgentReply, sla.CustomerMessage, sla.Pending, sla.Snoozed, sla.Open}[rng.IntN(5)]
			s = s.Apply(sla.Event{At: t, Type: ev}, standard, cal)
		}
		states[i], _ = s.Check(t, standard, cal)
	}
	var dues, alerts int
	stop := cputime.Bench(b)
	for b.Loop() {
		dues, alerts = 0, 0
		for _, s := range states {
			dues += len(s.Deadlines(standard, cal))
			_, a := s.Check(now, standard, cal)
			alerts += len(a)
		}
	}
	stop()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/conv")
	b.ReportMetric(float64(dues)/n, "dues/conv")
	b.ReportMetric(float64(alerts)/n, "alerts/conv")
}
