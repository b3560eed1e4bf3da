package staffing_test

import (
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/staffing"
)

// slowErlangC is Erlang C straight from its definition, with none of the
// package's recursion: C = (Aᴺ/N!·N/(N−A)) / (Σₖ₌₀ᴺ⁻¹ Aᵏ/k! + Aᴺ/N!·N/(N−A)),
// each term Aᵏ/k! built from the one before in 512-bit floats, whose
// exponent range holds 5000ⁿ/n! where float64 overflows. n must exceed a.
func slowErlangC(a float64, n int) float64 {
	const prec = 512
	A := new(big.Float).SetPrec(prec).SetFloat64(a)
	term := new(big.Float).SetPrec(prec).SetInt64(1) // A⁰/0!
	sum := new(big.Float).SetPrec(prec)
	for k := 1; k <= n; k++ {
		sum.Add(sum, term)
		term.Mul(term, A)
		term.Quo(term, new(big.Float).SetPrec(prec).SetInt64(int64(k)))
	}
	N := new(big.Float).SetPrec(prec).SetInt64(int64(n))
	last := new(big.Float).SetPrec(prec).Mul(term, N)
	last.Quo(last, new(big.Float).SetPrec(prec).Sub(N, A))
	c, _ := new(big.Float).SetPrec(prec).Quo(last, sum.Add(sum, last)).Float64()
	return c
}

// slowErlangB is B(n) = (Aⁿ/n!) / Σₖ₌₀ⁿ Aᵏ/k!, the same way.
func slowErlangB(a float64, n int) float64 {
	const prec = 512
	A := new(big.Float).SetPrec(prec).SetFloat64(a)
	term := new(big.Float).SetPrec(prec).SetInt64(1)
	sum := new(big.Float).SetPrec(prec).SetInt64(1)
	for k := 1; k <= n; k++ {
		term.Mul(term, A)
		term.Quo(term, new(big.Float).SetPrec(prec).SetInt64(int64(k)))
		sum.Add(sum, term)
	}
	b, _ := new(big.Float).SetPrec(prec).Quo(term, sum).Float64()
	return b
}

func near(got, want, tol float64) bool {
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

func TestErlangBAgreesWithDefinition(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		a float64
		n int
	}{
		{0, 0}, {0, 5}, {1, 0}, {1, 1}, {2.5, 3}, {7.3, 12}, {10, 14}, {150, 140}, {150, 170},
		{999.5, 1040}, {5000, 4900}, {5000, 5100},
	} {
		if got, want := staffing.ErlangB(tt.a, tt.n), slowErlangB(tt.a, tt.n); !near(got, want, 1e-9) {
			t.Errorf("ErlangB(%g, %d) = %.15g, want %.15g", tt.a, tt.n, got, want)
		}
	}
}

func TestErlangCAgreesWithDefinition(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		a float64
		n int
	}{
		{0.2, 1}, {2.5, 3}, {7.3, 8}, {7.3, 12}, {10, 11}, {10, 14}, {10, 30}, {150, 151}, {150, 170},
		{999.5, 1000}, {999.5, 1040}, {5000, 5001}, {5000, 5100}, {5000, 5300},
	} {
		if got, want := staffing.ErlangC(tt.a, tt.n), slowErlangC(tt.a, tt.n); !near(got, want, 1e-9) {
			t.Errorf("ErlangC(%g, %d) = %.15g, want %.15g", tt.a, tt.n, got, want)
		}
	}
}

func TestErlangCEdges(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		a    float64
		n    int
		want float64
	}{
		{"no traffic, no agents", 0, 0, 0},
		{"no traffic", 0, 3, 0},
		{"as many agents as Erlangs", 10, 10, 1},
		{"fewer agents than Erlangs", 10, 4, 1},
		{"no agents", 0.5, 0, 1},
	} {
		if got := staffing.ErlangC(tt.a, tt.n); got != tt.want {
			t.Errorf("%s: ErlangC(%g, %d) = %g, want %g", tt.name, tt.a, tt.n, got, tt.want)
		}
	}
}

// classic is the textbook example: 100 calls in 30 minutes (200 an hour)
// of 180 seconds each, 10 Erlangs, to answer 80% within 20 seconds.
var classic = staffing.Queue{AHT: 180 * time.Second, ServiceLevel: 0.8, Within: 20 * time.Second}

