package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"
)

// lines is a slog.Handler keeping each record as its message and, when it
// has one, its failures count: "outbox pass still failing failures=61".
type lines struct {
	mu  sync.Mutex
	got []string
}

func (h *lines) Enabled(context.Context, slog.Level) bool { return true }

func (h *lines) Handle(_ context.Context, r slog.Record) error {
	line := r.Message
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "failures" || a.Key == "count" {
			line += fmt.Sprintf(" %s=%v", a.Key, a.Value)
		}
		return true
	})
	h.mu.Lock()
	defer h.mu.Unlock()
	h.got = append(h.got, line)
	return nil
}

func (h *lines) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *lines) WithGroup(string) slog.Handler      { return h }

func (h *lines) lines() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.got)
}

// With its store down, the worker logs the failure when it starts, once a
// minute while it lasts, and once when it ends, not once a pass.
func TestRunLogsOutageNotEveryPass(t *testing.T) {
	f := newFixture(t)
	h := &lines{}
	f.w.Logger = slog.New(h)
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
		"outbox pass failed",
		"outbox pass still failing failures=61",
		"outbox pass still failing failures=121",
		"outbox message sent", // by the pass that worked
		"outbox pass recovered failures=150",
	}
	if got := h.lines(); !slices.Equal(got, want) {
		t.Errorf("logged %q, want %q", got, want)
	}
}
