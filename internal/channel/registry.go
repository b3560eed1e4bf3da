package channel

import (
	"fmt"
	"sync"

	"github.com/parleyhq/parley/internal/care"
)

// Registry maps channels to their senders. The zero Registry is empty and
// ready to use; it is safe for concurrent use.
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
