package dispatch

import (
	"context"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// kinds are the kinds of work in the order a queue lists them.
var kinds = [...]care.WorkKind{care.WorkCall, care.WorkChat, care.WorkSocial, care.WorkEmail}

// Queues is each team's queue as a supervisor sees it: unassigned open
// conversations waiting, the longest wait, the agents online who can take
// them, their load and their capacity, in all and per kind of work. A
// team's agents are its members; team 0 is the work no team was chosen
// for, which any online agent may take but members of partner teams (who
// take only their teams' work), so its agents are all the others online.
// Load is all the open work the agents hold, whatever its team, since an
// agent's places are shared by every queue they serve. Skills are not
// weighed: an agent counted here may still not match a conversation's
// language or channel.
func Queues(ctx context.Context, q care.Queries, workspaceID care.ID, now time.Time) ([]care.QueueStats, error) {
	teams, err := q.Teams(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	agents, err := q.Agents(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	waiting, err := q.WaitingConversations(ctx, workspaceID, 0)
	if err != nil {
		return nil, err
	}
	stats := map[care.ID]*care.QueueStats{0: newQueue(0)}
	order := []care.ID{0}
	byID := make(map[care.ID]*care.Team, len(teams))
	for i, t := range teams {
		byID[t.ID] = &teams[i]
		stats[t.ID] = newQueue(t.ID)
		order = append(order, t.ID)
	}
	for _, wc := range waiting {
		s := stats[wc.TeamID]
		if s == nil {
			s = stats[0]
		}
		s.Waiting++
		if k := kindStats(s, wc.Kind); k != nil {
			k.Waiting++
		}
		if wait := int64(now.Sub(wc.Since) / time.Second); wait > s.LongestWaitS {
			s.LongestWaitS = wait
		}
	}
	for _, a := range agents {
		if a.Presence != care.PresenceOnline {
			continue
		}
		if !partner(&a, byID) {
			add(stats[0], &a)
		}
		for _, t := range a.TeamIDs {
			if s := stats[t]; s != nil && t != 0 {
				add(s, &a)
			}
		}
	}
	out := make([]care.QueueStats, 0, len(order))
	for _, id := range order {
		out = append(out, *stats[id])
	}
	return out, nil
}

func newQueue(teamID care.ID) *care.QueueStats {
	s := &care.QueueStats{TeamID: teamID, Kinds: make([]care.KindStats, len(kinds))}
	for i, k := range kinds {
		s.Kinds[i].Kind = k
	}
	return s
}

// kindStats is s's entry for kind k; nil for a kind Parley does not know.
func kindStats(s *care.QueueStats, k care.WorkKind) *care.KindStats {
	for i := range s.Kinds {
		if s.Kinds[i].Kind == k {
			return &s.Kinds[i]
		}
	}
	return nil
}

// add counts an online agent among those who can take s's work.
func add(s *care.QueueStats, a *care.Agent) {
	s.Online++
	for i, k := range kinds {
		ks := &s.Kinds[i] // newQueue lays them out in kinds' order
		load, capacity := max(a.Load[k], 0), a.Capacity[k]
		ks.Load += load
		ks.Capacity += capacity
		s.Load += load
		s.Capacity += capacity
	}
}
