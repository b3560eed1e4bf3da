package storetest

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

func testEvents(t *testing.T, open opener) {
	t.Run("AppendAndList", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		other := mustWorkspace(t, s, "other")
		evs := []*care.Event{
			{WorkspaceID: w.ws.ID, Type: care.EventConversationCreated, ConversationID: w.conv.ID, InboxID: w.inbox.ID, CreatedAt: at(0)},
			{WorkspaceID: other.ID, Type: care.EventContactMerged, Data: json.RawMessage(`{"winner_id":1}`), CreatedAt: at(time.Second)},
			{WorkspaceID: w.ws.ID, Type: care.EventMessageCreated, ConversationID: w.conv.ID, MessageID: 7, InboxID: w.inbox.ID,
				Data: json.RawMessage(`{"text":"caf\u00e9 🙂","n":[1,2,3]}`), CreatedAt: at(2 * time.Second)},
			{WorkspaceID: w.ws.ID, Type: care.EventConversationUpdated, ConversationID: w.conv.ID, CreatedAt: at(3 * time.Second)},
		}
		var last care.ID
		for i, e := range evs {
			must(t, s.AppendEvent(ctx, e), "AppendEvent(%d)", i)
			if e.ID <= last {
				t.Fatalf("AppendEvent(%d) assigned ID %d after %d, want increasing IDs", i, e.ID, last)
			}
			last = e.ID
		}
		stored := func(es ...*care.Event) []care.Event {
			var out []care.Event
			for _, e := range es {
				c := *e
				c.CreatedAt = micro(e.CreatedAt)
				out = append(out, c)
			}
			return out
		}
		tests := []struct {
			name  string
			ws    care.ID
			after care.ID
			limit int
			want  []care.Event
		}{
			{"All", w.ws.ID, 0, 100, stored(evs[0], evs[2], evs[3])},
			{"Limit", w.ws.ID, 0, 2, stored(evs[0], evs[2])},
			{"After", w.ws.ID, evs[0].ID, 1, stored(evs[2])},
			{"AfterOtherWorkspacesEvent", w.ws.ID, evs[1].ID, 100, stored(evs[2], evs[3])},
			{"AfterLast", w.ws.ID, evs[3].ID, 100, nil},
			{"OtherWorkspace", other.ID, 0, 100, stored(evs[1])},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := s.EventsAfter(ctx, tt.ws, tt.after, tt.limit)
				must(t, err, "EventsAfter")
				if d := diff(tt.want, got); d != "" {
					t.Errorf("EventsAfter(%d, %d, %d) mismatch (-want +got):\n%s", tt.ws, tt.after, tt.limit, d)
				}
				for _, e := range got {
					checkUTC(t, "Event.CreatedAt", e.CreatedAt)
				}
			})
		}
	})

	t.Run("LatestEventID", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws, other, quiet := mustWorkspace(t, s, "acme"), mustWorkspace(t, s, "other"), mustWorkspace(t, s, "quiet")
		latest := func(ws care.ID, want care.ID) {
			t.Helper()
			got, err := s.LatestEventID(ctx, ws)
			must(t, err, "LatestEventID")
			if got != want {
				t.Errorf("LatestEventID(%d) = %d, want %d", ws, got, want)
			}
		}
		latest(ws.ID, 0)
		a := &care.Event{WorkspaceID: ws.ID, Type: care.EventConversationCreated, CreatedAt: at(0)}
		b := &care.Event{WorkspaceID: other.ID, Type: care.EventConversationCreated, CreatedAt: at(0)}
		c := &care.Event{WorkspaceID: ws.ID, Type: care.EventConversationUpdated, CreatedAt: at(0)}
		for _, e := range []*care.Event{a, b, c} {
			must(t, s.AppendEvent(ctx, e), "AppendEvent")
		}
		latest(ws.ID, c.ID)
		latest(other.ID, b.ID)
		latest(quiet.ID, 0)
	})
}

