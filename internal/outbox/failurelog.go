package outbox

import (
	"log/slog"
	"time"
)

// failureLog keeps a loop that fails pass after pass, as every worker does
// while the database is down, from writing a line a pass: the first failure
// is logged, the same failure again only every so often with a count, a
// different one at once, and the recovery once.
//
// It is not safe for concurrent use; each loop keeps its own.
type failureLog struct {
	log   *slog.Logger
	what  string        // names the loop in messages: "outbox pass"
	every time.Duration // between reminders of a failure that lasts

	failures int       // in a row, 0 while all is well
	since    time.Time // of the first failure in the row
	logged   time.Time // of the last line about it
	last     string    // the last failure's text
}

// failed records a failed pass at now.
func (f *failureLog) failed(now time.Time, err error) {
	f.failures++
	text := err.Error()
	switch {
	case f.failures == 1:
		f.since = now
		f.log.Error(f.what+" failed", "err", err)
	case text != f.last:
		f.log.Error(f.what+" failed", "err", err, "failures", f.failures, "since", f.since)
	case now.Sub(f.logged) >= f.every:
		f.log.Error(f.what+" still failing", "failures", f.failures, "since", f.since, "err", err)
	default:
		f.last = text
		return
	}
	f.last, f.logged = text, now
}

// ok records a pass that worked at now, logging the recovery from a run of
// failures.
func (f *failureLog) ok(now time.Time) {
	if f.failures == 0 {
		return
	}
	f.log.Info(f.what+" recovered", "failures", f.failures, "after", now.Sub(f.since))
	f.failures, f.last = 0, ""
}
