package storetest

import (
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// mergeWorld is a winner with one identity and conversation, and a loser with
// one identity, two conversations and an inbound message.
type mergeWorld struct {
	ws                    *care.Workspace
	inX                   *care.Inbox
	winner, loser         *care.Identity
	convW, convL1, convL2 *care.Conversation
	msgL                  *care.Message
}

func mustMergeWorld(t *testing.T, q care.Queries) mergeWorld {
	t.Helper()
	var w mergeWorld
	w.ws = mustWorkspace(t, q, "acme")
	w.inX = mustInbox(t, q, w.ws, care.ChannelX)
	inFB := mustInbox(t, q, w.ws, care.ChannelFacebook)
	w.winner = mustIdentity(t, q, w.ws, "winner")
	w.loser = mustIdentity(t, q, w.ws, "loser")
	w.convW = mustConversation(t, q, newConversation(w.inX, w.winner.ContactID, at(0)))
	w.convL1 = mustConversation(t, q, newConversation(w.inX, w.loser.ContactID, at(time.Minute)))
	w.convL2 = mustConversation(t, q, newConversation(inFB, w.loser.ContactID, at(2*time.Minute)))
	w.msgL = mustMessage(t, q, newMessage(w.convL1, care.DirectionIn, care.Public, at(time.Minute)))
	return w
}

func testMerges(t *testing.T, open opener) {
	t.Run("MergeMovesHistory", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustMergeWorld(t, s)
		winnerID, loserID := w.winner.ContactID, w.loser.ContactID

		m, err := s.MergeContacts(ctx, w.ws.ID, winnerID, loserID, at(time.Hour))
		must(t, err, "MergeContacts")
		if m.ID == 0 {
			t.Error("MergeContacts did not assign an ID")
		}
		want := &care.Merge{ID: m.ID, WorkspaceID: w.ws.ID, WinnerID: winnerID, LoserID: loserID,
			IdentityIDs: []care.ID{w.loser.ID}, ConversationIDs: []care.ID{w.convL1.ID, w.convL2.ID}, CreatedAt: micro(at(time.Hour))}
		if d := diff(want, m); d != "" {
			t.Errorf("MergeContacts() mismatch (-want +got):\n%s", d)
		}

		winner, err := s.Contact(ctx, winnerID)
		must(t, err, "Contact(winner)")
		if d := diff([]care.ID{w.winner.ID, w.loser.ID}, identityIDs(winner)); d != "" {
			t.Errorf("winner's identities mismatch (-want +got):\n%s", d)
		}
		loser, err := s.Contact(ctx, loserID)
		must(t, err, "Contact(loser)")
		if loser.MergedInto != winnerID || len(loser.Identities) != 0 {
			t.Errorf("loser after merge: MergedInto %d, identities %v; want %d and none", loser.MergedInto, identityIDs(loser), winnerID)
		}
		if d := diff([]care.ID{w.convL2.ID, w.convL1.ID, w.convW.ID}, contactConversations(t, s, w.ws.ID, winnerID)); d != "" {
			t.Errorf("winner's conversations mismatch (-want +got):\n%s", d)
		}
		if got := contactConversations(t, s, w.ws.ID, loserID); len(got) != 0 {
			t.Errorf("loser's conversations after merge = %v, want none", got)
		}
		c, err := s.Conversation(ctx, w.convL1.ID)
		must(t, err, "Conversation")
		if c.ContactID != winnerID {
			t.Errorf("Conversation(%d).ContactID = %d, want winner %d", c.ID, c.ContactID, winnerID)
		}
		msg, err := s.Message(ctx, w.msgL.ID)
		must(t, err, "Message")
		if msg.ContactID != winnerID {
			t.Errorf("inbound Message(%d).ContactID = %d, want winner %d", msg.ID, msg.ContactID, winnerID)
		}
		// The loser's author now resolves to the winner.
		ident, created, err := s.ResolveIdentity(ctx, w.ws.ID, care.ChannelX, care.Author{PlatformUserID: "loser"}, at(time.Hour))
		must(t, err, "ResolveIdentity(loser's author)")
		if created || ident.ID != w.loser.ID || ident.ContactID != winnerID {
			t.Errorf("ResolveIdentity(loser's author) = identity %d of contact %d, created %v; want identity %d of contact %d, not created",
				ident.ID, ident.ContactID, created, w.loser.ID, winnerID)
		}
	})

	t.Run("UndoMovesBackWhatMoved", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustMergeWorld(t, s)
		winnerID, loserID := w.winner.ContactID, w.loser.ContactID
		m, err := s.MergeContacts(ctx, w.ws.ID, winnerID, loserID, at(time.Hour))
		must(t, err, "MergeContacts")
		// Written after the merge, so it stays with the winner.
		later := mustConversation(t, s, newConversation(w.inX, winnerID, at(3*time.Minute)))

		got, err := s.UndoMerge(ctx, w.ws.ID, m.ID, at(2*time.Hour))
		must(t, err, "UndoMerge")
		want := &care.Merge{ID: m.ID, WorkspaceID: w.ws.ID, WinnerID: winnerID, LoserID: loserID,
			IdentityIDs: []care.ID{w.loser.ID}, ConversationIDs: []care.ID{w.convL1.ID, w.convL2.ID},
			CreatedAt: micro(at(time.Hour)), UndoneAt: microPtr(at(2 * time.Hour))}
		if d := diff(want, got); d != "" {
			t.Errorf("UndoMerge() mismatch (-want +got):\n%s", d)
		}

		winner, err := s.Contact(ctx, winnerID)
		must(t, err, "Contact(winner)")
		loser, err := s.Contact(ctx, loserID)
		must(t, err, "Contact(loser)")
		if d := diff([]care.ID{w.winner.ID}, identityIDs(winner)); d != "" {
			t.Errorf("winner's identities after undo mismatch (-want +got):\n%s", d)
		}
		if d := diff([]care.ID{w.loser.ID}, identityIDs(loser)); d != "" {
			t.Errorf("loser's identities after undo mismatch (-want +got):\n%s", d)
		}
		if loser.MergedInto != 0 {
			t.Errorf("loser.MergedInto after undo = %d, want 0", loser.MergedInto)
		}
		if d := diff([]care.ID{later.ID, w.convW.ID}, contactConversations(t, s, w.ws.ID, winnerID)); d != "" {
			t.Errorf("winner's conversations after undo mismatch (-want +got):\n%s", d)
		}
		if d := diff([]care.ID{w.convL2.ID, w.convL1.ID}, contactConversations(t, s, w.ws.ID, loserID)); d != "" {
			t.Errorf("loser's conversations after undo mismatch (-want +got):\n%s", d)
		}
		msg, err := s.Message(ctx, w.msgL.ID)
		must(t, err, "Message")
		if msg.ContactID != loserID {
			t.Errorf("inbound Message(%d).ContactID after undo = %d, want loser %d", msg.ID, msg.ContactID, loserID)
		}
	})

	t.Run("UndoTwice", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustMergeWorld(t, s)
		m, err := s.MergeContacts(ctx, w.ws.ID, w.winner.ContactID, w.loser.ContactID, at(time.Hour))
		must(t, err, "MergeContacts")
		_, err = s.UndoMerge(ctx, w.ws.ID, m.ID, at(2*time.Hour))
		must(t, err, "UndoMerge")
		_, err = s.UndoMerge(ctx, w.ws.ID, m.ID, at(3*time.Hour))
		wantCode(t, err, care.ECONFLICT, "UndoMerge(undone)")
		loser, err := s.Contact(ctx, w.loser.ContactID)
		must(t, err, "Contact(loser)")
		if d := diff([]care.ID{w.loser.ID}, identityIDs(loser)); d != "" {
			t.Errorf("loser's identities after a second undo mismatch (-want +got):\n%s", d)
		}
	})

	t.Run("MergeAgainAfterUndo", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustMergeWorld(t, s)
		m, err := s.MergeContacts(ctx, w.ws.ID, w.winner.ContactID, w.loser.ContactID, at(time.Hour))
		must(t, err, "MergeContacts")
		_, err = s.UndoMerge(ctx, w.ws.ID, m.ID, at(2*time.Hour))
		must(t, err, "UndoMerge")
		// The other way round this time.
		m2, err := s.MergeContacts(ctx, w.ws.ID, w.loser.ContactID, w.winner.ContactID, at(3*time.Hour))
		must(t, err, "MergeContacts(again)")
		if m2.ID == m.ID {
			t.Errorf("second merge reused merge ID %d", m.ID)
		}
		if d := diff([]care.ID{w.convW.ID}, m2.ConversationIDs); d != "" {
			t.Errorf("second merge's conversations mismatch (-want +got):\n%s", d)
		}
	})

	t.Run("Invalid", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws, other := mustWorkspace(t, s, "acme"), mustWorkspace(t, s, "other")
		a, b := mustIdentity(t, s, ws, "a"), mustIdentity(t, s, ws, "b")
		c, d := mustIdentity(t, s, ws, "c"), mustIdentity(t, s, ws, "d")
		e := mustIdentity(t, s, other, "e")
		_, err := s.MergeContacts(ctx, ws.ID, c.ContactID, d.ContactID, at(time.Hour))
		must(t, err, "MergeContacts(d into c)")

		tests := []struct {
			name              string
			ws, winner, loser care.ID
		}{
			{"Self", ws.ID, a.ContactID, a.ContactID},
			{"LoserInOtherWorkspace", ws.ID, a.ContactID, e.ContactID},
			{"WinnerInOtherWorkspace", ws.ID, e.ContactID, a.ContactID},
			{"BothInOtherWorkspace", other.ID, a.ContactID, b.ContactID},
			{"LoserAlreadyMerged", ws.ID, a.ContactID, d.ContactID},
			{"WinnerAlreadyMerged", ws.ID, d.ContactID, a.ContactID},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := s.MergeContacts(ctx, tt.ws, tt.winner, tt.loser, at(2*time.Hour))
				wantCode(t, err, care.EINVALID, "MergeContacts(%d, %d, %d)", tt.ws, tt.winner, tt.loser)
			})
		}
		for _, i := range []*care.Identity{a, b, e} {
			got, err := s.Contact(ctx, i.ContactID)
			must(t, err, "Contact")
			if got.MergedInto != 0 || len(got.Identities) != 1 {
				t.Errorf("Contact(%d) after refused merges: MergedInto %d, %d identities; want 0 and 1", got.ID, got.MergedInto, len(got.Identities))
			}
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustMergeWorld(t, s)
		other := mustWorkspace(t, s, "other")
		_, err := s.MergeContacts(ctx, w.ws.ID, w.winner.ContactID, missingID, at(time.Hour))
		wantCode(t, err, care.ENOTFOUND, "MergeContacts(missing loser)")
		m, err := s.MergeContacts(ctx, w.ws.ID, w.winner.ContactID, w.loser.ContactID, at(time.Hour))
		must(t, err, "MergeContacts")
		_, err = s.UndoMerge(ctx, w.ws.ID, missingID, at(2*time.Hour))
		wantCode(t, err, care.ENOTFOUND, "UndoMerge(missing)")
		_, err = s.UndoMerge(ctx, other.ID, m.ID, at(2*time.Hour))
		wantCode(t, err, care.ENOTFOUND, "UndoMerge(other workspace)")
	})
}
