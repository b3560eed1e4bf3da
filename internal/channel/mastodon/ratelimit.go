package mastodon

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/channel"
)

// Rate limits (docs.joinmastodon.org/api/rate-limits): 300 requests per
// account and per IP address in 5 minutes, reported in X-RateLimit-Limit,
// X-RateLimit-Remaining and X-RateLimit-Reset ("timestamp when your rate
// limit will reset"; Mastodon writes it in ISO 8601, e.g.
// 2026-11-24T10:05:00.000000Z). The headers describe whichever limit the
// request is closest to exceeding.

// defaultRateWait is the wait after a 429 that names no reset: one
// window.
const defaultRateWait = 5 * time.Minute

// rateLimit is what a response's headers said of the budget.
type rateLimit struct {
	limit, remaining int
	reset            time.Time
	ok               bool // the headers were there and readable
}

// parseRateLimit reads the X-RateLimit headers; ok is false, and remaining
// -1, unless both counts are there and readable.
func parseRateLimit(h http.Header) rateLimit {
	l, err1 := strconv.Atoi(strings.TrimSpace(h.Get("X-RateLimit-Limit")))
	r, err2 := strconv.Atoi(strings.TrimSpace(h.Get("X-RateLimit-Remaining")))
	reset := parseReset(h.Get("X-RateLimit-Reset"))
	if err1 != nil || err2 != nil || l < 0 || r < 0 || r > l {
		return rateLimit{remaining: -1, reset: reset}
	}
	return rateLimit{limit: l, remaining: r, reset: reset, ok: true}
}

// parseReset reads X-RateLimit-Reset: an ISO 8601 time, or Unix seconds as
// some servers speaking the API write it. It returns the zero time for
// anything else.
func parseReset(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC()
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 && n < 1<<40 {
		return time.Unix(n, 0).UTC()
	}
	return time.Time{}
}

// String is the budget as the inbox's health line shows it:
// "12/300 left, resets 10:15:00Z".
func (r rateLimit) String() string {
	if !r.ok {
		return ""
	}
	s := strconv.Itoa(r.remaining) + "/" + strconv.Itoa(r.limit) + " left"
	if !r.reset.IsZero() {
		s += ", resets " + r.reset.Format("15:04:05Z")
	}
	return s
}

// wait is how long to wait after a 429: until the reset, else the
// response's Retry-After, else one window; at most channel.MaxRetryAfter.
func (r rateLimit) wait(h http.Header, now time.Time) time.Duration {
	if !r.reset.IsZero() {
		return min(max(r.reset.Sub(now), time.Second), channel.MaxRetryAfter)
	}
	if d, ok := channel.ParseRetryAfter(h.Get("Retry-After"), now); ok {
		return max(d, time.Second)
	}
	return defaultRateWait
}
