// Package sse streams a workspace's events to browsers as server-sent events.
//
// Storage is the record; the bus only brings news of it sooner. A stream
// subscribes to the bus before it reads storage, so every event committed
// after the read is also waiting on the subscription; it then skips any event
// whose id is at or below the last one it handled. Together that gives no gap
// and no duplicate between the backfill and the live tail, and the same
// re-read repairs a subscription that overflowed. It relies on events being
// published in id order (see inmem.Bus.Publish).
package sse

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/inmem"
)

// Source is where a stream reads events it did not see live. care.Store
// satisfies it.
type Source interface {
	// EventsAfter returns up to limit events of the workspace with an id
	// above afterID, in id order.
	EventsAfter(ctx context.Context, workspaceID, afterID care.ID, limit int) ([]care.Event, error)
}

// Latest is implemented by a Source that can name a workspace's newest event,
// as care.Store does. A stream uses it to start a client that brings no
// Last-Event-ID at the present moment without racing the bus.
type Latest interface {
	// LatestEventID returns the newest event id of the workspace, 0 if none.
	LatestEventID(ctx context.Context, workspaceID care.ID) (care.ID, error)
}

const (
	defaultHeartbeat = 15 * time.Second
	// pageSize bounds each read from Source, so a client resuming from far
	// back does not pull its whole history into memory at once.
	pageSize = 500
	// liveBuffer is how many events may wait for a slow client before the
	// subscription drops them and the stream falls back to Source.
	liveBuffer    = 256
	defaultMaxAge = 10 * time.Minute
	// retryMillis is the reconnection delay browsers are told to use.
	retryMillis = 3000
)

// Stream serves event streams. Source and Bus are required; the other fields
// may be left zero.
type Stream struct {
	Source Source
	Bus    *inmem.Bus
	// Heartbeat is how often an idle stream sends a comment, so proxies and
	// load balancers do not close it and dead clients are noticed. Default 15s.
	Heartbeat time.Duration
	// Filter, when set, decides which events this client may see (the
	// caller's visibility rules). An event it rejects still advances the
	// stream's position.
	Filter func(care.Event) bool
	// Logger receives errors that end a stream. Default slog.Default().
	Logger *slog.Logger
	// Poll, when positive, re-reads Source at this interval even without a
	// live event: with several nodes sharing a database, events committed
	// on another node reach this node's clients that way.
	Poll time.Duration
	// Signals, when set, subscribes the stream to a workspace's ephemeral
	// signals (who is viewing or typing), sent as frames without an id:
	// they are not stored, so a resumed stream does not replay them.
	Signals func(workspaceID care.ID) (<-chan Signal, func())
	// Conversations looks up the conversation of an event, for streams
	// limited to a scope (see ServeScoped). When nil, Source is used if it
	// implements Conversations, as care.Store does.
	Conversations Conversations
	// MaxAge ends a stream after this long (default 10 minutes); the
	// client reconnects with its Last-Event-ID and authenticates again.
	// The caller's rights are read when a stream starts, so this bounds
	// how long a deleted token, an ended session or a user's new partner
	// team goes unnoticed by an open stream. Negative: no limit.
	MaxAge time.Duration
}

// EventReset is the type of the frame a stream sends first to a client whose
// position is past the workspace's newest event, as when the database was
// restored from a backup while a browser stayed open: the events it saw are
// gone, and those stored next will reuse their ids. The frame's id is the
// newest event's, so the client's next reconnection resumes from there, and
// the client should fetch afresh whatever it shows. Its data is resetData.
const EventReset care.EventType = "reset"

// resetData is the data of a reset frame.
type resetData struct {
	Type        care.EventType `json:"type"`
	LastEventID care.ID        `json:"last_event_id"`   // the position the client asked for
	NewestID    care.ID        `json:"newest_event_id"` // where the stream goes on from
}

// Signal is an ephemeral event: a type and its JSON data.
type Signal struct {
	Type care.EventType
	Data []byte
}

// drain empties the subscription's buffer: the backfill that follows reads
// every event it held.
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

