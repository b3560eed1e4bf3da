package routing_test

import (
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parleyhq/parley/internal/routing"
)

// order returns the queue's order by dispatching it all to one agent with
// room for everything, which empties it.
func order(q *routing.Queue) []int64 {
	a := &routing.Agent{ID: 1, Presence: routing.Online, Capacity: map[routing.Kind]int{
		routing.Call: 1 << 20, routing.Chat: 1 << 20, routing.Social: 1 << 20, routing.Email: 1 << 20}}
	var ids []int64
	for _, as := range q.Dispatch([]*routing.Agent{a}, -1) {
		ids = append(ids, as.WorkID)
	}
	return ids
}

func at(minutes int) *time.Time { t := now.Add(time.Duration(minutes) * time.Minute); return &t }

func ago(minutes int) time.Time { return now.Add(-time.Duration(minutes) * time.Minute) }

func TestQueueOrder(t *testing.T) {
	t.Parallel()
	// Listed in dispatch order.
	works := []routing.Work{
		{ID: 10, Urgent: true, Due: at(-5), Priority: 1, Since: ago(90)},
		{ID: 11, Urgent: true, Due: at(2), Priority: 3, Since: ago(50)},
		{ID: 12, Urgent: true, Due: at(2), Priority: 2, Since: ago(55)},
		{ID: 13, Urgent: true, Priority: 99, Since: ago(60)},
		{ID: 14, Due: at(1), Priority: 80, Since: ago(5)},
		{ID: 15, Priority: 40, Since: ago(30)},
		{ID: 16, Priority: 40, Since: ago(20)},
		{ID: 17, Priority: 40, Since: ago(20)},
		{ID: 18, Priority: -10, Since: ago(20)},
		{ID: 19, Priority: math.NaN(), Since: ago(99)},
	}
	want := make([]int64, len(works))
	for i, w := range works {
		want[i] = w.ID
	}
	for _, perm := range [][]int{{9, 8, 7, 6, 5, 4, 3, 2, 1, 0}, {4, 0, 9, 8, 2, 6, 1, 3, 7, 5}} {
		var q routing.Queue
		for _, i := range perm {
			w := works[i]
			w.Kind = routing.Social
			q.Push(&w)
		}
		if q.Len() != len(works) {
			t.Fatalf("Len() = %d, want %d", q.Len(), len(works))
		}
		if diff := cmp.Diff(want, order(&q)); diff != "" {
			t.Errorf("pushed in order %v: dispatch order (-want +got):\n%s", perm, diff)
		}
		if q.Len() != 0 {
			t.Errorf("Len() = %d after dispatching everything", q.Len())
		}
	}
}

func TestQueuePushRemove(t *testing.T) {
	t.Parallel()
	var q routing.Queue
	q.Remove(1) // on the zero Queue
	w := &routing.Work{ID: 1, Kind: routing.Chat, Priority: 10, Since: ago(10)}
	q.Push(w)
	q.Push(&routing.Work{ID: 2, Kind: routing.Chat, Priority: 20, Since: ago(5)})
	q.Push(&routing.Work{ID: 3, Kind: routing.Chat, Priority: 5, Since: ago(1)})
	q.Push(nil)

	// The queue keeps its own copy.
	w.Priority = 100
	due := now
	w.Due = &due
	w.Urgent = true
	// Pushing the same ID again replaces it.
	q.Push(&routing.Work{ID: 3, Kind: routing.Chat, Priority: 30, Since: ago(1)})
	if q.Len() != 3 {
		t.Fatalf("Len() = %d, want 3", q.Len())
	}
	q.Remove(2)
	q.Remove(2)
	q.Remove(99)
	if q.Len() != 2 {
		t.Fatalf("Len() = %d, want 2", q.Len())
	}
	if diff := cmp.Diff([]int64{3, 1}, order(&q)); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	// Emptied, the queue is as good as new.
	q.Push(&routing.Work{ID: 4, Kind: routing.Call})
	if diff := cmp.Diff([]int64{4}, order(&q)); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}

