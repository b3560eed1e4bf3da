// Package outbox delivers agents' replies to the platforms. A reply is stored
// together with an outbox entry in one transaction; a Worker leases due
// entries, hands each to its channel's sender and records the outcome: sent,
// retried later with backoff, or failed with a reason the agent can read.
//
// Delivery is at least once. A worker that dies mid-send leaves its lease to
// run out, and the next worker sends again with the same idempotency key, so
// platforms that honour the key post the reply once. A worker that stops
// gracefully hands back the entries it leased but had not begun
// (Store.ReleaseOutbox), so another node sends them at its next pass.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/faillog"
)

// Store is the storage a Worker needs; a care.Store provides it.
//
// LeaseOutbox returns entries due at now (next attempt reached, and no lease
// or an expired one) and leases them until now+lease. RetryOutbox counts a
// failed attempt, schedules the next and releases the lease; CompleteOutbox
// removes the entry; ReleaseOutbox hands back a lease not used, as a
// stopping worker does (care.Store's documents each). Lookups return ENOTFOUND for a missing record.
// RecordSent and ApplyStatusReports record a send with the platform's id and
// what the platform reported under that id before it was recorded.
type Store interface {
	LeaseOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]care.OutboxEntry, error)
	CompleteOutbox(ctx context.Context, id care.ID) error
	RetryOutbox(ctx context.Context, id care.ID, next time.Time, lastErr string) error
	ReleaseOutbox(ctx context.Context, id care.ID, leasedUntil time.Time) (bool, error)
	Message(ctx context.Context, id care.ID) (*care.Message, error)
	Inbox(ctx context.Context, id care.ID) (*care.Inbox, error)
	Conversation(ctx context.Context, id care.ID) (*care.Conversation, error)
	Contact(ctx context.Context, id care.ID) (*care.Contact, error)
	SetDelivery(ctx context.Context, messageID care.ID, status care.DeliveryStatus, reason, platformID string) error
	RecordSent(ctx context.Context, messageID care.ID, status care.DeliveryStatus, platformID string, now time.Time) ([]care.Event, error)
	ApplyStatusReports(ctx context.Context, messageID care.ID, since, now time.Time) ([]care.Event, error)
	Messages(ctx context.Context, conversationID care.ID, afterID care.ID, limit int) ([]care.Message, error)
	RecordCharge(ctx context.Context, inboxID, messageID care.ID, category string, at time.Time) error
}

var _ Store = care.Store(nil)

// Worker drains the outbox. Set Store and Senders; every other field has a
// default. Several workers, in one process or many, may share a store: the
// lease keeps them from sending the same entry at once.
type Worker struct {
	Store   Store
	Senders *channel.Registry
	// Now is the clock for leases and schedules; nil means time.Now.
	Now    func() time.Time
	Logger *slog.Logger // nil discards

	// Lease is how long a worker owns the entries it takes (default 60s).
	// An entry whose lease ran out before its turn is skipped, not sent.
	Lease time.Duration
	// Batch is how many entries one pass takes (default 32).
	Batch int
	// Concurrency bounds the sends in flight in one pass (default 4).
	Concurrency int
	// SendTimeout bounds one attempt (default 30s), and is further cut to
	// what remains of the lease.
	SendTimeout time.Duration
	// MaxAttempts is how many attempts a reply gets before it fails
	// (default 12).
	MaxAttempts int
	// BaseDelay and MaxDelay shape the backoff between attempts (defaults
	// 2s and 30m); see Backoff.
	BaseDelay time.Duration
	MaxDelay  time.Duration
	// Rand returns a number in [0, 1) for the backoff jitter; nil means
	// math/rand/v2. It must be safe for concurrent use.
	Rand func() float64

	// Wake prompts a pass before PollInterval (default 1s) has elapsed, so
	// a new reply goes out at once.
	Wake         <-chan struct{}
	PollInterval time.Duration

	// OnDelivery, when set, is told of every delivery status the worker
	// records: queued (with the retry reason), sent, delivered or failed.
	// It is called from the sending goroutines, so it must be safe for
	// concurrent use, and should be quick.
	OnDelivery func(msg care.ID, status care.DeliveryStatus, reason string)

	// OnHealth, when set, is told after every attempt what it says about the
	// inbox: the time of a send, an error, the platform's rate-limit state.
	// Like OnDelivery it must be safe for concurrent use.
	OnHealth func(inboxID care.ID, h care.HealthUpdate)

	// OnRecipient, when set, is told of a recipient id a platform revealed
	// for the contact (see channel.Result.RecipientID), to add it to them.
	OnRecipient func(out channel.Outbound, recipientID string)

	// Publisher, when set, is given the events of what recording a send
	// changed beyond the reply itself: its echo merged into it, a delivery
	// report that came before the send's answer.
	Publisher interface{ Publish(...care.Event) }
}

