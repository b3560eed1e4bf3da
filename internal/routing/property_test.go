package routing_test

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/routing"
	"pgregory.net/rapid"
)

var kinds = []routing.Kind{routing.Call, routing.Chat, routing.Social, routing.Email}

func drawAgents(t *rapid.T) []*routing.Agent {
	n := rapid.IntRange(0, 12).Draw(t, "agents")
	agents := make([]*routing.Agent, n)
	for i := range agents {
		a := &routing.Agent{
			ID:           int64(i + 1),
			Presence:     rapid.SampledFrom([]routing.Presence{routing.Online, routing.Online, routing.Away, routing.Offline}).Draw(t, "presence"),
			Teams:        rapid.SliceOfDistinct(rapid.Int64Range(1, 2), func(v int64) int64 { return v }).Draw(t, "teams"),
			Partner:      rapid.IntRange(0, 3).Draw(t, "partner") == 0,
			Languages:    rapid.SliceOfDistinct(rapid.SampledFrom([]string{"en", "es", "pt-BR"}), id).Draw(t, "languages"),
			Channels:     rapid.SliceOfDistinct(rapid.SampledFrom([]string{"x", "email"}), id).Draw(t, "channels"),
			Topics:       rapid.SliceOfDistinct(rapid.SampledFrom([]string{"billing", "refund"}), id).Draw(t, "topics"),
			Capacity:     map[routing.Kind]int{},
			Load:         map[routing.Kind]int{},
			LastAssigned: now.Add(-time.Duration(rapid.IntRange(0, 2).Draw(t, "lastAssigned")) * time.Minute),
		}
		for _, k := range kinds {
			if rapid.IntRange(0, 3).Draw(t, "hasCapacity") > 0 {
				a.Capacity[k] = rapid.IntRange(0, 4).Draw(t, "capacity")
			}
			// The load may start above capacity, as when a supervisor
			// lowers it: Dispatch must not add to it.
			a.Load[k] = rapid.SampledFrom([]int{0, 0, 1, 2, 5}).Draw(t, "load")
		}
		agents[i] = a
	}
	return agents
}

func id(s string) string { return s }

func drawWork(t *rapid.T, agents int) routing.Work {
	w := routing.Work{
		ID:             rapid.Int64Range(1, 30).Draw(t, "id"),
		Kind:           rapid.SampledFrom(kinds).Draw(t, "kind"),
		TeamID:         rapid.Int64Range(0, 3).Draw(t, "team"),
		Language:       rapid.SampledFrom([]string{"", "en", "es", "pt", "ja"}).Draw(t, "language"),
		Channel:        rapid.SampledFrom([]string{"", "x", "email", "sms"}).Draw(t, "channel"),
		Topic:          rapid.SampledFrom([]string{"", "billing", "refund"}).Draw(t, "topic"),
		PreferredAgent: rapid.Int64Range(0, int64(agents)+1).Draw(t, "preferred"),
		Priority:       float64(rapid.IntRange(0, 3).Draw(t, "priority")),
		Urgent:         rapid.Bool().Draw(t, "urgent"),
		Since:          now.Add(-time.Duration(rapid.IntRange(0, 3).Draw(t, "since")) * time.Minute),
	}
	if rapid.IntRange(0, 9).Draw(t, "nan") == 0 {
		w.Priority = math.NaN()
	}
	if rapid.Bool().Draw(t, "hasDue") {
		w.Due = at(rapid.IntRange(0, 3).Draw(t, "due"))
	}
	return w
}

