package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

func testUpdate(t *testing.T, open opener) {
	t.Run("CommitsOnSuccess", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		var ws *care.Workspace
		must(t, s.Update(ctx, func(q care.Queries) error {
			ws = mustWorkspace(t, q, "inside")
			mustInbox(t, q, ws, care.ChannelX)
			return nil
		}), "Update")
		if _, err := s.WorkspaceBySlug(ctx, "inside"); err != nil {
			t.Errorf("WorkspaceBySlug after a committed Update: %v", err)
		}
		got, err := s.Inboxes(ctx, ws.ID)
		must(t, err, "Inboxes")
		if len(got) != 1 {
			t.Errorf("Inboxes() after a committed Update = %d inboxes, want 1", len(got))
		}
	})

	t.Run("RollsBackOnError", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		errStop := errors.New("stop")
		err := s.Update(ctx, func(q care.Queries) error {
			mustWorkspace(t, q, "inside")
			mustUser(t, q, "inside@example.com")
			mustMessage(t, q, newMessage(w.conv, care.DirectionIn, care.Public, at(time.Minute)))
			if _, err := q.UpdateConversation(ctx, w.conv.ID, care.ConversationUpdate{Status: ptr(care.StatusResolved)}, at(time.Minute)); err != nil {
				return err
			}
			if err := q.AppendEvent(ctx, &care.Event{WorkspaceID: w.ws.ID, Type: care.EventMessageCreated, CreatedAt: at(time.Minute)}); err != nil {
				return err
			}
			return errStop
		})
		if !errors.Is(err, errStop) {
			t.Fatalf("Update() = %v, want the error fn returned", err)
		}
		_, err = s.WorkspaceBySlug(ctx, "inside")
		wantCode(t, err, care.ENOTFOUND, "WorkspaceBySlug(rolled back)")
		_, err = s.UserByEmail(ctx, "inside@example.com")
		wantCode(t, err, care.ENOTFOUND, "UserByEmail(rolled back)")
		c, err := s.Conversation(ctx, w.conv.ID)
		must(t, err, "Conversation")
		if c.MessageCount != 0 || c.Status != care.StatusOpen || c.WaitingSince != nil {
			t.Errorf("Conversation() after rollback: count %d, status %q, waiting %v; want 0, open, nil", c.MessageCount, c.Status, c.WaitingSince)
		}
		if msgs, err := s.Messages(ctx, w.conv.ID, 0, 10); err != nil || len(msgs) != 0 {
			t.Errorf("Messages() after rollback = %d messages, %v; want none", len(msgs), err)
		}
		if id, err := s.LatestEventID(ctx, w.ws.ID); err != nil || id != 0 {
			t.Errorf("LatestEventID() after rollback = %d, %v; want 0", id, err)
		}
	})

	t.Run("ReadsSeeWrites", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		must(t, s.Update(ctx, func(q care.Queries) error {
			w := mustWorld(t, q, "inside")
			if _, err := q.WorkspaceBySlug(ctx, "inside"); err != nil {
				t.Errorf("WorkspaceBySlug inside Update: %v", err)
			}
			m := mustMessage(t, q, newMessage(w.conv, care.DirectionIn, care.Public, at(time.Minute)))
			c, err := q.Conversation(ctx, w.conv.ID)
			if err != nil {
				return err
			}
			if c.MessageCount != 1 {
				t.Errorf("Conversation().MessageCount inside Update = %d, want 1", c.MessageCount)
			}
			msgs, err := q.Messages(ctx, w.conv.ID, 0, 10)
			if err != nil {
				return err
			}
			if len(msgs) != 1 || msgs[0].ID != m.ID {
				t.Errorf("Messages() inside Update = %v, want message %d", msgs, m.ID)
			}
			p, err := q.Conversations(ctx, care.ConversationFilter{WorkspaceID: w.ws.ID, Limit: 10})
			if err != nil {
				return err
			}
			if d := diff([]care.ID{w.conv.ID}, ids(p.Conversations)); d != "" {
				t.Errorf("Conversations() inside Update mismatch (-want +got):\n%s", d)
			}
			return nil
		}), "Update")
	})

	t.Run("ErrorCodeKept", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		mustWorkspace(t, s, "taken")
		tests := []struct {
			name string
			fn   func(q care.Queries) error
			code string
		}{
			{"Returned", func(q care.Queries) error {
				mustWorkspace(t, q, "inside-1")
				return care.Errorf(care.EFORBIDDEN, "No.")
			}, care.EFORBIDDEN},
			{"FromStore", func(q care.Queries) error {
				mustWorkspace(t, q, "inside-2")
				return q.CreateWorkspace(ctx, &care.Workspace{Slug: "taken", Name: "Again", CreatedAt: at(0)})
			}, care.ECONFLICT},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				wantCode(t, s.Update(ctx, tt.fn), tt.code, "Update()")
			})
		}
		got, err := s.Workspaces(ctx)
		must(t, err, "Workspaces")
		if len(got) != 1 {
			t.Errorf("Workspaces() after failed updates = %v, want only %q", got, "taken")
		}
	})

	t.Run("PanicRollsBack", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		func() {
			defer func() { _ = recover() }()
			err := s.Update(ctx, func(q care.Queries) error {
				mustWorkspace(t, q, "inside")
				panic("boom")
			})
			// An adapter may turn the panic into an error instead.
			if err == nil {
				t.Error("Update(fn that panics) = nil, want a panic or an error")
			}
		}()
		_, err := s.WorkspaceBySlug(ctx, "inside")
		wantCode(t, err, care.ENOTFOUND, "WorkspaceBySlug(after a panic)")
		// The store is still usable: the transaction did not stay open.
		must(t, s.Update(ctx, func(q care.Queries) error {
			mustWorkspace(t, q, "after")
			return nil
		}), "Update(after a panic)")
	})

	t.Run("LockContact", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		must(t, s.Update(ctx, func(q care.Queries) error {
			if err := q.LockContact(ctx, w.identity.ContactID); err != nil {
				return err
			}
			// Locking twice in one transaction is harmless.
			if err := q.LockContact(ctx, w.identity.ContactID); err != nil {
				return err
			}
			mustMessage(t, q, newMessage(w.conv, care.DirectionIn, care.Public, at(time.Minute)))
			return nil
		}), "Update(LockContact)")
		// The lock ends with the transaction.
		must(t, s.Update(ctx, func(q care.Queries) error { return q.LockContact(ctx, w.identity.ContactID) }), "Update(LockContact again)")
	})
}
