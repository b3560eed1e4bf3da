package reddit

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Rate limits (Reddit Data API Wiki, support.reddithelp.com; the headers
// date from r/redditdev "Formal ratelimiting headers", 2014): every
// response to an OAuth request carries
//
//	X-Ratelimit-Used       approximate requests used in this period
//	X-Ratelimit-Remaining  approximate requests left ("598.0": a float)
//	X-Ratelimit-Reset      approximate seconds to the end of the period
//
// The period is 10 minutes and the free tier allows 100 queries a minute
// per OAuth client id, averaged over it: the budget is the app's, shared
// by every inbox connected through the same client id.

// defaultRateWait is the wait after a 429 that names no reset: Reddit's
// window is 10 minutes, and a reset is usually named.
const defaultRateWait = time.Minute

// rateLimit is what a response's headers said of the budget.
type rateLimit struct {
	used, remaining int
	reset           time.Time // when the period ends
	ok              bool      // the headers were there and readable
}

// parseRateLimit reads the X-Ratelimit headers at now; ok is false unless
// Used and Remaining are readable, non-negative numbers.
func parseRateLimit(h http.Header, now time.Time) rateLimit {
	used, ok1 := headerCount(h.Get("X-Ratelimit-Used"))
	remaining, ok2 := headerCount(h.Get("X-Ratelimit-Remaining"))
	var r rateLimit
	if secs, ok := headerCount(h.Get("X-Ratelimit-Reset")); ok {
		r.reset = now.Add(time.Duration(min(secs, int(channel.MaxRetryAfter/time.Second))) * time.Second).UTC().Truncate(time.Second)
	}
	if ok1 && ok2 {
		r.used, r.remaining, r.ok = used, remaining, true
	}
	return r
}

// headerCount reads a count Reddit may write as a float ("598.0"),
// rounded down; ok is false for anything not a number from 0 to a
// billion.
func headerCount(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 32 {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || f < 0 || f > 1e9 {
		return 0, false
	}
	return int(f), true
}

// String is the budget as the inbox's health line shows it:
// "588/600 left, resets 10:15:00Z".
func (r rateLimit) String() string {
	if !r.ok {
		return ""
	}
	s := strconv.Itoa(r.remaining) + "/" + strconv.Itoa(r.used+r.remaining) + " left"
	if !r.reset.IsZero() {
		s += ", resets " + r.reset.Format("15:04:05Z")
	}
	return s
}

// wait is how long to wait after a 429: until the reset, else the
// response's Retry-After, else defaultRateWait; at least a second and at
// most channel.MaxRetryAfter.
func (r rateLimit) wait(h http.Header, now time.Time) time.Duration {
	if !r.reset.IsZero() {
		return min(max(r.reset.Sub(now), time.Second), channel.MaxRetryAfter)
	}
	if d, ok := channel.ParseRetryAfter(h.Get("Retry-After"), now); ok {
		return max(d, time.Second)
	}
	return defaultRateWait
}

// low reports whether the budget is nearly spent: under a tenth of the
// period's total, and under lowReserve.
func (r rateLimit) low() bool {
	return r.ok && r.remaining < max(lowReserve, (r.used+r.remaining)/10)
}

// lowReserve is the number of requests below which polling slows down,
// keeping the rest of the period for replies.
const lowReserve = 20

// budget is an inbox's last reported budget.
type budget struct {
	rate rateLimit
	at   time.Time
}

// record keeps the budget a response reported for the inbox.
func (a *Adapter) record(in care.Inbox, r rateLimit) {
	if !r.ok {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.budgets == nil {
		a.budgets = map[care.ID]budget{}
	}
	a.budgets[in.ID] = budget{rate: r, at: a.now()}
}

// lowUntil returns when the inbox's budget resets, if the last response
// reported it nearly spent and the period has not ended since.
func (a *Adapter) lowUntil(in care.Inbox) (time.Time, bool) {
	a.mu.Lock()
	b, ok := a.budgets[in.ID]
	a.mu.Unlock()
	if !ok || !b.rate.low() {
		return time.Time{}, false
	}
	reset := b.rate.reset
	if reset.IsZero() {
		reset = b.at.Add(defaultRateWait)
	}
	if !a.now().Before(reset) {
		return time.Time{}, false
	}
	return reset, true
}
