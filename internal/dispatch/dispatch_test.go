package dispatch_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/dispatch"
	"github.com/parleyhq/parley/internal/testdb"
)

type world struct {
	s     care.Store
	ws    *care.Workspace
	inbox *care.Inbox
	now   time.Time
	n     int
}

func newWorld(t *testing.T, s care.Store) *world {
	t.Helper()
	w := &world{s: s, now: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}
	w.ws = &care.Workspace{Slug: "acme", Name: "Acme"}
	if err := s.CreateWorkspace(t.Context(), w.ws); err != nil {
		t.Fatal(err)
	}
	w.inbox = w.newInbox(t, care.ChannelX)
	return w
}

func (w *world) newInbox(t *testing.T, ch care.Channel) *care.Inbox {
	t.Helper()
	in := &care.Inbox{WorkspaceID: w.ws.ID, Channel: ch, Name: string(ch)}
	if err := w.s.CreateInbox(t.Context(), in); err != nil {
		t.Fatal(err)
	}
	return in
}

func (w *world) agent(t *testing.T, name string, p care.Presence, social int, languages ...string) care.ID {
	t.Helper()
	ctx := t.Context()
	u := &care.User{Email: name + "@example.com", Name: name}
	if err := w.s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := w.s.SetMember(ctx, care.Member{WorkspaceID: w.ws.ID, UserID: u.ID, Role: care.RoleAgent}); err != nil {
		t.Fatal(err)
	}
	up := care.AgentUpdate{Presence: &p, Capacity: map[care.WorkKind]int{care.WorkSocial: social}}
	if languages != nil {
		up.Skills = &care.Skills{Languages: languages}
	}
	if _, err := w.s.UpdateAgent(ctx, w.ws.ID, u.ID, up, w.now); err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// conversation makes an open conversation waiting since now with a
// customer message; contact 0 makes a new customer.
func (w *world) conversation(t *testing.T, in *care.Inbox, contact care.ID, priority float64, language string) *care.Conversation {
	t.Helper()
	ctx := t.Context()
	if contact == 0 {
		w.n++
		id, _, err := w.s.ResolveIdentity(ctx, w.ws.ID, in.Channel, care.Author{PlatformUserID: fmt.Sprintf("c%d", w.n)}, w.now)
		if err != nil {
			t.Fatal(err)
		}
		contact = id.ContactID
	}
	c := &care.Conversation{WorkspaceID: w.ws.ID, InboxID: in.ID, Channel: in.Channel, ContactID: contact, Status: care.StatusOpen,
		Priority: priority, Language: language, CreatedAt: w.now, LastActivityAt: w.now}
	if err := w.s.CreateConversation(ctx, c); err != nil {
		t.Fatal(err)
	}
	m := &care.Message{WorkspaceID: w.ws.ID, ConversationID: c.ID, InboxID: in.ID, Direction: care.DirectionIn, Visibility: care.Public,
		ContactID: contact, Text: "help", Status: care.DeliveryReceived, CreatedAt: w.now, SentAt: w.now}
	if err := w.s.CreateMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	return c
}

func (w *world) assignee(t *testing.T, c *care.Conversation) care.ID {
	t.Helper()
	got, err := w.s.Conversation(t.Context(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got.AssigneeID
}

func TestDispatch(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		svc := &dispatch.Service{Store: s, Now: func() time.Time { return w.now }}
		ana := w.agent(t, "ana", care.PresenceOnline, 1)
		bo := w.agent(t, "bo", care.PresenceOnline, 2, "es")
		cy := w.agent(t, "cy", care.PresenceAway, 8)

		low := w.conversation(t, w.inbox, 0, 10, "en")
		high := w.conversation(t, w.inbox, 0, 50, "en")
		spanish := w.conversation(t, w.inbox, 0, 30, "es")
		extra := w.conversation(t, w.inbox, 0, 5, "en")

		n, err := svc.Dispatch(ctx, w.ws.ID)
		if err != nil {
			t.Fatal(err)
		}
		// The highest first, to the least loaded who speaks the language;
		// Bo speaks only Spanish, so English work waits for Ana.
		if n != 2 || w.assignee(t, high) != ana || w.assignee(t, spanish) != bo {
			t.Fatalf("dispatched %d: high→%d spanish→%d, want 2: high→ana(%d) spanish→bo(%d)", n, w.assignee(t, high), w.assignee(t, spanish), ana, bo)
		}
		for _, c := range []*care.Conversation{low, extra} {
			if a := w.assignee(t, c); a != 0 {
				t.Errorf("conversation %d went to %d; Ana is full and Bo does not speak English, so it must wait", c.ID, a)
			}
		}
		if a := w.assignee(t, high); a == cy {
			t.Error("an away agent was given work")
		}

		// Cy comes online: the queue drains to them.
		if _, err := s.UpdateAgent(ctx, w.ws.ID, cy, care.AgentUpdate{Presence: ptr(care.PresenceOnline)}, w.now); err != nil {
			t.Fatal(err)
		}
		if err := svc.PresenceChanged(ctx, w.ws.ID, cy, care.PresenceOnline); err != nil {
			t.Fatal(err)
		}
		if w.assignee(t, low) != cy || w.assignee(t, extra) != cy {
			t.Errorf("after Cy came online: low→%d extra→%d, want both %d", w.assignee(t, low), w.assignee(t, extra), cy)
		}

		// A returning customer, on another channel, goes back to their agent.
		fb := w.newInbox(t, care.ChannelFacebook)
		again := w.conversation(t, fb, high.ContactID, 1, "en")
		// Ana is full (capacity 1): the preferred agent cannot take it,
		// so it goes to whoever can.
		if _, err := svc.Dispatch(ctx, w.ws.ID); err != nil {
			t.Fatal(err)
		}
		if a := w.assignee(t, again); a != cy {
			t.Errorf("returning customer with a full agent went to %d, want %d", a, cy)
		}
		if _, err := s.UpdateAgent(ctx, w.ws.ID, ana, care.AgentUpdate{Capacity: map[care.WorkKind]int{care.WorkSocial: 5}}, w.now); err != nil {
			t.Fatal(err)
		}
		third := w.conversation(t, w.inbox, high.ContactID, 1, "en") // same customer, new thread
		if _, err := svc.Dispatch(ctx, w.ws.ID); err != nil {
			t.Fatal(err)
		}
		if a := w.assignee(t, third); a != ana && a != cy {
			t.Errorf("returning customer went to %d, want one of the agents with their open conversations", a)
		}

		// Ana goes away: what she still owes an answer is routed again;
		// a conversation a person gave her stays hers.
		manual := w.conversation(t, w.inbox, 0, 1, "en")
		if _, err := s.UpdateConversation(ctx, manual.ID, care.ConversationUpdate{AssigneeID: &ana}, w.now); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateAgent(ctx, w.ws.ID, ana, care.AgentUpdate{Presence: ptr(care.PresenceAway)}, w.now); err != nil {
			t.Fatal(err)
		}
		if err := svc.PresenceChanged(ctx, w.ws.ID, ana, care.PresenceAway); err != nil {
			t.Fatal(err)
		}
		if a := w.assignee(t, high); a == ana || a == 0 {
			t.Errorf("after Ana went away, her conversation is with %d; want another online agent", a)
		}
		if a := w.assignee(t, manual); a != ana {
			t.Errorf("a person's assignment moved to %d when Ana went away", a)
		}
		audit, err := s.Audit(ctx, w.ws.ID, fmt.Sprintf("conversation:%d", high.ID), 10)
		if err != nil {
			t.Fatal(err)
		}
		actions := map[string]bool{}
		for _, a := range audit {
			if a.Actor == dispatch.Actor {
				actions[a.Action] = true
			}
		}
		if !actions["conversation.route"] || !actions["conversation.reroute"] {
			t.Errorf("audit of routing = %v, want route and reroute", actions)
		}
	})
}

// Several nodes dispatching at once over one database never give a
// conversation to two agents nor fill an agent past capacity.
func TestConcurrentDispatchers(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		const agents, capacity, convs, nodes = 4, 3, 40, 4
		var ids []care.ID
		for i := range agents {
			ids = append(ids, w.agent(t, fmt.Sprintf("a%d", i), care.PresenceOnline, capacity))
		}
		var all []*care.Conversation
		for i := range convs {
			all = append(all, w.conversation(t, w.inbox, 0, float64(i%7), "en"))
		}
		var wg sync.WaitGroup
		for range nodes {
			svc := &dispatch.Service{Store: s, Now: func() time.Time { return w.now }}
			wg.Go(func() {
				for range 3 {
					if _, err := svc.Dispatch(ctx, w.ws.ID); err != nil {
						t.Errorf("Dispatch: %v", err)
					}
				}
			})
		}
		wg.Wait()
		load := map[care.ID]int{}
		for _, c := range all {
			if a := w.assignee(t, c); a != 0 {
				load[a]++
			}
		}
		total := 0
		for _, id := range ids {
			if load[id] > capacity {
				t.Errorf("agent %d holds %d, capacity %d", id, load[id], capacity)
			}
			total += load[id]
		}
		if total != agents*capacity {
			t.Errorf("%d assigned, want %d: every place filled, the rest queued", total, agents*capacity)
		}
		audit, err := s.Audit(ctx, w.ws.ID, "", 1000)
		if err != nil {
			t.Fatal(err)
		}
		routed := map[string]int{}
		for _, a := range audit {
			if a.Action == "conversation.route" {
				routed[a.Target]++
			}
		}
		if len(routed) != total {
			t.Errorf("the audit trail records %d routed conversations, %d were assigned", len(routed), total)
		}
		for target, n := range routed {
			if n > 1 {
				t.Errorf("%s routed %d times", target, n)
			}
		}
	})
}

func ptr[T any](v T) *T { return &v }
