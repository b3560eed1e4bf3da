// Package inmem is Parley's in-process event bus, for a single node.
//
// The bus carries notifications, not the record: storage appends every event
// in the same transaction as the change it describes, and the writer publishes
// to the bus only after that transaction commits. A subscriber that falls
// behind therefore loses nothing it cannot get back; the bus drops what does
// not fit in its buffer, says so, and the subscriber re-reads storage from the
// last event id it handled.
package inmem

import (
	"sync"

	"github.com/parleyhq/parley/internal/care"
)

// Bus fans events out to the live subscribers of their workspace. The zero
// value is not usable; call NewBus. A Bus is safe for concurrent use.
type Bus struct {
	mu   sync.RWMutex
	subs map[care.ID]map[*Subscription]struct{}
}

// NewBus returns an empty bus.
func NewBus() *Bus {
	return &Bus{subs: make(map[care.ID]map[*Subscription]struct{})}
}

// Publish hands each event to every subscriber of the event's workspace. It
// never waits for a subscriber: one whose buffer is full misses the event and
// is told so through Subscription.Lagged.
//
// Call Publish after the events are committed, and in the order of their ids:
// subscribers treat an id as a cursor and skip anything at or below the last
// one they handled, so an event published after a higher id is never seen live.
func (b *Bus) Publish(events ...care.Event) {
	// The read lock is held across the sends so that Close, which takes the
	// write lock, cannot close a channel a send is about to use.
	b.mu.RLock()
	defer b.mu.RUnlock()
	for _, e := range events {
		for s := range b.subs[e.WorkspaceID] {
			s.deliver(e)
		}
	}
}

// Stale tells every subscriber of the workspace that the store holds events
// it was not given, because another node wrote them. Each is signalled
// through Subscription.Lagged, as after a drop, and re-reads the store after
// the last id it handled: the events then arrive in id order, whatever the
// order in which the nodes committed and announced them.
func (b *Bus) Stale(workspaceID care.ID) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	for s := range b.subs[workspaceID] {
		s.stale()
	}
}

// Subscribe registers a subscriber for one workspace's events, buffering up
// to buffer of them (at least one). The caller must Close the subscription.
func (b *Bus) Subscribe(workspaceID care.ID, buffer int) *Subscription {
	s := &Subscription{
		bus:         b,
		workspaceID: workspaceID,
		c:           make(chan care.Event, max(buffer, 1)),
		lagged:      make(chan struct{}, 1),
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.subs[workspaceID] == nil {
		b.subs[workspaceID] = make(map[*Subscription]struct{})
	}
	b.subs[workspaceID][s] = struct{}{}
	return s
}

func (b *Bus) unsubscribe(s *Subscription) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.subs[s.workspaceID], s)
	if len(b.subs[s.workspaceID]) == 0 {
		delete(b.subs, s.workspaceID)
	}
}
