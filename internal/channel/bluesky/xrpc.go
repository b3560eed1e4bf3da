package bluesky

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// call is one XRPC request: GET for a query, POST for a procedure
// (atproto.com/specs/xrpc), to {PDS}/xrpc/{nsid}.
type call struct {
	post  bool
	nsid  string
	query url.Values
	body  any    // a procedure's JSON input; nil for none
	proxy string // the atproto-proxy header, "" for the PDS itself
}

// reply is what the server answered, its body bounded.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// send makes one request with bearer as its Authorization ("" for none).
// It returns an error only when no complete answer arrived; the reply is
// still returned when its status came but its body did not.
func (a *Adapter) send(ctx context.Context, base, bearer string, c call) (*reply, error) {
	u := base + "/xrpc/" + c.nsid
	if len(c.query) > 0 {
		u += "?" + c.query.Encode()
	}
	var body io.Reader
	if c.body != nil {
		b, err := json.Marshal(c.body)
		if err != nil {
			return nil, fmt.Errorf("bluesky: encode %s: %w", c.nsid, err)
		}
		body = bytes.NewReader(b)
	}
	method := http.MethodGet
	if c.post {
		method = http.MethodPost
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, fmt.Errorf("bluesky: build %s: %w", c.nsid, err)
	}
	req.Header.Set("User-Agent", "Parley")
	req.Header.Set("Accept", "application/json")
	if c.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	if c.proxy != "" {
		req.Header.Set("atproto-proxy", c.proxy)
	}
	resp, err := a.client().Do(req)
	if err != nil {
		return nil, fmt.Errorf("bluesky: %s: %w", c.nsid, err)
	}
	defer resp.Body.Close()
	limit := int64(maxResponseBytes)
	if resp.StatusCode >= 300 {
		limit = maxErrorBytes
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return &reply{status: resp.StatusCode, header: resp.Header}, fmt.Errorf("bluesky: read %s: %w", c.nsid, err)
	}
	if int64(len(b)) > limit {
		if resp.StatusCode < 300 {
			return &reply{status: resp.StatusCode, header: resp.Header}, fmt.Errorf("bluesky: %s answered more than %d bytes", c.nsid, limit)
		}
		b = b[:limit]
	}
	return &reply{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// apiError is an XRPC error answer: its status and the body's
// {"error": name, "message": text} (atproto.com/specs/xrpc, "Error
// Responses"), both cut to one safe line.
type apiError struct {
	NSID    string
	Status  int
	Name    string
	Message string
	Header  http.Header
}

func (e *apiError) Error() string {
	s := fmt.Sprintf("bluesky: %s: %d", e.NSID, e.Status)
	if e.Name != "" {
		s += " " + e.Name
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// maxDetail bounds the server's own words kept in an error.
const maxDetail = 200

func parseAPIError(nsid string, r *reply) *apiError {
	e := &apiError{NSID: nsid, Status: r.status, Header: r.header}
	var body struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}
	if json.Unmarshal(r.body, &body) == nil {
		e.Name = channel.Excerpt([]byte(body.Error), 64)
		e.Message = channel.Excerpt([]byte(body.Message), maxDetail)
	} else {
		e.Message = channel.Excerpt(r.body, maxDetail)
	}
	return e
}

// expired reports whether the access token was refused as expired. The PDS
// answers 400 ExpiredToken (its auth verifier throws InvalidRequestError
// 'Token has expired', 'ExpiredToken'); services behind the proxy answer
// the same name with 401.
func (e *apiError) expired() bool {
	return (e.Status == http.StatusBadRequest || e.Status == http.StatusUnauthorized) && e.Name == "ExpiredToken"
}

// unauthenticated reports whether the access token was refused outright
// (revoked, or a session the server no longer knows), as opposed to a good
// token that lacks a permission: the PDS answers 400 InvalidToken "Bad
// token scope" or "Bad token method" to an App Password without the
// privilege (its app-passwords tests; "Bad token method" for chat.bsky.*
// without DM access), and a new token would not change that.
func (e *apiError) unauthenticated() bool {
	if e.expired() {
		return true
	}
	if e.lacksPrivilege() {
		return false
	}
	return e.Status == http.StatusUnauthorized ||
		e.Status == http.StatusBadRequest && e.Name == "InvalidToken"
}

func (e *apiError) lacksPrivilege() bool {
	return strings.Contains(strings.ToLower(e.Message), "bad token scope") ||
		strings.Contains(strings.ToLower(e.Message), "bad token method")
}

// noDMAccess reports a token refused for chat: an App Password created
// without "Allow access to your direct messages".
func (e *apiError) noDMAccess() bool {
	return strings.HasPrefix(e.NSID, "chat.") && e.lacksPrivilege()
}

func (e *apiError) temporary() bool {
	switch s := e.Status; {
	case s == http.StatusRequestTimeout, s == http.StatusTooEarly, s == http.StatusTooManyRequests, s >= 500:
		return true
	}
	return false
}

// rateLimit is the RateLimit-* headers the PDS sends on every answer, per
// draft-polli-ratelimit-headers as the docs say
// (docs.bsky.app/docs/advanced-guides/rate-limits). The atproto server
// writes RateLimit-Reset as Unix seconds (xrpc-server rate-limiter.ts:
// Math.floor((Date.now() + msBeforeNext) / 1000)) where the draft has
// delta-seconds; both are read.
type rateLimit struct {
	Limit, Remaining int64
	Reset            time.Time
}

// parseRateLimit reads RateLimit-Limit, -Remaining and -Reset; ok is false
// unless the first two are non-negative integers.
func parseRateLimit(h http.Header, now time.Time) (rl rateLimit, ok bool) {
	limit, ok1 := parseCount(h.Get("RateLimit-Limit"))
	remaining, ok2 := parseCount(h.Get("RateLimit-Remaining"))
	if !ok1 || !ok2 {
		return rateLimit{}, false
	}
	rl = rateLimit{Limit: limit, Remaining: remaining}
	rl.Reset = parseReset(h.Get("RateLimit-Reset"), now)
	return rl, true
}

// parseReset reads a reset as Unix seconds (a value from 2000 to 2100) or
// as delta-seconds (up to a day); zero otherwise.
func parseReset(v string, now time.Time) time.Time {
	n, ok := parseCount(v)
	switch {
	case !ok:
		return time.Time{}
	case n >= 946684800 && n < 4102444800:
		return time.Unix(n, 0).UTC()
	case n <= 86400:
		return now.Add(time.Duration(n) * time.Second).UTC()
	}
	return time.Time{}
}

// parseCount parses a non-negative decimal integer of at most 18 digits.
func parseCount(v string) (int64, bool) {
	v = strings.TrimSpace(v)
	if v == "" || len(v) > 18 {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	return n, err == nil && n >= 0
}

// String formats the budget for the inbox's health line, e.g.
// "2990/3000 left, resets 10:15:00Z".
func (rl rateLimit) String() string {
	s := fmt.Sprintf("%d/%d left", rl.Remaining, rl.Limit)
	if !rl.Reset.IsZero() {
		s += ", resets " + rl.Reset.UTC().Format("15:04:05Z")
	}
	return s
}

func rateLimitLine(h http.Header, now time.Time) string {
	if rl, ok := parseRateLimit(h, now); ok {
		return rl.String()
	}
	return ""
}

// waitFor is how long to wait after a 429 or 5xx: after a 429 until
// RateLimit-Reset (and a second, so the retry lands in the new window);
// otherwise as Retry-After asks, since the PDS sends RateLimit headers on
// every answer and a 502 has nothing to do with the window. At most
// channel.MaxRetryAfter; for a 429 without either header, a minute.
func waitFor(status int, h http.Header, now time.Time) time.Duration {
	if reset := parseReset(h.Get("RateLimit-Reset"), now); !reset.IsZero() && status == http.StatusTooManyRequests {
		return min(max(reset.Sub(now)+time.Second, 0), channel.MaxRetryAfter)
	}
	if d, ok := channel.ParseRetryAfter(h.Get("Retry-After"), now); ok {
		return d
	}
	if status == http.StatusTooManyRequests {
		return time.Minute
	}
	return 0
}

// unreachable is the error for a request that got no answer.
func unreachable(ctx context.Context, what string, err error) error {
	reason := "Bluesky could not be reached"
	var t interface{ Timeout() bool }
	if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) || errors.As(err, &t) && t.Timeout() {
		reason = "Bluesky did not answer in time"
	}
	return channel.Temporary(reason, 0, fmt.Errorf("bluesky: %s: %w", what, err))
}

// sendError turns an XRPC refusal into a *channel.SendError: 429, 408,
// 425 and 5xx temporary (not before the limit resets), everything else
// permanent. what names the request for the agent ("reading
// notifications", "posting the reply").
func (a *Adapter) sendError(what string, e *apiError) *channel.SendError {
	now := a.now()
	se := &channel.SendError{Permanent: !e.temporary(), Status: e.Status, Err: e,
		RateLimit: rateLimitLine(e.Header, now)}
	switch {
	case e.Status == http.StatusTooManyRequests:
		se.RetryAfter = waitFor(e.Status, e.Header, now)
		se.Reason = "Bluesky's rate limit is reached while " + what + "; Parley will retry when it resets"
	case !se.Permanent:
		se.RetryAfter = waitFor(e.Status, e.Header, now)
		se.Reason = fmt.Sprintf("Bluesky is having trouble (%d %s) while %s; Parley will retry", e.Status, http.StatusText(e.Status), what)
	case e.noDMAccess():
		se.Reason = "The App Password has no access to direct messages; create one with \"Allow access to your direct messages\" and update the inbox"
	case e.unauthenticated():
		se.Reason = "Bluesky refused the inbox's session while " + what + "; check the identifier and App Password"
	default:
		se.Reason = "Bluesky refused " + what
	}
	if e.Message != "" {
		se.Reason += ". Bluesky said: " + e.Message
	} else if e.Name != "" {
		se.Reason += " (" + e.Name + ")"
	}
	return se
}

// xrpc makes an authenticated request for the inbox and decodes a 2xx
// answer's JSON into out (when not nil). An access token refused as expired
// or revoked is renewed (see session.go) and the request made once more.
// Errors are *channel.SendError, or *apiError wrapped in one, so callers
// can look at the server's error name with errors.As.
func (a *Adapter) xrpc(ctx context.Context, in care.Inbox, c call, what string, out any) (*reply, error) {
	r, err := a.xrpcRaw(ctx, in, c, what)
	if err != nil {
		return r, err
	}
	if out != nil {
		if err := json.Unmarshal(r.body, out); err != nil {
			return r, channel.Temporary("Bluesky's answer was not understood", 0, fmt.Errorf("bluesky: %s: decode: %w", c.nsid, err))
		}
	}
	return r, nil
}

// xrpcRaw is xrpc without decoding.
func (a *Adapter) xrpcRaw(ctx context.Context, in care.Inbox, c call, what string) (*reply, error) {
	base, err := a.baseURL(in)
	if err != nil {
		return nil, channel.Permanent("the Bluesky inbox's api_base is not a usable URL", err)
	}
	s := a.session(in, base)
	for attempt := 0; ; attempt++ {
		tok, err := a.accessToken(ctx, in, s, base)
		if err != nil {
			return nil, err
		}
		r, err := a.send(ctx, base, tok, c)
		if err != nil {
			if r != nil && r.status >= 200 && r.status < 300 {
				// Accepted, but the answer was cut short: a write is
				// done, and its retry is recognised (rkey.go).
				return nil, channel.Temporary("Bluesky's answer was cut short", 0, err)
			}
			return nil, unreachable(ctx, what, err)
		}
		if r.status >= 200 && r.status < 300 {
			s.authenticated(tok)
			return r, nil
		}
		e := parseAPIError(c.nsid, r)
		if attempt == 0 && e.unauthenticated() {
			s.invalidate(tok)
			continue
		}
		return r, a.sendError(what, e)
	}
}
