// Package poll fetches events for accounts without webhooks, and from
// platforms that have no push at all, and follows the streams of those that
// push over a long-lived connection. Every node may run it: a lease in the
// database lets one node at a time poll an inbox or follow its stream. One
// loop per polled inbox asks the
// channel's adapter for what is new since the saved cursor, stores the
// events durably, and only then saves the new cursor: a crash between the
// two fetches some events again, and deduplication makes that harmless.
package poll

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/faillog"
	"github.com/parleyhq/parley/internal/webhook"
)

// CursorName is the name under which an inbox's poll position is saved.
const CursorName = "poll"

// Store is what the runner needs of storage.
type Store interface {
	Workspaces(ctx context.Context) ([]care.Workspace, error)
	Inboxes(ctx context.Context, workspaceID care.ID) ([]care.Inbox, error)
	Inbox(ctx context.Context, id care.ID) (*care.Inbox, error)
	InboxByExternalID(ctx context.Context, workspaceID care.ID, channel care.Channel, externalID string) (*care.Inbox, error)
	InboxCursor(ctx context.Context, inboxID care.ID, name string) (string, error)
	SetInboxCursor(ctx context.Context, inboxID care.ID, name, value string, now time.Time) error
	RecordInboxHealth(ctx context.Context, inboxID care.ID, h care.HealthUpdate) error
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration, now time.Time) (bool, error)
	ReleaseLease(ctx context.Context, name, holder string) error
	Setting(ctx context.Context, workspaceID care.ID, name string) ([]byte, error)
	AddListenPosts(ctx context.Context, posts []care.ListenPost) (int, error)
	PruneListenPosts(ctx context.Context, workspaceID care.ID, before time.Time, limit int) (int, error)
}

// Ingester stores events durably.
type Ingester interface {
	AppendAll(ctx context.Context, evs []care.RawEvent) ([]care.AppendResult, error)
}

// Runner keeps one poll loop per polled inbox.
type Runner struct {
	Store    Store
	Adapters *channel.Registry
	Ingest   Ingester
	Logger   *slog.Logger
	Now      func() time.Time
	// Rescan is how often the list of inboxes is read again, to start
	// loops for new inboxes and stop those of removed ones (default 15s,
	// so a newly connected account is polled within seconds).
	Rescan time.Duration
	// Holder names this node in the leases that let one node of several
	// poll an inbox or follow its stream; "" means care.NodeName().
	Holder string

	mu      sync.Mutex
	loops   map[care.ID]context.CancelFunc
	wakes   map[care.ID]chan struct{}
	streams map[care.ID]context.CancelFunc
	search  map[care.ID]context.CancelFunc
	rounds  map[care.ID]int
	pruned  time.Time // when found posts past their retention were last deleted
}

// Wake asks the inbox's poll loop to poll at once; it never blocks.
func (r *Runner) Wake(inboxID care.ID) {
	r.mu.Lock()
	c := r.wakes[inboxID]
	r.mu.Unlock()
	if c != nil {
		select {
		case c <- struct{}{}:
		default:
		}
	}
}

func (r *Runner) holder() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Holder == "" {
		r.Holder = care.NodeName()
	}
	return r.Holder
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Runner) logger() *slog.Logger {
	if r.Logger != nil {
		return r.Logger
	}
	return slog.Default()
}

