package ingest_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/testdb"
)

// react is a reaction by Ana to message target ("" emoji takes it back).
func react(id, target, emoji string) care.Inbound {
	return care.Inbound{Kind: care.KindReaction, PlatformID: id, ReplyToPlatformID: target, Text: emoji,
		Author: care.Author{PlatformUserID: "ana", DisplayName: "Ana"}}
}

// TestReactionBeforeItsMessage: a reaction may reach Parley before the
// message it reacts to, when the message's first delivery failed and the
// platform sent it again. It is then put on the message when the message is
// stored, in the inbox the reaction came to only, and only within the days
// such a report is kept; a replay comes to the same.
func TestReactionBeforeItsMessage(t *testing.T) {
	msg := func(id string) care.Inbound {
		return care.Inbound{Kind: care.KindMessage, PlatformID: id, Text: "my order never came"}
	}
	for _, tc := range []struct {
		name    string
		steps   []step
		later   time.Duration // the time between the steps and the last
		want    []string      // the message's reactions
		updates int           // message.updated events
	}{
		{name: "message then reaction", steps: []step{{0, msg("m1"), true}, {0, react("r1", "m1", "👍"), true}},
			want: []string{"👍"}, updates: 1},
		{name: "message then reaction in one pass", steps: []step{{0, msg("m1"), false}, {0, react("r1", "m1", "👍"), true}},
			want: []string{"👍"}, updates: 1},
		{name: "reaction then message", steps: []step{{0, react("r1", "m1", "👍"), true}, {0, msg("m1"), true}},
			want: []string{"👍"}, updates: 1},
		{name: "reaction then message in one pass", steps: []step{{0, react("r1", "m1", "👍"), false}, {0, msg("m1"), true}},
			want: []string{"👍"}, updates: 1},
		{name: "reaction changed then message", steps: []step{{0, react("r1", "m1", "👍"), true}, {0, react("r2", "m1", "❤"), true},
			{0, msg("m1"), true}}, want: []string{"❤"}, updates: 1},
		{name: "reaction taken back then message", steps: []step{{0, react("r1", "m1", "👍"), true}, {0, react("r2", "m1", ""), true},
			{0, msg("m1"), true}}, want: nil, updates: 1},
		{name: "reaction in another inbox", steps: []step{{1, react("r1", "m1", "👍"), true}, {0, msg("m1"), true}}, want: nil},
		{name: "reaction to another message", steps: []step{{0, react("r1", "m2", "👍"), true}, {0, msg("m1"), true}}, want: nil},
		{name: "reaction too old", steps: []step{{0, react("r1", "m1", "👍"), true}, {0, msg("m1"), true}},
			later: 8 * 24 * time.Hour, want: nil},
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
					var got []string
					for _, r := range m.Reactions {
						got = append(got, r.Emoji)
					}
					if diff := cmp.Diff(tc.want, got); diff != "" {
						t.Errorf("%s: reactions (-want +got):\n%s", when, diff)
					}
					if pending, _ := s.PendingRaw(ctx, 10); len(pending) != 0 {
						t.Errorf("%s: %d raw events still pending", when, len(pending))
					}
				}
				check("threaded")
				updated := f.updates()
				if updated != tc.updates {
					t.Errorf("%d message.updated events; want %d", updated, tc.updates)
				}
				// A replay of everything (parley replay) comes to the same.
				f.replay(t)
				check("replayed")
			})
		})
	}
}

// TestReactionBeforeItsMessageOneByOne: the same when a bad event in the
// pass has the events threaded one by one.
func TestReactionBeforeItsMessageOneByOne(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		bad := care.Inbound{InboxID: 9999, Channel: care.ChannelAPI, PlatformID: "x", Visibility: care.Private,
			Author: care.Author{PlatformUserID: "ghost"}, Text: "inbox is gone"}
		if _, err := s.AppendRaw(ctx, []care.RawEvent{{InboxID: 9999, WorkspaceID: f.ws.ID, DedupeKey: bad.DedupeKey(), Inbound: bad}}); err != nil {
			t.Fatal(err)
		}
		f.store1(t, 0, react("r1", "m1", "👍"))
		f.store1(t, 0, care.Inbound{Kind: care.KindMessage, PlatformID: "m1", Text: "my order never came"})
		f.drain(t)
		m, err := s.MessageByPlatformID(ctx, f.inboxes[0].ID, "m1")
		if err != nil || len(m.Reactions) != 1 || m.Reactions[0].Emoji != "👍" {
			t.Errorf("message m1 = %+v, %v; want stored with the 👍", m, err)
		}
	})
}

// TestReactionBeforeItsMessageStoredAfter: with several nodes, a message's
// raw event may take its id before its reaction's and be committed after
// it, so the reaction is threaded first, though stored after the message.
// It is applied all the same.
func TestReactionBeforeItsMessageStoredAfter(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		start := f.now
		f.store1(t, 0, care.Inbound{Kind: care.KindMessage, PlatformID: "m1", Text: "my order never came"})
		pending, err := s.PendingRaw(ctx, 10)
		if err != nil || len(pending) != 1 {
			t.Fatalf("PendingRaw = %v, %v; want the message", pending, err)
		}
		// Not committed yet, as far as the pipeline can tell.
		if err := s.MarkRawProcessed(ctx, pending[0].ID, f.now, ""); err != nil {
			t.Fatal(err)
		}
		f.now = start.Add(-time.Hour)
		f.store1(t, 0, react("r1", "m1", "👍"))
		f.drain(t)
		if _, err := s.ResetRaw(ctx, f.inboxes[0].ID, pending[0].ReceivedAt); err != nil {
			t.Fatal(err)
		}
		f.drain(t)
		m, err := s.MessageByPlatformID(ctx, f.inboxes[0].ID, "m1")
		if err != nil || len(m.Reactions) != 1 || m.Reactions[0].Emoji != "👍" {
			t.Errorf("message m1 = %+v, %v; want stored with the 👍", m, err)
		}
	})
}
