package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// outboxWorld is an outbound message and a way to queue entries for it.
type outboxWorld struct {
	w   world
	msg *care.Message
	n   int
}

func mustOutboxWorld(t *testing.T, q care.Queries) *outboxWorld {
	t.Helper()
	w := mustWorld(t, q, "acme")
	return &outboxWorld{w: w, msg: mustMessage(t, q, newMessage(w.conv, care.DirectionOut, care.Public, at(0)))}
}

// enqueue queues an entry due at next and returns it as LeaseOutbox would,
// before any lease.
func (o *outboxWorld) enqueue(t *testing.T, q care.Queries, next time.Time) care.OutboxEntry {
	t.Helper()
	o.n++
	e := &care.OutboxEntry{MessageID: o.msg.ID, InboxID: o.w.inbox.ID, Channel: o.w.inbox.Channel,
		IdempotencyKey: fmt.Sprintf("parley-%d-%d", o.msg.ID, o.n), NextAttemptAt: next, CreatedAt: at(0)}
	must(t, q.EnqueueOutbox(t.Context(), e), "EnqueueOutbox")
	if e.ID == 0 {
		t.Fatal("EnqueueOutbox did not assign an ID")
	}
	want := *e
	want.NextAttemptAt, want.CreatedAt = micro(next), micro(at(0))
	return want
}

// leased returns entries as a lease at now for d returns them.
func leased(now time.Time, d time.Duration, es ...care.OutboxEntry) []care.OutboxEntry {
	out := make([]care.OutboxEntry, len(es))
	for i, e := range es {
		e.LeasedUntil = microPtr(now.Add(d))
		out[i] = e
	}
	return out
}

func lease(t *testing.T, q care.Queries, now time.Time, d time.Duration, limit int) []care.OutboxEntry {
	t.Helper()
	got, err := q.LeaseOutbox(t.Context(), now, d, limit)
	must(t, err, "LeaseOutbox(%v, %v, %d)", now, d, limit)
	for _, e := range got {
		if e.LeasedUntil != nil {
			checkUTC(t, "OutboxEntry times", e.NextAttemptAt, e.CreatedAt, *e.LeasedUntil)
		}
	}
	return got
}

func depth(t *testing.T, q care.Queries) int {
	t.Helper()
	n, err := q.OutboxDepth(t.Context())
	must(t, err, "OutboxDepth")
	return n
}

