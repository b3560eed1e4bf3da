package meta

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// maxResponseBytes bounds what is read of a Graph API response.
const maxResponseBytes = 64 << 10

// call makes one Graph API request: method on path (segments are escaped
// here) under the inbox's base URL, with body as JSON when not nil. A 2xx
// JSON answer is decoded into v when v is not nil. It returns the usage
// Meta reported, for the health line, and a *channel.SendError for any
// failure.
func (a *adapter) call(ctx context.Context, in care.Inbox, method string, path []string, body, v any) (string, error) {
	return a.callQuery(ctx, in, method, path, nil, body, v)
}

// callQuery is call with a query string (a read's fields).
func (a *adapter) callQuery(ctx context.Context, in care.Inbox, method string, path []string, query url.Values, body, v any) (string, error) {
	tok := token(in)
	if tok == "" {
		name := CredPageAccessToken
		if in.Channel == care.ChannelInstagram {
			name = CredAccessToken
		}
		return "", channel.Permanent("the inbox has no access token ("+name+"); reconnect it", nil)
	}
	base, err := a.baseURL(in)
	if err != nil {
		return "", channel.Permanent("the inbox's "+CredAPIBase+" is not a usable URL", err)
	}
	esc := make([]string, len(path))
	for i, p := range path {
		esc[i] = url.PathEscape(p)
	}
	var rd io.Reader
	if body != nil {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(body); err != nil {
			return "", channel.Permanent("the request cannot be encoded", err)
		}
		rd = &b
	}
	target := base + "/" + strings.Join(esc, "/")
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return "", channel.Permanent("the Graph API URL is not usable", err)
	}
	// A bearer token rather than ?access_token= keeps it out of any URL a
	// proxy or error message might log.
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("User-Agent", "Parley")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := a.httpClient().Do(req)
	if err != nil {
		reason := "Meta could not be reached"
		if ctx.Err() != nil || isTimeout(err) {
			reason = "Meta did not answer in time"
		}
		return "", channel.Temporary(reason, 0, err)
	}
	defer resp.Body.Close()
	raw, readErr := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	_, _ = io.CopyN(io.Discard, resp.Body, maxResponseBytes)
	u, _ := parseUsage(resp.Header)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return u.String(), classify(resp, raw, u, a.clock())
	}
	// Meta has the request even if its answer was cut short; failing now
	// would only send it again.
	if v != nil && readErr == nil {
		_ = json.Unmarshal(raw, v)
	}
	return u.String(), nil
}

// graphError is the error object of a failed Graph API call
// (developers.facebook.com/docs/graph-api/guides/error-handling).
type graphError struct {
	Message     string `json:"message"`
	Type        string `json:"type"`
	Code        int    `json:"code"`
	Subcode     int    `json:"error_subcode"`
	UserTitle   string `json:"error_user_title"`
	UserMsg     string `json:"error_user_msg"`
	IsTransient bool   `json:"is_transient"`
	FBTraceID   string `json:"fbtrace_id"`
}

func (e *graphError) Error() string {
	return fmt.Sprintf("graph error code %d subcode %d type %q: %s (fbtrace_id %s)", e.Code, e.Subcode, e.Type, e.Message, e.FBTraceID)
}

// parseGraphError decodes {"error": {…}}; ok is false for any other body.
func parseGraphError(body []byte) (e graphError, ok bool) {
	var w struct {
		Error *graphError `json:"error"`
	}
	if json.Unmarshal(body, &w) != nil || w.Error == nil {
		return graphError{}, false
	}
	return *w.Error, true
}

// throttleFloor is the least wait after a throttling error without Meta's
// estimate: its budgets are counted over a rolling hour, so retrying within
// seconds only spends more of it.
const throttleFloor = time.Minute

