package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/dispatch"
)

// The queues page shows supervisors each team's queue: how many
// conversations wait for an agent, the longest wait, who is online and how
// full they are for each kind of work. "No team" counts every agent online,
// as any of them may take work no team was chosen for.

type queueView struct {
	Team        string
	Waiting     int
	LongestWait string
	Online      int
	// Kinds are the kinds of work the queue has waiting or its agents have
	// places or load for: places are per kind, so a total would show room
	// for social work in the spare chat places.
	Kinds []kindView
	// Full is set when work waits in a kind whose places are all taken.
	Full bool
}

type kindView struct {
	Kind     care.WorkKind
	Waiting  int
	Load     int
	Capacity int
	Full     bool
}

type queuesPage struct {
	layout
	Queues []queueView
}

func (h *Handler) queues(w http.ResponseWriter, r *http.Request, a *agent) {
	// Every team's waiting work and who is online: the workspace's.
	if err := seeWorkspace(a, "Only supervisors and admins see the queues.", "see the workspace's queues"); err != nil {
		h.renderError(w, r, a, err)
		return
	}
	ctx := r.Context()
	qs, err := dispatch.Queues(ctx, h.Store, a.WorkspaceID, h.now())
	if err != nil {
		h.renderError(w, r, a, err)
		return
	}
	teams, err := h.Store.Teams(ctx, a.WorkspaceID)
	if err != nil {
		h.renderError(w, r, a, err)
		return
	}
	names := map[care.ID]string{0: "No team"}
	for _, t := range teams {
		// A name made only of hidden characters would leave the row unnamed.
		if names[t.ID] = plain(t.Name); names[t.ID] == "" {
			names[t.ID] = "Team " + strconv.FormatInt(t.ID, 10)
		}
	}
	p := queuesPage{layout: layout{Title: "Queues", Page: "queues", Agent: a}}
	for _, q := range qs {
		v := queueView{Team: names[q.TeamID], Waiting: q.Waiting, Online: q.Online}
		for _, k := range q.Kinds {
			if k.Waiting == 0 && k.Load == 0 && k.Capacity == 0 {
				continue
			}
			kv := kindView{Kind: k.Kind, Waiting: k.Waiting, Load: k.Load, Capacity: k.Capacity,
				Full: q.Online > 0 && k.Load >= k.Capacity}
			v.Full = v.Full || kv.Full && kv.Waiting > 0
			v.Kinds = append(v.Kinds, kv)
		}
		if q.Waiting > 0 {
			v.LongestWait = waitText(time.Duration(q.LongestWaitS) * time.Second)
		}
		p.Queues = append(p.Queues, v)
	}
	h.render(w, r, http.StatusOK, "queues", p)
}

// waitText is a wait as a supervisor reads it: "45s", "12 min", "3 h",
// "3 h 5 min".
func waitText(d time.Duration) string {
	switch {
	case d < time.Minute:
		return strconv.Itoa(int(d/time.Second)) + "s"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + " min"
	}
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	if m == 0 {
		return strconv.Itoa(h) + " h"
	}
	return strconv.Itoa(h) + " h " + strconv.Itoa(m) + " min"
}
