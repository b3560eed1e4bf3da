package dispatch_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/dispatch"
	"github.com/parleyhq/parley/internal/testlog"
)

// downStore is a store whose database is down for the passes down says;
// its other passes find no workspace. Each pass moves the clock on five
// seconds, as the default interval does.
type downStore struct {
	care.Store // nil: the service asks for nothing else
	now        time.Time
	passes     int
	down       func(pass int) bool
	stop       func(pass int) bool
	cancel     context.CancelFunc
}

func (s *downStore) Workspaces(ctx context.Context) ([]care.Workspace, error) {
	s.passes++
	s.now = s.now.Add(5 * time.Second)
	switch {
	case s.stop(s.passes):
		s.cancel()
		return nil, ctx.Err()
	case s.down(s.passes):
		return nil, errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")
	}
	return nil, nil
}

// TestRunLogsOutageNotEveryPass: with the database down for 40 passes
// (200 s), the service writes a line when the outage starts and once a
// minute while it lasts, not one a pass; after passes that worked, the
// next outage is told of at once.
func TestRunLogsOutageNotEveryPass(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	s := &downStore{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), cancel: cancel,
		down: func(pass int) bool { return pass <= 40 || pass > 43 },
		stop: func(pass int) bool { return pass > 50 },
	}
	log, warnings := testlog.Warnings()
	svc := &dispatch.Service{Store: s, Logger: log, Now: func() time.Time { return s.now }, Interval: time.Microsecond}
	svc.Run(ctx)
	want := []string{
		"dispatch: pass failed",
		"dispatch: pass still failing", // 60 s on
		"dispatch: pass still failing",
		"dispatch: pass still failing",
		"dispatch: pass failed", // the second outage
	}
	if got := warnings(); !slices.Equal(got, want) {
		t.Errorf("logged %d warnings %q, want %q", len(got), got, want)
	}
}
