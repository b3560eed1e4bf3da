package outbox

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/testlog"
)

// gatedStore holds the loading of every message but one until open is
// closed, so that other sends of a pass are still to begin when it opens.
type gatedStore struct {
	*fakeStore
	free care.ID
	open chan struct{}
}

func (s *gatedStore) Message(ctx context.Context, id care.ID) (*care.Message, error) {
	if id != s.free {
		<-s.open
	}
	return s.fakeStore.Message(ctx, id)
}

// Entries a stopping worker leased but had not begun go back to the outbox:
// another node sends them at its next pass, not once the lease has run out.
// The send under way still finishes.
func TestShutdownReleasesEntriesNotBegun(t *testing.T) {
	for _, tc := range []struct {
		name        string
		concurrency int
	}{
		// The others wait for the one slot when shutdown begins.
		{"waiting for a slot", 1},
		// The others have slots, and are loading when shutdown begins.
		{"loading", 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.addReply(43)
			f.addReply(44)
			f.w.Concurrency = tc.concurrency
			shutdown := make(chan struct{})
			f.w.Store = &gatedStore{fakeStore: f.store, free: 42, open: shutdown}
			log, lines := testlog.Lines("count")
			f.w.Logger = log
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			api, _ := f.w.Senders.Sender(care.ChannelAPI)
			var mu sync.Mutex
			var sent []care.ID
			withSender(f, senderFunc(func(sctx context.Context, out channel.Outbound) (channel.Result, error) {
				mu.Lock()
				sent = append(sent, out.Message.ID)
				mu.Unlock()
				if out.Message.ID == 42 {
					cancel() // shutdown begins while the first reply goes out
					close(shutdown)
				}
				return api.Send(sctx, out)
			}))

			n, err := f.w.RunOnce(ctx)
			if n != 3 || err != nil {
				t.Fatalf("RunOnce = %d, %v; want 3 leased and no error", n, err)
			}
			if len(sent) != 1 {
				t.Fatalf("sent %v, want only 42: the others had not begun when shutdown came", sent)
			}
			f.checkStatus(42, care.DeliverySent, "", "ext-1")
			for _, id := range []care.ID{2, 3} {
				e, ok := f.store.entry(id)
				if !ok || e.LeasedUntil != nil || e.Attempts != 0 {
					t.Errorf("entry %d = %+v, %v; want it in the outbox, unleased, no attempt counted", id, e, ok)
				}
			}

			if got := lines(); !slices.Contains(got, "INFO outbox entries released at shutdown count=2") {
				t.Errorf("logged %q, want the two released entries counted", got)
			}

			// Another node, at the same moment: both are due to it now.
			f.w.Store = f.store
			f.runOnce(2)
			f.checkRequests(3)
			f.checkStatus(43, care.DeliverySent, "", "ext-1")
			f.checkStatus(44, care.DeliverySent, "", "ext-1")
		})
	}
}
