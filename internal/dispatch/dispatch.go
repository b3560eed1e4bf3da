// Package dispatch gives waiting conversations to agents: the
// highest-priority waiting conversation goes to the least-loaded eligible
// online agent, and what nobody can take stays queued — nothing is pushed
// onto a full agent. Package routing makes the decisions; this package feeds
// it from storage and makes each decision stick with
// care.Queries.ClaimConversation, which checks again, atomically, that the
// conversation still waits and the agent still has room. Several Parley
// nodes may dispatch at once over one PostgreSQL database: a claim that lost
// a race is simply skipped.
package dispatch

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strconv"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/faillog"
	"github.com/parleyhq/parley/internal/routing"
)

// Publisher notifies live subscribers of committed events.
type Publisher interface {
	Publish(events ...care.Event)
}

// Actor is how routing appears in the audit trail.
const Actor = "routing"

// Service dispatches. Its zero value is not usable: set Store.
type Service struct {
	Store     care.Store
	Publisher Publisher // may be nil
	Logger    *slog.Logger
	Now       func() time.Time
	// Interval is how often every workspace's queue is dispatched when
	// nothing wakes the service; 0 means 5 seconds. Routing also reruns
	// on Wake: after new conversations, resolutions, presence changes.
	Interval time.Duration
	// Waiting bounds how many waiting conversations one pass reads per
	// workspace, highest priority first; 0 means 10,000.
	Waiting int

	wake chan struct{}
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

func (s *Service) wakeChan() chan struct{} {
	if s.wake == nil {
		s.wake = make(chan struct{}, 1)
	}
	return s.wake
}

// Wake asks for a pass soon; it never blocks. Call it before Run starts or
// from any goroutine after.
func (s *Service) Wake() {
	select {
	case s.wakeChan() <- struct{}{}:
	default:
	}
}

// Run dispatches every workspace until ctx ends. A pass that fails is
// tried again at the next; the same failure pass after pass, as while the
// database is down, is logged when it starts, once a minute while it
// lasts, and when it ends.
func (s *Service) Run(ctx context.Context) {
	wake := s.wakeChan()
	interval := s.Interval
	if interval <= 0 {
		interval = 5 * time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	failures := &faillog.Log{Logger: s.logger(), What: "dispatch: pass"}
	for {
		_, err := s.DispatchAll(ctx)
		switch {
		case err == nil:
			failures.OK(s.now())
		case ctx.Err() == nil:
			failures.Failed(s.now(), err)
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-t.C:
		}
	}
}

// DispatchAll dispatches every workspace's queue once.
func (s *Service) DispatchAll(ctx context.Context) (int, error) {
	wss, err := s.Store.Workspaces(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	var errs []error
	for _, ws := range wss {
		n, err := s.Dispatch(ctx, ws.ID)
		total += n
		if err != nil {
			errs = append(errs, err)
		}
	}
	return total, errors.Join(errs...)
}

// Dispatch gives one workspace's waiting conversations to its agents and
// returns how many it assigned.
func (s *Service) Dispatch(ctx context.Context, workspaceID care.ID) (int, error) {
	agents, err := s.Store.Agents(ctx, workspaceID)
	if err != nil {
		return 0, err
	}
	online := make([]*routing.Agent, 0, len(agents))
	teams, err := s.teams(ctx, workspaceID, agents)
	if err != nil {
		return 0, err
	}
	for i := range agents {
		if agents[i].Presence == care.PresenceOnline {
			online = append(online, toAgent(&agents[i], teams))
		}
	}
	if len(online) == 0 {
		return 0, nil
	}
	waiting, err := s.Store.WaitingConversations(ctx, workspaceID, s.Waiting)
	if err != nil {
		return 0, err
	}
	if len(waiting) == 0 {
		return 0, nil
	}
	now := s.now()
	var q routing.Queue
	for i := range waiting {
		q.Push(toWork(&waiting[i], now))
	}
	// The team each decision was made for: a conversation moved to another
	// team since the queue was read may not suit the agent (a partner's
	// agent may not even see it), so its claim is refused.
	teamOf := make(map[care.ID]care.ID, len(waiting))
	for i := range waiting {
		teamOf[waiting[i].ConversationID] = waiting[i].TeamID
	}
	assigned := 0
	for _, a := range q.Dispatch(online, -1) {
		ok, err := s.claim(ctx, workspaceID, a.WorkID, teamOf[a.WorkID], a.AgentID, now)
		if err != nil {
			return assigned, err
		}
		if ok {
			assigned++
		}
	}
	return assigned, nil
}

// teams returns the workspace's teams by ID, read once per pass and only
// when some agent is on a team: their skills, for agents who list none of
// their own (an agent in the Spanish team speaks Spanish), and whether they
// are partner teams, whose members are given only their teams' work.
func (s *Service) teams(ctx context.Context, workspaceID care.ID, agents []care.Agent) (map[care.ID]*care.Team, error) {
	need := false
	for i := range agents {
		if len(agents[i].TeamIDs) > 0 {
			need = true
			break
		}
	}
	if !need {
		return nil, nil
	}
	teams, err := s.Store.Teams(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	out := make(map[care.ID]*care.Team, len(teams))
	for i := range teams {
		out[teams[i].ID] = &teams[i]
	}
	return out, nil
}

func toAgent(a *care.Agent, teams map[care.ID]*care.Team) *routing.Agent {
	r := &routing.Agent{ID: a.UserID, Presence: routing.Presence(a.Presence), Teams: a.TeamIDs, Partner: partner(a, teams),
		Languages: a.Skills.Languages, Channels: a.Skills.Channels, Topics: a.Skills.Topics,
		Capacity: make(map[routing.Kind]int, len(a.Capacity)), Load: make(map[routing.Kind]int, len(a.Load)),
		LastAssigned: a.LastAssignedAt}
	for k, n := range a.Capacity {
		r.Capacity[routing.Kind(k)] = n
	}
	for k, n := range a.Load {
		r.Load[routing.Kind(k)] = n
	}
	// An agent's own skills win; without them, their teams' together.
	inherit := func(own []string, pick func(care.Skills) []string) []string {
		if len(own) > 0 {
			return own
		}
		var all []string
		for _, id := range a.TeamIDs {
			if t := teams[id]; t != nil {
				all = append(all, pick(t.Skills)...)
			}
		}
		return all
	}
	r.Languages = inherit(r.Languages, func(s care.Skills) []string { return s.Languages })
	r.Channels = inherit(r.Channels, func(s care.Skills) []string { return s.Channels })
	r.Topics = inherit(r.Topics, func(s care.Skills) []string { return s.Topics })
	return r
}

// partner reports whether a sees only their teams' conversations, and so
// may be routed only their teams' work. The answer is care.ScopeFor's, the
// rule authentication applies, so routing cannot disagree with what the
// agent is allowed to see.
func partner(a *care.Agent, teams map[care.ID]*care.Team) bool {
	if len(a.TeamIDs) == 0 {
		return false
	}
	theirs := make([]care.Team, 0, len(a.TeamIDs))
	for _, id := range a.TeamIDs {
		if t := teams[id]; t != nil {
			theirs = append(theirs, care.Team{ID: id, Partner: t.Partner})
		}
	}
	return care.ScopeFor(a.UserID, a.Role, theirs) != nil
}

// urgentAt is the share of its deadline from which a conversation is
// dispatched before anything that is not (PRIORITY.md: W ≥ 0.8).
const urgentAt = 0.8

func toWork(w *care.Waiting, now time.Time) *routing.Work {
	r := &routing.Work{ID: w.ConversationID, Kind: routing.Kind(w.Kind), TeamID: w.TeamID, Language: w.Language,
		Channel: string(w.Channel), PreferredAgent: w.PreferredAgent, Priority: w.Priority, Due: w.Due, Since: w.Since}
	// Routing matches one topic: the first the customer raised.
	if len(w.Topics) > 0 {
		r.Topic = w.Topics[0]
	}
	if w.Due != nil {
		if span := w.Due.Sub(w.Since); span > 0 && now.Sub(w.Since) >= time.Duration(urgentAt*float64(span)) {
			r.Urgent = true
		}
	}
	return r
}

// claim makes one assignment stick, with its event and audit entry, if the
// conversation is still of teamID. false means the conversation or the
// agent changed since the decision: another node or a person got there
// first, or someone moved it.
func (s *Service) claim(ctx context.Context, ws, convID, teamID, agentID care.ID, now time.Time) (bool, error) {
	var ev care.Event
	err := s.Store.Update(ctx, func(q care.Queries) error {
		c, err := q.ClaimConversation(ctx, convID, agentID, now)
		if err != nil {
			return err
		}
		if c.TeamID != teamID {
			// Undone with the transaction.
			return care.Errorf(care.ECONFLICT, "The conversation moved to another team.")
		}
		data, _ := json.Marshal(c)
		ev = care.Event{WorkspaceID: ws, Type: care.EventConversationUpdated, ConversationID: c.ID, InboxID: c.InboxID, Data: data, CreatedAt: now}
		if err := q.AppendEvent(ctx, &ev); err != nil {
			return err
		}
		details, _ := json.Marshal(map[string]any{"assignee_id": agentID, "priority": c.Priority})
		return q.AppendAudit(ctx, &care.AuditEntry{WorkspaceID: ws, Actor: Actor, Action: "conversation.route",
			Target: "conversation:" + strconv.FormatInt(convID, 10), Details: details, CreatedAt: now})
	})
	switch {
	case err == nil:
		if s.Publisher != nil {
			s.Publisher.Publish(ev)
		}
		return true, nil
	case care.ErrorCode(err) == care.ECONFLICT || care.ErrorCode(err) == care.ENOTFOUND:
		return false, nil
	}
	return false, err
}

// PresenceChanged hands back to the queue what routing gave an agent who
// went away or offline and who still owes the customer an answer, then
// dispatches the workspace again: their conversations go to others, or
// work goes to them if they came online.
func (s *Service) PresenceChanged(ctx context.Context, workspaceID, userID care.ID, p care.Presence) error {
	if p != care.PresenceOnline {
		now := s.now()
		var events []care.Event
		err := s.Store.Update(ctx, func(q care.Queries) error {
			events = events[:0]
			ids, err := q.ReleaseConversations(ctx, workspaceID, userID, now)
			if err != nil {
				return err
			}
			for _, id := range ids {
				c, err := q.Conversation(ctx, id)
				if err != nil {
					return err
				}
				data, _ := json.Marshal(c)
				ev := care.Event{WorkspaceID: workspaceID, Type: care.EventConversationUpdated, ConversationID: id, InboxID: c.InboxID, Data: data, CreatedAt: now}
				if err := q.AppendEvent(ctx, &ev); err != nil {
					return err
				}
				events = append(events, ev)
				details, _ := json.Marshal(map[string]any{"from": userID, "presence": p})
				if err := q.AppendAudit(ctx, &care.AuditEntry{WorkspaceID: workspaceID, Actor: Actor, Action: "conversation.reroute",
					Target: "conversation:" + strconv.FormatInt(id, 10), Details: details, CreatedAt: now}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if s.Publisher != nil && len(events) > 0 {
			s.Publisher.Publish(events...)
		}
	}
	_, err := s.Dispatch(ctx, workspaceID)
	return err
}
