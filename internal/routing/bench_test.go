package routing_test

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/routing"
)

// A contact centre as the benchmarks see it: 500 agents on 10 teams, most
// speaking English, some a second language; default capacities.
func benchAgents(r *rand.Rand) []*routing.Agent {
	langs := [][]string{{"en"}, {"en"}, {"en"}, {"en", "es"}, {"en", "fr"}, {"de", "en"}, {"pt"}}
	agents := make([]*routing.Agent, 500)
	for i := range agents {
		a := &routing.Agent{
			ID:           int64(i + 1),
			Presence:     routing.Online,
			Teams:        []int64{int64(1 + r.IntN(10))},
			Languages:    langs[r.IntN(len(langs))],
			Capacity:     map[routing.Kind]int{routing.Call: 1, routing.Chat: 3, routing.Social: 8, routing.Email: 8},
			Load:         map[routing.Kind]int{},
			LastAssigned: now.Add(-time.Duration(r.IntN(3600)) * time.Second),
		}
		if r.IntN(4) == 0 {
			a.Teams = append(a.Teams, int64(1+r.IntN(10)))
		}
		switch r.IntN(20) {
		case 0, 1:
			a.Presence = routing.Away
		case 2:
			a.Presence = routing.Offline
		}
		agents[i] = a
	}
	return agents
}

func benchWork(r *rand.Rand, id int64) *routing.Work {
	kinds := []routing.Kind{routing.Social, routing.Social, routing.Social, routing.Social, routing.Email, routing.Email,
		routing.Chat, routing.Chat, routing.Call}
	langs := []string{"en", "en", "en", "en", "en", "en", "es", "fr", "de", "pt", "ja", ""}
	w := &routing.Work{
		ID:       id,
		Kind:     kinds[r.IntN(len(kinds))],
		Language: langs[r.IntN(len(langs))],
		Priority: r.Float64() * 100,
		Since:    now.Add(-time.Duration(r.IntN(4*3600)) * time.Second),
	}
	if r.IntN(10) < 7 {
		w.TeamID = int64(1 + r.IntN(10))
	}
	if r.IntN(10) == 0 {
		w.Urgent = true
		due := now.Add(time.Duration(r.IntN(600)-300) * time.Second)
		w.Due = &due
	}
	if r.IntN(5) == 0 {
		w.PreferredAgent = int64(1 + r.IntN(500))
	}
	return w
}

func BenchmarkPick500Agents(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	agents := benchAgents(r)
	for _, a := range agents {
		a.Load[routing.Social] = r.IntN(8)
	}
	w := &routing.Work{ID: 1, Kind: routing.Social, Language: "en", Since: now}
	for b.Loop() {
		if routing.Pick(w, agents) == nil {
			b.Fatal("nobody picked")
		}
	}
}

// BenchmarkDispatch10kWaiting500Agents measures one routing decision in a
// busy steady state: 10,000 waiting, 500 agents, every agent who could take
// any of it already given work (a first Dispatch fills them). Each op then
// frees a place as a conversation closes, queues a new conversation and
// dispatches one assignment, which walks past everything nobody can take.
// The p50 and p99 metrics time the Dispatch call alone.
func BenchmarkDispatch10kWaiting500Agents(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	agents := benchAgents(r)
	var q routing.Queue
	next := int64(1)
	fill := func() {
		for q.Len() < 10_000 {
			q.Push(benchWork(r, next))
			next++
		}
	}
	fill()
	q.Dispatch(agents, -1)
	fill()
	q.Dispatch(agents, -1)
	if n := q.Dispatch(agents, -1); len(n) != 0 {
		b.Fatalf("not a steady state: %d more assignments", len(n))
	}

	var took []time.Duration
	var assigned int
	for b.Loop() {
		a := agents[r.IntN(len(agents))]
		for k, n := range a.Load {
			if n > 0 {
				a.Load[k]--
				break
			}
		}
		fill()
		start := time.Now()
		assigned += len(q.Dispatch(agents, 1))
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Nanoseconds()), "ns/decision-p50")
	b.ReportMetric(float64(took[len(took)*99/100].Nanoseconds()), "ns/decision-p99")
	b.ReportMetric(float64(assigned)/float64(b.N), "assigned/op")
}
