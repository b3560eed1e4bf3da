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
// message.
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
	seen map[incidentKey]map[care.ID]time.Time
}

// raise records that contact raised topic at now and returns how many
// different customers raised it within IncidentWindow, this one included.
func (ins *incidents) raise(ws care.ID, topic string, contact care.ID, now time.Time) int {
	ins.mu.Lock()
	defer ins.mu.Unlock()
	k := incidentKey{ws, topic}
	m := ins.seen[k]
	if m == nil {
		if ins.seen == nil {
			ins.seen = map[incidentKey]map[care.ID]time.Time{}
		}
		if len(ins.seen) >= maxIncidentKeys {
			ins.prune(now)
		}
		m = map[care.ID]time.Time{}
		ins.seen[k] = m
	}
	m[contact] = now
	n := 0
	for c, at := range m {
		if now.Sub(at) > IncidentWindow {
			delete(m, c)
			continue
		}
		n++
	}
	return n
}

// prune drops the topics no one raised within the window, and if that is
// not enough, the rest: a flood of topics must not grow without bound.
func (ins *incidents) prune(now time.Time) {
	for k, m := range ins.seen {
		quiet := true
		for _, at := range m {
			if now.Sub(at) <= IncidentWindow {
				quiet = false
				break
			}
		}
		if quiet {
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