// Run polls until ctx ends. The workspaces or inboxes failing to list the
// same way scan after scan, as while the database is down, is logged when
// it starts, once a minute while it lasts, and when it ends.
func (r *Runner) Run(ctx context.Context) {
	rescan := r.Rescan
	if rescan <= 0 {
		rescan = 15 * time.Second
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	t := time.NewTicker(rescan)
	defer t.Stop()
	fails := scanFailures{
		workspaces: &faillog.Log{Logger: r.logger(), What: "poll: list workspaces"},
		inboxes:    &faillog.Log{Logger: r.logger(), What: "poll: list inboxes"},
	}
	for {
		r.scan(ctx, &wg, fails)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// scanFailures tells of the scan's two lists failing, each on its own.
type scanFailures struct{ workspaces, inboxes *faillog.Log }

// scan starts a loop for each polled inbox that has none and stops loops
// whose inbox is gone or no longer polled.
func (r *Runner) scan(ctx context.Context, wg *sync.WaitGroup, fails scanFailures) {
	want, streams, search := map[care.ID]bool{}, map[care.ID]bool{}, map[care.ID]bool{}
	wss, err := r.Store.Workspaces(ctx)
	if err != nil {
		if ctx.Err() == nil {
			fails.workspaces.Failed(r.now(), err)
		}
		return
	}
	fails.workspaces.OK(r.now())
	r.pruneFound(ctx, wss)
	for _, ws := range wss {
		ins, err := r.Store.Inboxes(ctx, ws.ID)
		if err != nil {
			if ctx.Err() == nil {
				fails.inboxes.Failed(r.now(), fmt.Errorf("workspace %d: %w", ws.ID, err))
			}
			return
		}
		for _, in := range ins {
			if p, ok := r.Adapters.Poller(in.Channel); ok && p.PollInterval(in) > 0 {
				want[in.ID] = true
			}
			if st, ok := r.Adapters.Streamer(in.Channel); ok && st.Streaming(in) {
				streams[in.ID] = true
			}
			if se, ok := r.Adapters.Searcher(in.Channel); ok && se.SearchInterval(in) > 0 {
				search[in.ID] = true
			}
		}
	}
	fails.inboxes.OK(r.now())
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.loops == nil {
		r.loops = map[care.ID]context.CancelFunc{}
	}
	if r.wakes == nil {
		r.wakes = map[care.ID]chan struct{}{}
	}
	for id, stop := range r.loops {
		if !want[id] {
			stop()
			delete(r.loops, id)
			delete(r.wakes, id)
		}
	}
	for id := range want {
		if _, running := r.loops[id]; running {
			continue
		}
		lctx, stop := context.WithCancel(ctx)
		wake := make(chan struct{}, 1)
		r.loops[id], r.wakes[id] = stop, wake
		wg.Add(2)
		go func() {
			defer wg.Done()
			r.loop(lctx, id, wake)
		}()
		go func() {
			defer wg.Done()
			r.notify(lctx, id)
		}()
	}
	r.keep(ctx, wg, &r.streams, streams, r.stream)
	r.keep(ctx, wg, &r.search, search, r.searchLoop)
}

// keep runs fn in a goroutine for each id of want that has none in
// running, and stops those of running that want no longer has.
func (r *Runner) keep(ctx context.Context, wg *sync.WaitGroup, running *map[care.ID]context.CancelFunc, want map[care.ID]bool, fn func(context.Context, care.ID)) {
	if *running == nil {
		*running = map[care.ID]context.CancelFunc{}
	}
	for id, stop := range *running {
		if !want[id] {
			stop()
			delete(*running, id)
		}
	}
	for id := range want {
		if _, ok := (*running)[id]; ok {
			continue
		}
		lctx, stop := context.WithCancel(ctx)
		(*running)[id] = stop
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(lctx, id)
			// A loop that ended by itself (the inbox could no longer
			// search) leaves its place, so the next scan can start it
			// again when it can; one that was stopped was removed.
			r.mu.Lock()
			if lctx.Err() == nil {
				delete(*running, id)
			}
			r.mu.Unlock()
			stop()
		}()
	}
}

// stream follows one inbox's stream, storing what it brings as a poll's
// events are stored; when the stream ends on an error it starts again
// after a while (the polls go on meanwhile).
func (r *Runner) stream(ctx context.Context, inboxID care.ID) {
	for {
		err := r.StreamOnce(ctx, inboxID)
		if ctx.Err() != nil {
			return
		}
		wait := time.Minute
		var se *channel.SendError
		if errors.As(err, &se) {
			wait = max(wait, se.RetryAfter)
			if se.Permanent {
				wait = 10 * time.Minute
			}
		}
		if err != nil {
			r.logger().Warn("stream ended", "inbox", inboxID, "err", err, "retry_in", wait)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// StreamOnce follows an inbox's stream until it ends, storing each batch
// of events before its cursor.
func (r *Runner) StreamOnce(ctx context.Context, inboxID care.ID) error {
	in, err := r.Store.Inbox(ctx, inboxID)
	if err != nil {
		return err
	}
	st, ok := r.Adapters.Streamer(in.Channel)
	if !ok || !st.Streaming(*in) {
		return nil
	}
	// One node follows an inbox's stream.
	ctx, release, mine, err := r.hold(ctx, fmt.Sprintf("stream:%d", in.ID))
	if err != nil || !mine {
		return err
	}
	defer release()
	cursor, err := r.Store.InboxCursor(ctx, in.ID, CursorName)
	if err != nil {
		return err
	}
	err = channel.Guard(func() error {
		return st.Stream(ctx, *in, cursor, func(events []channel.Event, next string) error {
			if err := r.store(ctx, in, events, cursor, next, r.now()); err != nil {
				return err
			}
			cursor = next
			return nil
		})
	})
	if err != nil && ctx.Err() == nil {
		reason := "stream failed"
		var se *channel.SendError
		if errors.As(err, &se) && se.Reason != "" {
			reason = se.Reason
		}
		r.health(ctx, in.ID, care.HealthUpdate{Error: "stream: " + reason, ErrorAt: r.now()})
	}
	return err
}

// notify holds the adapter's notification connection for a polled inbox
// (IMAP IDLE), if it has one, waking the poll loop on news; it tries again
// a minute after a failure and gives up when the account cannot notify.
func (r *Runner) notify(ctx context.Context, inboxID care.ID) {
	for {
		in, err := r.Store.Inbox(ctx, inboxID)
		if err != nil {
			return
		}
		n, ok := r.Adapters.Notifier(in.Channel)
		if !ok {
			return
		}
		// One node holds the connection (one IMAP IDLE per mailbox, not
		// one per node); the others try again in a minute, and take over
		// within the lease's 90 s when that node stops.
		nctx, release, mine, err := r.hold(ctx, fmt.Sprintf("notify:%d", inboxID))
		if mine {
			err = channel.Guard(func() error { return n.Notify(nctx, *in, func() { r.Wake(inboxID) }) })
			release()
			if ctx.Err() != nil || errors.Is(err, channel.ErrNoNotify) {
				return
			}
		}
		if err != nil && ctx.Err() == nil {
			r.logger().Warn("poll: notifications failed; polling meanwhile", "inbox", inboxID, "err", err)
		}
		t := time.NewTimer(time.Minute)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// loop polls one inbox at its adapter's interval, or at once when woken, or
// later when the platform asks to wait.
func (r *Runner) loop(ctx context.Context, inboxID care.ID, wake <-chan struct{}) {
	defer care.LetGo(ctx, r.Store, pollLease(inboxID), r.holder())
	r.every(ctx, inboxID, "poll failed", r.Once, wake)
}

// pollLease lets one node at a time poll an inbox.
func pollLease(inboxID care.ID) string { return fmt.Sprintf("poll:%d", inboxID) }

// every runs once for an inbox until it returns no wait or ctx ends,
// waiting what it returns between runs, or less when woken (a nil wake is
// never woken).
func (r *Runner) every(ctx context.Context, inboxID care.ID, failed string, once func(context.Context, care.ID) (time.Duration, error), wake <-chan struct{}) {
	for {
		wait, err := once(ctx, inboxID)
		if err != nil && ctx.Err() == nil {
			r.logger().Warn(failed, "inbox", inboxID, "err", err, "retry_in", wait)
		}
		if wait <= 0 {
			return
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-wake:
			t.Stop()
		case <-t.C:
		}
	}
}

// Once polls an inbox once: fetch, store, then save the cursor. It returns
// how long to wait before the next poll (0: the inbox is no longer polled).
func (r *Runner) Once(ctx context.Context, inboxID care.ID) (time.Duration, error) {
	in, err := r.Store.Inbox(ctx, inboxID)
	if err != nil {
		return retryLater(err)
	}
	p, ok := r.Adapters.Poller(in.Channel)
	if !ok {
		return 0, nil
	}
	interval := p.PollInterval(*in)
	if interval <= 0 {
		return 0, nil
	}
	// One node polls an inbox: the lease outlives a missed round or two,
	// so a node that stops is replaced within a few intervals.
	mine, err := r.Store.AcquireLease(ctx, pollLease(in.ID), r.holder(), max(3*interval, time.Minute), r.now())
	if err != nil || !mine {
		return interval, err
	}
	cursor, err := r.Store.InboxCursor(ctx, in.ID, CursorName)
	if err != nil {
		return interval, err
	}
	now := r.now()
	var events []channel.Event
	var next string
	err = channel.Guard(func() (err error) {
		events, next, err = p.Poll(ctx, *in, cursor)
		return err
	})
	if err != nil && next != cursor && len(events) > 0 {
		// Part of the poll succeeded (mentions read, DMs refused, say):
		// keep what was read, so one failing stream cannot block another.
		if serr := r.store(ctx, in, events, cursor, next, now); serr != nil {
			return interval, serr
		}
	}
	if err != nil {
		wait := interval
		var se *channel.SendError
		reason := "polling failed"
		if errors.As(err, &se) {
			wait = max(wait, se.RetryAfter)
			if se.Reason != "" {
				reason = se.Reason
			}
			if se.RateLimit != "" {
				r.health(ctx, in.ID, care.HealthUpdate{RateLimit: se.RateLimit})
			}
		}
		r.health(ctx, in.ID, care.HealthUpdate{Error: "poll: " + reason, ErrorAt: now})
		if wait > interval {
			// The platform asks for a longer wait (a spent daily quota, a
			// monthly usage cap): keep the lease through it, as listening
			// does, or another node would take the inbox over at the
			// lease's end, be refused in turn and say so again.
			if _, lerr := r.Store.AcquireLease(ctx, pollLease(in.ID), r.holder(), wait+interval, r.now()); lerr != nil {
				err = errors.Join(err, lerr)
			}
		}
		return wait, err
	}
	return interval, r.store(ctx, in, events, cursor, next, now)
}

// store makes a poll's events durable, then saves the cursor after them.
func (r *Runner) store(ctx context.Context, in *care.Inbox, events []channel.Event, cursor, next string, now time.Time) error {
	raws, err := webhook.Route(ctx, r.Store, r.logger(), in, events, nil, now, nil)
	if err != nil {
		return err
	}
	for i := range raws {
		if raws[i].Payload == nil {
			raws[i].Payload = []byte{}
		}
	}
	if len(raws) > 0 {
		if _, err := r.Ingest.AppendAll(ctx, raws); err != nil {
			return err
		}
	}
	if next != cursor {
		return r.Store.SetInboxCursor(ctx, in.ID, CursorName, next, now)
	}
	return nil
}

func (r *Runner) health(ctx context.Context, id care.ID, h care.HealthUpdate) {
	if err := r.Store.RecordInboxHealth(ctx, id, h); err != nil && ctx.Err() == nil {
		r.logger().Error("poll: record health", "inbox", id, "err", err)
	}
}

// hold takes the lease name for this node and keeps renewing it until the
// returned context ends. It returns that context, a release function to
// call when done, and whether the lease is this node's; a node that cannot
// renew the lease has its context cancelled at once, so two nodes never
// hold one connection for long.
func (r *Runner) hold(ctx context.Context, name string) (context.Context, func(), bool, error) {
	holder := r.holder()
	mine, err := r.Store.AcquireLease(ctx, name, holder, 90*time.Second, r.now())
	if err != nil || !mine {
		return ctx, func() {}, false, err
	}
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		t := time.NewTicker(30 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if ok, err := r.Store.AcquireLease(ctx, name, holder, 90*time.Second, r.now()); err != nil || !ok {
					cancel()
					return
				}
			}
		}
	}()
	return ctx, func() {
		cancel()
		r.Store.ReleaseLease(context.WithoutCancel(ctx), name, holder)
	}, true, nil
}
