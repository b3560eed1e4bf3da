// Package testlog gives tests a logger that keeps what it warns of, so a
// test can check that a failure was reported rather than silently skipped.
package testlog

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
)

// Warnings returns a logger that keeps the messages of its warnings and
// errors, and a function listing them so far. It is safe for concurrent use.
func Warnings() (*slog.Logger, func() []string) {
	h := &recorder{}
	return slog.New(h), func() []string {
		h.mu.Lock()
		defer h.mu.Unlock()
		return slices.Clone(h.msgs)
	}
}

// recorder is a slog.Handler keeping the messages of warnings and errors.
type recorder struct {
	mu   sync.Mutex
	msgs []string
}

func (h *recorder) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }

func (h *recorder) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.msgs = append(h.msgs, r.Message)
	return nil
}

func (h *recorder) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *recorder) WithGroup(string) slog.Handler      { return h }

// Lines returns a logger that keeps every record, of any level, as its
// level, its message and those of its attributes named by keys, in that
// order ("ERROR outbox pass still failing failures=61"), and a function
// listing them so far. It is safe for concurrent use.
func Lines(keys ...string) (*slog.Logger, func() []string) {
	h := &liner{keys: keys}
	return slog.New(h), func() []string {
		h.mu.Lock()
		defer h.mu.Unlock()
		return slices.Clone(h.lines)
	}
}

type liner struct {
	keys  []string
	mu    sync.Mutex
	lines []string
}

func (h *liner) Enabled(context.Context, slog.Level) bool { return true }

func (h *liner) Handle(_ context.Context, r slog.Record) error {
	line := r.Level.String() + " " + r.Message
	r.Attrs(func(a slog.Attr) bool {
		if slices.Contains(h.keys, a.Key) {
			line += fmt.Sprintf(" %s=%v", a.Key, a.Value)
		}
		return true
	})
	h.mu.Lock()
	defer h.mu.Unlock()
	h.lines = append(h.lines, line)
	return nil
}

func (h *liner) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *liner) WithGroup(string) slog.Handler      { return h }
