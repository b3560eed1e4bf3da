// Package faillog keeps Parley's background loops from writing a line a
// pass while they fail pass after pass, as every one of them does while
// the database is down. A loop that polls every second would otherwise
// write a line a second for the whole outage, and the lines that matter,
// when it began, whether the error changed, when it ended, would scroll
// away among thousands that say the same.
package faillog

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// DefaultEvery is how often a failure that lasts is told of again.
const DefaultEvery = time.Minute

// Log tells of the failures of one chore a loop does pass after pass: the
// first failure at once, the same failure again only every so often with
// a count, a different one at once, and the recovery once.
//
// Set What; the other fields have defaults. Set the fields before first
// use. A Log is safe for concurrent use, so a chore done from several
// goroutines (a relay's sends) keeps one Log, and one outage is one run of
// failures rather than one per goroutine.
type Log struct {
	// Logger receives the lines; nil means slog.Default().
	Logger *slog.Logger
	// What names the chore. The lines are What followed by "failed",
	// "still failing" and "recovered", as in "outbox pass failed", so
	// that one search finds a whole outage.
	What string
	// Every is the time between reminders of a failure that lasts; 0
	// means DefaultEvery.
	Every time.Duration
	// Level is the level of the failure lines; nil means
	// slog.LevelError. The recovery is logged at slog.LevelInfo.
	Level slog.Leveler

	mu       sync.Mutex
	failures int       // in a row, 0 while all is well
	since    time.Time // of the first failure in the row
	logged   time.Time // of the last line about it
	last     string    // the last failure's text
}

// Failed records a failed pass at now; err must not be nil. Passes are
// timed by the caller's clock, so a loop with a clock of its own (a test's)
// is reminded of by that clock.
func (l *Log) Failed(now time.Time, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.failures++
	text := err.Error()
	switch {
	case l.failures == 1:
		l.since = now
		l.log(l.level(), " failed", "err", err)
	case text != l.last:
		l.log(l.level(), " failed", "err", err, "failures", l.failures, "since", l.since)
	case now.Sub(l.logged) >= l.every():
		l.log(l.level(), " still failing", "failures", l.failures, "since", l.since, "err", err)
	default:
		return
	}
	l.last, l.logged = text, now
}

// OK records a pass that worked at now, logging the recovery from a run
// of failures. It costs an uncontended lock while all is well, so a chore
// may call it after every pass.
func (l *Log) OK(now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.failures == 0 {
		return
	}
	l.log(slog.LevelInfo, " recovered", "failures", l.failures, "after", now.Sub(l.since))
	l.failures, l.last = 0, ""
}

// log writes one line. It is called with mu held, so that the lines of
// concurrent passes come out in the order their passes were recorded: a
// recovery never before the failure it ends.
func (l *Log) log(level slog.Level, what string, args ...any) {
	logger := l.Logger
	if logger == nil {
		logger = slog.Default()
	}
	logger.Log(context.Background(), level, l.What+what, args...)
}

func (l *Log) level() slog.Level {
	if l.Level == nil {
		return slog.LevelError
	}
	return l.Level.Level()
}

func (l *Log) every() time.Duration {
	if l.Every <= 0 {
		return DefaultEvery
	}
	return l.Every
}
