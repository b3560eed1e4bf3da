package storetest

import (
	"context"

	"fmt"
	"github.com/google/go-cmp/cmp"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

func testConversations(t *testing.T, open opener) {
	t.Run("CreateAndGet", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		u := mustUser(t, s, "agent@example.com")
		tm := mustTeam(t, s, w.ws, "Support")
		c := &care.Conversation{
			WorkspaceID: w.ws.ID, InboxID: w.inbox.ID, Channel: care.ChannelX, ContactID: w.identity.ContactID,
			Status: care.StatusSnoozed, SnoozedUntil: ptr(at(5 * time.Hour)), AssigneeID: u.ID, TeamID: tm.ID,
			Tags: []string{"billing", "vip"}, Subject: "Refund for order 1234",
			Priority: 42.5, PriorityReasons: []string{"12k followers", "negative"},
			PriorityInputs: care.PriorityInputs{Need: 0.8, NeedReason: "refund", Reach: 0.4, ReachReason: "12k followers", Value: 1},
			Kind:           care.WorkChat, Language: "en", Mood: care.MoodNegative, Topics: []string{"refund"},
			AutoAssigned: true, EscalationTeamID: tm.ID, SLA: []byte(`{"policy":1}`),
			FirstResponseDue: ptr(at(time.Hour)), NextResponseDue: ptr(at(2 * time.Hour)), ResolutionDue: ptr(at(24 * time.Hour)),
			WaitingSince: ptr(at(-time.Minute)), LastActivityAt: at(0), CreatedAt: at(-time.Hour), UpdatedAt: at(-time.Hour),
		}
		must(t, s.CreateConversation(ctx, c), "CreateConversation")
		if c.ID == 0 {
			t.Fatal("CreateConversation did not assign an ID")
		}
		want := &care.Conversation{
			ID: c.ID, WorkspaceID: w.ws.ID, InboxID: w.inbox.ID, Channel: care.ChannelX, ContactID: w.identity.ContactID,
			Status: care.StatusSnoozed, SnoozedUntil: microPtr(at(5 * time.Hour)), AssigneeID: u.ID, TeamID: tm.ID,
			Tags: []string{"billing", "vip"}, Subject: "Refund for order 1234",
			Priority: 42.5, PriorityReasons: []string{"12k followers", "negative"},
			PriorityInputs: care.PriorityInputs{Need: 0.8, NeedReason: "refund", Reach: 0.4, ReachReason: "12k followers", Value: 1},
			Kind:           care.WorkChat, Language: "en", Mood: care.MoodNegative, Topics: []string{"refund"},
			AutoAssigned: true, EscalationTeamID: tm.ID, SLA: []byte(`{"policy":1}`),
			FirstResponseDue: microPtr(at(time.Hour)), NextResponseDue: microPtr(at(2 * time.Hour)), ResolutionDue: microPtr(at(24 * time.Hour)),
			WaitingSince: microPtr(at(-time.Minute)), LastActivityAt: micro(at(0)), CreatedAt: micro(at(-time.Hour)), UpdatedAt: micro(at(-time.Hour)),
		}
		got, err := s.Conversation(ctx, c.ID)
		must(t, err, "Conversation(%d)", c.ID)
		if d := diff(want, got); d != "" {
			t.Errorf("Conversation(%d) mismatch (-want +got):\n%s", c.ID, d)
		}
		checkUTC(t, "Conversation times", got.LastActivityAt, got.CreatedAt, got.UpdatedAt,
			*got.SnoozedUntil, *got.FirstResponseDue, *got.NextResponseDue, *got.ResolutionDue, *got.WaitingSince)
	})

	t.Run("NotFound", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		_, err := s.Conversation(ctx, missingID)
		wantCode(t, err, care.ENOTFOUND, "Conversation(missing)")
	})

	t.Run("Active", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme") // w.conv is open: resolve it first
		other := mustInbox(t, s, w.ws, care.ChannelFacebook)
		stranger := mustIdentity(t, s, w.ws, "stranger")
		contact := w.identity.ContactID
		resolve := func(id care.ID) {
			t.Helper()
			_, err := s.UpdateConversation(ctx, id, care.ConversationUpdate{Status: ptr(care.StatusResolved)}, at(time.Hour))
			must(t, err, "UpdateConversation(resolve %d)", id)
		}
		active := func(want care.ID) {
			t.Helper()
			got, err := s.ActiveConversation(ctx, w.inbox.ID, contact)
			if want == 0 {
				wantCode(t, err, care.ENOTFOUND, "ActiveConversation()")
				if many, err := s.ActiveConversationsOf(ctx, w.inbox.ID, []care.ID{contact}); err != nil || len(many) != 0 {
					t.Errorf("ActiveConversationsOf() = %v, %v; want none", many, err)
				}
				return
			}
			must(t, err, "ActiveConversation")
			if got.ID != want {
				t.Errorf("ActiveConversation().ID = %d, want %d", got.ID, want)
			}
			// Asked with others, the same answer; the stranger's own.
			many, err := s.ActiveConversationsOf(ctx, w.inbox.ID, []care.ID{stranger.ContactID, contact, missingID})
			must(t, err, "ActiveConversationsOf")
			if many[contact] == nil || many[contact].ID != want {
				t.Errorf("ActiveConversationsOf()[contact] = %+v, want conversation %d", many[contact], want)
			} else if d := diff(got, many[contact]); d != "" {
				t.Errorf("ActiveConversationsOf()[contact] mismatch (-ActiveConversation +ActiveConversationsOf):\n%s", d)
			}
			if c := many[stranger.ContactID]; c != nil && c.ContactID != stranger.ContactID {
				t.Errorf("ActiveConversationsOf()[stranger] = %+v, another contact's", c)
			}
			if _, ok := many[missingID]; ok {
				t.Errorf("ActiveConversationsOf() holds the missing contact")
			}
		}

		active(w.conv.ID)
		resolve(w.conv.ID)
		active(0)
		open1 := mustConversation(t, s, newConversation(w.inbox, contact, at(time.Minute)))
		active(open1.ID)
		pending := newConversation(w.inbox, contact, at(2*time.Minute))
		pending.Status = care.StatusPending
		mustConversation(t, s, pending)
		active(pending.ID)
		// Newer, but elsewhere: another inbox, another contact, resolved.
		mustConversation(t, s, newConversation(other, contact, at(3*time.Minute)))
		mustConversation(t, s, newConversation(w.inbox, stranger.ContactID, at(3*time.Minute)))
		done := newConversation(w.inbox, contact, at(3*time.Minute))
		done.Status = care.StatusResolved
		mustConversation(t, s, done)
		active(pending.ID)
		resolve(pending.ID)
		active(open1.ID)
		snoozed := newConversation(w.inbox, contact, at(4*time.Minute))
		snoozed.Status, snoozed.SnoozedUntil = care.StatusSnoozed, ptr(at(time.Hour))
		mustConversation(t, s, snoozed)
		active(snoozed.ID)
	})

	t.Run("Update", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		u := mustUser(t, s, "agent@example.com")
		tm := mustTeam(t, s, w.ws, "Support")
		bystander := mustConversation(t, s, newConversation(w.inbox, w.identity.ContactID, at(0)))

		want := *w.conv
		want.LastActivityAt, want.CreatedAt, want.UpdatedAt = micro(at(0)), micro(at(0)), micro(at(0))
		// Steps run in order, each on the result of the one before; fields an
		// update leaves nil must stay as they were. Tags come back normalised
		// (care.NormalizeTag), without duplicates, sorted. A status other than
		// snoozed clears SnoozedUntil.
		steps := []struct {
			name string
			u    care.ConversationUpdate
			want func(*care.Conversation)
		}{
			// A status other than open ranks 0 with no reasons: nobody is
			// to be answered there (triage.Rank).
			{"Status", care.ConversationUpdate{Status: ptr(care.StatusPending)},
				func(c *care.Conversation) { c.Status, c.Priority, c.PriorityReasons = care.StatusPending, 0, nil }},
			{"Snooze", care.ConversationUpdate{Status: ptr(care.StatusSnoozed), SnoozedUntil: ptr(at(8 * time.Hour))},
				func(c *care.Conversation) { c.Status, c.SnoozedUntil = care.StatusSnoozed, microPtr(at(8*time.Hour)) }},
			{"Assign", care.ConversationUpdate{AssigneeID: ptr(u.ID)},
				func(c *care.Conversation) { c.AssigneeID = u.ID }},
			{"Unassign", care.ConversationUpdate{AssigneeID: ptr(care.ID(0))},
				func(c *care.Conversation) { c.AssigneeID = 0 }},
			{"Team", care.ConversationUpdate{TeamID: ptr(tm.ID), AssigneeID: ptr(u.ID)},
				func(c *care.Conversation) { c.TeamID, c.AssigneeID = tm.ID, u.ID }},
			{"ClearTeam", care.ConversationUpdate{TeamID: ptr(care.ID(0))},
				func(c *care.Conversation) { c.TeamID = 0 }},
			{"TagsNormalised", care.ConversationUpdate{Tags: &[]string{"VIP", " Billing ", "billing", "Ünïcode"}},
				func(c *care.Conversation) { c.Tags = []string{"billing", "vip", "ünïcode"} }},
			{"TagsReplaced", care.ConversationUpdate{Tags: &[]string{"refund"}},
				func(c *care.Conversation) { c.Tags = []string{"refund"} }},
			{"Priority", care.ConversationUpdate{Priority: ptr(72.25), Reasons: &[]string{"waiting 43 min", "12k followers", "negative"}},
				func(c *care.Conversation) {
					c.Priority, c.PriorityReasons = 72.25, []string{"waiting 43 min", "12k followers", "negative"}
				}},
			{"TagsCleared", care.ConversationUpdate{Tags: &[]string{}},
				func(c *care.Conversation) { c.Tags = nil }},
			{"Resolve", care.ConversationUpdate{Status: ptr(care.StatusResolved)},
				func(c *care.Conversation) {
					c.Status, c.SnoozedUntil, c.Priority, c.PriorityReasons = care.StatusResolved, nil, 0, nil
				}},
		}
		for i, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				now := at(time.Duration(i+1) * time.Minute)
				st.want(&want)
				want.UpdatedAt = micro(now)
				got, err := s.UpdateConversation(ctx, w.conv.ID, st.u, now)
				must(t, err, "UpdateConversation")
				if d := diff(&want, got); d != "" {
					t.Errorf("UpdateConversation() mismatch (-want +got):\n%s", d)
				}
				got, err = s.Conversation(ctx, w.conv.ID)
				must(t, err, "Conversation")
				if d := diff(&want, got); d != "" {
					t.Errorf("Conversation() after update mismatch (-want +got):\n%s", d)
				}
			})
		}
		got, err := s.Conversation(ctx, bystander.ID)
		must(t, err, "Conversation(bystander)")
		if got.Status != care.StatusOpen || got.AssigneeID != 0 || len(got.Tags) != 0 || !got.UpdatedAt.Equal(micro(at(0))) {
			t.Errorf("UpdateConversation changed another conversation: %+v", got)
		}
	})

	t.Run("UpdateErrors", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		_, err := s.UpdateConversation(ctx, missingID, care.ConversationUpdate{Status: ptr(care.StatusOpen)}, at(time.Hour))
		wantCode(t, err, care.ENOTFOUND, "UpdateConversation(missing)")

		tooMany := make([]string, care.MaxTagsPerItem+1)
		for i := range tooMany {
			tooMany[i] = fmt.Sprintf("tag-%d", i)
		}
		tests := []struct {
			name string
			u    care.ConversationUpdate
		}{
			{"UnknownStatus", care.ConversationUpdate{Status: ptr(care.Status("closed"))}},
			{"SnoozedWithoutUntil", care.ConversationUpdate{Status: ptr(care.StatusSnoozed)}},
			{"EmptyTag", care.ConversationUpdate{Tags: &[]string{"ok", " "}}},
			{"TagWithComma", care.ConversationUpdate{Tags: &[]string{"a,b"}}},
			{"TagWithControl", care.ConversationUpdate{Tags: &[]string{"a\nb"}}},
			{"TooManyTags", care.ConversationUpdate{Tags: &tooMany}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				// Assignment rides along to show the whole update is refused.
				tt.u.AssigneeID = ptr(care.ID(99))
				_, err := s.UpdateConversation(ctx, w.conv.ID, tt.u, at(time.Hour))
				wantCode(t, err, care.EINVALID, "UpdateConversation(%s)", tt.name)
			})
		}
		want := *w.conv
		want.LastActivityAt, want.CreatedAt, want.UpdatedAt = micro(at(0)), micro(at(0)), micro(at(0))
		got, err := s.Conversation(ctx, w.conv.ID)
		must(t, err, "Conversation")
		if d := diff(&want, got); d != "" {
			t.Errorf("Conversation() after refused updates mismatch (-want +got):\n%s", d)
		}
	})

	t.Run("Link", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		dm := mustInbox(t, s, w.ws, "x-dm")
		private := mustConversation(t, s, newConversation(dm, w.identity.ContactID, at(time.Minute)))
		must(t, s.LinkConversations(ctx, w.conv.ID, private.ID), "LinkConversations")
		for _, c := range []struct{ id, linked care.ID }{{w.conv.ID, private.ID}, {private.ID, w.conv.ID}} {
			got, err := s.Conversation(ctx, c.id)
			must(t, err, "Conversation(%d)", c.id)
			if got.LinkedID != c.linked {
				t.Errorf("Conversation(%d).LinkedID = %d, want %d", c.id, got.LinkedID, c.linked)
			}
		}
		wantCode(t, s.LinkConversations(ctx, w.conv.ID, missingID), care.ENOTFOUND, "LinkConversations(missing private)")
		wantCode(t, s.LinkConversations(ctx, missingID, private.ID), care.ENOTFOUND, "LinkConversations(missing public)")
	})
}

