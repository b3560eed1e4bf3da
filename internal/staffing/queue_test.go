package staffing_test

import (
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/staffing"
)

func TestRequiredEdges(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		q    staffing.Queue
		rate float64
		want staffing.Metrics
	}{
		{
			name: "no traffic",
			q:    classic,
			want: staffing.Metrics{ServiceLevel: 1},
		},
		{
			name: "no traffic, concurrent, shrinkage",
			q:    staffing.Queue{Model: staffing.ModelConcurrent, Concurrency: 4, AHT: time.Minute, ServiceLevel: 0.9, Shrinkage: 0.99},
			want: staffing.Metrics{ServiceLevel: 1},
		},
		{
			name: "no traffic, workload",
			q:    staffing.Queue{Model: staffing.ModelWorkload, AHT: time.Minute, MaxOccupancy: 0.5},
			want: staffing.Metrics{ServiceLevel: 1},
		},
		{
			// The least traffic still needs somebody.
			name: "a trickle",
			q:    staffing.Queue{AHT: time.Second, ServiceLevel: 0.5},
			rate: 1e-6,
			want: staffing.Metrics{Agents: 1, Scheduled: 1},
		},
		{
			// Nobody waits at all only with no traffic; 0% answered at once
			// is met by anyone who keeps up.
			name: "no service-level target",
			q:    staffing.Queue{AHT: 6 * time.Minute},
			rate: 95, // 9.5 Erlangs
			want: staffing.Metrics{Agents: 10, Scheduled: 10},
		},
		{
			name: "shrinkage 0.99",
			q:    staffing.Queue{AHT: 180 * time.Second, ServiceLevel: 0.8, Within: 20 * time.Second, Shrinkage: 0.99},
			rate: 200,
			want: staffing.Metrics{Agents: 14, Scheduled: 1400},
		},
		{
			// 14/(1−0.3) is 20 on paper and 20.000000000000004 in floats.
			name: "shrinkage that divides exactly",
			q:    staffing.Queue{AHT: 180 * time.Second, ServiceLevel: 0.8, Within: 20 * time.Second, Shrinkage: 0.3},
			rate: 200,
			want: staffing.Metrics{Agents: 14, Scheduled: 20},
		},
		{
			name: "occupancy cap binds",
			q:    staffing.Queue{AHT: 180 * time.Second, ServiceLevel: 0.8, Within: 20 * time.Second, MaxOccupancy: 0.5},
			rate: 200,
			want: staffing.Metrics{Agents: 20, Scheduled: 20},
		},
		{
			// 8.5 Erlangs at 85% are exactly 10 agents.
			name: "occupancy cap met exactly",
			q:    staffing.Queue{AHT: 5 * time.Minute, MaxOccupancy: 0.85},
			rate: 102,
			want: staffing.Metrics{Agents: 10, Scheduled: 10},
		},
		{
			// A cap of 1 still leaves the queue needing more agents than
			// Erlangs to keep up.
			name: "occupancy cap of 1",
			q:    staffing.Queue{AHT: 6 * time.Minute, MaxOccupancy: 1},
			rate: 100, // 10 Erlangs
			want: staffing.Metrics{Agents: 11, Scheduled: 11},
		},
		{
			name: "workload",
			q:    staffing.Queue{Model: staffing.ModelWorkload, AHT: 5 * time.Minute, Within: 4 * time.Hour, MaxOccupancy: 0.85},
			rate: 120, // 10 Erlangs: 11.76 at 85%
			want: staffing.Metrics{Agents: 12, Scheduled: 12},
		},
		{
			name: "workload met exactly",
			q:    staffing.Queue{Model: staffing.ModelWorkload, AHT: 5 * time.Minute, Within: 4 * time.Hour, MaxOccupancy: 0.85, Shrinkage: 0.2},
			rate: 102, // 8.5 Erlangs: 10 at 85%
			want: staffing.Metrics{Agents: 10, Scheduled: 13},
		},
		{
			name: "workload, a trickle",
			q:    staffing.Queue{Model: staffing.ModelWorkload, AHT: 5 * time.Minute, Within: 24 * time.Hour, MaxOccupancy: 0.85},
			rate: 0.01,
			want: staffing.Metrics{Agents: 1, Scheduled: 1},
		},
	} {
		m, err := tt.q.Required(tt.rate)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if m.Agents != tt.want.Agents || m.Scheduled != tt.want.Scheduled || m.Overloaded {
			t.Errorf("%s: %+v, want %d agents, %d scheduled", tt.name, m, tt.want.Agents, tt.want.Scheduled)
		}
		if tt.rate == 0 && m != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.name, m, tt.want)
		}
		if m.ServiceLevel < tt.q.ServiceLevel && tt.q.Model != staffing.ModelWorkload {
			t.Errorf("%s: service level %g below the target", tt.name, m.ServiceLevel)
		}
	}
}

