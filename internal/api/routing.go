package api

import (
	"context"
	"net/http"
	"slices"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/dispatch"
)

// Router is told what changes who can take work, so waiting conversations
// are given out, or taken back, at once rather than at its next pass.
type Router interface {
	// PresenceChanged returns to the queue what an agent who went away
	// still owed an answer, and hands out work to one who came online.
	PresenceChanged(ctx context.Context, workspaceID, userID care.ID, p care.Presence) error
}

// HoursValidator checks a team's business-hours document.
type HoursValidator func(doc []byte) error

type agentList struct {
	Agents []care.Agent `json:"agents"`
}

func (s *Server) listAgents(w http.ResponseWriter, r *http.Request) {
	agents, err := s.Store.Agents(r.Context(), principal(r).WorkspaceID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	mates, err := s.teammates(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if mates != nil {
		agents = slices.DeleteFunc(agents, func(a care.Agent) bool { return !mates[a.UserID] })
	}
	writeJSON(w, http.StatusOK, agentList{Agents: agents})
}

type agentPatch struct {
	Presence *care.Presence        `json:"presence"`
	Skills   *care.Skills          `json:"skills"`
	Capacity map[care.WorkKind]int `json:"capacity"`
}

func (s *Server) updateAgent(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var req agentPatch
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	if err := s.inTeamsOf(r, id); err != nil {
		writeError(w, r, err)
		return
	}
	s.changeAgent(w, r, id, care.AgentUpdate{Presence: req.Presence, Skills: req.Skills, Capacity: req.Capacity}, req)
}

type presenceRequest struct {
	Presence care.Presence `json:"presence"`
}

func (s *Server) setPresence(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if p.UserID == 0 {
		writeError(w, r, care.Errorf(care.EINVALID, "Presence belongs to a person; this token is not one."))
		return
	}
	var req presenceRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	s.changeAgent(w, r, p.UserID, care.AgentUpdate{Presence: &req.Presence}, req)
}

// inTeamsOf lets a supervisor of a partner team change only themselves and
// the members of their teams; anyone else is not found, as a stranger is.
func (s *Server) inTeamsOf(r *http.Request, userID care.ID) error {
	p := principal(r)
	ok, err := p.Scope.Shares(r.Context(), s.Store, p.WorkspaceID, userID)
	if err == nil && !ok {
		err = care.Errorf(care.ENOTFOUND, "User not found in this workspace.")
	}
	return err
}

func (s *Server) changeAgent(w http.ResponseWriter, r *http.Request, userID care.ID, u care.AgentUpdate, details any) {
	a, err := s.changeProfile(r.Context(), principal(r), userID, u, details)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

// SetPresence sets the caller's own presence, as PUT /api/v1/me/presence
// does: for the web page's presence menu and its sign-out.
func (s *Server) SetPresence(ctx context.Context, p care.Principal, presence care.Presence) (*care.Agent, error) {
	if p.UserID == 0 {
		return nil, care.Errorf(care.EINVALID, "Presence belongs to a person; this token is not one.")
	}
	return s.changeProfile(ctx, p, p.UserID, care.AgentUpdate{Presence: &presence}, presenceRequest{Presence: presence})
}

// changeProfile changes a member's profile, records it, and when the presence
// changed lets routing act on it: work for an agent coming online, work
// handed back by one going away.
func (s *Server) changeProfile(ctx context.Context, p care.Principal, userID care.ID, u care.AgentUpdate, details any) (*care.Agent, error) {
	ws := p.WorkspaceID
	if _, err := s.Store.Member(ctx, ws, userID); err != nil {
		return nil, care.Errorf(care.ENOTFOUND, "User not found in this workspace.")
	}
	a, err := s.Store.UpdateAgent(ctx, ws, userID, u, s.now())
	if err != nil {
		return nil, err
	}
	s.audit(ctx, p, "agent.update", idTarget("user", userID), details)
	if u.Presence != nil && s.Router != nil {
		if err := s.Router.PresenceChanged(ctx, ws, userID, a.Presence); err != nil {
			// The change stands; routing catches up on its next pass.
			s.logger().Error("api: routing after a presence change", "user", userID, "err", err)
		}
	}
	return a, nil
}

type queueList struct {
	Queues []care.QueueStats `json:"queues"`
}

// listQueues shows each team's queue: waiting conversations, the longest
// wait, agents online and their load against their capacity, per kind of
// work as places are. Team 0 is the work no team was chosen for, which
// every online agent may take (see dispatch.Queues). A supervisor of a
// partner team sees only their teams' queues: team 0 is the workspace's.
func (s *Server) listQueues(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	qs, err := dispatch.Queues(r.Context(), s.Store, p.WorkspaceID, s.now())
	if err != nil {
		writeError(w, r, err)
		return
	}
	if p.Scope != nil {
		qs = slices.DeleteFunc(qs, func(q care.QueueStats) bool { return !slices.Contains(p.Scope.Teams, q.TeamID) })
	}
	if qs == nil {
		qs = []care.QueueStats{}
	}
	writeJSON(w, http.StatusOK, queueList{Queues: qs})
}
