package ingest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// gate is an Appender whose first call blocks until released, so a test can
// queue requests behind a commit in flight, as under load.
type gate struct {
	mu      sync.Mutex
	batches [][]care.RawEvent
	entered chan struct{}
	release chan struct{}
	fail    error
}

func (g *gate) AppendRaw(ctx context.Context, events []care.RawEvent) ([]care.AppendResult, error) {
	g.mu.Lock()
	first := len(g.batches) == 0
	g.batches = append(g.batches, append([]care.RawEvent(nil), events...))
	g.mu.Unlock()
	if first {
		close(g.entered)
		<-g.release
	}
	if g.fail != nil {
		return nil, g.fail
	}
	res := make([]care.AppendResult, len(events))
	for i := range events {
		res[i] = care.AppendResult{ID: care.ID(i + 1)}
	}
	return res, nil
}

func newGate() *gate { return &gate{entered: make(chan struct{}), release: make(chan struct{})} }

func raw(i int) care.RawEvent {
	return care.RawEvent{InboxID: 1, DedupeKey: fmt.Sprintf("api:%d", i)}
}

// TestCommitterGroupsConcurrentAppends: requests arriving while one batch is
// being committed all go into the next batch, one transaction.
func TestCommitterGroupsConcurrentAppends(t *testing.T) {
	g := newGate()
	c := NewCommitter(g, 512)
	go c.Run(context.Background())
	defer c.Close(context.Background())

	var wg sync.WaitGroup
	errs := make(chan error, 51)
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, err := c.Append(context.Background(), raw(0))
		errs <- err
	}()
	<-g.entered
	for i := 1; i <= 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Append(context.Background(), raw(i))
			errs <- err
		}()
	}
	// Wait until all 50 are queued behind the blocked commit.
	deadline := time.Now().Add(10 * time.Second)
	for len(c.reqs) < 50 {
		if time.Now().After(deadline) {
			t.Fatalf("only %d requests queued", len(c.reqs))
		}
		time.Sleep(time.Millisecond)
	}
	close(g.release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Append: %v", err)
		}
	}
	if len(g.batches) != 2 || len(g.batches[1]) != 50 {
		sizes := []int{}
		for _, b := range g.batches {
			sizes = append(sizes, len(b))
		}
		t.Errorf("batch sizes = %v, want [1 50]", sizes)
	}
}

func TestCommitterBatchLimit(t *testing.T) {
	g := newGate()
	c := NewCommitter(g, 8)
	go c.Run(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); c.Append(context.Background(), raw(0)) }()
	<-g.entered
	for i := 1; i <= 20; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); c.Append(context.Background(), raw(i)) }()
	}
	for len(c.reqs) < 20 {
		time.Sleep(time.Millisecond)
	}
	close(g.release)
	wg.Wait()
	c.Close(context.Background())
	for i, b := range g.batches {
		if len(b) > 8 {
			t.Errorf("batch %d has %d events, limit 8", i, len(b))
		}
	}
}

// TestCommitterFailureAcknowledgesNothing: when the transaction fails, every
// request in it gets the error, so no platform is told "stored".
func TestCommitterFailureAcknowledgesNothing(t *testing.T) {
	g := newGate()
	g.fail = errors.New("disk full")
	close(g.release)
	c := NewCommitter(g, 512)
	go c.Run(context.Background())
	defer c.Close(context.Background())
	if _, err := c.Append(context.Background(), raw(1)); err == nil {
		t.Fatal("Append succeeded although the store failed")
	}
}

// TestCommitterCloseDrains: Close commits what is queued, then refuses more.
func TestCommitterCloseDrains(t *testing.T) {
	g := newGate()
	c := NewCommitter(g, 512)
	go c.Run(context.Background())
	results := make(chan error, 11)
	go func() { _, err := c.Append(context.Background(), raw(0)); results <- err }()
	<-g.entered
	for i := 1; i <= 10; i++ {
		go func() { _, err := c.Append(context.Background(), raw(i)); results <- err }()
	}
	for len(c.reqs) < 10 {
		time.Sleep(time.Millisecond)
	}
	closed := make(chan error)
	go func() { closed <- c.Close(context.Background()) }()
	close(g.release)
	if err := <-closed; err != nil {
		t.Fatalf("Close: %v", err)
	}
	for i := 0; i < 11; i++ {
		if err := <-results; err != nil {
			t.Errorf("queued Append: %v", err)
		}
	}
	if _, err := c.Append(context.Background(), raw(99)); !errors.Is(err, ErrClosed) {
		t.Errorf("Append after Close = %v, want ErrClosed", err)
	}
}