func testSnoozedDue(t *testing.T, open func(t *testing.T) care.Store) {
	s := open(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	var ids []care.ID
	for i, offset := range []time.Duration{-2 * time.Hour, -time.Minute, 0, time.Minute} {
		ws := &care.Workspace{Slug: fmt.Sprintf("w%d", i), Name: "W"}
		if err := s.CreateWorkspace(ctx, ws); err != nil {
			t.Fatal(err)
		}
		in := &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelAPI, Name: "in"}
		if err := s.CreateInbox(ctx, in); err != nil {
			t.Fatal(err)
		}
		id, _, err := s.ResolveIdentity(ctx, ws.ID, care.ChannelAPI, care.Author{PlatformUserID: "u"}, now)
		if err != nil {
			t.Fatal(err)
		}
		until := now.Add(offset)
		c := &care.Conversation{WorkspaceID: ws.ID, InboxID: in.ID, Channel: in.Channel, ContactID: id.ContactID,
			Status: care.StatusSnoozed, SnoozedUntil: &until}
		if err := s.CreateConversation(ctx, c); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	// An open conversation is never due, whatever its old snooze time.
	got, err := s.SnoozedDue(ctx, now, 10)
	if err != nil {
		t.Fatal(err)
	}
	var gotIDs []care.ID
	for _, c := range got {
		gotIDs = append(gotIDs, c.ID)
	}
	if diff := cmp.Diff(ids[:3], gotIDs); diff != "" {
		t.Errorf("SnoozedDue (-want +got):\n%s", diff)
	}
	if got, _ := s.SnoozedDue(ctx, now, 1); len(got) != 1 || got[0].ID != ids[0] {
		t.Errorf("SnoozedDue limit 1 = %+v; want the earliest", got)
	}
}
