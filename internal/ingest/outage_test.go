package ingest_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/testlog"
)

// downStore is a store whose database is down for the passes down says:
// every call fails, as every call does without a connection. Its other
// passes find nothing pending. Each pass moves the clock on a second, as
// the pipeline's default poll does.
type downStore struct {
	care.Store // nil: the pipeline asks for nothing else
	now        *time.Time
	passes     int
	down       func(pass int) bool
	stop       func(pass int) bool
	cancel     context.CancelFunc
}

var errRefused = errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")

func (s *downStore) Update(ctx context.Context, fn func(care.Queries) error) error {
	s.passes++
	*s.now = s.now.Add(time.Second)
	switch {
	case s.stop(s.passes):
		s.cancel()
		return ctx.Err()
	case s.down(s.passes):
		return errRefused
	}
	return nil // a pass with nothing pending
}

func (s *downStore) PendingRaw(context.Context, int) ([]care.RawEvent, error) {
	if s.down(s.passes) {
		return nil, errRefused
	}
	return nil, nil
}

// TestRunLogsOutageNotEveryPass: with the database down for 150 passes,
// the pipeline writes a line when the outage starts and once a minute
// while it lasts, not two a pass; after passes that worked, the next
// outage is told of at once.
func TestRunLogsOutageNotEveryPass(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	s := &downStore{now: &now, cancel: cancel,
		down: func(pass int) bool { return pass <= 150 || pass > 153 },
		stop: func(pass int) bool { return pass > 160 },
	}
	log, warnings := testlog.Warnings()
	p := &ingest.Pipeline{Store: s, Logger: log, Now: func() time.Time { return now }, Poll: time.Microsecond}
	p.Run(ctx)
	want := []string{
		"ingest pipeline pass failed",
		"ingest pipeline pass still failing",
		"ingest pipeline pass still failing",
		"ingest pipeline pass failed", // the second outage, after three passes that worked
	}
	if got := warnings(); !slices.Equal(got, want) {
		t.Errorf("logged %d warnings %q, want %q", len(got), got, want)
	}
}
