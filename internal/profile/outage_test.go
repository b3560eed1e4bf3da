package profile_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/profile"
	"github.com/parleyhq/parley/internal/testlog"
)

// downStore is a store whose database is down, for the rounds down says,
// to the calls fail says; at other rounds the lease is this node's and
// there is no workspace. Each round moves the clock on five seconds, as
// the default interval does.
type downStore struct {
	profile.Store // nil: the worker asks for nothing else
	now           time.Time
	rounds        int
	fail          string // "lease" or "list"
	down          func(round int) bool
	stop          func(round int) bool
	cancel        context.CancelFunc
}

var errRefused = errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")

func (s *downStore) AcquireLease(ctx context.Context, _, _ string, _ time.Duration, _ time.Time) (bool, error) {
	s.rounds++
	s.now = s.now.Add(5 * time.Second)
	switch {
	case s.stop(s.rounds):
		s.cancel()
		return false, ctx.Err()
	case s.fail == "lease" && s.down(s.rounds):
		return false, errRefused
	}
	return true, nil
}

func (s *downStore) ReleaseLease(context.Context, string, string) error { return nil }

func (s *downStore) Workspaces(context.Context) ([]care.Workspace, error) {
	if s.fail == "list" && s.down(s.rounds) {
		return nil, errRefused
	}
	return nil, nil
}

// TestRunLogsOutageNotEveryRound: with the database down for 40 rounds
// (200 s), whether the lease cannot be taken or the inboxes cannot be
// listed, the worker writes a line when the outage starts and once a
// minute while it lasts, not one a round; after rounds that worked, the
// next outage is told of at once.
func TestRunLogsOutageNotEveryRound(t *testing.T) {
	for _, what := range []string{"lease", "list"} {
		t.Run(what, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			s := &downStore{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), fail: what, cancel: cancel,
				down: func(round int) bool { return round <= 40 || round > 43 },
				stop: func(round int) bool { return round > 50 },
			}
			log, warnings := testlog.Warnings()
			w := &profile.Worker{Store: s, Logger: log, Now: func() time.Time { return s.now },
				Interval: time.Microsecond, Rescan: time.Second}
			w.Run(ctx)
			msg := map[string]string{"lease": "profiles: take the lease", "list": "profiles: list inboxes"}[what]
			want := []string{
				msg + " failed",
				msg + " still failing", // 60 s on
				msg + " still failing",
				msg + " still failing",
				msg + " failed", // the second outage
			}
			if got := warnings(); !slices.Equal(got, want) {
				t.Errorf("logged %d warnings %q, want %q", len(got), got, want)
			}
		})
	}
}
