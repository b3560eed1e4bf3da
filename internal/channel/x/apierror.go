package x

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/channel"
)

// X's error bodies come in two shapes (x-api/fundamentals/response-codes-and-errors
// and rate-limits on docs.x.com): an RFC 7807 problem, whose type, title and
// detail are always present,
//
//	{"title": "Forbidden", "detail": "You are not allowed to create a Tweet with duplicate content.",
//	 "type": "about:blank", "status": 403}
//
// with, for an invalid request, the specific reasons in "errors" beside a
// generic detail,
//
//	{"errors": [{"message": "…", "parameters": {…}}], "title": "Invalid Request",
//	 "detail": "One or more parameters to your request was invalid.",
//	 "type": "https://api.x.com/2/problems/invalid-request"}
//
// and the older list {"errors": [{"code": 88, "message": "Rate limit exceeded"}]}.
type problem struct {
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Type   string `json:"type"`
	Errors []struct {
		Message string `json:"message"`
		Title   string `json:"title"`
		Detail  string `json:"detail"`
	} `json:"errors"`
}

// maxDetail bounds the part of X's own words kept in a reason.
const maxDetail = 200

// problemDetail returns the most specific message in an error body, as one
// line of at most maxDetail bytes, "" if it has none: the first of the
// errors' messages, else the problem's detail, else its title.
func problemDetail(body []byte) string {
	var p problem
	if json.Unmarshal(body, &p) != nil {
		return channel.Excerpt(body, maxDetail)
	}
	var msg string
	for _, e := range p.Errors {
		if msg = firstNonEmpty(e.Message, e.Detail, e.Title); msg != "" {
			break
		}
	}
	if msg == "" {
		msg = firstNonEmpty(p.Detail, p.Title)
	}
	return channel.Excerpt([]byte(msg), maxDetail)
}

// usageCapped reports whether an error body is X's usage-capped problem: a
// 429 that the App's usage cap, not the endpoint's 15-minute window, caused.
func usageCapped(body []byte) bool {
	var p problem
	return json.Unmarshal(body, &p) == nil && strings.HasSuffix(strings.ToLower(p.Type), "/problems/usage-capped")
}

// maxCapWait bounds the wait for the App's usage cap: its cycle is a month,
// so its reset is never further away.
const maxCapWait = 31 * 24 * time.Hour

// capRetry is how often reads ask again after the usage cap when X names
// no reset: once a day.
const capRetry = 24 * time.Hour

// capReset is when reads may try again after X's usage-capped problem: the
// time a Retry-After names, should X send one with it (named reports it),
// else a day later, or the start of the next month, UTC, if sooner. X's
// problem body names the period ("period": "Monthly", "scope": "Product",
// github.com/xdevplatform/xdk/issues/25) but not when it ends, and the
// x-rate-limit-reset sent with it is the 15-minute window's, not the cap's:
// waiting for that would ask again, and be refused again, every few
// minutes for weeks. Nor is the start of the month the end: the App's own
// cycle may turn on another day (cap_reset_day,
// developer.x.com/en/docs/x-api/usage/tweets), which only the App's bearer
// token can read, and Parley does not keep it; an admin may also raise the
// plan or add credits at any time. One refused request a day finds either
// within a day.
func capReset(h http.Header, now time.Time) (reset time.Time, named bool) {
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if secs, ok := parseCount(v); ok && secs > 0 {
			return now.Add(time.Duration(min(secs, int64(maxCapWait/time.Second))) * time.Second), true
		}
		if t, err := http.ParseTime(v); err == nil && t.After(now) {
			if t.After(now.Add(maxCapWait)) {
				t = now.Add(maxCapWait)
			}
			return t, true
		}
	}
	y, m, _ := now.UTC().Date()
	month := time.Date(y, m+1, 1, 0, 0, 0, 0, time.UTC)
	if day := now.Add(capRetry); day.Before(month) {
		return day, false
	}
	return month, false
}

// usageCapError makes e the error of a read (a poll's mentions or DMs, a
// listening search) that met the App's spent usage cap: temporary, with
// RetryAfter at the cap's reset (capReset), so that the poll or search
// stops until then instead of being refused at every interval, and a
// reason for the inbox's health line, where the admin who can raise the
// plan looks. reads says what stops ("reading the account's mentions").
func usageCapError(e *channel.SendError, h http.Header, now time.Time, reads string) {
	reset, named := capReset(h, now)
	e.Permanent = false
	e.RetryAfter = max(reset.Sub(now), time.Second)
	at := reset.UTC().Format("2 January 15:04 UTC")
	if named {
		e.Reason = "X's monthly usage cap for the App is used up: Parley stops " + reads + " until " + at +
			", when X says it resets. Raise the plan or add credits in X's Developer Console to resume sooner"
		return
	}
	e.Reason = "X's monthly usage cap for the App is used up: Parley stops " + reads + " and asks X again once a day, next at " + at +
		", since X does not say when the App's cycle resets. Raise the plan or add credits in X's Developer Console to resume"
}

