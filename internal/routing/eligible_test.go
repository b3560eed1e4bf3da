package routing_test

import (
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/routing"
)

var now = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// agent returns an online agent with room for two of each kind, changed by
// the options.
func agent(id int64, opts ...func(*routing.Agent)) *routing.Agent {
	a := &routing.Agent{ID: id, Presence: routing.Online,
		Capacity: map[routing.Kind]int{routing.Call: 2, routing.Chat: 2, routing.Social: 2, routing.Email: 2}}
	for _, o := range opts {
		o(a)
	}
	return a
}

func TestEligible(t *testing.T) {
	t.Parallel()
	social := routing.Work{ID: 1, Kind: routing.Social}
	for _, tt := range []struct {
		name string
		a    *routing.Agent
		w    routing.Work
		want bool
	}{
		{"online with room", agent(1), social, true},
		{"away", agent(1, func(a *routing.Agent) { a.Presence = routing.Away }), social, false},
		{"offline", agent(1, func(a *routing.Agent) { a.Presence = routing.Offline }), social, false},
		{"unknown presence", agent(1, func(a *routing.Agent) { a.Presence = "Online" }), social, false},
		{"full for the kind", agent(1, func(a *routing.Agent) { a.Load = map[routing.Kind]int{routing.Social: 2} }), social, false},
		{"full for another kind", agent(1, func(a *routing.Agent) { a.Load = map[routing.Kind]int{routing.Call: 2} }), social, true},
		{"over capacity", agent(1, func(a *routing.Agent) { a.Load = map[routing.Kind]int{routing.Social: 9} }), social, false},
		{"negative load gives no extra room", agent(1, func(a *routing.Agent) {
			a.Capacity = map[routing.Kind]int{routing.Social: 0}
			a.Load = map[routing.Kind]int{routing.Social: -3}
		}), social, false},
		{"no capacity for the kind", agent(1, func(a *routing.Agent) { a.Capacity = map[routing.Kind]int{routing.Chat: 3} }), social, false},
		{"nil capacity", agent(1, func(a *routing.Agent) { a.Capacity = nil }), social, false},
		{"unknown kind", agent(1), routing.Work{Kind: "fax"}, false},

		{"any team", agent(1, func(a *routing.Agent) { a.Teams = []int64{7} }), social, true},
		{"on the team", agent(1, func(a *routing.Agent) { a.Teams = []int64{3, 7} }), routing.Work{Kind: routing.Social, TeamID: 7}, true},
		{"not on the team", agent(1, func(a *routing.Agent) { a.Teams = []int64{3} }), routing.Work{Kind: routing.Social, TeamID: 7}, false},
		{"on no team", agent(1), routing.Work{Kind: routing.Social, TeamID: 7}, false},

		{"partner: their team", agent(1, partner(7)), routing.Work{Kind: routing.Social, TeamID: 7}, true},
		{"partner: another of their teams", agent(1, partner(3, 7)), routing.Work{Kind: routing.Social, TeamID: 3}, true},
		{"partner: an in-house team", agent(1, partner(7)), routing.Work{Kind: routing.Social, TeamID: 4}, false},
		{"partner: work of no team", agent(1, partner(7)), social, false},
		{"partner on no team: work of no team", agent(1, func(a *routing.Agent) { a.Partner = true }), social, false},
		{"partner: their team, but full", agent(1, partner(7), loaded(routing.Social, 2)), routing.Work{Kind: routing.Social, TeamID: 7}, false},

		{"language unknown", agent(1, speaks("de")), social, true},
		{"agent lists no languages", agent(1), routing.Work{Kind: routing.Social, Language: "ja"}, true},
		{"speaks it", agent(1, speaks("de", "fr")), routing.Work{Kind: routing.Social, Language: "fr"}, true},
		{"does not speak it", agent(1, speaks("de", "fr")), routing.Work{Kind: routing.Social, Language: "es"}, false},
		{"case", agent(1, speaks("EN")), routing.Work{Kind: routing.Social, Language: "en"}, true},
		{"region of the work", agent(1, speaks("pt")), routing.Work{Kind: routing.Social, Language: "pt-BR"}, true},
		{"region of the agent", agent(1, speaks("en_GB")), routing.Work{Kind: routing.Social, Language: "en"}, true},
		{"another region", agent(1, speaks("pt-PT")), routing.Work{Kind: routing.Social, Language: "pt-br"}, true},
		{"prefix is not a language", agent(1, speaks("e")), routing.Work{Kind: routing.Social, Language: "en"}, false},

		{"handles the channel", agent(1, func(a *routing.Agent) { a.Channels = []string{"x", "email"} }),
			routing.Work{Kind: routing.Social, Channel: "x"}, true},
		{"not the channel", agent(1, func(a *routing.Agent) { a.Channels = []string{"email"} }),
			routing.Work{Kind: routing.Social, Channel: "x"}, false},
		{"handles the topic", agent(1, func(a *routing.Agent) { a.Topics = []string{"Billing"} }),
			routing.Work{Kind: routing.Social, Topic: "billing"}, true},
		{"not the topic", agent(1, func(a *routing.Agent) { a.Topics = []string{"billing"} }),
			routing.Work{Kind: routing.Social, Topic: "refund"}, false},
		{"work without a topic", agent(1, func(a *routing.Agent) { a.Topics = []string{"billing"} }), social, true},

		{"nil agent", nil, social, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := routing.Eligible(tt.a, &tt.w); got != tt.want {
				t.Errorf("Eligible(%+v, %+v) = %v, want %v", tt.a, tt.w, got, tt.want)
			}
		})
	}
	if routing.Eligible(agent(1), nil) {
		t.Error("Eligible(agent, nil) = true")
	}
}