// Serve streams the workspace's events to w until the request's context ends
// or a write fails. The caller has already authorised the request.
//
// The client's position comes from the Last-Event-ID header (sent by browsers
// when they reconnect) or else the last_event_id query parameter, a decimal
// event id; Serve sends every event after it. A client that sends neither, or
// a value that is not a non-negative decimal integer, gets only events newer
// than the workspace's newest at connection time: an unreadable position
// cannot be resumed faithfully, and replaying the whole history to a client
// that cannot say where it stopped would be worse than starting afresh.
//
// A position past the workspace's newest event cannot be resumed either:
// waiting for the ids to catch up would send nothing for as long. The client
// gets an EventReset frame and then the events after the newest. Both checks
// need a Source that implements Latest; without it, a missing position starts
// at the first live event and a position from the future is taken as given.
//
// A Source read that fails ends the stream; the client reconnects with its
// Last-Event-ID and loses nothing.
func (s *Stream) Serve(w http.ResponseWriter, r *http.Request, workspaceID care.ID) {
	s.ServeScoped(w, r, workspaceID, nil)
}

// ServeScoped is Serve for a caller limited to a scope (a member of a
// partner team); a nil scope sees the whole workspace, as Serve does.
//
// A scoped stream delivers only the events of conversations the scope sees.
// Events replayed from before the stream started (a client resuming from
// its Last-Event-ID) are judged by their conversation as it is now, looked
// up once per conversation and remembered: REST answers 404 for a
// conversation since moved out of the scope's teams, and its history is
// not replayed either. Events from then on are judged as each is reached: a
// conversation.* event carries its conversation and decides for it and
// those after it, so a conversation moved into the scope's teams starts
// streaming and one moved out stops; other events' conversations are looked
// up once and remembered. Events of no conversation (contact merges) are
// withheld, and so are signals that name no conversation the scope sees.
// The reset frame is sent as to anyone: it carries only event ids.
func (s *Stream) ServeScoped(w http.ResponseWriter, r *http.Request, workspaceID care.ID, scope *care.Scope) {
	ctx := r.Context()
	log := s.Logger
	if log == nil {
		log = slog.Default()
	}
	log = log.With("workspace_id", workspaceID)

	// Subscribe before reading anything from Source: an event committed
	// after that read is then certain to be on the subscription.
	sub := s.Bus.Subscribe(workspaceID, liveBuffer)
	defer sub.Close()

	last, resume := requestedEventID(r)
	// Without a cursor there is nothing to backfill from, and a lag cannot
	// be repaired until the first live event supplies one.
	haveCursor := resume
	if !resume {
		if l, ok := s.Source.(Latest); ok {
			id, err := l.LatestEventID(ctx, workspaceID)
			if err != nil {
				s.logEnd(ctx, log, fmt.Errorf("sse: latest event id: %w", err))
				http.Error(w, "Event stream unavailable.", http.StatusServiceUnavailable)
				return
			}
			last, haveCursor = id, true
		}
	}

	fw := newFrameWriter(w, s.heartbeat())
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	// nginx buffers proxied responses unless told otherwise.
	h.Set("X-Accel-Buffering", "no")
	if err := fw.retry(retryMillis); err != nil {
		s.logEnd(ctx, log, err)
		return
	}
	// Without Latest, the first backfill is taken for the replay.
	replayTo := care.ID(math.MaxInt64)
	if !resume {
		replayTo = last
	}
	if l, ok := s.Source.(Latest); ok && resume {
		// Checked once the stream is open, so that a failed read ends it
		// like any other and the client comes back with its Last-Event-ID.
		newest, err := resetPast(ctx, log, fw, l, workspaceID, &last)
		if err != nil {
			s.logEnd(ctx, log, err)
			return
		}
		replayTo = newest
	}

	var scoped *scopeFilter
	if scope != nil {
		lookup := s.Conversations
		if lookup == nil {
			lookup, _ = s.Source.(Conversations)
		}
		scoped = newScopeFilter(scope, workspaceID, lookup)
		scoped.replayTo = replayTo
	}
	send := func(e care.Event) error {
		if e.ID <= last {
			return nil
		}
		if scoped != nil {
			// Judged before the position moves: a lookup that fails ends
			// the stream, and the event is judged again on resuming.
			ok, err := scoped.event(ctx, e)
			if err == nil && ok {
				err = scoped.hideLink(ctx, &e)
			}
			if err != nil {
				return err
			}
			if !ok {
				last, haveCursor = e.ID, true
				return nil
			}
		}
		last, haveCursor = e.ID, true
		if s.Filter != nil && !s.Filter(e) {
			return nil
		}
		data, err := json.Marshal(e)
		if err != nil {
			// Ending the stream would not help: the client would resume
			// just before this event and fail on it again.
			log.Error("sse: skip event", "event_id", e.ID, "err", err)
			return nil
		}
		return fw.event(e.ID, e.Type, data)
	}
	backfill := func() error {
		for {
			after := last
			page, err := s.Source.EventsAfter(ctx, workspaceID, after, pageSize)
			if err != nil {
				return fmt.Errorf("sse: events after %d: %w", after, err)
			}
			for _, e := range page {
				if err := send(e); err != nil {
					return err
				}
			}
			// A full page that did not move the cursor would be read
			// again forever.
			if len(page) < pageSize || last == after {
				return nil
			}
		}
	}

	if haveCursor {
		if err := backfill(); err != nil {
			s.logEnd(ctx, log, err)
			return
		}
	}
	if scoped != nil {
		// The replay is over: what comes next is judged as it comes.
		scoped.replayTo = min(scoped.replayTo, last)
	}
	ticker := time.NewTicker(s.heartbeat())
	defer ticker.Stop()
	var expire <-chan time.Time
	if age := s.maxAge(); age > 0 {
		t := time.NewTimer(age)
		defer t.Stop()
		expire = t.C
	}
	var poll <-chan time.Time
	if s.Poll > 0 {
		pt := time.NewTicker(s.Poll)
		defer pt.Stop()
		poll = pt.C
	}
	// lagged survives until there is a cursor to re-read from. Without Latest
	// that is the first live event: a drop means the buffer was full, so one
	// is already waiting, and every dropped event has a higher id than it.
	lagged := false
	var signals <-chan Signal
	if s.Signals != nil {
		ch, stop := s.Signals(workspaceID)
		defer stop()
		signals = ch
	}
	for {
		var err error
		select {
		case <-ctx.Done():
			return
		case <-expire:
			return
		case sig, ok := <-signals:
			if !ok {
				signals = nil
				break
			}
			if scoped != nil && !scoped.signal(ctx, sig) {
				break
			}
			err = fw.signal(sig.Type, sig.Data)
		case e, ok := <-sub.C():
			if !ok {
				return
			}
			if !haveCursor {
				err = send(e)
				break
			}
			// A live event is only a signal: publishers in different
			// goroutines may publish out of id order, so the events are
			// read back from Source, where ids are visible in order.
			drain(sub)
			err = backfill()
		case <-poll:
			if haveCursor {
				err = backfill()
			}
		case <-sub.Lagged():
			lagged = true
		case <-ticker.C:
			err = fw.ping()
		}
		if err == nil && lagged && haveCursor {
			lagged = false
			err = backfill()
		}
		if err != nil {
			s.logEnd(ctx, log, err)
			return
		}
	}
}

