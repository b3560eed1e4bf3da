package webchat

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/inmem"
)

const (
	// watchPage bounds each read of events.
	watchPage = 500
	// watchBuffer is how many bus signals wait before the watcher re-reads
	// the store instead.
	watchBuffer = 256
	// watchRetry is how soon a failed read is tried again.
	watchRetry = 2 * time.Second
)

// watcher follows one workspace's events for the sockets of that
// workspace on this node, and hands each socket the messages of its
// visitor: one read of the store per event however many sockets are open.
//
// Storage is the record and the bus only a signal, as for the agents'
// event stream (package sse): the watcher subscribes before it reads the
// newest event id, so nothing committed after that read can be missed, and
// it reads events back in id order, which on PostgreSQL is commit order.
type watcher struct {
	srv    *Server
	ws     care.ID
	cancel context.CancelFunc

	mu       sync.Mutex
	sessions int
	inboxes  map[care.ID]int
	visitors map[visitorKey]map[*session]struct{}
	convs    map[care.ID]map[*session]struct{}
	// follows is the converse of convs: what each session follows.
	follows map[*session][]care.ID
}

type visitorKey struct {
	inbox   care.ID
	visitor string
}

// attach registers ss with its workspace's watcher, starting one if there
// is none. When it returns, every event committed from then on reaches ss
// (for its visitor, and for the conversations it follows from then on).
func (s *Server) attach(ctx context.Context, ss *session) (*watcher, error) {
	ws := ss.inbox.WorkspaceID
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.watchers[ws]
	if w == nil {
		sub := s.Bus.Subscribe(ws, watchBuffer)
		lctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		last, err := s.Store.LatestEventID(lctx, ws)
		cancel()
		if err != nil {
			sub.Close()
			return nil, fmt.Errorf("webchat: latest event of workspace %d: %w", ws, err)
		}
		wctx, stop := context.WithCancel(s.ctx)
		w = &watcher{srv: s, ws: ws, cancel: stop, inboxes: map[care.ID]int{},
			visitors: map[visitorKey]map[*session]struct{}{}, convs: map[care.ID]map[*session]struct{}{}, follows: map[*session][]care.ID{}}
		s.watchers[ws] = w
		s.wg.Add(1)
		go func() { defer s.wg.Done(); w.run(wctx, sub, last) }()
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.sessions++
	w.inboxes[ss.inbox.ID]++
	addTo(w.visitors, visitorKey{ss.inbox.ID, ss.visitor}, ss)
	return w, nil
}

// detach forgets ss, stopping the watcher with its last socket.
func (s *Server) detach(w *watcher, ss *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w.mu.Lock()
	defer w.mu.Unlock()
	w.sessions--
	if w.inboxes[ss.inbox.ID]--; w.inboxes[ss.inbox.ID] <= 0 {
		delete(w.inboxes, ss.inbox.ID)
	}
	removeFrom(w.visitors, visitorKey{ss.inbox.ID, ss.visitor}, ss)
	for _, id := range w.follows[ss] {
		removeFrom(w.convs, id, ss)
	}
	delete(w.follows, ss)
	if w.sessions == 0 {
		w.cancel()
		delete(s.watchers, w.ws)
	}
}

// follow adds a conversation whose replies ss shows.
func (w *watcher) follow(ss *session, conversationID care.ID) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.followLocked(ss, conversationID)
}

func (w *watcher) followLocked(ss *session, conversationID care.ID) {
	if _, ok := w.convs[conversationID][ss]; ok {
		return
	}
	addTo(w.convs, conversationID, ss)
	w.follows[ss] = append(w.follows[ss], conversationID)
}

func addTo[K comparable](m map[K]map[*session]struct{}, k K, ss *session) {
	if m[k] == nil {
		m[k] = map[*session]struct{}{}
	}
	m[k][ss] = struct{}{}
}

func removeFrom[K comparable](m map[K]map[*session]struct{}, k K, ss *session) {
	delete(m[k], ss)
	if len(m[k]) == 0 {
		delete(m, k)
	}
}

func (w *watcher) run(ctx context.Context, sub *inmem.Subscription, last care.ID) {
	defer sub.Close()
	log := w.srv.logger().With("workspace_id", w.ws)
	var poll <-chan time.Time
	if w.srv.Poll > 0 {
		t := time.NewTicker(w.srv.Poll)
		defer t.Stop()
		poll = t.C
	}
	var retry <-chan time.Time
	backfill := func() error {
		for {
			after := last
			page, err := w.srv.Store.EventsAfter(ctx, w.ws, after, watchPage)
			if err != nil {
				return fmt.Errorf("webchat: events after %d: %w", after, err)
			}
			for _, e := range page {
				last = e.ID
				w.dispatch(ctx, e)
			}
			if len(page) < watchPage || last == after {
				return nil
			}
		}
	}
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-sub.C():
			if !ok {
				return
			}
			drain(sub)
		case <-sub.Lagged():
		case <-poll:
		case <-retry:
		}
		retry = nil
		if err := backfill(); err != nil {
			if ctx.Err() != nil {
				return
			}
			log.Error("webchat: read events; will retry", "err", err)
			retry = time.After(watchRetry)
		}
	}
}

// drain empties the subscription: the read that follows covers it.
func drain(sub *inmem.Subscription) {
	for {
		select {
		case _, ok := <-sub.C():
			if !ok {
				return
			}
		default:
			return
		}
	}
}

// dispatch hands a message event to the sockets it concerns: those
// following its conversation and, for a visitor's own message, the
// visitor's sockets (which learn the conversation from it).
func (w *watcher) dispatch(ctx context.Context, e care.Event) {
	if e.Type != care.EventMessageCreated && e.Type != care.EventMessageUpdated {
		return
	}
	w.mu.Lock()
	wanted := w.inboxes[e.InboxID] > 0
	w.mu.Unlock()
	if !wanted {
		return
	}
	var m care.Message
	if err := json.Unmarshal(e.Data, &m); err != nil || m.ID == 0 || m.ID != e.MessageID {
		// Every writer stores the message as the event's data; read it
		// back should one not have.
		stored, err := w.srv.Store.Message(ctx, e.MessageID)
		if err != nil {
			if ctx.Err() == nil {
				w.srv.logger().Error("webchat: load message of event", "event_id", e.ID, "message_id", e.MessageID, "err", err)
			}
			return
		}
		m = *stored
	}
	var targets []*session
	w.mu.Lock()
	for ss := range w.convs[m.ConversationID] {
		targets = append(targets, ss)
	}
	if m.Direction == care.DirectionIn {
		if v, _, ok := VisitorOf(m.PlatformID); ok {
			for ss := range w.visitors[visitorKey{m.InboxID, v}] {
				if _, dup := w.convs[m.ConversationID][ss]; !dup {
					targets = append(targets, ss)
					// Followed from this event on, not from when the
					// session reads it: a reply in the same batch of
					// events (an automatic answer) must not be missed.
					w.followLocked(ss, m.ConversationID)
				}
			}
		}
	}
	w.mu.Unlock()
	for _, ss := range targets {
		ss.deliver(m)
	}
}