// before is the dispatch order as the package documents it, written out
// again here so the Queue is checked against the specification and not
// against itself.
func before(a, b routing.Work) int {
	if a.Urgent != b.Urgent {
		if a.Urgent {
			return -1
		}
		return 1
	}
	if a.Urgent {
		if (a.Due == nil) != (b.Due == nil) {
			if a.Due != nil {
				return -1
			}
			return 1
		}
		if a.Due != nil && !a.Due.Equal(*b.Due) {
			return a.Due.Compare(*b.Due)
		}
	}
	pa, pb := a.Priority, b.Priority
	if math.IsNaN(pa) {
		pa = math.Inf(-1)
	}
	if math.IsNaN(pb) {
		pb = math.Inf(-1)
	}
	if pa != pb {
		return cmp.Compare(pb, pa)
	}
	if c := a.Since.Compare(b.Since); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

func clone(agents []*routing.Agent) []*routing.Agent {
	out := make([]*routing.Agent, len(agents))
	for i, a := range agents {
		c := *a
		c.Load = maps.Clone(a.Load)
		out[i] = &c
	}
	return out
}

// checkDispatch runs random pushes, removals and dispatches against a
// model of the queue, and checks every dispatch against the rules: each
// assignment is eligible and goes to the agent Pick would choose at that
// point, in queue order; work is left only when no eligible agent has room
// at that point; no work is assigned twice; no load rises above capacity;
// away and offline agents get nothing.
func checkDispatch(t *rapid.T) {
	agents := drawAgents(t)
	var q routing.Queue
	queued := map[int64]routing.Work{}
	assigned := map[int64]bool{}
	steps := rapid.IntRange(1, 8).Draw(t, "steps")
	for step := 0; step <= steps; step++ {
		action := rapid.IntRange(0, 3).Draw(t, "action")
		if step == steps {
			action = 3 // end by dispatching everything that fits
		}
		switch action {
		case 0, 1:
			for range rapid.IntRange(1, 10).Draw(t, "pushes") {
				w := drawWork(t, len(agents))
				if assigned[w.ID] {
					continue // an assigned work does not come back in this model
				}
				q.Push(&w)
				queued[w.ID] = w
			}
		case 2:
			id := rapid.Int64Range(1, 30).Draw(t, "remove")
			q.Remove(id)
			delete(queued, id)
		case 3:
			limit := rapid.IntRange(-1, 4).Draw(t, "limit")
			if step == steps {
				limit = -1
			}
			before := clone(agents)
			got := q.Dispatch(agents, limit)
			replay(t, before, agents, queued, got, limit)
			for _, as := range got {
				if assigned[as.WorkID] {
					t.Fatalf("work %d assigned twice", as.WorkID)
				}
				assigned[as.WorkID] = true
				delete(queued, as.WorkID)
			}
		}
		if q.Len() != len(queued) {
			t.Fatalf("Len() = %d, want %d", q.Len(), len(queued))
		}
	}
}

func replay(t *rapid.T, sim, after []*routing.Agent, queued map[int64]routing.Work, got []routing.Assignment, limit int) {
	initial := clone(sim)
	works := slices.SortedFunc(maps.Values(queued), before)
	next := 0
	for _, w := range works {
		if next == len(got) && len(got) == limit {
			break
		}
		want := routing.Pick(&w, sim)
		if next < len(got) && got[next].WorkID == w.ID {
			a := sim[got[next].AgentID-1]
			if a.Presence != routing.Online || !routing.Eligible(a, &w) {
				t.Fatalf("work %+v assigned to agent %+v, who is not eligible", w, a)
			}
			if want != a {
				t.Fatalf("work %+v assigned to agent %d, Pick says %d", w, a.ID, want.ID)
			}
			a.Load[w.Kind]++
			next++
			continue
		}
		if want != nil {
			t.Fatalf("work %+v left queued while agent %d could take it (assignments %v)", w, want.ID, got)
		}
	}
	if next != len(got) {
		t.Fatalf("assignments %v are not in queue order, or not of queued work (%d matched)", got, next)
	}
	for i, a := range after {
		for _, k := range kinds {
			if a.Load[k] != sim[i].Load[k] {
				t.Fatalf("agent %d's %s load is %d, want %d", a.ID, k, a.Load[k], sim[i].Load[k])
			}
			if a.Load[k] > initial[i].Load[k] && a.Load[k] > a.Capacity[k] {
				t.Fatalf("agent %d's %s load rose to %d, over capacity %d", a.ID, k, a.Load[k], a.Capacity[k])
			}
		}
	}
}

func TestDispatchProperties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, checkDispatch)
}

// FuzzDispatch explores the same properties from fuzzed bytes. Run it with
// go test -run '^$' -fuzz FuzzDispatch -fuzztime 30s ./internal/routing
func FuzzDispatch(f *testing.F) {
	f.Fuzz(rapid.MakeFuzz(checkDispatch))
}

// FuzzEligible checks language matching with tags as they arrive: between
// known languages it is symmetric, and a tag always matches itself.
func FuzzEligible(f *testing.F) {
	for _, s := range [][2]string{{"en", "en-GB"}, {"pt_BR", "PT"}, {"", "-"}, {"\xff-x", "\xff"}, {"zh-Hant-TW", "zh"}, {"", "0"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		agent := &routing.Agent{Presence: routing.Online, Languages: []string{a}, Capacity: map[routing.Kind]int{routing.Chat: 1}}
		other := &routing.Agent{Presence: routing.Online, Languages: []string{b}, Capacity: map[routing.Kind]int{routing.Chat: 1}}
		ab := routing.Eligible(agent, &routing.Work{Kind: routing.Chat, Language: b})
		ba := routing.Eligible(other, &routing.Work{Kind: routing.Chat, Language: a})
		if ab != ba && a != "" && b != "" {
			t.Fatalf("%q speaks %q = %v, but %q speaks %q = %v", a, b, ab, b, a, ba)
		}
		if !routing.Eligible(agent, &routing.Work{Kind: routing.Chat, Language: a}) {
			t.Fatalf("an agent listing %q is not eligible for work in %q", a, a)
		}
	})
}
