package ingest_test

import (
	"context"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/testdb"
)

// store1 appends in to inbox as the committer would, without threading it.
func (f *fixture) store1(t *testing.T, inbox int, in care.Inbound) {
	t.Helper()
	in.InboxID, in.Channel = f.inboxes[inbox].ID, care.ChannelAPI
	if in.Kind == care.KindMessage {
		in.Visibility, in.Author, in.SentAt = care.Private, care.Author{PlatformUserID: "ana", DisplayName: "Ana"}, f.now
	}
	f.now = f.now.Add(time.Minute)
	if err := in.Validate(); err != nil {
		t.Fatalf("invalid test event: %v", err)
	}
	if _, err := f.store.AppendRaw(context.Background(), []care.RawEvent{{InboxID: in.InboxID, WorkspaceID: f.ws.ID,
		DedupeKey: in.DedupeKey(), Inbound: in, ReceivedAt: f.now}}); err != nil {
		t.Fatal(err)
	}
}

// TestDeletionBeforeItsMessage: a platform may deliver the deletion of a
// message (an Instagram unsend, a removed comment, a WhatsApp revoke) before
// the message, when the message's first delivery failed and was sent again.
// The message is then stored deleted, as in the usual order, in the inbox the
// deletion came to only, and only within the days a deletion is kept.
func TestDeletionBeforeItsMessage(t *testing.T) {
	del := func(id string) care.Inbound { return care.Inbound{Kind: care.KindDelete, PlatformID: id} }
	msg := func(id string) care.Inbound {
		return care.Inbound{Kind: care.KindMessage, PlatformID: id, Text: "oops wrong chat"}
	}
	for _, tc := range []struct {
		name    string
		steps   []step
		later   time.Duration // the time between the steps and the message
		deleted bool
	}{
		{name: "message then deletion", steps: []step{{0, msg("m1"), true}, {0, del("m1"), true}}, deleted: true},
		{name: "deletion then message", steps: []step{{0, del("m1"), true}, {0, msg("m1"), true}}, deleted: true},
		{name: "deletion then message in one pass", steps: []step{{0, del("m1"), false}, {0, msg("m1"), true}}, deleted: true},
		{name: "deletion in another inbox", steps: []step{{1, del("m1"), true}, {0, msg("m1"), true}}, deleted: false},
		{name: "deletion of another message", steps: []step{{0, del("m2"), true}, {0, msg("m1"), true}}, deleted: false},
		{name: "deletion too old", steps: []step{{0, del("m1"), true}, {0, msg("m1"), true}}, later: 8 * 24 * time.Hour, deleted: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			testdb.Each(t, func(t *testing.T, s care.Store) {
				ctx := context.Background()
				f := newFixture(t, s)
				f.arrive(t, tc.steps, tc.later, f.store1)
				check := func(when string) {
					t.Helper()
					m, err := s.MessageByPlatformID(ctx, f.inboxes[0].ID, "m1")
					if err != nil {
						t.Fatalf("%s: message: %v", when, err)
					}
					if got := m.DeletedAt != nil; got != tc.deleted || m.Text == "" {
						t.Errorf("%s: deleted = %v, text %q; want deleted = %v, text kept", when, got, m.Text, tc.deleted)
					}
					if pending, _ := s.PendingRaw(ctx, 10); len(pending) != 0 {
						t.Errorf("%s: %d raw events still pending", when, len(pending))
					}
					msgs, _ := s.Messages(ctx, m.ConversationID, 0, 10)
					if len(msgs) != 1 {
						t.Errorf("%s: %d messages; want 1", when, len(msgs))
					}
				}
				check("threaded")
				// What the deletion tells listeners, in either order.
				updated := f.updates()
				if want := map[bool]int{true: 1, false: 0}[tc.deleted]; updated != want {
					t.Errorf("%d message.updated events; want %d", updated, want)
				}
				// A replay of everything (parley replay) comes to the same.
				f.replay(t)
				check("replayed")
			})
		})
	}
}

// TestDeletionWithoutItsMessage: a deletion whose message never comes is
// done with, stores nothing, and holds nothing up.
func TestDeletionWithoutItsMessage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		f.store1(t, 0, care.Inbound{Kind: care.KindDelete, PlatformID: "ghost"})
		f.store1(t, 0, care.Inbound{Kind: care.KindMessage, PlatformID: "m1", Text: "hello"})
		f.drain(t)
		if pending, _ := s.PendingRaw(ctx, 10); len(pending) != 0 {
			t.Errorf("%d raw events still pending", len(pending))
		}
		if _, err := s.MessageByPlatformID(ctx, f.inboxes[0].ID, "ghost"); care.ErrorCode(err) != care.ENOTFOUND {
			t.Errorf("message ghost: %v; want not found", err)
		}
		if m, err := s.MessageByPlatformID(ctx, f.inboxes[0].ID, "m1"); err != nil || m.DeletedAt != nil {
			t.Errorf("message m1 = %+v, %v; want stored, not deleted", m, err)
		}
	})
}

// TestDeletionBeforeItsMessageOneByOne: the same when a bad event in the
// pass has the events threaded one by one.
func TestDeletionBeforeItsMessageOneByOne(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		bad := care.Inbound{InboxID: 9999, Channel: care.ChannelAPI, PlatformID: "x", Visibility: care.Private,
			Author: care.Author{PlatformUserID: "ghost"}, Text: "inbox is gone"}
		if _, err := s.AppendRaw(ctx, []care.RawEvent{{InboxID: 9999, WorkspaceID: f.ws.ID, DedupeKey: bad.DedupeKey(), Inbound: bad}}); err != nil {
			t.Fatal(err)
		}
		f.store1(t, 0, care.Inbound{Kind: care.KindDelete, PlatformID: "m1"})
		f.store1(t, 0, care.Inbound{Kind: care.KindMessage, PlatformID: "m1", Text: "oops wrong chat"})
		f.drain(t)
		if m, err := s.MessageByPlatformID(ctx, f.inboxes[0].ID, "m1"); err != nil || m.DeletedAt == nil {
			t.Errorf("message m1 = %+v, %v; want stored deleted", m, err)
		}
	})
}