func TestOverloaded(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		q      staffing.Queue
		rate   float64
		agents int
	}{
		{"as many agents as Erlangs", classic, 200, 10},
		{"fewer agents than Erlangs", classic, 200, 3},
		{"no agents", classic, 1, 0},
		{"concurrent slots full", staffing.Queue{Model: staffing.ModelConcurrent, Concurrency: 2, AHT: 10 * time.Minute}, 120, 11}, // 23.5 slot-Erlangs in 22 slots
		{"workload at 90%, too few", staffing.Queue{Model: staffing.ModelWorkload, AHT: 10 * time.Minute, MaxOccupancy: 0.9}, 60, 10},
	} {
		m, err := tt.q.Evaluate(tt.rate, tt.agents)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if !m.Overloaded || m.ServiceLevel != 0 || m.PWait != 1 || m.ASA != staffing.Unbounded || m.Occupancy != 1 {
			t.Errorf("%s: %+v, want overloaded", tt.name, m)
		}
	}
	// The workload model is never staffed at 100%: whole Erlangs would
	// get as many agents as the work, a queue that never clears.
	_, err := staffing.Queue{Model: staffing.ModelWorkload, AHT: 10 * time.Minute, MaxOccupancy: 1}.Required(60)
	if care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), "max_occupancy") {
		t.Errorf("workload at 100%%: %v; want max_occupancy refused", err)
	}
	m, err := staffing.Queue{Model: staffing.ModelWorkload, AHT: 10 * time.Minute, MaxOccupancy: 0.99}.Required(60)
	if err != nil || m.Agents != 11 || m.Overloaded {
		t.Errorf("workload at 99%%: %+v, %v; want 11 agents, keeping up", m, err)
	}
}

