package hooks_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/hooks"
	"github.com/parleyhq/parley/internal/testlog"
)

// downStore is a store whose database is down for the passes down says;
// its other passes find nothing due. Each pass moves the clock on two
// seconds, as the worker's tick does.
type downStore struct {
	care.Store // nil: the worker asks for nothing else
	now        time.Time
	passes     int
	down       func(pass int) bool
	stop       func(pass int) bool
	cancel     context.CancelFunc
}

func (s *downStore) LeaseHooks(ctx context.Context, _ time.Time, _ time.Duration, _ int) ([]care.HookDelivery, error) {
	s.passes++
	s.now = s.now.Add(2 * time.Second)
	switch {
	case s.stop(s.passes):
		s.cancel()
		return nil, ctx.Err()
	case s.down(s.passes):
		return nil, errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")
	}
	return nil, nil
}

// TestRunLogsOutageNotEveryPass: with the database down for 100 passes
// (200 s), the worker writes a line when the outage starts and once a
// minute while it lasts, not one a pass; after passes that worked, the
// next outage is told of at once.
func TestRunLogsOutageNotEveryPass(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	s := &downStore{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), cancel: cancel,
		down: func(pass int) bool { return pass <= 100 || pass > 103 },
		stop: func(pass int) bool { return pass > 110 },
	}
	log, warnings := testlog.Warnings()
	wake := make(chan struct{})
	close(wake) // a pass at once, every time
	w := &hooks.Worker{Store: s, Logger: log, Now: func() time.Time { return s.now }, Wake: wake}
	w.Run(ctx)
	want := []string{
		"hooks: pass failed",
		"hooks: pass still failing", // 60 s on
		"hooks: pass still failing",
		"hooks: pass still failing",
		"hooks: pass failed", // the second outage
	}
	if got := warnings(); !slices.Equal(got, want) {
		t.Errorf("logged %d warnings %q, want %q", len(got), got, want)
	}
}
