package triage_test

import (
	"context"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/testdb"
	"github.com/parleyhq/parley/internal/triage"
)

// A node that stops gives up the recompute lease, so another takes the
// work over at its next turn, not when the lease runs out.
func TestRunReleasesLease(t *testing.T) {
	s := testdb.SQLite(t)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		(&triage.Triager{Store: s}).Run(ctx, s, 10*time.Millisecond, nil)
	}()
	taken := func() bool {
		mine, err := s.AcquireLease(t.Context(), "triage:recompute", "another-node", time.Minute, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if mine {
			s.ReleaseLease(t.Context(), "triage:recompute", "another-node")
		}
		return !mine
	}
	for deadline := time.Now().Add(10 * time.Second); !taken(); {
		if time.Now().After(deadline) {
			t.Fatal("Run never took the lease")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	if taken() {
		t.Error("the lease is still held after Run returned")
	}
}
