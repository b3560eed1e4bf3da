package mastodon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// maxResponseBytes bounds a response other than a page of notifications.
const maxResponseBytes = 1 << 20

// errTooLarge is a response over the bound of its request.
var errTooLarge = errors.New("mastodon: response too large")

// request is one REST call.
type request struct {
	method string
	path   string // from the instance's root, "/api/v1/…"
	query  url.Values
	body   []byte // JSON, for a POST
	// idempotencyKey is sent as Idempotency-Key when not "".
	idempotencyKey string
	limit          int64 // bound of the response body; 0 means maxResponseBytes
}

// response is a call's answer: status, headers, the body read within its
// bound, and the rate limit it reported.
type response struct {
	status int
	header http.Header
	body   []byte
	rate   rateLimit
}

// call makes r for inbox in. It returns a temporary *channel.SendError when
// the instance cannot be reached, and errTooLarge (wrapped in a temporary
// *channel.SendError) when the body exceeds its bound; any answer, 2xx or
// not, is returned for the caller to judge.
func (a *Adapter) call(ctx context.Context, in care.Inbox, r request) (*response, error) {
	base, err := baseURL(in)
	if err != nil {
		return nil, channel.Permanent(care.ErrorMessage(err), err)
	}
	token := in.Credentials[CredAccessToken]
	if token == "" {
		return nil, channel.Permanent("the inbox has no access_token", nil)
	}
	u := base + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, body)
	if err != nil {
		return nil, channel.Permanent("the inbox's api_base is not usable", err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.idempotencyKey != "" {
		req.Header.Set("Idempotency-Key", r.idempotencyKey)
	}
	resp, err := a.client().Do(req)
	if err != nil {
		reason := "the Mastodon instance could not be reached"
		if ctx.Err() != nil || isTimeout(err) {
			reason = "the Mastodon instance did not answer in time"
		}
		return nil, channel.Temporary(reason, 0, err)
	}
	defer resp.Body.Close()
	limit := r.limit
	if limit <= 0 {
		limit = maxResponseBytes
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	out := &response{status: resp.StatusCode, header: resp.Header, body: b, rate: parseRateLimit(resp.Header)}
	switch {
	case err != nil && resp.StatusCode >= 200 && resp.StatusCode <= 299:
		return nil, channel.Temporary("the Mastodon instance's answer was cut off", 0, err)
	case int64(len(b)) > limit:
		if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
			return nil, channel.Temporary("the Mastodon instance's answer was too large", 0, errTooLarge)
		}
		out.body = b[:limit]
	}
	return out, nil
}

// ok reports whether the instance accepted the call.
func (r *response) ok() bool { return r.status >= 200 && r.status <= 299 }

// apiError is the refusal in r as a *channel.SendError: 401 and 403
// permanent (the token is revoked or lacks a scope), 429 temporary until
// the rate limit resets, 408, 425 and 5xx temporary with any Retry-After,
// everything else permanent. Its reason quotes Mastodon's error text
// ({"error": "…"}, docs.joinmastodon.org/entities/Error), shortened and
// made safe to show.
func apiError(r *response, now time.Time) *channel.SendError {
	e := &channel.SendError{Permanent: true, Status: r.status, RateLimit: r.rate.String()}
	msg := errorText(r.body)
	switch {
	case r.status == http.StatusUnauthorized:
		e.Reason = "Mastodon refused the access token (" + msg + "): create a new one and update the inbox"
	case r.status == http.StatusForbidden:
		e.Reason = "Mastodon refused the request (" + msg + "): the access token may lack a scope"
	case r.status == http.StatusTooManyRequests:
		e.Permanent = false
		e.RetryAfter = r.rate.wait(r.header, now)
		e.Reason = "Mastodon's rate limit is reached; waiting for it to reset"
	case r.status == http.StatusRequestTimeout, r.status == http.StatusTooEarly, r.status >= 500 && r.status <= 599:
		e.Permanent = false
		if d, ok := channel.ParseRetryAfter(r.header.Get("Retry-After"), now); ok {
			e.RetryAfter = d
		}
		e.Reason = "the Mastodon instance failed (" + strconv.Itoa(r.status) + ")"
	default:
		e.Reason = "Mastodon answered " + strconv.Itoa(r.status) + ": " + msg
	}
	e.Err = errors.New("mastodon: HTTP " + strconv.Itoa(r.status) + ": " + msg)
	return e
}

// errorText is the message of an Error entity, or an excerpt of a body
// that is not one.
func errorText(body []byte) string {
	var e struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if json.Unmarshal(body, &e) == nil && e.Error != "" {
		s := e.Error
		if e.Description != "" {
			s += ": " + e.Description
		}
		return channel.Excerpt([]byte(s), 200)
	}
	if ex := channel.Excerpt(body, 200); ex != "" {
		return ex
	}
	return "no explanation"
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &t) && t.Timeout()
}
