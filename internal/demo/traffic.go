package demo

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// traffic sends customers' messages through a pool of workers, each
// delivery a real signed POST to Parley, and records how each went.
type traffic struct {
	p      *platforms
	cast   *cast
	tally  *tally
	log    *slog.Logger
	queue  chan message
	wg     sync.WaitGroup
	failed atomic.Int64
	// sent, if set, is told of every delivery, from the worker's goroutine.
	sent func(m message, s Sample, err error)

	mu          sync.Mutex
	first, last time.Time
}

// startTraffic starts workers delivering until stop. ctx bounds each
// delivery; it should outlive the driver so deliveries under way finish.
func startTraffic(ctx context.Context, p *platforms, c *cast, t *tally, workers int, log *slog.Logger, sent func(message, Sample, error)) *traffic {
	tr := &traffic{p: p, cast: c, tally: t, log: log, queue: make(chan message), sent: sent}
	tr.wg.Add(workers)
	for range workers {
		go func() {
			defer tr.wg.Done()
			for m := range tr.queue {
				tr.deliver(ctx, m)
			}
		}()
	}
	return tr
}

func (tr *traffic) deliver(ctx context.Context, m message) {
	start := time.Now()
	switch m.who.kind {
	case xMention, xDM:
		// X includes the author's current profile in every delivery.
		tr.p.x.AddUser(xUser(m.who))
	case bskyPost, bskyDM:
		tr.p.bsky.AddAccount(bskyAccount(m.who))
	}
	s, err := tr.p.deliver(ctx, tr.cast, m)
	took := time.Since(start)
	if !m.who.kind.pushed() {
		// No webhook acknowledged it: Parley fetches it later, or the web
		// chat's socket took it, aside from what the rate times.
		took = -1
	}
	tr.tally.inbound(s, m.followUp, took, err)
	tr.mu.Lock()
	if tr.first.IsZero() {
		tr.first = start
	}
	tr.last = time.Now()
	tr.mu.Unlock()
	if err != nil && ctx.Err() == nil {
		// The first few failures say what is wrong; the rest are counted.
		if n := tr.failed.Add(1); n <= 5 {
			tr.log.Warn("demo: a delivery failed", "channel", s.Channel, "err", err)
		}
	}
	if tr.sent != nil {
		tr.sent(m, s, err)
	}
}

// send hands m to a worker, waiting for one to be free; it returns false
// if ctx ended first.
func (tr *traffic) send(ctx context.Context, m message) bool {
	select {
	case tr.queue <- m:
		return true
	case <-ctx.Done():
		return false
	}
}

// stop waits for the deliveries under way. No send may follow.
func (tr *traffic) stop() {
	close(tr.queue)
	tr.wg.Wait()
}

// elapsed is the time from the first delivery's start to the last one's end.
func (tr *traffic) elapsed() time.Duration {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.last.Sub(tr.first)
}

// bucket paces sends at a fixed rate with room for a single token: when the
// sender falls behind it starts again from now rather than catching up, so
// the rate is never exceeded, not even in a burst.
type bucket struct {
	every time.Duration
	next  time.Time
}

func newBucket(rate float64) *bucket {
	return &bucket{every: time.Duration(float64(time.Second) / rate)}
}

// reserve takes the next token and returns how long after now it may be
// used.
func (b *bucket) reserve(now time.Time) time.Duration {
	if b.next.Before(now) {
		b.next = now
	}
	wait := b.next.Sub(now)
	b.next = b.next.Add(b.every)
	return wait
}

// sleep waits for d or until ctx ends, reporting whether it slept the whole
// time.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