func TestDispatch(t *testing.T) {
	t.Parallel()
	type want struct {
		assigned []routing.Assignment
		left     int
		load     map[int64]int // agent → load of the work's kind after
	}
	for _, tt := range []struct {
		name   string
		works  []routing.Work
		agents []*routing.Agent
		limit  int
		want   want
	}{
		{
			name: "work nobody can take does not block the work behind it",
			works: []routing.Work{
				{ID: 1, Kind: routing.Chat, Language: "ja", Priority: 90},
				{ID: 2, Kind: routing.Chat, Language: "ja", Priority: 80},
				{ID: 3, Kind: routing.Call, Priority: 70},
				{ID: 4, Kind: routing.Chat, Language: "en", Priority: 60},
			},
			agents: []*routing.Agent{agent(1, speaks("en"), loaded(routing.Call, 2))},
			limit:  -1,
			want:   want{assigned: []routing.Assignment{{4, 1}}, left: 3, load: map[int64]int{1: 1}},
		},
		{
			name: "spreads by share and stops when everyone is full",
			works: []routing.Work{
				{ID: 1, Kind: routing.Chat, Priority: 5}, {ID: 2, Kind: routing.Chat, Priority: 4},
				{ID: 3, Kind: routing.Chat, Priority: 3}, {ID: 4, Kind: routing.Chat, Priority: 2},
				{ID: 5, Kind: routing.Chat, Priority: 1},
			},
			agents: []*routing.Agent{agent(1, capacity(routing.Chat, 1)), agent(2, capacity(routing.Chat, 3))},
			limit:  -1,
			// 0/1 = 0/3 → 1 (lower ID); then 2 (0/3); 2 (1/3); 2 (2/3); all full.
			want: want{assigned: []routing.Assignment{{1, 1}, {2, 2}, {3, 2}, {4, 2}}, left: 1,
				load: map[int64]int{1: 1, 2: 3}},
		},
		{
			name: "limit",
			works: []routing.Work{
				{ID: 1, Kind: routing.Chat, Priority: 3}, {ID: 2, Kind: routing.Chat, Priority: 2},
				{ID: 3, Kind: routing.Chat, Priority: 1},
			},
			agents: []*routing.Agent{agent(1, capacity(routing.Chat, 9))},
			limit:  2,
			want:   want{assigned: []routing.Assignment{{1, 1}, {2, 1}}, left: 1, load: map[int64]int{1: 2}},
		},
		{
			name:   "limit 0",
			works:  []routing.Work{{ID: 1, Kind: routing.Chat}},
			agents: []*routing.Agent{agent(1)},
			limit:  0,
			want:   want{left: 1, load: map[int64]int{1: 0}},
		},
		{
			name: "preferred agent, and the team",
			works: []routing.Work{
				{ID: 1, Kind: routing.Social, PreferredAgent: 2, Priority: 3},
				{ID: 2, Kind: routing.Social, TeamID: 8, Priority: 2},
				{ID: 3, Kind: routing.Social, TeamID: 9, PreferredAgent: 2, Priority: 1},
			},
			agents: []*routing.Agent{agent(1, onTeam(9)), agent(2, onTeam(8), loaded(routing.Social, 1))},
			limit:  -1,
			want:   want{assigned: []routing.Assignment{{1, 2}, {3, 1}}, left: 1, load: map[int64]int{1: 1, 2: 2}},
		},
		{
			name:  "an agent listed twice counts once",
			works: []routing.Work{{ID: 1, Kind: routing.Call}, {ID: 2, Kind: routing.Call}, {ID: 3, Kind: routing.Call}},
			agents: []*routing.Agent{agent(1, capacity(routing.Call, 1)), agent(1, capacity(routing.Call, 1)),
				agent(2, capacity(routing.Call, 1), func(a *routing.Agent) { a.Presence = routing.Away })},
			limit: -1,
			want:  want{assigned: []routing.Assignment{{1, 1}}, left: 2, load: map[int64]int{1: 1, 2: 0}},
		},
		{
			name: "a partner takes only their team's work, even when nobody else has room",
			works: []routing.Work{
				{ID: 1, Kind: routing.Chat, TeamID: 4, Priority: 4}, // in-house team A
				{ID: 2, Kind: routing.Chat, Priority: 3},            // no team
				{ID: 3, Kind: routing.Chat, TeamID: 5, Priority: 2}, // partner team P
				{ID: 4, Kind: routing.Chat, TeamID: 5, PreferredAgent: 1, Priority: 1},
			},
			agents: []*routing.Agent{agent(1, partner(5), capacity(routing.Chat, 9)),
				agent(2, onTeam(4), loaded(routing.Chat, 2))},
			limit: -1,
			want:  want{assigned: []routing.Assignment{{3, 1}, {4, 1}}, left: 2, load: map[int64]int{1: 2, 2: 2}},
		},
		{
			name: "the preferred partner does not get work of no team",
			works: []routing.Work{
				{ID: 1, Kind: routing.Chat, PreferredAgent: 1, Priority: 2},
				{ID: 2, Kind: routing.Chat, TeamID: 5, PreferredAgent: 1, Priority: 1},
			},
			agents: []*routing.Agent{agent(1, partner(5)), agent(2, onTeam(5), loaded(routing.Chat, 1))},
			limit:  -1,
			want:   want{assigned: []routing.Assignment{{1, 2}, {2, 1}}, left: 0, load: map[int64]int{1: 1, 2: 2}},
		},
		{
			name:  "no agents",
			works: []routing.Work{{ID: 1, Kind: routing.Chat}},
			limit: -1,
			want:  want{left: 1, load: map[int64]int{}},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var q routing.Queue
			kind := map[int64]routing.Kind{}
			for _, w := range tt.works {
				q.Push(&w)
				kind[w.ID] = w.Kind
			}
			got := q.Dispatch(tt.agents, tt.limit)
			if diff := cmp.Diff(tt.want.assigned, got); diff != "" {
				t.Errorf("Dispatch (-want +got):\n%s", diff)
			}
			if q.Len() != tt.want.left {
				t.Errorf("Len() = %d after Dispatch, want %d", q.Len(), tt.want.left)
			}
			k := tt.works[0].Kind
			if len(got) > 0 {
				k = kind[got[len(got)-1].WorkID]
			}
			load := map[int64]int{}
			for _, a := range tt.agents {
				if _, seen := load[a.ID]; !seen {
					load[a.ID] = a.Load[k]
				}
			}
			if diff := cmp.Diff(tt.want.load, load); diff != "" {
				t.Errorf("loads of %s after Dispatch (-want +got):\n%s", k, diff)
			}
		})
	}
}