// classify turns a failed response into a *channel.SendError. The codes are
// Meta's: developers.facebook.com/docs/graph-api/guides/error-handling and
// the Messenger Platform's error-codes page; the private-reply codes 10900 to
// 10903 are those reported for replies to comments.
func classify(resp *http.Response, body []byte, u usage, now time.Time) error {
	ge, ok := parseGraphError(body)
	var e *channel.SendError
	if !ok {
		// No Graph error object: a proxy, an outage page. Judge by status.
		e = channel.ClassifyHTTP(resp, body, now).(*channel.SendError)
		e.Reason = "Meta answered " + e.Reason
	} else {
		e = graphSendError(&ge, resp.StatusCode)
		e.Err = &ge
	}
	e.Status = resp.StatusCode
	e.RateLimit = u.String()
	if !e.Permanent {
		if d, ok := channel.ParseRetryAfter(resp.Header.Get("Retry-After"), now); ok {
			e.RetryAfter = max(e.RetryAfter, d)
		}
		e.RetryAfter = max(e.RetryAfter, u.regain)
	}
	return e
}

func graphSendError(ge *graphError, status int) *channel.SendError {
	meta := channel.Excerpt([]byte(firstNonEmpty(ge.UserMsg, ge.Message)), 160)
	perm := func(reason string) *channel.SendError {
		if meta != "" {
			reason += " (Meta: " + meta + ")"
		}
		return &channel.SendError{Permanent: true, Reason: reason}
	}
	// refused is perm for a refusal of this reply alone: the account works.
	refused := func(reason string) *channel.SendError {
		e := perm(reason)
		e.Refused = true
		return e
	}
	temp := func(reason string, wait time.Duration) *channel.SendError {
		return &channel.SendError{Reason: reason, RetryAfter: wait}
	}
	switch c, sub := ge.Code, ge.Subcode; {
	case c == 4 || c == 17 || c == 32 || c == 613 || c >= 80000 && c <= 80099:
		// Application, user, Page and Business Use Case throttling.
		return temp("Meta is rate-limiting this app or account", throttleFloor)
	case c == 10 && (sub == 2018278 || sub == 2018065 || sub == 2534022):
		// 2018278 and 2018065 on Messenger, 2534022 on Instagram
		// (IGApiException "This message is sent outside of allowed window").
		return refused("outside the messaging window: Meta only allows a reply within 24 hours of the customer's last message, or 7 days with the human agent tag")
	case c == 10 && sub == 2018108:
		// "This person isn't receiving messages from you right now."
		return refused("this person isn't receiving messages from the Page right now")
	case c == 10900:
		return refused("this comment already has its private reply: Meta allows one per comment")
	case c >= 10901 && c <= 10903:
		return refused("Meta does not allow a private reply to this comment: it is older than 7 days, deleted, or the Page's own")
	case c == 551 || c == 200 && sub == 1545041:
		return refused("this person isn't available on Messenger right now (they may have blocked the Page)")
	case c == 100 && sub == 2018001:
		return refused("Meta knows no such person for this Page")
	case c == 100 && sub == 2018109:
		return refused("the attachment is larger than Meta accepts")
	case c == 190 || c == 102 || c == 463 || c == 467:
		return perm("the access token expired or was revoked: reconnect the inbox with a new token")
	case c == 10 || c == 3 || c >= 200 && c <= 299:
		return perm("the app or token lacks a permission Meta requires for this")
	case c == 368:
		return perm("Meta blocked the action as abusive or disallowed")
	case c == 2 && sub == 0:
		// "An unexpected error has occurred. Please retry your request
		// later." Meta adds: "You might also receive this error if a
		// customer has blocked your business from messaging him or her"
		// (developers.facebook.com/docs/messenger-platform/error-codes).
		// Still retried, as an outage would be. The reason is worded to
		// hold for any attempt, since the outbox shows it while retrying
		// and after the last attempt ("gave up after 12 attempts: …"),
		// when a block is the likelier cause.
		return temp("Meta answered with an unexpected error (code 2), which it also sends when the customer has blocked the business", 0)
	case c == 1 || c == 2 || c == 1200 || ge.IsTransient || status >= 500:
		return temp("Meta had a temporary problem", 0)
	case status == http.StatusTooManyRequests:
		return temp("Meta is rate-limiting this app or account", throttleFloor)
	case c == 100:
		return perm("Meta refused the request as invalid")
	}
	return perm(fmt.Sprintf("Meta refused the request (error %d)", ge.Code))
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &t) && t.Timeout()
}