// TestConcurrent checks the concurrent model against Erlang C run by hand
// on its definition: N agents are N·k servers of AHT·stretch each.
func TestConcurrent(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		k       int
		stretch float64 // 0: default
		want    float64 // the stretch in force
	}{
		{1, 0, 1},
		{2, 0, 2 / 1.7},
		{3, 0, 3 / 2.5},
		{4, 0, 4 / 2.9},
		{5, 0, 5 / 3.5},
		{3, 1, 1},
		{8, 1.6, 1.6},
		{2, 2, 2},
	} {
		q := staffing.Queue{Model: staffing.ModelConcurrent, Concurrency: tt.k, Stretch: tt.stretch, AHT: 9 * time.Minute, ServiceLevel: 0.85, Within: 45 * time.Second}
		const rate = 150.0
		m, err := q.Required(rate)
		if err != nil {
			t.Fatal(err)
		}
		a := rate * 9 * 60 * tt.want / 3600
		service := 9 * 60 * tt.want
		sl := func(servers int) float64 {
			return 1 - slowErlangC(a, servers)*math.Exp(-(float64(servers)-a)*45/service)
		}
		n := m.Agents
		if !near(m.Erlangs, a, 1e-12) || !near(m.ServiceLevel, sl(n*tt.k), 1e-9) || !near(m.PWait, slowErlangC(a, n*tt.k), 1e-9) ||
			!near(m.Occupancy, a/float64(n*tt.k), 1e-12) || !near(m.ASA.Seconds(), slowErlangC(a, n*tt.k)*service/(float64(n*tt.k)-a), 1e-9) {
			t.Errorf("k=%d stretch=%g: %+v disagrees with Erlang C over %d slots of %.1fs", tt.k, tt.stretch, m, n*tt.k, service)
		}
		if m.ServiceLevel < 0.85 || (float64((n-1)*tt.k) > a && sl((n-1)*tt.k) >= 0.85) {
			t.Errorf("k=%d stretch=%g: %d agents are not the fewest that answer 85%%", tt.k, tt.stretch, n)
		}
	}

	// One conversation at a time is Erlang C.
	one := classic
	one.Model, one.Concurrency = staffing.ModelConcurrent, 1
	for _, rate := range []float64{3, 200, 1234.5} {
		got, err1 := one.Required(rate)
		want, err2 := classic.Required(rate)
		if err1 != nil || err2 != nil || got != want {
			t.Errorf("concurrency 1 at %g an hour: %+v, %v; Erlang C: %+v, %v", rate, got, err1, want, err2)
		}
	}
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name        string
		aht, within time.Duration
		concurrency int
		want        staffing.Model
	}{
		{"calls", 3 * time.Minute, 20 * time.Second, 1, staffing.ModelErlangC},
		{"live chat one at a time", 6 * time.Minute, time.Minute, 0, staffing.ModelErlangC},
		{"messaging, three at once", 6 * time.Minute, time.Minute, 3, staffing.ModelConcurrent},
		{"public posts within the hour", 5 * time.Minute, time.Hour, 1, staffing.ModelWorkload},
		{"email within a day", 8 * time.Minute, 24 * time.Hour, 1, staffing.ModelWorkload},
		{"just under ten handle times", 6 * time.Minute, 59 * time.Minute, 1, staffing.ModelErlangC},
		{"exactly ten handle times", 6 * time.Minute, time.Hour, 1, staffing.ModelWorkload},
		{"no handle time known", 0, time.Hour, 1, staffing.ModelErlangC},
	} {
		if got := staffing.Suggest(tt.aht, tt.within, tt.concurrency); got != tt.want {
			t.Errorf("%s: Suggest = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestInvalid checks that each mistake is refused as EINVALID with a
// message naming the field to correct.
func TestInvalid(t *testing.T) {
	t.Parallel()
	ok := classic
	with := func(f func(q *staffing.Queue)) staffing.Queue {
		q := ok
		f(&q)
		return q
	}
	for _, tt := range []struct {
		name   string
		q      staffing.Queue
		rate   float64
		agents int // Evaluate only
		field  string
	}{
		{"no handle time", with(func(q *staffing.Queue) { q.AHT = 0 }), 200, 14, "aht"},
		{"no handle time, no traffic", with(func(q *staffing.Queue) { q.AHT = 0 }), 0, 0, "aht"},
		{"negative handle time", with(func(q *staffing.Queue) { q.AHT = -time.Second }), 200, 14, "aht"},
		{"handle time over a day", with(func(q *staffing.Queue) { q.AHT = 25 * time.Hour }), 1, 1, "aht"},
		{"service level 1", with(func(q *staffing.Queue) { q.ServiceLevel = 1 }), 200, 14, "service_level"},
		{"service level as a percentage", with(func(q *staffing.Queue) { q.ServiceLevel = 80 }), 200, 14, "service_level"},
		{"negative service level", with(func(q *staffing.Queue) { q.ServiceLevel = -0.1 }), 200, 14, "service_level"},
		{"service level NaN", with(func(q *staffing.Queue) { q.ServiceLevel = math.NaN() }), 200, 14, "service_level"},
		{"negative within", with(func(q *staffing.Queue) { q.Within = -time.Second }), 200, 14, "within"},
		{"occupancy above 1", with(func(q *staffing.Queue) { q.MaxOccupancy = 1.5 }), 200, 14, "max_occupancy"},
		{"negative occupancy", with(func(q *staffing.Queue) { q.MaxOccupancy = -0.5 }), 200, 14, "max_occupancy"},
		{"shrinkage 1", with(func(q *staffing.Queue) { q.Shrinkage = 1 }), 200, 14, "shrinkage"},
		{"shrinkage past 0.99", with(func(q *staffing.Queue) { q.Shrinkage = 0.995 }), 200, 14, "shrinkage"},
		{"too many agents", ok, 200, staffing.MaxAgents + 1, "agents"},
		{"negative shrinkage", with(func(q *staffing.Queue) { q.Shrinkage = -0.1 }), 200, 14, "shrinkage"},
		{"unknown model", with(func(q *staffing.Queue) { q.Model = "erlang_a" }), 200, 14, "model"},
		{"concurrency on Erlang C", with(func(q *staffing.Queue) { q.Concurrency = 3 }), 200, 14, "concurrency"},
		{"stretch on Erlang C", with(func(q *staffing.Queue) { q.Stretch = 1.2 }), 200, 14, "stretch"},
		{"concurrent without concurrency", with(func(q *staffing.Queue) { q.Model = staffing.ModelConcurrent }), 200, 14, "concurrency"},
		{"concurrency too high", with(func(q *staffing.Queue) { q.Model, q.Concurrency = staffing.ModelConcurrent, 21 }), 200, 14, "concurrency"},
		{"no default stretch above 5", with(func(q *staffing.Queue) { q.Model, q.Concurrency = staffing.ModelConcurrent, 6 }), 200, 14, "stretch"},
		{"stretch below 1", with(func(q *staffing.Queue) { q.Model, q.Concurrency, q.Stretch = staffing.ModelConcurrent, 3, 0.5 }), 200, 14, "stretch"},
		{"stretch above concurrency", with(func(q *staffing.Queue) { q.Model, q.Concurrency, q.Stretch = staffing.ModelConcurrent, 3, 3.5 }), 200, 14, "stretch"},
		{"workload without occupancy", with(func(q *staffing.Queue) { q.Model = staffing.ModelWorkload }), 200, 14, "max_occupancy"},
		{"negative rate", ok, -1, 14, "rate"},
		{"rate NaN", ok, math.NaN(), 14, "rate"},
		{"rate infinite", ok, math.Inf(1), 14, "rate"},
		{"rate beyond one queue", ok, 1e7, 14, "rate"},
		{"negative agents", ok, 200, -1, "agents"},
	} {
		calls := []struct {
			name string
			call func() error
		}{
			{"Evaluate", func() error { _, err := tt.q.Evaluate(tt.rate, tt.agents); return err }},
		}
		if tt.field != "agents" {
			calls = append(calls, struct {
				name string
				call func() error
			}{"Required", func() error { _, err := tt.q.Required(tt.rate); return err }})
		}
		for _, c := range calls {
			err := c.call()
			if care.ErrorCode(err) != care.EINVALID || !regexp.MustCompile(`\b`+tt.field+`\b`).MatchString(care.ErrorMessage(err)) {
				t.Errorf("%s: %s: %v, want EINVALID naming %s", tt.name, c.name, err, tt.field)
			}
		}
	}

	// An occupancy cap so low that it would need a million agents is
	// refused rather than searched.
	for _, q := range []staffing.Queue{
		with(func(q *staffing.Queue) { q.MaxOccupancy = 1e-6 }),
		with(func(q *staffing.Queue) { q.Model, q.MaxOccupancy = staffing.ModelWorkload, 1e-300 }),
		with(func(q *staffing.Queue) { q.Model, q.Concurrency, q.MaxOccupancy = staffing.ModelConcurrent, 2, 1e-300 }),
	} {
		if _, err := q.Required(200); care.ErrorCode(err) != care.EINVALID || !regexp.MustCompile(`\bmax_occupancy\b`).MatchString(care.ErrorMessage(err)) {
			t.Errorf("%+v: %v, want EINVALID naming max_occupancy", q, err)
		}
	}
}