func testAudit(t *testing.T, open opener) {
	t.Run("AppendAndList", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws, other := mustWorkspace(t, s, "acme"), mustWorkspace(t, s, "other")
		entries := []*care.AuditEntry{
			{WorkspaceID: ws.ID, Actor: "user:4", Action: "conversation.assign", Target: "conversation:12", Details: json.RawMessage(`{"assignee_id":4}`), CreatedAt: at(0)},
			{WorkspaceID: ws.ID, Actor: "token:2", Action: "inbox.update", Target: "inbox:3", CreatedAt: at(time.Second)},
			{WorkspaceID: other.ID, Actor: "system", Action: "conversation.assign", Target: "conversation:12", CreatedAt: at(time.Second)},
			{WorkspaceID: ws.ID, Actor: "rule:7", Action: "conversation.tag", Target: "conversation:12", Details: json.RawMessage(`{"tags":["vip"]}`), CreatedAt: at(2 * time.Second)},
		}
		for i, a := range entries {
			must(t, s.AppendAudit(ctx, a), "AppendAudit(%d)", i)
			if a.ID == 0 {
				t.Fatalf("AppendAudit(%d) did not assign an ID", i)
			}
		}
		stored := func(as ...*care.AuditEntry) []care.AuditEntry {
			var out []care.AuditEntry
			for _, a := range as {
				c := *a
				c.CreatedAt = micro(a.CreatedAt)
				out = append(out, c)
			}
			return out
		}
		tests := []struct {
			name   string
			ws     care.ID
			target string
			limit  int
			want   []care.AuditEntry
		}{
			{"Target", ws.ID, "conversation:12", 100, stored(entries[3], entries[0])},
			{"TargetLimit", ws.ID, "conversation:12", 1, stored(entries[3])},
			{"AllTargets", ws.ID, "", 100, stored(entries[3], entries[1], entries[0])},
			{"AllTargetsLimit", ws.ID, "", 2, stored(entries[3], entries[1])},
			{"OtherWorkspace", other.ID, "", 100, stored(entries[2])},
			{"TargetIsExact", ws.ID, "conversation:1", 100, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := s.Audit(ctx, tt.ws, tt.target, tt.limit)
				must(t, err, "Audit")
				if d := diff(tt.want, got); d != "" {
					t.Errorf("Audit(%d, %q, %d) mismatch (-want +got):\n%s", tt.ws, tt.target, tt.limit, d)
				}
				for _, a := range got {
					checkUTC(t, "AuditEntry.CreatedAt", a.CreatedAt)
				}
			})
		}
	})
}

// AppendEvents stores a batch in order with increasing ids, interleaved
// correctly with single appends, and across its internal chunks.
func testAppendEvents(t *testing.T, open opener) {
	s, ctx := open(t), t.Context()
	w := mustWorld(t, s, "batch")
	first := &care.Event{WorkspaceID: w.ws.ID, Type: care.EventConversationCreated, CreatedAt: at(0)}
	must(t, s.AppendEvent(ctx, first), "AppendEvent")
	batch := make([]care.Event, 450)
	for i := range batch {
		batch[i] = care.Event{WorkspaceID: w.ws.ID, Type: care.EventMessageCreated, MessageID: care.ID(i + 1),
			Data: json.RawMessage(fmt.Sprintf(`{"n":%d}`, i)), CreatedAt: at(time.Duration(i) * time.Millisecond)}
	}
	must(t, s.AppendEvents(ctx, batch), "AppendEvents")
	last := &care.Event{WorkspaceID: w.ws.ID, Type: care.EventConversationUpdated, CreatedAt: at(time.Second)}
	must(t, s.AppendEvent(ctx, last), "AppendEvent")
	must(t, s.AppendEvents(ctx, nil), "AppendEvents(none)")

	got, err := s.EventsAfter(ctx, w.ws.ID, 0, 1000)
	must(t, err, "EventsAfter")
	if len(got) != 452 || got[0].ID != first.ID || got[451].ID != last.ID {
		t.Fatalf("EventsAfter: %d events, want 452 with the batch between the single ones", len(got))
	}
	for i, e := range got[1:451] {
		if e.ID != batch[i].ID || e.MessageID != care.ID(i+1) || string(e.Data) != fmt.Sprintf(`{"n":%d}`, i) || e.ID <= got[i].ID {
			t.Fatalf("event %d = %+v, want batch[%d] (id %d) in order", i+1, e, i, batch[i].ID)
		}
	}
}