// Run delivers due entries until ctx is done, then returns nil. It returns an
// error only when the worker is misconfigured. Errors within a pass are
// logged and the pass is tried again on the next tick; the same error pass
// after pass, as while the database is down, is logged when it starts, once
// a minute while it lasts, and when it ends.
func (w *Worker) Run(ctx context.Context) error {
	if w.Store == nil {
		return errors.New("outbox: worker has no store")
	}
	wake := w.Wake
	timer := time.NewTimer(w.pollInterval())
	defer timer.Stop()
	failures := &faillog.Log{Logger: w.logger(), What: "outbox pass"}
	for {
		n, err := w.RunOnce(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			failures.Failed(w.now(), err)
		} else {
			failures.OK(w.now())
		}
		// A full batch means more may already be due.
		if n == w.batch() && err == nil {
			continue
		}
		timer.Reset(w.pollInterval())
		select {
		case <-ctx.Done():
			return nil
		case _, ok := <-wake:
			if !ok {
				wake = nil // a closed channel would spin
			}
		case <-timer.C:
		}
	}
}

// RunOnce leases one batch of due entries, delivers them, and returns how
// many it leased. Its error joins storage failures; failed sends are outcomes,
// recorded on the message, not errors. An entry whose outcome could not be
// recorded stays leased and is tried again once the lease runs out.
//
// When ctx ends during the pass, sends under way finish and are recorded,
// and the entries not yet begun are released for the next worker to take
// at once.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	if w.Store == nil {
		return 0, errors.New("outbox: worker has no store")
	}
	start := w.now()
	lease := w.lease()
	entries, err := w.Store.LeaseOutbox(ctx, start, lease, w.batch())
	if err != nil {
		return 0, fmt.Errorf("outbox: lease entries: %w", err)
	}
	// Our own view of the lease: trust the store's if it is shorter.
	leasedUntil := start.Add(lease)

	errs := make([]error, len(entries))
	sem := make(chan struct{}, w.concurrency())
	var wg sync.WaitGroup
	var released atomic.Int64
	for i, e := range entries {
		until := leasedUntil
		if e.LeasedUntil != nil && e.LeasedUntil.Before(until) {
			until = *e.LeasedUntil
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			// Shutting down while the sends in flight hold every slot:
			// none of the rest will begin.
			released.Add(w.release(ctx, entries[i:]...))
			wg.Wait()
			w.logReleased(released.Load())
			return len(entries), errors.Join(errs...)
		}
		wg.Go(func() {
			defer func() { <-sem }()
			err := w.deliver(ctx, e, until)
			if err == errNotBegun {
				released.Add(w.release(ctx, e))
				err = nil
			}
			errs[i] = err
		})
	}
	wg.Wait()
	w.logReleased(released.Load())
	return len(entries), errors.Join(errs...)
}

// release hands entries this worker leased but did not begin back to the
// store, so that another worker need not wait out the lease, and returns how
// many it released. It runs as ctx ends, so on a context of its own; a
// release that fails leaves the lease to run out, as a worker that died
// would.
func (w *Worker) release(ctx context.Context, entries ...care.OutboxEntry) int64 {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	var n int64
	for _, e := range entries {
		if e.LeasedUntil == nil {
			continue
		}
		ok, err := w.Store.ReleaseOutbox(rctx, e.ID, *e.LeasedUntil)
		if err != nil {
			w.logger().Warn("outbox entry not released at shutdown; its lease will run out", "outbox_id", e.ID, "err", err)
		} else if ok {
			n++
		}
	}
	return n
}

func (w *Worker) logReleased(n int64) {
	if n > 0 {
		w.logger().Info("outbox entries released at shutdown", "count", n)
	}
}

func (w *Worker) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

func (w *Worker) logger() *slog.Logger {
	if w.Logger != nil {
		return w.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func (w *Worker) rand() float64 {
	if w.Rand != nil {
		return w.Rand()
	}
	return rand.Float64()
}

func orDefault[T int | time.Duration](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

func (w *Worker) lease() time.Duration        { return orDefault(w.Lease, 60*time.Second) }
func (w *Worker) batch() int                  { return orDefault(w.Batch, 32) }
func (w *Worker) concurrency() int            { return orDefault(w.Concurrency, 4) }
func (w *Worker) sendTimeout() time.Duration  { return orDefault(w.SendTimeout, 30*time.Second) }
func (w *Worker) maxAttempts() int            { return orDefault(w.MaxAttempts, 12) }
func (w *Worker) baseDelay() time.Duration    { return orDefault(w.BaseDelay, 2*time.Second) }
func (w *Worker) maxDelay() time.Duration     { return orDefault(w.MaxDelay, 30*time.Minute) }
func (w *Worker) pollInterval() time.Duration { return orDefault(w.PollInterval, time.Second) }
