package outbox

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/testlog"
)

// With its store down, the worker logs the failure when it starts, once a
// minute while it lasts, and once when it ends, not once a pass.
func TestRunLogsOutageNotEveryPass(t *testing.T) {
	f := newFixture(t)
	log, lines := testlog.Lines("failures")
	f.w.Logger = log
	f.w.PollInterval = time.Microsecond
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	passes := 0
	f.store.leaseErr = func() error {
		passes++
		f.clock.Advance(time.Second) // a pass a second, as by default
		switch {
		case passes <= 150:
			return errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")
		case passes > 152:
			cancel()
		}
		return nil
	}
	if err := f.w.Run(ctx); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"ERROR outbox pass failed",
		"ERROR outbox pass still failing failures=61",
		"ERROR outbox pass still failing failures=121",
		"INFO outbox message sent", // by the pass that worked
		"INFO outbox pass recovered failures=150",
	}
	if got := lines(); !slices.Equal(got, want) {
		t.Errorf("logged %q, want %q", got, want)
	}
}
