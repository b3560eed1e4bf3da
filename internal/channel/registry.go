package channel

import (
	"fmt"
	"slices"
	"sync"

	"github.com/parleyhq/parley/internal/care"
)

// Registry maps channels to their adapters. An adapter is registered once,
// as its Sender; whatever else it implements (Webhook, Poller, Policy,
// Moderator, Setup, Capable) is found through the same registration. The zero
// Registry is empty and ready to use; it is safe for concurrent use.
type Registry struct {
	mu      sync.RWMutex
	senders map[care.Channel]Sender
}

// Register makes s the sender for ch. Like database/sql.Register, it panics
// if s is nil, ch is not a valid channel name, or ch already has a sender:
// each is a wiring mistake best caught at start-up.
func (r *Registry) Register(ch care.Channel, s Sender) {
	if s == nil {
		panic(fmt.Sprintf("channel: Register of nil sender for %q", ch))
	}
	if !ch.Valid() {
		panic(fmt.Sprintf("channel: Register of invalid channel name %q", ch))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.senders[ch]; dup {
		panic(fmt.Sprintf("channel: Register called twice for %q", ch))
	}
	if r.senders == nil {
		r.senders = make(map[care.Channel]Sender)
	}
	r.senders[ch] = s
}

// Sender returns the sender registered for ch. A nil Registry has none.
func (r *Registry) Sender(ch care.Channel) (Sender, bool) {
	if r == nil {
		return nil, false
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	s, ok := r.senders[ch]
	return s, ok
}

// Channels lists the channels with an adapter, sorted.
func (r *Registry) Channels() []care.Channel {
	if r == nil {
		return nil
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]care.Channel, 0, len(r.senders))
	for ch := range r.senders {
		out = append(out, ch)
	}
	slices.Sort(out)
	return out
}

// Webhook returns ch's adapter if it receives pushes.
func (r *Registry) Webhook(ch care.Channel) (Webhook, bool) { return as[Webhook](r, ch) }

// Poller returns ch's adapter if it polls.
func (r *Registry) Poller(ch care.Channel) (Poller, bool) { return as[Poller](r, ch) }

// Notifier returns ch's adapter if it notifies of new arrivals.
func (r *Registry) Notifier(ch care.Channel) (Notifier, bool) { return as[Notifier](r, ch) }

// Streamer returns ch's adapter if it follows accounts over a stream.
func (r *Registry) Streamer(ch care.Channel) (Streamer, bool) { return as[Streamer](r, ch) }

// Searcher returns ch's adapter if it searches public posts, for
// listening.
func (r *Registry) Searcher(ch care.Channel) (Searcher, bool) { return as[Searcher](r, ch) }

// Policy returns ch's adapter if it checks replies.
func (r *Registry) Policy(ch care.Channel) (Policy, bool) { return as[Policy](r, ch) }

// HistoryPolicy returns ch's adapter if it checks replies against the
// customer's other conversations.
func (r *Registry) HistoryPolicy(ch care.Channel) (HistoryPolicy, bool) {
	return as[HistoryPolicy](r, ch)
}

// Moderator returns ch's adapter if it moderates comments.
func (r *Registry) Moderator(ch care.Channel) (Moderator, bool) { return as[Moderator](r, ch) }

// MediaFetcher returns ch's adapter if it fetches customers' files.
func (r *Registry) MediaFetcher(ch care.Channel) (MediaFetcher, bool) { return as[MediaFetcher](r, ch) }

// Setup returns ch's adapter if it has connection instructions.
func (r *Registry) Setup(ch care.Channel) (Setup, bool) { return as[Setup](r, ch) }

func as[T any](r *Registry, ch care.Channel) (T, bool) {
	var zero T
	s, ok := r.Sender(ch)
	if !ok {
		return zero, false
	}
	v, ok := s.(T)
	return v, ok
}
