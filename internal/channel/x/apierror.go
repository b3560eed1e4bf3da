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
