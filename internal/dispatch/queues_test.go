package dispatch_test

import (
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/dispatch"
	"github.com/parleyhq/parley/internal/testdb"
)

func TestQueues(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		ana := w.agent(t, "ana", care.PresenceOnline, 2)
		w.agent(t, "bo", care.PresenceOnline, 1) // in no team
		cy := w.agent(t, "cy", care.PresenceAway, 8)
		care1 := &care.Team{WorkspaceID: w.ws.ID, Name: "Care"}
		if err := s.CreateTeam(ctx, care1); err != nil {
			t.Fatal(err)
		}
		if err := s.SetTeamMembers(ctx, care1.ID, []care.ID{ana, cy}); err != nil {
			t.Fatal(err)
		}
		for _, team := range []care.ID{care1.ID, care1.ID, 0} {
			c := w.conversation(t, w.inbox, 0, 10, "en")
			if team != 0 {
				if _, err := s.UpdateConversation(ctx, c.ID, care.ConversationUpdate{TeamID: &team}, w.now); err != nil {
					t.Fatal(err)
				}
			}
		}
		held := w.conversation(t, w.inbox, 0, 10, "en")
		if _, err := s.UpdateConversation(ctx, held.ID, care.ConversationUpdate{AssigneeID: &ana}, w.now); err != nil {
			t.Fatal(err)
		}

		qs, err := dispatch.Queues(ctx, s, w.ws.ID, w.now)
		if err != nil {
			t.Fatal(err)
		}
		type social struct{ waiting, load, capacity int }
		want := map[care.ID]struct {
			waiting, online int
			social          social
		}{
			// Any online agent takes work with no team: Ana and Bo.
			0: {waiting: 1, online: 2, social: social{waiting: 1, load: 1, capacity: 3}},
			// Cy is away; Ana's load is hers whatever queue it came from.
			care1.ID: {waiting: 2, online: 1, social: social{waiting: 2, load: 1, capacity: 2}},
		}
		if len(qs) != len(want) {
			t.Fatalf("Queues = %+v, want %d queues", qs, len(want))
		}
		for _, q := range qs {
			wq, ok := want[q.TeamID]
			if !ok {
				t.Errorf("unexpected queue %+v", q)
				continue
			}
			if q.Waiting != wq.waiting || q.Online != wq.online {
				t.Errorf("queue %d: waiting %d, online %d; want %d, %d", q.TeamID, q.Waiting, q.Online, wq.waiting, wq.online)
			}
			var load, capacity int
			var got social
			for _, k := range q.Kinds {
				load, capacity = load+k.Load, capacity+k.Capacity
				if k.Kind == care.WorkSocial {
					got = social{k.Waiting, k.Load, k.Capacity}
				}
			}
			if got != wq.social {
				t.Errorf("queue %d social = %+v, want %+v (kinds %+v)", q.TeamID, got, wq.social, q.Kinds)
			}
			if len(q.Kinds) != 4 || load != q.Load || capacity != q.Capacity {
				t.Errorf("queue %d: load %d / %d is not the sum of its kinds %+v", q.TeamID, q.Load, q.Capacity, q.Kinds)
			}
		}
	})
}
