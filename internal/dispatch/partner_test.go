package dispatch_test

import (
	"context"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/dispatch"
	"github.com/parleyhq/parley/internal/testdb"
)

func (w *world) team(t *testing.T, name string, partner bool, members ...care.ID) care.ID {
	t.Helper()
	team := &care.Team{WorkspaceID: w.ws.ID, Name: name, Partner: partner}
	if err := w.s.CreateTeam(t.Context(), team); err != nil {
		t.Fatal(err)
	}
	if err := w.s.SetTeamMembers(t.Context(), team.ID, members); err != nil {
		t.Fatal(err)
	}
	return team.ID
}

// teamConversation is conversation, owned by team (0: none).
func (w *world) teamConversation(t *testing.T, contact, team care.ID) *care.Conversation {
	t.Helper()
	c := w.conversation(t, w.inbox, contact, 10, "en")
	if team != 0 {
		if _, err := w.s.UpdateConversation(t.Context(), c.ID, care.ConversationUpdate{TeamID: &team}, w.now); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// A member of a partner team is routed only their teams' work, whoever
// else is online, and a returning customer goes back to them only then.
func TestDispatchPartner(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		svc := &dispatch.Service{Store: s, Now: func() time.Time { return w.now }}
		pat := w.agent(t, "pat", care.PresenceOnline, 9) // the only one online with room
		ina := w.agent(t, "ina", care.PresenceAway, 9)
		inHouse := w.team(t, "Care", false, ina)
		partner := w.team(t, "Outsourced", true, pat)

		ofA := w.teamConversation(t, 0, inHouse)
		ofNone := w.teamConversation(t, 0, 0)
		ofP := w.teamConversation(t, 0, partner)
		if _, err := svc.Dispatch(ctx, w.ws.ID); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			c    *care.Conversation
			want care.ID
		}{
			{"in-house team's", ofA, 0},
			{"no team's", ofNone, 0},
			{"partner team's", ofP, pat},
		} {
			if got := w.assignee(t, tc.c); got != tc.want {
				t.Errorf("the %s conversation went to %d, want %d (Pat is %d)", tc.name, got, tc.want, pat)
			}
		}

		// The same customer comes back: only work of Pat's team follows
		// them to Pat.
		backA := w.teamConversation(t, ofP.ContactID, inHouse)
		backP := w.teamConversation(t, ofP.ContactID, partner)
		if _, err := svc.Dispatch(ctx, w.ws.ID); err != nil {
			t.Fatal(err)
		}
		if got := w.assignee(t, backA); got != 0 {
			t.Errorf("a returning customer's in-house conversation went to %d; it must wait for the in-house team", got)
		}
		if got := w.assignee(t, backP); got != pat {
			t.Errorf("a returning customer's partner-team conversation went to %d, want Pat (%d)", got, pat)
		}

		// The in-house team comes online and takes what Pat could not.
		if _, err := s.UpdateAgent(ctx, w.ws.ID, ina, care.AgentUpdate{Presence: ptr(care.PresenceOnline)}, w.now); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Dispatch(ctx, w.ws.ID); err != nil {
			t.Fatal(err)
		}
		for _, c := range []*care.Conversation{ofA, ofNone, backA} {
			if got := w.assignee(t, c); got != ina {
				t.Errorf("conversation %d went to %d, want Ina (%d)", c.ID, got, ina)
			}
		}
	})
}

// An admin on a partner team sees the whole workspace (care.ScopeFor), so
// routing may give them any work.
func TestDispatchPartnerAdmin(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		svc := &dispatch.Service{Store: s, Now: func() time.Time { return w.now }}
		ada := w.agent(t, "ada", care.PresenceOnline, 9)
		if err := s.SetMember(ctx, care.Member{WorkspaceID: w.ws.ID, UserID: ada, Role: care.RoleAdmin}); err != nil {
			t.Fatal(err)
		}
		w.team(t, "Outsourced", true, ada)
		c := w.teamConversation(t, 0, 0)
		if _, err := svc.Dispatch(ctx, w.ws.ID); err != nil {
			t.Fatal(err)
		}
		if got := w.assignee(t, c); got != ada {
			t.Errorf("work of no team went to %d, want the admin %d", got, ada)
		}
	})
}

// The queue of work of no team does not count partner members among the
// agents who can take it.
func TestQueuesPartner(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		pat := w.agent(t, "pat", care.PresenceOnline, 3)
		w.agent(t, "bo", care.PresenceOnline, 1) // in no team
		partner := w.team(t, "Outsourced", true, pat)
		w.teamConversation(t, 0, 0)
		qs, err := dispatch.Queues(ctx, s, w.ws.ID, w.now)
		if err != nil {
			t.Fatal(err)
		}
		online := map[care.ID]int{}
		for _, q := range qs {
			online[q.TeamID] = q.Online
		}
		if online[0] != 1 || online[partner] != 1 {
			t.Errorf("agents online per queue = %v, want 1 for no team (Bo) and 1 for the partner team (Pat)", online)
		}
	})
}

// movingStore moves a conversation to another team as soon as the queue has
// been read: what a person changing its team in that moment would do.
type movingStore struct {
	care.Store
	conv, to care.ID
	now      time.Time
}

func (m *movingStore) WaitingConversations(ctx context.Context, ws care.ID, limit int) ([]care.Waiting, error) {
	out, err := m.Store.WaitingConversations(ctx, ws, limit)
	if err == nil {
		_, err = m.Store.UpdateConversation(ctx, m.conv, care.ConversationUpdate{TeamID: &m.to}, m.now)
	}
	return out, err
}

// A conversation moved to another team between the decision and the claim
// is not claimed: the decision was for its old team.
func TestDispatchClaimFollowsTeam(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		w := newWorld(t, s)
		pat := w.agent(t, "pat", care.PresenceOnline, 9)
		ina := w.agent(t, "ina", care.PresenceAway, 9)
		inHouse := w.team(t, "Care", false, ina)
		partner := w.team(t, "Outsourced", true, pat)
		c := w.teamConversation(t, 0, partner)
		svc := &dispatch.Service{Store: &movingStore{Store: s, conv: c.ID, to: inHouse, now: w.now}, Now: func() time.Time { return w.now }}
		n, err := svc.Dispatch(t.Context(), w.ws.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := w.assignee(t, c); n != 0 || got != 0 {
			t.Errorf("Dispatch assigned %d; the conversation moved in-house went to %d, want no one", n, got)
		}
	})
}
