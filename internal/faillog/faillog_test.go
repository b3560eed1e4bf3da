package faillog

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/testlog"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func TestLog(t *testing.T) {
	down := errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")
	auth := errors.New("password authentication failed")
	type pass struct {
		at  time.Duration // since the first pass
		err error
	}
	// every second from `from` to `to`, not included, failing with err
	failing := func(from, to time.Duration, err error) []pass {
		var ps []pass
		for at := from; at < to; at += time.Second {
			ps = append(ps, pass{at, err})
		}
		return ps
	}
	for _, tc := range []struct {
		name   string
		every  time.Duration
		level  slog.Leveler
		passes []pass
		want   []string
	}{
		{
			name:   "all well",
			passes: []pass{{0, nil}, {time.Second, nil}},
		},
		{
			name:   "one failure",
			passes: []pass{{0, down}, {time.Second, nil}, {2 * time.Second, nil}},
			want:   []string{"ERROR outbox pass failed", "INFO outbox pass recovered failures=1"},
		},
		{
			name:   "an outage",
			passes: append(failing(0, 150*time.Second, down), pass{150 * time.Second, nil}),
			want: []string{
				"ERROR outbox pass failed",
				"ERROR outbox pass still failing failures=61",
				"ERROR outbox pass still failing failures=121",
				"INFO outbox pass recovered failures=150",
			},
		},
		{
			name:   "the failure changes",
			passes: append(append(failing(0, 10*time.Second, down), failing(10*time.Second, 80*time.Second, auth)...), pass{80 * time.Second, nil}),
			want: []string{
				"ERROR outbox pass failed",
				"ERROR outbox pass failed failures=11",
				"ERROR outbox pass still failing failures=71",
				"INFO outbox pass recovered failures=80",
			},
		},
		{
			name:   "two outages",
			passes: []pass{{0, down}, {time.Second, down}, {2 * time.Second, nil}, {3 * time.Second, down}, {4 * time.Second, nil}},
			want: []string{
				"ERROR outbox pass failed",
				"INFO outbox pass recovered failures=2",
				"ERROR outbox pass failed",
				"INFO outbox pass recovered failures=1",
			},
		},
		{
			name:   "reminders at Every",
			every:  20 * time.Second,
			passes: failing(0, 45*time.Second, down),
			want: []string{
				"ERROR outbox pass failed",
				"ERROR outbox pass still failing failures=21",
				"ERROR outbox pass still failing failures=41",
			},
		},
		{
			name:   "at a level of its own",
			level:  slog.LevelWarn,
			passes: append(failing(0, 61*time.Second, down), pass{61 * time.Second, nil}),
			want: []string{
				"WARN outbox pass failed",
				"WARN outbox pass still failing failures=61",
				"INFO outbox pass recovered failures=61",
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			log, lines := testlog.Lines("failures")
			l := &Log{Logger: log, What: "outbox pass", Every: tc.every, Level: tc.level}
			for _, p := range tc.passes {
				if p.err != nil {
					l.Failed(t0.Add(p.at), p.err)
				} else {
					l.OK(t0.Add(p.at))
				}
			}
			if got := lines(); !slices.Equal(got, tc.want) {
				t.Errorf("logged %q, want %q", got, tc.want)
			}
		})
	}
}

// Without a Logger, the lines go where the process's others go.
func TestLogDefaultLogger(t *testing.T) {
	log, lines := testlog.Lines("failures")
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(log)
	l := &Log{What: "dispatch: pass"}
	l.Failed(t0, errors.New("database is locked"))
	l.OK(t0.Add(time.Second))
	if got, want := lines(), []string{"ERROR dispatch: pass failed", "INFO dispatch: pass recovered failures=1"}; !slices.Equal(got, want) {
		t.Errorf("logged %q, want %q", got, want)
	}
}

// Goroutines failing at once, as a relay's sends do while the database is
// down, make one run of failures: one line, not one each.
func TestLogConcurrentUse(t *testing.T) {
	log, lines := testlog.Lines("failures")
	l := &Log{Logger: log, What: "presence: relay to other nodes"}
	const goroutines, each = 8, 50
	down := errors.New("connection refused")
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for i := range each {
				l.Failed(t0.Add(time.Duration(i)*time.Millisecond), down)
			}
		})
	}
	wg.Wait()
	l.OK(t0.Add(time.Second))
	want := []string{
		"ERROR presence: relay to other nodes failed",
		fmt.Sprintf("INFO presence: relay to other nodes recovered failures=%d", goroutines*each),
	}
	if got := lines(); !slices.Equal(got, want) {
		t.Errorf("logged %q, want %q", got, want)
	}
}
