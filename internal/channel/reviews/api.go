package reviews

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Bounds of Google's answers: a page of 50 reviews with their replies
// (each text at most a few kilobytes), and anything else.
const (
	maxPageBytes     = 4 << 20
	maxResponseBytes = 256 << 10
)

// defaultQuotaWait is the wait after a 429 that says nothing of when to
// try again: the quota is counted per minute.
const defaultQuotaWait = time.Minute

// request is one call to the API.
type request struct {
	method string
	path   string // after /v4/, e.g. accounts/1/locations/2/reviews
	query  string // encoded, without "?"
	body   []byte // JSON
	limit  int64  // 0 means maxResponseBytes
}

// response is the API's answer, its body read within the request's bound.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r *response) ok() bool { return r.status >= 200 && r.status <= 299 }

// call makes r for inbox in with an access token from the inbox's grant;
// a 401 gets one more try with a fresh token, since Google revokes tokens
// before they expire (a password change, a revoked grant). It returns a
// *channel.SendError when no answer came or the token could not be had;
// any answer, 2xx or not, is returned for the caller to judge.
func (a *Adapter) call(ctx context.Context, in care.Inbox, r request) (*response, error) {
	base, err := apiBase(in)
	if err != nil {
		return nil, channel.Permanent(care.ErrorMessage(err), err)
	}
	g, err := grant(in)
	if err != nil {
		return nil, err
	}
	u := base + "/v4/" + r.path
	if r.query != "" {
		u += "?" + r.query
	}
	for attempt := 0; ; attempt++ {
		tok, err := a.source().Token(ctx, g)
		if err != nil {
			return nil, err
		}
		var body io.Reader
		if r.body != nil {
			body = bytes.NewReader(r.body)
		}
		req, err := http.NewRequestWithContext(ctx, r.method, u, body)
		if err != nil {
			return nil, channel.Permanent("the inbox's api_base is not usable", err)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Accept", "application/json")
		if r.body != nil {
			req.Header.Set("Content-Type", "application/json; charset=utf-8")
		}
		resp, err := a.client().Do(req)
		if err != nil {
			reason := "Google could not be reached"
			if ctx.Err() != nil || isTimeout(err) {
				reason = "Google did not answer in time"
			}
			return nil, channel.Temporary(reason, 0, err)
		}
		limit := r.limit
		if limit <= 0 {
			limit = maxResponseBytes
		}
		b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
		resp.Body.Close()
		ok := resp.StatusCode >= 200 && resp.StatusCode <= 299
		switch {
		case err != nil && ok:
			return nil, channel.Temporary("Google's answer was cut off", 0, err)
		case int64(len(b)) > limit && ok:
			return nil, channel.Temporary("Google's answer was too large", 0, errors.New("reviews: response over "+strconv.FormatInt(limit, 10)+" bytes"))
		case int64(len(b)) > limit:
			b = b[:limit]
		}
		if resp.StatusCode == http.StatusUnauthorized && attempt == 0 {
			a.source().Invalidate(g)
			continue
		}
		return &response{status: resp.StatusCode, header: resp.Header, body: b}, nil
	}
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &t) && t.Timeout()
}

// googleError is Google's error body (cloud.google.com/apis/design/errors):
// the HTTP code, a canonical status (RESOURCE_EXHAUSTED, …), a developer
// message and typed details, of which Parley reads ErrorInfo (reason and
// metadata, such as the quota's limit) and RetryInfo (retryDelay).
type googleError struct {
	Error struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Status  string `json:"status"`
		Details []struct {
			Type       string            `json:"@type"`
			Reason     string            `json:"reason"`
			Metadata   map[string]string `json:"metadata"`
			RetryDelay string            `json:"retryDelay"`
		} `json:"details"`
		// Errors is the older format's list, still sent by some APIs.
		Errors []struct {
			Reason string `json:"reason"`
		} `json:"errors"`
	} `json:"error"`
}

