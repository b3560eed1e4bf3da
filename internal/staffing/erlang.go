package staffing

import (
	"math"
	"time"
)

// Unbounded is the ASA of an overloaded queue, whose wait grows without
// bound. It is the longest time.Duration rather than +Inf so that Metrics
// encode as JSON; check Metrics.Overloaded rather than comparing.
const Unbounded = time.Duration(math.MaxInt64)

// Erlangs returns the traffic intensity A = λ·AHT of rate contacts per hour
// each taking aht to handle: the average number of contacts in hand at once.
func Erlangs(rate float64, aht time.Duration) float64 {
	return rate * aht.Seconds() / 3600
}

// ErlangB returns the probability that a contact finds all n servers busy
// when a Erlangs are offered and contacts who find them busy are lost. The
// recursion B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)) keeps every term in
// [0, 1], where the textbook Aⁿ/n! overflows float64 from A ≈ 170 on.
func ErlangB(a float64, n int) float64 {
	return advanceB(1, a, 0, n)
}

// advanceB continues the Erlang B recursion from b = B(from) to B(to), so
// that a search over n pays for each server once.
func advanceB(b, a float64, from, to int) float64 {
	// Once b has underflowed to 0 it stays there: stop, rather than walk
	// the rest of a search that a tiny occupancy cap can make long.
	for k := from + 1; k <= to && b > 0; k++ {
		ab := a * b
		b = ab / (float64(k) + ab)
	}
	return b
}

// ErlangC returns the probability that a contact waits when a Erlangs are
// offered to n servers and contacts queue until served: 0 when no traffic
// is offered, and 1 when n ≤ a, where the queue grows without bound.
func ErlangC(a float64, n int) float64 {
	if a <= 0 {
		return 0
	}
	if float64(n) <= a {
		return 1
	}
	return erlangCFromB(a, n, ErlangB(a, n))
}

// erlangCFromB is C = N·B / (N − A·(1 − B)), valid for n > a.
func erlangCFromB(a float64, n int, b float64) float64 {
	fn := float64(n)
	return fn * b / (fn - a*(1-b))
}

// queueing measures an M/M/n queue: a Erlangs offered to n servers with a
// mean service time of service seconds, and a service-level threshold of
// within seconds. b is B(n), which the caller keeps up to date as it
// searches.
func queueing(a float64, n int, b, service, within float64) Metrics {
	m := Metrics{Erlangs: a}
	switch {
	case a <= 0:
		m.ServiceLevel = 1
	case float64(n) <= a:
		m.Overloaded = true
		m.PWait, m.ASA, m.Occupancy = 1, Unbounded, 1
	default:
		spare := float64(n) - a
		c := erlangCFromB(a, n, b)
		m.PWait = c
		m.ServiceLevel = max(0, 1-c*math.Exp(-spare*within/service))
		m.ASA = seconds(c * service / spare)
		m.Occupancy = a / float64(n)
	}
	return m
}

// seconds converts s seconds to a Duration, saturating at Unbounded where a
// nearly saturated queue would overflow it.
func seconds(s float64) time.Duration {
	ns := math.Round(s * 1e9)
	if ns >= float64(Unbounded) {
		return Unbounded
	}
	return time.Duration(ns)
}

// ceil rounds x up, forgiving the last bits of float error: 2/(1−0.8) is
// 10.000000000000002 in float64, and 11 staff there would be one too many.
func ceil(x float64) int {
	return int(math.Ceil(x - 1e-9*math.Max(1, math.Abs(x))))
}