// resetPast moves a position past the workspace's newest event back to the
// newest, telling the client with an EventReset frame. It returns the
// newest event id.
func resetPast(ctx context.Context, log *slog.Logger, fw *frameWriter, latest Latest, workspaceID care.ID, last *care.ID) (care.ID, error) {
	newest, err := latest.LatestEventID(ctx, workspaceID)
	if err != nil {
		return 0, fmt.Errorf("sse: latest event id: %w", err)
	}
	if *last <= newest {
		return newest, nil
	}
	log.InfoContext(ctx, "sse: a client's position is past the newest event; it starts again from the newest",
		"last_event_id", *last, "newest_event_id", newest)
	data, err := json.Marshal(resetData{Type: EventReset, LastEventID: *last, NewestID: newest})
	if err != nil {
		return 0, fmt.Errorf("sse: reset frame: %w", err)
	}
	*last = newest
	return newest, fw.event(newest, EventReset, data)
}

func (s *Stream) maxAge() time.Duration {
	if s.MaxAge == 0 {
		return defaultMaxAge
	}
	return s.MaxAge
}

func (s *Stream) heartbeat() time.Duration {
	if s.Heartbeat <= 0 {
		return defaultHeartbeat
	}
	return s.Heartbeat
}

// logEnd records why a stream ended. Clients leave all the time, so a failed
// write is routine; a failed read from Source is not.
func (s *Stream) logEnd(ctx context.Context, log *slog.Logger, err error) {
	var we *writeError
	switch {
	case ctx.Err() != nil:
	case errors.As(err, &we):
		log.Debug("sse: stream ended", "err", err)
	default:
		log.Error("sse: stream ended", "err", err)
	}
}
