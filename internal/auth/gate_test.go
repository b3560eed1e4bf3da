package auth

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"
)

// TestHashGateRefusesBeyondSlots takes every slot, then asks for one more:
// the waiter gives up after the gate's wait with ErrBusy, and a slot given
// back in time is taken instead.
func TestHashGateRefusesBeyondSlots(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := NewHashGate(2, 3*time.Second)
		var releases []func()
		for range 2 {
			release, err := g.Acquire(t.Context())
			if err != nil {
				t.Fatalf("Acquire with a free slot: %v", err)
			}
			releases = append(releases, release)
		}

		start := time.Now()
		if _, err := g.Acquire(t.Context()); !errors.Is(err, ErrBusy) {
			t.Fatalf("Acquire with every slot taken = %v, want ErrBusy", err)
		}
		if waited := time.Since(start); waited != 3*time.Second {
			t.Errorf("Acquire gave up after %v, want the gate's wait of 3s", waited)
		}

		done := make(chan error, 1)
		go func() {
			release, err := g.Acquire(t.Context())
			if err == nil {
				release()
			}
			done <- err
		}()
		time.Sleep(time.Second)
		releases[0]()
		if err := <-done; err != nil {
			t.Errorf("Acquire when a slot came free during the wait: %v", err)
		}
		releases[1]()
	})
}

func TestHashGateContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := NewHashGate(1, time.Minute)
		release, err := g.Acquire(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		defer release()
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		if _, err := g.Acquire(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Acquire with an ended context = %v, want context.DeadlineExceeded", err)
		}
	})
}

func TestHashGateNoWait(t *testing.T) {
	g := NewHashGate(1, 0)
	release, err := g.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Acquire(context.Background()); !errors.Is(err, ErrBusy) {
		t.Errorf("Acquire = %v, want ErrBusy", err)
	}
	release()
	if release, err = g.Acquire(context.Background()); err != nil {
		t.Errorf("Acquire after release: %v", err)
	} else {
		release()
	}
	if got := cap(NewHashGate(0, 0).slots); got != DefaultHashSlots() || got < 2 {
		t.Errorf("NewHashGate(0) has %d slots, want DefaultHashSlots() = %d (at least 2)", got, DefaultHashSlots())
	}
}