// TestClassicExample checks every figure of the classic example against
// the definition, and the rounded figures the example is usually quoted
// with: 14 agents, who make 17.4% wait and answer 88.8% within 20 s with
// an ASA of 7.8 s at 71.4% occupancy; 13 answer only 79.6%, short of 80%.
func TestClassicExample(t *testing.T) {
	t.Parallel()
	const a, aht, within = 10.0, 180.0, 20.0
	for _, tt := range []struct {
		agents                 int
		pwait, sl, asa, occupy float64 // rounded, as published
	}{
		{11, 0.682, 0.390, 122.8, 0.909},
		{12, 0.449, 0.640, 40.4, 0.833},
		{13, 0.285, 0.796, 17.1, 0.769},
		{14, 0.174, 0.888, 7.8, 0.714},
		{15, 0.102, 0.941, 3.7, 0.667},
		{16, 0.057, 0.971, 1.7, 0.625},
	} {
		m, err := classic.Evaluate(200, tt.agents)
		if err != nil {
			t.Fatal(err)
		}
		n := float64(tt.agents)
		c := slowErlangC(a, tt.agents)
		exact := staffing.Metrics{
			Agents:       tt.agents,
			Scheduled:    tt.agents,
			Erlangs:      a,
			PWait:        c,
			ServiceLevel: 1 - c*math.Exp(-(n-a)*within/aht),
			ASA:          time.Duration(math.Round(c * aht / (n - a) * 1e9)),
			Occupancy:    a / n,
		}
		if m.Agents != exact.Agents || m.Scheduled != exact.Scheduled || m.Overloaded ||
			!near(m.Erlangs, exact.Erlangs, 1e-12) || !near(m.PWait, exact.PWait, 1e-9) ||
			!near(m.ServiceLevel, exact.ServiceLevel, 1e-9) || !near(m.Occupancy, exact.Occupancy, 1e-12) ||
			!near(m.ASA.Seconds(), exact.ASA.Seconds(), 1e-9) {
			t.Errorf("%d agents: got %+v, want %+v", tt.agents, m, exact)
		}
		if math.Abs(m.PWait-tt.pwait) > 0.0005 || math.Abs(m.ServiceLevel-tt.sl) > 0.0005 ||
			math.Abs(m.ASA.Seconds()-tt.asa) > 0.05 || math.Abs(m.Occupancy-tt.occupy) > 0.0005 {
			t.Errorf("%d agents: got %+v, want P(wait) %.3f, SL %.3f, ASA %.1fs, occupancy %.3f", tt.agents, m, tt.pwait, tt.sl, tt.asa, tt.occupy)
		}
	}
	if got := staffing.Erlangs(200, 180*time.Second); got != a {
		t.Errorf("Erlangs(200, 180s) = %g, want %g", got, a)
	}
	m, err := classic.Required(200)
	if err != nil {
		t.Fatal(err)
	}
	if m.Agents != 14 {
		t.Errorf("Required(200) = %d agents, want 14 (%+v)", m.Agents, m)
	}
}

// TestMonotone checks that each added agent raises the service level and
// lowers the wait, over loads from a fraction of an Erlang to thousands.
func TestMonotone(t *testing.T) {
	t.Parallel()
	for _, a := range []float64{0.05, 0.5, 3, 10, 57.3, 400, 2500} {
		q := staffing.Queue{AHT: 4 * time.Minute, Within: 30 * time.Second}
		rate := a * 3600 / q.AHT.Seconds()
		prev, err := q.Evaluate(rate, int(a))
		if err != nil {
			t.Fatal(err)
		}
		for n := int(a) + 1; n <= int(a)+60; n++ {
			m, err := q.Evaluate(rate, n)
			if err != nil {
				t.Fatal(err)
			}
			if m.ServiceLevel < prev.ServiceLevel || m.PWait > prev.PWait || m.ASA > prev.ASA || m.Occupancy > prev.Occupancy {
				t.Fatalf("A = %g: %d agents %+v are no better than %d %+v", a, n, m, n-1, prev)
			}
			prev = m
		}
	}
}

// TestMoreTrafficMoreAgents checks that Required never asks for fewer
// agents as traffic grows, in every model.
func TestMoreTrafficMoreAgents(t *testing.T) {
	t.Parallel()
	for _, q := range []staffing.Queue{
		classic,
		{AHT: 5 * time.Minute, ServiceLevel: 0.9, Within: time.Minute, MaxOccupancy: 0.85},
		{Model: staffing.ModelConcurrent, Concurrency: 3, AHT: 8 * time.Minute, ServiceLevel: 0.8, Within: 30 * time.Second},
		{Model: staffing.ModelWorkload, AHT: 6 * time.Minute, Within: 4 * time.Hour, MaxOccupancy: 0.8},
	} {
		prev := 0
		for rate := 0.0; rate <= 3000; rate += 7.5 {
			m, err := q.Required(rate)
			if err != nil {
				t.Fatal(err)
			}
			if m.Agents < prev {
				t.Fatalf("%+v: %g an hour need %d agents, fewer than %d for less", q, rate, m.Agents, prev)
			}
			prev = m.Agents
		}
	}
}

// TestHugeTraffic sizes queues of thousands of Erlangs, where A^N/N!
// overflows float64, and checks the answer against the definition.
func TestHugeTraffic(t *testing.T) {
	t.Parallel()
	for _, erlangs := range []float64{1000, 5000, 20000} {
		q := staffing.Queue{AHT: 180 * time.Second, ServiceLevel: 0.8, Within: 20 * time.Second}
		rate := erlangs * 20
		start := time.Now()
		m, err := q.Required(rate)
		if err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%g Erlangs took %v", erlangs, d)
		}
		if !(float64(m.Agents) > erlangs && float64(m.Agents) < erlangs*1.05) || m.Overloaded ||
			m.ServiceLevel < 0.8 || m.ASA <= 0 || m.ASA > time.Minute || math.IsNaN(m.PWait) {
			t.Errorf("%g Erlangs: %+v", erlangs, m)
		}
		if erlangs <= 5000 {
			if want := slowErlangC(erlangs, m.Agents); !near(m.PWait, want, 1e-9) {
				t.Errorf("%g Erlangs: P(wait) %.15g, want %.15g", erlangs, m.PWait, want)
			}
		}
		fewer, err := q.Evaluate(rate, m.Agents-1)
		if err != nil {
			t.Fatal(err)
		}
		if fewer.ServiceLevel >= 0.8 {
			t.Errorf("%g Erlangs: %d agents already answer %g", erlangs, m.Agents-1, fewer.ServiceLevel)
		}
	}
}