// apiError turns Google's refusal in r into a *channel.SendError whose
// reason tells the agent or admin what to do:
//
//   - 429 or RESOURCE_EXHAUSTED: temporary, until Retry-After, RetryInfo's
//     retryDelay, or a minute; permanent when the project's quota is 0,
//     which is how Google answers a project not approved for the API;
//   - 401: permanent, the grant is refused (call has already tried a
//     fresh token);
//   - a location that is not verified (FAILED_PRECONDITION or
//     PERMISSION_DENIED naming verification): permanent, saying so;
//   - 403: permanent, the API is disabled or the account lacks access;
//   - 408, 425 and 5xx: temporary, honouring Retry-After;
//   - everything else permanent, with Google's message.
func apiError(r *response, now time.Time) *channel.SendError {
	var g googleError
	_ = json.Unmarshal(r.body, &g)
	msg := errorMessage(r)
	var reasons []string
	meta := map[string]string{}
	var retryDelay time.Duration
	for _, d := range g.Error.Details {
		if d.Reason != "" {
			reasons = append(reasons, d.Reason)
		}
		for k, v := range d.Metadata {
			meta[k] = v
		}
		if d.RetryDelay != "" {
			if dd, err := time.ParseDuration(d.RetryDelay); err == nil && dd > 0 {
				retryDelay = min(dd, channel.MaxRetryAfter)
			}
		}
	}
	for _, e := range g.Error.Errors {
		if e.Reason != "" {
			reasons = append(reasons, e.Reason)
		}
	}
	status := g.Error.Status
	e := &channel.SendError{Permanent: true, Status: r.status,
		Err: errors.New("reviews: HTTP " + strconv.Itoa(r.status) + " " + channel.Excerpt([]byte(status), 40) + ": " + msg)}
	switch {
	case r.status == http.StatusTooManyRequests || status == "RESOURCE_EXHAUSTED":
		limit := meta["quota_limit_value"]
		if limit == "0" {
			e.Reason = "Google gives the Cloud project no quota for the Business Profile API (0 requests): the project must be approved for API access (developers.google.com/my-business/content/prereqs)"
			return e
		}
		e.Permanent = false
		e.RetryAfter = defaultQuotaWait
		if d, ok := channel.ParseRetryAfter(r.header.Get("Retry-After"), now); ok {
			e.RetryAfter = max(d, time.Second)
		} else if retryDelay > 0 {
			e.RetryAfter = retryDelay
		}
		e.RateLimit = "quota exhausted"
		if n, err := strconv.Atoi(limit); err == nil && n > 0 {
			e.RateLimit = "0/" + limit + " left this minute (project quota)"
		}
		e.Reason = "Google's quota for the Business Profile API is spent; waiting for it to refill"
	case r.status == http.StatusUnauthorized:
		e.Reason = "Google refused the access token (" + msg + "): connect the location again"
	case unverified(r.status, status, msg, reasons):
		e.Reason = "the location is not verified on Google Business Profile, and Google serves reviews only of verified locations: verify it, then try again"
	case r.status == http.StatusForbidden && hasReason(reasons, "SERVICE_DISABLED", "accessNotConfigured", "API_DISABLED"):
		e.Reason = "the Google My Business API is not enabled in the Cloud project (" + msg + ")"
	case r.status == http.StatusForbidden:
		e.Reason = "Google refused access to the location (" + msg + "): the connected Google account must be an owner or manager of it"
	case r.status == http.StatusRequestTimeout, r.status == http.StatusTooEarly, r.status >= 500 && r.status <= 599:
		e.Permanent = false
		if d, ok := channel.ParseRetryAfter(r.header.Get("Retry-After"), now); ok {
			e.RetryAfter = d
		} else if retryDelay > 0 {
			e.RetryAfter = retryDelay
		}
		e.Reason = "Google failed (" + strconv.Itoa(r.status) + "): " + msg
	case r.status == http.StatusNotFound:
		e.Reason = "Google has no such review or location (" + msg + ")"
	default:
		e.Reason = "Google refused the request (" + strconv.Itoa(r.status) + "): " + msg
	}
	return e
}

// errorMessage is Google's message in an error answer, shortened and made
// safe to show, or an excerpt of a body that is not Google's error.
func errorMessage(r *response) string {
	var g googleError
	_ = json.Unmarshal(r.body, &g)
	if msg := channel.Excerpt([]byte(g.Error.Message), 200); msg != "" {
		return msg
	}
	if msg := channel.Excerpt(r.body, 200); msg != "" {
		return msg
	}
	return http.StatusText(r.status)
}

// unverified reports whether a refusal is about the location not being
// verified: the API serves only verified locations ("This operation is only
// valid if the specified location is verified"), and says so with
// FAILED_PRECONDITION or PERMISSION_DENIED.
func unverified(code int, status, msg string, reasons []string) bool {
	if code != http.StatusBadRequest && code != http.StatusForbidden && status != "FAILED_PRECONDITION" {
		return false
	}
	if strings.Contains(strings.ToLower(msg), "verif") {
		return true
	}
	for _, r := range reasons {
		if strings.Contains(strings.ToUpper(r), "VERIF") {
			return true
		}
	}
	return false
}

func hasReason(reasons []string, want ...string) bool {
	for _, r := range reasons {
		for _, w := range want {
			if strings.EqualFold(r, w) {
				return true
			}
		}
	}
	return false
}
