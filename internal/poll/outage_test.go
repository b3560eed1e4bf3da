package poll_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/poll"
	"github.com/parleyhq/parley/internal/testlog"
)

// downStore is a store whose database is down, for the scans down says,
// to the calls fail says; at other scans there is one workspace, with no
// inbox. Each scan moves the clock on fifteen seconds, as the default
// rescan does.
type downStore struct {
	poll.Store // nil: the runner asks for nothing else
	now        time.Time
	scans      int
	fail       string // "workspaces" or "inboxes"
	down       func(scan int) bool
	stop       func(scan int) bool
	cancel     context.CancelFunc
}

var errRefused = errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")

func (s *downStore) Workspaces(ctx context.Context) ([]care.Workspace, error) {
	s.scans++
	s.now = s.now.Add(15 * time.Second)
	switch {
	case s.stop(s.scans):
		s.cancel()
		return nil, ctx.Err()
	case s.fail == "workspaces" && s.down(s.scans):
		return nil, errRefused
	}
	return []care.Workspace{{ID: 1, Slug: "acme"}}, nil
}

func (s *downStore) Inboxes(context.Context, care.ID) ([]care.Inbox, error) {
	if s.fail == "inboxes" && s.down(s.scans) {
		return nil, errRefused
	}
	return nil, nil
}

func (s *downStore) PruneListenPosts(context.Context, care.ID, time.Time, int) (int, error) {
	return 0, nil
}

// TestRunLogsOutageNotEveryScan: with the database down for 20 scans
// (300 s), whether the workspaces or their inboxes cannot be listed, the
// runner writes a line when the outage starts and once a minute while it
// lasts, not one a scan; after scans that worked, the next outage is told
// of at once.
func TestRunLogsOutageNotEveryScan(t *testing.T) {
	for _, what := range []string{"workspaces", "inboxes"} {
		t.Run(what, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			s := &downStore{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), fail: what, cancel: cancel,
				down: func(scan int) bool { return scan <= 20 || scan > 23 },
				stop: func(scan int) bool { return scan > 26 },
			}
			log, warnings := testlog.Warnings()
			r := &poll.Runner{Store: s, Adapters: &channel.Registry{}, Logger: log, Now: func() time.Time { return s.now },
				Rescan: time.Microsecond}
			r.Run(ctx)
			msg := "poll: list " + what
			want := []string{
				msg + " failed",
				msg + " still failing", // 60 s on
				msg + " still failing",
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
