// Package ingest is the inbound path: it makes every accepted delivery
// durable before the platform is acknowledged (group-committed across
// concurrent requests), then runs the pipeline that turns stored events into
// contacts, conversations and messages.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/parleyhq/parley/internal/care"
)

// Appender stores a batch of raw events durably in one transaction.
type Appender interface {
	AppendRaw(ctx context.Context, events []care.RawEvent) ([]care.AppendResult, error)
}

// ErrClosed is returned by Append after Close.
var ErrClosed = &care.Error{Code: care.EUNAVAILABLE, Message: "Parley is shutting down; retry the delivery."}

// Committer batches concurrent appends into one transaction (group commit):
// while one batch is being fsynced, new requests queue, and the next batch
// takes all of them. Throughput grows with concurrency at no cost in
// durability: nobody is answered before their event is on disk.
type Committer struct {
	store    Appender
	maxBatch int
	reqs     chan *appendReq
	done     chan struct{}
	mu       sync.RWMutex
	closed   bool
	// Committed, if set, is called after each batch is durable, e.g. to
	// wake the pipeline.
	Committed func(results []care.AppendResult)
}

type appendReq struct {
	event care.RawEvent
	res   care.AppendResult
	err   error
	done  chan struct{}
}

// NewCommitter returns a committer over store with batches of at most
// maxBatch events. Call Run to start it.
func NewCommitter(store Appender, maxBatch int) *Committer {
	if maxBatch <= 0 {
		maxBatch = 512
	}
	return &Committer{store: store, maxBatch: maxBatch, reqs: make(chan *appendReq, maxBatch*4), done: make(chan struct{})}
}

// Append stores ev durably, or recognises it as a duplicate, and returns only
// once that is settled. A nil error means the event is on disk.
func (c *Committer) Append(ctx context.Context, ev care.RawEvent) (care.AppendResult, error) {
	req := &appendReq{event: ev, done: make(chan struct{})}
	c.mu.RLock()
	if c.closed {
		c.mu.RUnlock()
		return care.AppendResult{}, ErrClosed
	}
	select {
	case c.reqs <- req:
		c.mu.RUnlock()
	case <-ctx.Done():
		c.mu.RUnlock()
		return care.AppendResult{}, ctx.Err()
	}
	// Once queued, the request is committed whatever the caller does: the
	// wait below may be abandoned, the write is not.
	select {
	case <-req.done:
		return req.res, req.err
	case <-ctx.Done():
		return care.AppendResult{}, ctx.Err()
	}
}

// AppendAll stores several events of one delivery, which go into the same
// group commit, and returns once all are settled. A nil error means every
// event is on disk.
func (c *Committer) AppendAll(ctx context.Context, evs []care.RawEvent) ([]care.AppendResult, error) {
	reqs := make([]*appendReq, len(evs))
	c.mu.RLock()
	if c.closed {
		c.mu.RUnlock()
		return nil, ErrClosed
	}
	for i, ev := range evs {
		reqs[i] = &appendReq{event: ev, done: make(chan struct{})}
		select {
		case c.reqs <- reqs[i]:
		case <-ctx.Done():
			c.mu.RUnlock()
			return nil, ctx.Err()
		}
	}
	c.mu.RUnlock()
	results := make([]care.AppendResult, len(evs))
	for i, r := range reqs {
		select {
		case <-r.done:
			if r.err != nil {
				return nil, r.err
			}
			results[i] = r.res
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return results, nil
}

// Run commits batches until Close is called and every queued request is
// answered. The context bounds each transaction, not the loop: cancelling it
// fails the in-flight batch rather than abandoning queued work.
func (c *Committer) Run(ctx context.Context) {
	defer close(c.done)
	batch := make([]*appendReq, 0, c.maxBatch)
	for first := range c.reqs {
		batch = append(batch[:0], first)
	fill:
		for len(batch) < c.maxBatch {
			select {
			case r, ok := <-c.reqs:
				if !ok {
					break fill
				}
				batch = append(batch, r)
			default:
				break fill
			}
		}
		c.commit(ctx, batch)
	}
}

func (c *Committer) commit(ctx context.Context, batch []*appendReq) {
	events := make([]care.RawEvent, len(batch))
	for i, r := range batch {
		events[i] = r.event
	}
	results, err := c.store.AppendRaw(context.WithoutCancel(ctx), events)
	if err == nil && len(results) != len(batch) {
		err = fmt.Errorf("ingest: store returned %d results for %d events", len(results), len(batch))
	}
	for i, r := range batch {
		if err != nil {
			r.err = fmt.Errorf("ingest: append: %w", err)
		} else {
			r.res = results[i]
		}
		close(r.done)
	}
	if err == nil && c.Committed != nil {
		c.Committed(results)
	}
}

// Close stops accepting events, lets Run commit everything already queued,
// and waits for it to finish or for ctx to end.
func (c *Committer) Close(ctx context.Context) error {
	c.mu.Lock()
	if !c.closed {
		c.closed = true
		close(c.reqs)
	}
	c.mu.Unlock()
	// Checked first on its own: with an expired ctx both cases below are
	// ready, and select would pick one at random.
	select {
	case <-c.done:
		return nil
	default:
	}
	select {
	case <-c.done:
		return nil
	case <-ctx.Done():
		return errors.Join(errors.New("ingest: committer did not drain before shutdown deadline"), ctx.Err())
	}
}
