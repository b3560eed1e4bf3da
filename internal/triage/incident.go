package triage

import (
	"fmt"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// An incident is many customers raising one topic at once: an outage, a
// recall, a billing run gone wrong. The priority model's V is "severity/10
// of an open incident the conversation belongs to"; Parley opens one by
// itself when IncidentCustomers different customers raise a topic of
// severity > 0 within IncidentWindow, and every conversation that raises
// the topic while it lasts gets V = the topic's severity. The first
// customers count towards it; their conversations get V with their next
// message. A message sent longer ago than the window (a backfill after
// downtime, a replay) is not counted: many old messages threaded at once
// are no incident.
//
// The count is the process's own: with several nodes on PostgreSQL, each
// counts the messages it threads, so an incident opens later than on one.
const (
	IncidentCustomers = 5
	IncidentWindow    = 30 * time.Minute
	// maxIncidentKeys bounds the topics tracked across workspaces; past it
	// the quietest go.
	maxIncidentKeys = 10_000
)

type incidentKey struct {
	ws    care.ID
	topic string
}

// incidents counts, per workspace and topic, the customers who raised it
// within the window. Its zero value is ready; it is safe for concurrent
// use.
type incidents struct {
	mu   sync.Mutex
	seen map[incidentKey]*raisers
}

// raisers are a topic's customers within the window: when each last raised
// it, and every raise in order, so the ones that leave the window drop off
// the front without reading the rest (a topic at the height of an outage
// has thousands, and every one of their messages asks for the count).
type raisers struct {
	last  map[care.ID]time.Time
	order []raise // order[head:] are within the window
	head  int
}

type raise struct {
	contact care.ID
	at      time.Time
}

// raise records that contact raised topic at now and returns how many
// different customers raised it within IncidentWindow, this one included.
// now does not go back: it is the pipeline's clock.
func (ins *incidents) raise(ws care.ID, topic string, contact care.ID, now time.Time) int {
	ins.mu.Lock()
	defer ins.mu.Unlock()
	k := incidentKey{ws, topic}
	r := ins.seen[k]
	if r == nil {
		if ins.seen == nil {
			ins.seen = map[incidentKey]*raisers{}
		}
		if len(ins.seen) >= maxIncidentKeys {
			ins.prune(now)
		}
		r = &raisers{last: map[care.ID]time.Time{}}
		ins.seen[k] = r
	}
	r.last[contact] = now
	r.order = append(r.order, raise{contact, now})
	r.expire(now)
	return len(r.last)
}

// expire drops the raises older than the window; a customer goes with
// their last one.
func (r *raisers) expire(now time.Time) {
	for r.head < len(r.order) && now.Sub(r.order[r.head].at) > IncidentWindow {
		if old := r.order[r.head]; r.last[old.contact].Equal(old.at) {
			delete(r.last, old.contact)
		}
		r.head++
	}
	// Moved down only once half is spent, so each raise is copied at
	// most about once.
	if r.head > len(r.order)/2 {
		r.order = append(r.order[:0], r.order[r.head:]...)
		r.head = 0
	}
}

// prune drops the topics no one raised within the window, and if that is
// not enough, the rest: a flood of topics must not grow without bound.
func (ins *incidents) prune(now time.Time) {
	for k, r := range ins.seen {
		if newest := r.order[len(r.order)-1].at; now.Sub(newest) > IncidentWindow {
			delete(ins.seen, k)
		}
	}
	if len(ins.seen) >= maxIncidentKeys {
		clear(ins.seen)
	}
}

// incidentReason names an incident on the conversation card.
func incidentReason(topic string, customers int) string {
	return fmt.Sprintf("%s: %d customers in %d min", topic, customers, int(IncidentWindow/time.Minute))
}