// rateLimit is one of X's rate-limit header triples: x-rate-limit-* for the
// endpoint's 15-minute window, x-user-limit-24hour-* and
// x-app-limit-24hour-* for the daily caps some endpoints (posting, DMs)
// also report. Reset is when the window restarts.
type rateLimit struct {
	Limit, Remaining int64
	Reset            time.Time
}

// Header prefixes of the rate-limit triples.
const (
	windowLimit  = "x-rate-limit"
	userDayLimit = "x-user-limit-24hour"
	appDayLimit  = "x-app-limit-24hour"
)

// parseRateLimit reads the triple with the given prefix. ok is false unless
// remaining and limit are present and are non-negative integers; reset, in
// epoch seconds, is optional.
func parseRateLimit(h http.Header, prefix string) (rl rateLimit, ok bool) {
	limit, ok1 := parseCount(h.Get(prefix + "-limit"))
	remaining, ok2 := parseCount(h.Get(prefix + "-remaining"))
	if !ok1 || !ok2 {
		return rateLimit{}, false
	}
	rl = rateLimit{Limit: limit, Remaining: remaining}
	// Epoch seconds between 2000 and 2100; anything else is not a time X
	// would mean.
	if secs, ok := parseCount(h.Get(prefix + "-reset")); ok && secs >= 946684800 && secs < 4102444800 {
		rl.Reset = time.Unix(secs, 0).UTC()
	}
	return rl, true
}

// parseCount parses a header's non-negative decimal integer of at most 18
// digits (so it cannot overflow).
func parseCount(v string) (int64, bool) {
	v = strings.TrimSpace(v)
	if v == "" || len(v) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return 0, false
		}
		n = n*10 + int64(v[i]-'0')
	}
	return n, true
}

// String formats the budget for the inbox's health line, e.g.
// "12/15 left, resets 10:15:00Z".
func (rl rateLimit) String() string {
	s := fmt.Sprintf("%d/%d left", rl.Remaining, rl.Limit)
	if !rl.Reset.IsZero() {
		s += ", resets " + rl.Reset.UTC().Format("15:04:05Z")
	}
	return s
}

// rateLimitLine returns the budget that matters most in h: an exhausted daily
// cap, else the endpoint's window; "" when X reported none.
func rateLimitLine(h http.Header) string {
	for _, p := range []string{userDayLimit, appDayLimit} {
		if rl, ok := parseRateLimit(h, p); ok && rl.Remaining == 0 {
			return rl.String() + " (daily)"
		}
	}
	if rl, ok := parseRateLimit(h, windowLimit); ok {
		return rl.String()
	}
	return ""
}

// maxDayWait bounds the wait for a daily cap: its window is 24 hours, so
// its reset is never further away, plus the second retryAfter adds.
const maxDayWait = 24*time.Hour + time.Second

// retryAfter is how long to wait after a 429 or 5xx: until the reset of an
// exhausted daily cap, at most maxDayWait, else of the exhausted window, else
// as Retry-After asks, at most channel.MaxRetryAfter.
//
// A daily cap's reset is honoured whole, as YouTube's daily quota is: every
// earlier attempt would be refused again and spend one of the outbox's
// attempts, so cutting the wait to an hour would fail a reply (after twelve
// refused attempts) that the reset would let through.
func retryAfter(h http.Header, now time.Time) time.Duration {
	for _, p := range []string{userDayLimit, appDayLimit} {
		if rl, ok := parseRateLimit(h, p); ok && rl.Remaining == 0 && !rl.Reset.IsZero() {
			// X's reset is a whole second; wait a second more so the
			// retry lands in the new window.
			return min(max(rl.Reset.Sub(now)+time.Second, 0), maxDayWait)
		}
	}
	var reset time.Time
	if rl, ok := parseRateLimit(h, windowLimit); ok && rl.Remaining == 0 && !rl.Reset.IsZero() {
		reset = rl.Reset
	}
	if reset.IsZero() {
		// A 429 without an exhausted counter: the window's reset is
		// still the best hint X gives.
		if secs, ok := parseCount(h.Get(windowLimit + "-reset")); ok && secs >= 946684800 && secs < 4102444800 {
			reset = time.Unix(secs, 0)
		}
	}
	if !reset.IsZero() {
		return min(max(reset.Sub(now)+time.Second, 0), channel.MaxRetryAfter)
	}
	d, _ := channel.ParseRetryAfter(h.Get("Retry-After"), now)
	return d
}

// temporaryStatus reports whether an HTTP status is worth retrying, as
// channel.ClassifyHTTP decides.
func temporaryStatus(code int) bool {
	return code == http.StatusRequestTimeout || code == http.StatusTooEarly ||
		code == http.StatusTooManyRequests || code >= 500 && code <= 599
}

func statusLine(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("%d %s", code, t)
	}
	return fmt.Sprint(code)
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
