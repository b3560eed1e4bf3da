package dispatch

import (
	"context"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// Queues is each team's queue as a supervisor sees it: unassigned open
// conversations waiting, the longest wait, the team's agents online, their
// load and their capacity. Team 0 is the work no team was chosen for, and
// the agents in no team.
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
	stats := map[care.ID]*care.QueueStats{0: {TeamID: 0}}
	order := []care.ID{0}
	for _, t := range teams {
		stats[t.ID] = &care.QueueStats{TeamID: t.ID}
		order = append(order, t.ID)
	}
	for _, wc := range waiting {
		s := stats[wc.TeamID]
		if s == nil {
			s = stats[0]
		}
		s.Waiting++
		if wait := int64(now.Sub(wc.Since) / time.Second); wait > s.LongestWaitS {
			s.LongestWaitS = wait
		}
	}
	for _, a := range agents {
		if a.Presence != care.PresenceOnline {
			continue
		}
		in := a.TeamIDs
		if len(in) == 0 {
			in = []care.ID{0}
		}
		for _, t := range in {
			s := stats[t]
			if s == nil {
				continue
			}
			s.Online++
			for _, n := range a.Load {
				s.Load += n
			}
			for _, n := range a.Capacity {
				s.Capacity += n
			}
		}
	}
	out := make([]care.QueueStats, 0, len(order))
	for _, id := range order {
		out = append(out, *stats[id])
	}
	return out, nil
}
