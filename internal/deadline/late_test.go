package deadline_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/testdb"
	"github.com/parleyhq/parley/internal/triage"
)

// TestFirstRankHasTheSLA: the priority stored when a message is threaded is
// the one the recompute gives at the same instant, SLA and all. A message
// delivered long after it was sent (a webhook retried after an outage) was
// first ranked against the 60-minute default, "waiting 8 d 8 h" for
// thousands of points, and a minute later by its SLA.
func TestFirstRankHasTheSLA(t *testing.T) {
	const settings = `{"policies":[{"id":1,"name":"Social","match":{"channels":["x"]},"first_response":"15m"}]}`
	for _, tt := range []struct {
		name     string
		settings string
		late     time.Duration
		lead     string // the first reason as threaded
		has      string // another
	}{
		{"on time", settings, 0, "delivery", "SLA due in 15 min"},
		// Nearly all of the SLA is used (the wait runs from the message,
		// the SLA from its arrival): the deadline leads.
		{"delivered 200 h late", settings, 200 * time.Hour, "SLA due in 15 min", "waiting 8 d 8 h"},
		// Without an SLA the wait is measured against the default target,
		// at ingest as at the recompute.
		{"delivered late, no SLA", `{"policies":[]}`, 200 * time.Hour, "waiting 8 d 8 h", "delivery"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := testdb.SQLite(t)
			w := newWorld(t, s, tt.settings)
			tr := &triage.Triager{Store: s}
			w.p.Triage = tr
			ctx := t.Context()

			c := w.postSent(t, "ana", "my order never arrived", w.now.Add(-tt.late))
			if len(c.PriorityReasons) == 0 || c.PriorityReasons[0] != tt.lead || !slices.Contains(c.PriorityReasons, tt.has) {
				t.Errorf("reasons as threaded = %q, want %q first and %q", c.PriorityReasons, tt.lead, tt.has)
			}
			// The recompute at the same instant changes nothing.
			if _, changed, err := tr.Recompute(ctx, s, w.now); err != nil || changed != 0 {
				t.Errorf("recompute at ingest: %d changed, %v; want 0 (threaded P%v %q)", changed, err, c.Priority, c.PriorityReasons)
			}
			if tt.settings == settings && c.Priority > 100 {
				t.Errorf("threaded priority %v; want it measured against the SLA", c.Priority)
			}
			// A minute later it has moved by a minute's wait, not by
			// thousands of points.
			if _, _, err := tr.Recompute(ctx, s, w.now.Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
			after := w.conv(t, c.ID)
			if d := after.Priority - c.Priority; d < 0 || d > 5 {
				t.Errorf("a minute later P%v %q, threaded P%v %q: want a small rise", after.Priority, after.PriorityReasons, c.Priority, c.PriorityReasons)
			}
		})
	}
}

// postSent threads a customer message sent at sent, received now.
func (w *world) postSent(t *testing.T, author, text string, sent time.Time) *care.Conversation {
	t.Helper()
	w.n++
	in := care.Inbound{InboxID: w.inbox.ID, Channel: care.ChannelX, PlatformID: fmt.Sprintf("p%d", w.n), Visibility: care.Public,
		Author: care.Author{PlatformUserID: author}, Text: text, SentAt: sent}
	ctx := context.Background()
	if _, err := w.s.AppendRaw(ctx, []care.RawEvent{{InboxID: w.inbox.ID, WorkspaceID: w.ws.ID, DedupeKey: in.DedupeKey(),
		Payload: []byte(text), Inbound: in, ReceivedAt: w.now}}); err != nil {
		t.Fatal(err)
	}
	for {
		n, err := w.p.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	m, err := w.s.MessageByPlatformID(ctx, w.inbox.ID, in.PlatformID)
	if err != nil {
		t.Fatal(err)
	}
	return w.conv(t, m.ConversationID)
}
