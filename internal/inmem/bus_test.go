package inmem

import (
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/parleyhq/parley/internal/care"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func event(id, workspaceID care.ID) care.Event {
	return care.Event{ID: id, WorkspaceID: workspaceID, Type: care.EventMessageCreated}
}

// drain returns what is buffered on s without waiting.
func drain(s *Subscription) []care.ID {
	var ids []care.ID
	for {
		select {
		case e := <-s.C():
			ids = append(ids, e.ID)
		default:
			return ids
		}
	}
}

func lagged(s *Subscription) bool {
	select {
	case <-s.Lagged():
		return true
	default:
		return false
	}
}

func TestPublishOnlyToWorkspace(t *testing.T) {
	b := NewBus()
	one := b.Subscribe(1, 10)
	defer one.Close()
	alsoOne := b.Subscribe(1, 10)
	defer alsoOne.Close()
	two := b.Subscribe(2, 10)
	defer two.Close()

	b.Publish(event(1, 1), event(2, 2), event(3, 1))
	b.Publish()

	for _, tc := range []struct {
		name string
		sub  *Subscription
		want []care.ID
	}{
		{"workspace 1", one, []care.ID{1, 3}},
		{"workspace 1 again", alsoOne, []care.ID{1, 3}},
		{"workspace 2", two, []care.ID{2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, drain(tc.sub)); diff != "" {
				t.Errorf("received ids (-want +got):\n%s", diff)
			}
			if lagged(tc.sub) {
				t.Errorf("Lagged signalled without a dropped event")
			}
		})
	}
}

func TestPublishDropsAndSignalsWhenFull(t *testing.T) {
	b := NewBus()
	s := b.Subscribe(1, 2)
	defer s.Close()

	done := make(chan struct{})
	go func() {
		defer close(done)
		for id := care.ID(1); id <= 5; id++ {
			b.Publish(event(id, 1))
		}
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Publish blocked on a full subscriber")
	}

	if diff := cmp.Diff([]care.ID{1, 2}, drain(s)); diff != "" {
		t.Errorf("received ids (-want +got):\n%s", diff)
	}
	if !lagged(s) {
		t.Fatal("Lagged not signalled after a drop")
	}
	if lagged(s) {
		t.Error("Lagged signalled twice for one run of drops")
	}

	b.Publish(event(6, 1))
	if diff := cmp.Diff([]care.ID{6}, drain(s)); diff != "" {
		t.Errorf("after catching up, received ids (-want +got):\n%s", diff)
	}
	if lagged(s) {
		t.Error("Lagged signalled without a new drop")
	}
}

// Stale signals the workspace's subscribers, once however often it is
// called, and hands them no event: they re-read the store instead.
func TestStaleSignalsWorkspaceOnly(t *testing.T) {
	b := NewBus()
	one := b.Subscribe(1, 10)
	defer one.Close()
	two := b.Subscribe(2, 10)
	defer two.Close()

	b.Stale(1)
	b.Stale(1)
	b.Stale(3) // nobody follows workspace 3

	if !lagged(one) {
		t.Fatal("workspace 1's subscriber was not told its workspace is stale")
	}
	if lagged(one) {
		t.Error("two Stale calls before a read signalled twice")
	}
	if ids := drain(one); len(ids) != 0 {
		t.Errorf("Stale delivered events %v", ids)
	}
	if lagged(two) {
		t.Error("workspace 2's subscriber was signalled for workspace 1")
	}
}

func TestSubscribeRaisesBufferToOne(t *testing.T) {
	b := NewBus()
	s := b.Subscribe(1, 0)
	defer s.Close()
	b.Publish(event(1, 1))
	if diff := cmp.Diff([]care.ID{1}, drain(s)); diff != "" {
		t.Errorf("received ids (-want +got):\n%s", diff)
	}
}

func TestCloseStopsDelivery(t *testing.T) {
	b := NewBus()
	s := b.Subscribe(1, 10)
	other := b.Subscribe(1, 10)
	defer other.Close()

	s.Close()
	s.Close() // idempotent
	b.Publish(event(1, 1))

	if _, ok := <-s.C(); ok {
		t.Error("C delivered after Close, want closed channel")
	}
	if diff := cmp.Diff([]care.ID{1}, drain(other)); diff != "" {
		t.Errorf("other subscriber received (-want +got):\n%s", diff)
	}

	other.Close()
	b.mu.RLock()
	n := len(b.subs)
	b.mu.RUnlock()
	if n != 0 {
		t.Errorf("bus holds %d workspaces after every subscriber closed, want 0", n)
	}
}

// TestConcurrentUse is for the race detector: publishers, subscribers and
// closers all at once, with each subscriber seeing its events in order.
func TestConcurrentUse(t *testing.T) {
	b := NewBus()
	var wg sync.WaitGroup
	for w := care.ID(1); w <= 4; w++ {
		wg.Go(func() {
			for id := care.ID(1); id <= 500; id++ {
				b.Publish(event(id, w))
			}
		})
		wg.Go(func() {
			for range 50 {
				s := b.Subscribe(w, 8)
				var last care.ID
				for range 4 {
					select {
					case e := <-s.C():
						if e.WorkspaceID != w {
							t.Errorf("subscriber of workspace %d got event of workspace %d", w, e.WorkspaceID)
						}
						if e.ID <= last {
							t.Errorf("event %d arrived after %d", e.ID, last)
						}
						last = e.ID
					case <-s.Lagged():
					default:
					}
				}
				s.Close()
			}
		})
	}
	wg.Wait()
}