func speaks(langs ...string) func(*routing.Agent) {
	return func(a *routing.Agent) { a.Languages = langs }
}

func loaded(k routing.Kind, n int) func(*routing.Agent) {
	return func(a *routing.Agent) {
		if a.Load == nil {
			a.Load = map[routing.Kind]int{}
		}
		a.Load[k] = n
	}
}

func capacity(k routing.Kind, n int) func(*routing.Agent) {
	return func(a *routing.Agent) { a.Capacity[k] = n }
}

func lastAssigned(minutesAgo int) func(*routing.Agent) {
	return func(a *routing.Agent) { a.LastAssigned = now.Add(-time.Duration(minutesAgo) * time.Minute) }
}

func TestPick(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		w      routing.Work
		agents []*routing.Agent
		want   int64 // 0: nobody
	}{
		{"preferred even when busier", routing.Work{Kind: routing.Chat, PreferredAgent: 2},
			[]*routing.Agent{agent(1), agent(2, loaded(routing.Chat, 1))}, 2},
		{"preferred listed first", routing.Work{Kind: routing.Chat, PreferredAgent: 1},
			[]*routing.Agent{agent(1, loaded(routing.Chat, 1)), agent(2)}, 1},
		{"preferred full", routing.Work{Kind: routing.Chat, PreferredAgent: 2},
			[]*routing.Agent{agent(1, loaded(routing.Chat, 1)), agent(2, loaded(routing.Chat, 2))}, 1},
		{"preferred away", routing.Work{Kind: routing.Chat, PreferredAgent: 2},
			[]*routing.Agent{agent(1, loaded(routing.Chat, 1)), agent(2, func(a *routing.Agent) { a.Presence = routing.Away })}, 1},
		{"preferred off the team", routing.Work{Kind: routing.Chat, TeamID: 5, PreferredAgent: 2},
			[]*routing.Agent{agent(1, onTeam(5), loaded(routing.Chat, 1)), agent(2)}, 1},
		{"preferred partner, work of no team", routing.Work{Kind: routing.Chat, PreferredAgent: 2},
			[]*routing.Agent{agent(1, loaded(routing.Chat, 1)), agent(2, partner(5))}, 1},
		{"preferred partner, work of an in-house team", routing.Work{Kind: routing.Chat, TeamID: 4, PreferredAgent: 2},
			[]*routing.Agent{agent(1, onTeam(4), loaded(routing.Chat, 1)), agent(2, partner(5))}, 1},
		{"preferred partner, work of their team", routing.Work{Kind: routing.Chat, TeamID: 5, PreferredAgent: 2},
			[]*routing.Agent{agent(1, onTeam(5)), agent(2, partner(5), loaded(routing.Chat, 1))}, 2},
		{"preferred not listed", routing.Work{Kind: routing.Chat, PreferredAgent: 9},
			[]*routing.Agent{agent(1, loaded(routing.Chat, 1)), agent(2)}, 2},
		{"preferred alone and full", routing.Work{Kind: routing.Chat, PreferredAgent: 1},
			[]*routing.Agent{agent(1, loaded(routing.Chat, 2))}, 0},

		{"least loaded by share", routing.Work{Kind: routing.Social},
			[]*routing.Agent{
				agent(1, capacity(routing.Social, 3), loaded(routing.Social, 1)), // 1/3
				agent(2, capacity(routing.Social, 8), loaded(routing.Social, 2)), // 1/4
				agent(3, capacity(routing.Social, 1)),                            // 0/1
			}, 3},
		{"share, not count", routing.Work{Kind: routing.Social},
			[]*routing.Agent{
				agent(1, capacity(routing.Social, 3), loaded(routing.Social, 1)), // 1/3
				agent(2, capacity(routing.Social, 8), loaded(routing.Social, 2)), // 1/4
			}, 2},
		{"only the work's kind counts", routing.Work{Kind: routing.Email},
			[]*routing.Agent{agent(1, loaded(routing.Chat, 2)), agent(2, loaded(routing.Email, 1))}, 1},
		{"tie: longest since last assigned", routing.Work{Kind: routing.Social},
			[]*routing.Agent{
				agent(1, capacity(routing.Social, 3), loaded(routing.Social, 1), lastAssigned(5)),
				agent(2, capacity(routing.Social, 6), loaded(routing.Social, 2), lastAssigned(30)),
				agent(3, capacity(routing.Social, 6), loaded(routing.Social, 2), lastAssigned(10)),
			}, 2},
		{"tie: never assigned first", routing.Work{Kind: routing.Social},
			[]*routing.Agent{agent(1, lastAssigned(60)), agent(2)}, 2},
		{"tie: lower ID", routing.Work{Kind: routing.Social},
			[]*routing.Agent{agent(7, lastAssigned(5)), agent(3, lastAssigned(5)), agent(5, lastAssigned(5))}, 3},

		{"team", routing.Work{Kind: routing.Chat, TeamID: 5},
			[]*routing.Agent{agent(1), agent(2, onTeam(4, 5), loaded(routing.Chat, 1))}, 2},
		{"language", routing.Work{Kind: routing.Chat, Language: "es"},
			[]*routing.Agent{agent(1, speaks("en")), agent(2, speaks("en", "es"), loaded(routing.Chat, 1))}, 2},
		{"nobody speaks it", routing.Work{Kind: routing.Chat, Language: "ja"},
			[]*routing.Agent{agent(1, speaks("en")), agent(2, speaks("es"))}, 0},
		{"all full: nothing is pushed onto a full agent", routing.Work{Kind: routing.Call},
			[]*routing.Agent{agent(1, loaded(routing.Call, 2)), agent(2, capacity(routing.Call, 1), loaded(routing.Call, 1))}, 0},
		{"partner alone with room: work of no team waits", routing.Work{Kind: routing.Chat},
			[]*routing.Agent{agent(1, partner(5)), agent(2, loaded(routing.Chat, 2))}, 0},
		{"partner alone with room: an in-house team's work waits", routing.Work{Kind: routing.Chat, TeamID: 4},
			[]*routing.Agent{agent(1, partner(5)), agent(2, onTeam(4), loaded(routing.Chat, 2))}, 0},
		{"partner: their team's work", routing.Work{Kind: routing.Chat, TeamID: 5},
			[]*routing.Agent{agent(1, partner(5)), agent(2, loaded(routing.Chat, 2))}, 1},
		{"no agents", routing.Work{Kind: routing.Call}, nil, 0},
		{"nil agents skipped", routing.Work{Kind: routing.Call}, []*routing.Agent{nil, agent(4)}, 4},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got int64
			if a := routing.Pick(&tt.w, tt.agents); a != nil {
				got = a.ID
			}
			if got != tt.want {
				t.Errorf("Pick(%+v) = agent %d, want %d", tt.w, got, tt.want)
			}
		})
	}
}

func onTeam(teams ...int64) func(*routing.Agent) {
	return func(a *routing.Agent) { a.Teams = teams }
}

// partner makes the agent a member of a partner team, on the given teams.
func partner(teams ...int64) func(*routing.Agent) {
	return func(a *routing.Agent) { a.Teams, a.Partner = teams, true }
}
