package inmem

import (
	"sync"

	"github.com/parleyhq/parley/internal/care"
)

// Subscription is one subscriber's view of a Bus: its events and a signal
// that some were dropped.
type Subscription struct {
	bus         *Bus
	workspaceID care.ID
	c           chan care.Event
	lagged      chan struct{}
	closeOnce   sync.Once
}

// C returns the channel events arrive on, in the order they were published.
// It is closed by Close.
func (s *Subscription) C() <-chan care.Event { return s.c }

// Lagged returns a channel that receives a value after the subscription
// dropped at least one event because its buffer was full. Signals coalesce:
// however many events were dropped, one value waits until it is received.
//
// A consumer receives the signal before it re-reads storage after its last
// handled id. Any event dropped after that receive raises the signal again,
// so a drop can never fall between the re-read and the signal.
func (s *Subscription) Lagged() <-chan struct{} { return s.lagged }

// Close stops delivery and closes C. It is safe to call more than once.
func (s *Subscription) Close() {
	s.closeOnce.Do(func() {
		s.bus.unsubscribe(s)
		// No Publish can still hold s once unsubscribe has returned, so
		// closing the channel cannot race a send.
		close(s.c)
	})
}

func (s *Subscription) deliver(e care.Event) {
	select {
	case s.c <- e:
		return
	default:
	}
	s.stale()
}

// stale raises the Lagged signal; signals coalesce.
func (s *Subscription) stale() {
	select {
	case s.lagged <- struct{}{}:
	default:
	}
}
