package reddit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// errTooLarge is a response over the bound of its request.
var errTooLarge = errors.New("reddit: response too large")

// request is one API call.
type request struct {
	method string
	path   string // from the API's root, "/message/inbox"
	query  url.Values
	form   url.Values // the body of a POST
	limit  int64      // bound of the response body; 0 means maxResponseBytes
}

// response is a call's answer: status, headers, the body read within its
// bound, and the budget it reported.
type response struct {
	status int
	header http.Header
	body   []byte
	rate   rateLimit
}

func (r *response) ok() bool { return r.status >= 200 && r.status <= 299 }

// call makes r for inbox in with an access token, and once more with a new
// one if Reddit refuses the first (401). It returns a *channel.SendError
// when no token can be had (permanent when the credentials are refused)
// and a temporary one when Reddit cannot be reached or its answer is cut
// off or too large; any answer, 2xx or not, is returned for the caller to
// judge. Every answer's budget is recorded for PollInterval.
func (a *Adapter) call(ctx context.Context, in care.Inbox, r request) (*response, error) {
	base, err := baseURL(in)
	if err != nil {
		return nil, channel.Permanent(care.ErrorMessage(err), err)
	}
	g, err := a.grantOf(in)
	if err != nil {
		return nil, err
	}
	var resp *response
	for attempt := range 2 {
		tok, err := a.token(ctx, g)
		if err != nil {
			return nil, err
		}
		resp, err = a.do(ctx, in, base, tok, r)
		if err != nil {
			return nil, err
		}
		if resp.status != http.StatusUnauthorized || attempt == 1 {
			break
		}
		// The token expired early or was revoked: get a new one. A
		// refused refresh token fails the next Token for good.
		a.invalidate(g)
	}
	return resp, nil
}

// do sends one request with token.
func (a *Adapter) do(ctx context.Context, in care.Inbox, base, token string, r request) (*response, error) {
	u := base + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	var body io.Reader
	if r.form != nil {
		body = strings.NewReader(r.form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, body)
	if err != nil {
		return nil, channel.Permanent("the inbox's api_base is not usable", err)
	}
	req.Header.Set("Authorization", "bearer "+token)
	req.Header.Set("User-Agent", a.userAgent(in))
	req.Header.Set("Accept", "application/json")
	if r.form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := a.client().Do(req)
	if err != nil {
		reason := "Reddit could not be reached"
		if ctx.Err() != nil || isTimeout(err) {
			reason = "Reddit did not answer in time"
		}
		return nil, channel.Temporary(reason, 0, errors.Join(errNoAnswer, err))
	}
	defer resp.Body.Close()
	limit := r.limit
	if limit <= 0 {
		limit = maxResponseBytes
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		limit = min(limit, maxErrorBytes)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	out := &response{status: resp.StatusCode, header: resp.Header, body: b, rate: parseRateLimit(resp.Header, a.now())}
	a.record(in, out.rate)
	switch {
	case err != nil && out.ok():
		return nil, &channel.SendError{Reason: "Reddit's answer was cut off", Err: errors.Join(errNoAnswer, err), Status: resp.StatusCode, RateLimit: out.rate.String()}
	case int64(len(b)) > limit:
		if out.ok() {
			return nil, &channel.SendError{Reason: "Reddit's answer was too large", Err: errors.Join(errNoAnswer, errTooLarge), Status: resp.StatusCode, RateLimit: out.rate.String()}
		}
		out.body = b[:limit]
	}
	return out, nil
}

// apiError is the refusal in r as a *channel.SendError: 401 and 403
// permanent (the authorisation is revoked or lacks a scope, or the account
// may not do this), 429 temporary until the period resets, 408, 425 and
// 5xx temporary with any Retry-After, everything else permanent. The
// reason quotes Reddit's message, shortened and made safe to show.
func apiError(r *response, now time.Time) *channel.SendError {
	e := &channel.SendError{Permanent: true, Status: r.status, RateLimit: r.rate.String()}
	msg := errorText(r.body)
	switch {
	case r.status == http.StatusUnauthorized:
		e.Reason = "Reddit refused the account's authorisation (" + msg + "): connect the account again"
	case r.status == http.StatusForbidden:
		e.Reason = "Reddit refused the request (403 " + msg + "): the app may lack a scope, or the account may not do this"
	case r.status == http.StatusNotFound:
		e.Reason = "Reddit answered 404: what was asked for does not exist"
	case r.status == http.StatusTooManyRequests:
		e.Permanent = false
		e.RetryAfter = r.rate.wait(r.header, now)
		e.Reason = "Reddit's rate limit is reached; waiting for it to reset"
	case r.status == http.StatusRequestTimeout, r.status == http.StatusTooEarly, r.status >= 500 && r.status <= 599:
		e.Permanent = false
		if d, ok := channel.ParseRetryAfter(r.header.Get("Retry-After"), now); ok {
			e.RetryAfter = d
		}
		e.Reason = "Reddit failed (" + strconv.Itoa(r.status) + ")"
	default:
		e.Reason = "Reddit answered " + strconv.Itoa(r.status) + ": " + msg
	}
	e.Err = errors.New("reddit: HTTP " + strconv.Itoa(r.status) + ": " + msg)
	return e
}

// errorText is the message of one of Reddit's error bodies
// ({"message": "Forbidden", "error": 403}, or {"reason", "explanation"}),
// or an excerpt of a body that is none of them.
func errorText(body []byte) string {
	var e struct {
		Message     string `json:"message"`
		Explanation string `json:"explanation"`
		Reason      string `json:"reason"`
	}
	if json.Unmarshal(body, &e) == nil {
		for _, s := range []string{e.Explanation, e.Message, e.Reason} {
			if ex := channel.Excerpt([]byte(s), 200); ex != "" {
				return ex
			}
		}
	}
	if t := bytes.TrimSpace(body); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		return channel.Excerpt(t, 200)
	}
	// An HTML error page says nothing worth showing.
	return "no explanation"
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &t) && t.Timeout()
}