func testOutbox(t *testing.T, open opener) {
	const hold = 30 * time.Second
	now := at(time.Hour)

	t.Run("LeaseDueOnly", func(t *testing.T) {
		s := open(t)
		o := mustOutboxWorld(t, s)
		if got := lease(t, s, now, hold, 10); len(got) != 0 {
			t.Fatalf("LeaseOutbox() on an empty outbox = %v, want none", got)
		}
		// Queued out of order: leases hand out the longest due first.
		atNow := o.enqueue(t, s, now)
		first := o.enqueue(t, s, now.Add(-2*time.Minute))
		o.enqueue(t, s, now.Add(time.Minute))
		second := o.enqueue(t, s, now.Add(-time.Minute))
		got := lease(t, s, now, hold, 10)
		if d := diff(leased(now, hold, first, second, atNow), got); d != "" {
			t.Errorf("LeaseOutbox() mismatch (-want +got):\n%s", d)
		}
	})

	t.Run("LeaseHeldUntilExpiry", func(t *testing.T) {
		s := open(t)
		o := mustOutboxWorld(t, s)
		a, b := o.enqueue(t, s, now.Add(-time.Minute)), o.enqueue(t, s, now)
		if d := diff(leased(now, hold, a, b), lease(t, s, now, hold, 10)); d != "" {
			t.Errorf("first LeaseOutbox() mismatch (-want +got):\n%s", d)
		}
		if got := lease(t, s, now.Add(hold/2), hold, 10); len(got) != 0 {
			t.Errorf("LeaseOutbox() while leased = %v, want none", got)
		}
		// The sender died: once the lease runs out the entries are due again.
		later := now.Add(hold + time.Second)
		if d := diff(leased(later, hold, a, b), lease(t, s, later, hold, 10)); d != "" {
			t.Errorf("LeaseOutbox() after the lease expired mismatch (-want +got):\n%s", d)
		}
	})

	t.Run("LeaseLimit", func(t *testing.T) {
		s := open(t)
		o := mustOutboxWorld(t, s)
		a := o.enqueue(t, s, now.Add(-3*time.Minute))
		b := o.enqueue(t, s, now.Add(-2*time.Minute))
		c := o.enqueue(t, s, now.Add(-time.Minute))
		if d := diff(leased(now, hold, a, b), lease(t, s, now, hold, 2)); d != "" {
			t.Errorf("LeaseOutbox(limit 2) mismatch (-want +got):\n%s", d)
		}
		if d := diff(leased(now, hold, c), lease(t, s, now, hold, 2)); d != "" {
			t.Errorf("second LeaseOutbox(limit 2) mismatch (-want +got):\n%s", d)
		}
		if got := lease(t, s, now, hold, 2); len(got) != 0 {
			t.Errorf("third LeaseOutbox(limit 2) = %v, want none", got)
		}
	})

	t.Run("Retry", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		o := mustOutboxWorld(t, s)
		e := o.enqueue(t, s, now)
		lease(t, s, now, hold, 10)
		// Retrying gives up the lease: the entry is due at its next attempt
		// even though the lease would have run longer.
		next := now.Add(5 * time.Second)
		must(t, s.RetryOutbox(ctx, e.ID, next, "HTTP 503: upstream unavailable"), "RetryOutbox")
		if got := lease(t, s, next.Add(-time.Second), hold, 10); len(got) != 0 {
			t.Errorf("LeaseOutbox() before the next attempt = %v, want none", got)
		}
		e.Attempts, e.NextAttemptAt, e.LastError = 1, micro(next), "HTTP 503: upstream unavailable"
		if d := diff(leased(next, hold, e), lease(t, s, next, hold, 10)); d != "" {
			t.Errorf("LeaseOutbox() after RetryOutbox mismatch (-want +got):\n%s", d)
		}
		next2 := next.Add(10 * time.Second)
		must(t, s.RetryOutbox(ctx, e.ID, next2, "HTTP 429: retry after 10s"), "RetryOutbox")
		e.Attempts, e.NextAttemptAt, e.LastError = 2, micro(next2), "HTTP 429: retry after 10s"
		if d := diff(leased(next2, hold, e), lease(t, s, next2, hold, 10)); d != "" {
			t.Errorf("LeaseOutbox() after a second RetryOutbox mismatch (-want +got):\n%s", d)
		}
		if n := depth(t, s); n != 1 {
			t.Errorf("OutboxDepth() after retries = %d, want 1", n)
		}
	})

	t.Run("Complete", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		o := mustOutboxWorld(t, s)
		a, b := o.enqueue(t, s, now), o.enqueue(t, s, now)
		lease(t, s, now, hold, 10)
		must(t, s.CompleteOutbox(ctx, a.ID), "CompleteOutbox")
		if n := depth(t, s); n != 1 {
			t.Errorf("OutboxDepth() after CompleteOutbox = %d, want 1", n)
		}
		later := now.Add(time.Hour)
		if d := diff(leased(later, hold, b), lease(t, s, later, hold, 10)); d != "" {
			t.Errorf("LeaseOutbox() after CompleteOutbox mismatch (-want +got):\n%s", d)
		}
		wantCode(t, s.CompleteOutbox(ctx, a.ID), care.ENOTFOUND, "CompleteOutbox(completed)")
	})

	t.Run("Release", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		r, ok := s.(interface {
			ReleaseOutbox(ctx context.Context, id care.ID, leasedUntil time.Time) (bool, error)
		})
		if !ok {
			t.Fatal("the store cannot release outbox leases: a stopping worker would leave them to run out")
		}
		release := func(id care.ID, until time.Time) bool {
			t.Helper()
			ok, err := r.ReleaseOutbox(ctx, id, until)
			must(t, err, "ReleaseOutbox(%d)", id)
			return ok
		}
		o := mustOutboxWorld(t, s)
		a, b := o.enqueue(t, s, now.Add(-time.Minute)), o.enqueue(t, s, now)
		got := lease(t, s, now, hold, 10)
		if len(got) != 2 {
			t.Fatalf("LeaseOutbox() = %v, want both entries", got)
		}
		// A released entry is due again at once, no attempt counted; the
		// other stays leased.
		if !release(a.ID, *got[0].LeasedUntil) {
			t.Error("ReleaseOutbox(held lease) = false, want true")
		}
		if d := diff(leased(now, hold, a), lease(t, s, now, hold, 10)); d != "" {
			t.Errorf("LeaseOutbox() after ReleaseOutbox mismatch (-want +got):\n%s", d)
		}
		must(t, s.CompleteOutbox(ctx, a.ID), "CompleteOutbox")
		// A lease that ran out and was taken since is the taker's: the
		// worker that held it before cannot end it.
		later := now.Add(hold + time.Second)
		if d := diff(leased(later, hold, b), lease(t, s, later, hold, 10)); d != "" {
			t.Fatalf("LeaseOutbox() after the lease expired mismatch (-want +got):\n%s", d)
		}
		if release(b.ID, *got[1].LeasedUntil) {
			t.Error("ReleaseOutbox(lease since taken) = true, want false")
		}
		if got := lease(t, s, later, hold, 10); len(got) != 0 {
			t.Errorf("LeaseOutbox() after releasing a lease since taken = %v, want none", got)
		}
		// Gone or never there: nothing to release.
		if release(a.ID, now.Add(hold)) || release(missingID, now.Add(hold)) {
			t.Error("ReleaseOutbox(missing entry) = true, want false")
		}
		if n := depth(t, s); n != 1 {
			t.Errorf("OutboxDepth() = %d, want 1", n)
		}
	})

	t.Run("Depth", func(t *testing.T) {
		s := open(t)
		o := mustOutboxWorld(t, s)
		if n := depth(t, s); n != 0 {
			t.Errorf("OutboxDepth() on an empty outbox = %d, want 0", n)
		}
		// Due, leased and future entries all count.
		o.enqueue(t, s, now.Add(-time.Minute))
		o.enqueue(t, s, now)
		o.enqueue(t, s, now.Add(time.Hour))
		lease(t, s, now, hold, 1)
		if n := depth(t, s); n != 3 {
			t.Errorf("OutboxDepth() = %d, want 3", n)
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		wantCode(t, s.CompleteOutbox(ctx, missingID), care.ENOTFOUND, "CompleteOutbox(missing)")
		wantCode(t, s.RetryOutbox(ctx, missingID, now, "x"), care.ENOTFOUND, "RetryOutbox(missing)")
	})
}
