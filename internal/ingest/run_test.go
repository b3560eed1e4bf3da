package ingest_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/testdb"
)

// TestRunThreadsEverythingCommitted wires the committer and the pipeline as
// parley serve does: each commit wakes the pipeline, which polls too seldom
// to matter here. A pass that was not full is not followed by another until
// the next wake, so every event committed while a pass runs must still be
// threaded, by the pass its own commit's wake starts.
func TestRunThreadsEverythingCommitted(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		f := newFixture(t, s)
		wake := make(chan struct{}, 1)
		c := ingest.NewCommitter(s, 16)
		c.Committed = func([]care.AppendResult) {
			select {
			case wake <- struct{}{}:
			default:
			}
		}
		f.p.Wake, f.p.Poll, f.p.Batch = wake, time.Hour, 8
		go c.Run(ctx)
		done := make(chan struct{})
		go func() { f.p.Run(ctx); close(done) }()

		const writers, each = 8, 25
		var wg sync.WaitGroup
		for w := range writers {
			wg.Go(func() {
				for i := range each {
					id := fmt.Sprintf("w%d-%d", w, i)
					in := care.Inbound{InboxID: f.inboxes[0].ID, Channel: care.ChannelAPI, PlatformID: id, Visibility: care.Private,
						Author: care.Author{PlatformUserID: fmt.Sprint("author", w), DisplayName: "Author"}, Text: "message " + id, SentAt: f.now}
					if _, err := c.Append(ctx, care.RawEvent{InboxID: in.InboxID, WorkspaceID: f.ws.ID, DedupeKey: in.DedupeKey(),
						Payload: []byte(id), Inbound: in, ReceivedAt: f.now}); err != nil {
						t.Errorf("Append(%s): %v", id, err)
					}
				}
			})
		}
		wg.Wait()

		deadline := time.Now().Add(30 * time.Second)
		for {
			pending, err := s.PendingRaw(ctx, 1)
			if err != nil {
				t.Fatal(err)
			}
			if len(pending) == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("raw event %d still pending: a commit's events were not threaded", pending[0].ID)
			}
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
		<-done
		for w := range writers {
			conv := f.conversationOf(t, 0, fmt.Sprintf("w%d-0", w))
			if conv.MessageCount != each {
				t.Errorf("author%d's conversation has %d messages, want %d", w, conv.MessageCount, each)
			}
		}
		if err := c.Close(context.Background()); err != nil {
			t.Error(err)
		}
	})
}
