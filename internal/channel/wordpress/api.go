package wordpress

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
	"github.com/parleyhq/parley/internal/channel/blog"
)

// Bounds of responses read.
const (
	// maxListBytes bounds a page of up to 100 comments.
	maxListBytes = 16 << 20
	// maxResponseBytes bounds any other answer.
	maxResponseBytes = 1 << 20
	// userAgent names Parley to the site.
	userAgent = "Parley/1.0 (+https://github.com/parleyhq/parley)"
)

// request is one REST call.
type request struct {
	method string
	route  string // "/wp/v2/comments", …
	query  url.Values
	body   any // encoded as JSON, for a POST
	limit  int64
}

// response is a call's answer: status, headers and the body read within
// its bound.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r *response) ok() bool { return r.status >= 200 && r.status <= 299 }

// apiError is WordPress's error body (WP_Error as the REST server sends
// it): {"code":"rest_comment_invalid_id","message":"Invalid comment
// ID.","data":{"status":404}}.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// wpError reads a response's WordPress error; ok is false when the body is
// not one (a web server's or a proxy's page).
func (r *response) wpError() (e apiError, ok bool) {
	if json.Unmarshal(r.body, &e) != nil || e.Code == "" {
		return apiError{}, false
	}
	return e, true
}

// call makes r for inbox in: by ?rest_route= when the inbox says so or
// the site was found to need it, else by /wp-json/, falling back to
// ?rest_route= (and remembering it for the site) when /wp-json/ answers a
// 404 that is not WordPress's: the site has no pretty permalinks, or
// stopped having them. It returns a *channel.SendError when the site cannot be
// reached or its answer is cut or too large; any answer, 2xx or not, is
// returned for the caller to judge.
func (a *Adapter) call(ctx context.Context, in care.Inbox, r request) (*response, error) {
	site, err := siteURL(in.Credentials[CredSiteURL])
	if err != nil {
		return nil, channel.Permanent(care.ErrorMessage(err), err)
	}
	user, pass := in.Credentials[CredUsername], appPassword(in.Credentials[CredAppPassword])
	if user == "" || pass == "" {
		return nil, channel.Permanent("the inbox has no username or application_password", nil)
	}
	route := in.Credentials[CredRoute]
	if route != RouteQuery {
		route = RoutePretty
		if v, ok := a.routes.Load(site); ok {
			route = v.(string)
		}
	}
	resp, err := a.do(ctx, site, user, pass, route, r)
	if err != nil || route == RouteQuery || resp.status != http.StatusNotFound {
		return resp, err
	}
	if _, wp := resp.wpError(); wp {
		return resp, nil
	}
	// /wp-json/ is not WordPress's: try the query route.
	alt, err := a.do(ctx, site, user, pass, RouteQuery, r)
	if err != nil {
		return nil, err
	}
	if _, wp := alt.wpError(); alt.ok() || wp {
		a.routes.Store(site, RouteQuery)
		a.logger().Info("wordpress: the site has no pretty permalinks; using ?rest_route=", "site", site)
		return alt, nil
	}
	return resp, nil
}

// do makes one request by route.
func (a *Adapter) do(ctx context.Context, site, user, pass, route string, r request) (*response, error) {
	q := url.Values{}
	for k, v := range r.query {
		q[k] = v
	}
	var u string
	if route == RouteQuery {
		q.Set("rest_route", r.route)
		u = site + "/?" + q.Encode()
	} else {
		u = site + "/wp-json" + r.route
		if len(q) > 0 {
			u += "?" + q.Encode()
		}
	}
	var body io.Reader
	if r.body != nil {
		b, err := json.Marshal(r.body)
		if err != nil {
			return nil, channel.Permanent("the request cannot be encoded", err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, body)
	if err != nil {
		return nil, channel.Permanent("the inbox's site_url is not usable", err)
	}
	req.SetBasicAuth(user, pass)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := a.client().Do(req)
	if err != nil {
		reason := "the WordPress site could not be reached"
		if ctx.Err() != nil || isTimeout(err) {
			reason = "the WordPress site did not answer in time"
		}
		return nil, channel.Temporary(reason, 0, err)
	}
	defer resp.Body.Close()
	limit := r.limit
	if limit <= 0 {
		limit = maxResponseBytes
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	out := &response{status: resp.StatusCode, header: resp.Header, body: b}
	ok := resp.StatusCode >= 200 && resp.StatusCode <= 299
	switch {
	case err != nil && ok:
		return nil, channel.Temporary("the WordPress site's answer was cut off", 0, err)
	case int64(len(b)) > limit:
		if ok {
			return nil, channel.Temporary("the WordPress site's answer was too large", 0, errors.New("wordpress: response too large"))
		}
		out.body = b[:limit]
	}
	return out, nil
}

// refusal is the error in r as a *channel.SendError: 401 and 403
// permanent, 408, 425, 429 and 5xx temporary with any Retry-After,
// comment_flood temporary (WordPress's default flood interval is 15
// seconds), every other status permanent. Its reason quotes WordPress's
// message, made plain and short, and says what to do.
//
// A 401 is one of three things, told apart by its code. The application
// password's own errors (wp_authenticate_application_password:
// incorrect_password, invalid_username, invalid_email, and
// application_passwords_disabled[_for_user] when the site offers none),
// to which rest_application_password_check_errors adds status 401. Or a
// capability check's rest_* code (rest_forbidden_context, rest_cannot_*,
// rest_not_logged_in, rest_comment_login_required): those answer 401 only
// when no user is logged in, and 403 when the user is but lacks the
// capability (rest_authorization_required_code), so a 401 rest_* means
// the credentials never reached WordPress, which is what a web server
// that does not pass the Authorization header on to PHP does.
func refusal(r *response, now time.Time) *channel.SendError {
	e := &channel.SendError{Permanent: true, Status: r.status}
	wpe, isWP := r.wpError()
	msg := errorText(r)
	switch {
	case r.status == http.StatusUnauthorized && isWP && strings.HasPrefix(wpe.Code, "application_passwords_disabled"):
		e.Reason = "WordPress says application passwords are not available (" + msg + "): WordPress offers them only on a site served over HTTPS, and a security plugin or a filter may turn them off; enable them for the user, then update the inbox"
	case r.status == http.StatusUnauthorized && isWP && strings.HasPrefix(wpe.Code, "rest_"):
		e.Reason = "WordPress treated the request as anonymous (" + msg + "): the user name and application password did not reach it. The web server or a proxy in front of the site drops the Authorization header (Apache running PHP as CGI or FastCGI does unless told to pass it on); have the host pass it on"
	case r.status == http.StatusUnauthorized:
		e.Reason = "WordPress refused the user name or application password (" + msg + "): create a new application password and update the inbox"
	case r.status == http.StatusForbidden && isWP && (strings.HasPrefix(wpe.Code, "rest_cannot_") || strings.HasPrefix(wpe.Code, "rest_forbidden")):
		e.Reason = "WordPress refused the request (" + msg + "): the user lacks a capability; Parley needs an Editor or Administrator"
	case r.status == http.StatusForbidden:
		e.Reason = "WordPress refused the request: " + msg
	case isWP && wpe.Code == "comment_flood":
		e.Permanent = false
		e.RetryAfter = 20 * time.Second
		e.Reason = "WordPress says comments are posted too quickly; trying again shortly"
	case r.status == http.StatusRequestTimeout, r.status == http.StatusTooEarly, r.status == http.StatusTooManyRequests,
		r.status >= 500 && r.status <= 599:
		e.Permanent = false
		if d, ok := channel.ParseRetryAfter(r.header.Get("Retry-After"), now); ok {
			e.RetryAfter = d
		}
		e.Reason = "the WordPress site failed (" + strconv.Itoa(r.status) + ")"
		if r.status == http.StatusTooManyRequests {
			e.Reason = "the WordPress site is limiting requests (429)"
		}
	default:
		e.Reason = "WordPress answered " + strconv.Itoa(r.status) + ": " + msg
	}
	code := ""
	if isWP {
		code = " " + wpe.Code
	}
	e.Err = errors.New("wordpress: HTTP " + strconv.Itoa(r.status) + code + ": " + msg)
	return e
}

// errorText is the message of a WordPress error as plain text (WordPress
// writes messages with HTML entities and, at times, tags), or an excerpt
// of a body that is not one.
func errorText(r *response) string {
	if e, ok := r.wpError(); ok {
		if m := channel.Excerpt([]byte(blog.HTMLToText(e.Message)), 200); m != "" {
			return m
		}
		return channel.Excerpt([]byte(e.Code), 100)
	}
	if ex := channel.Excerpt([]byte(blog.HTMLToText(string(r.body[:min(len(r.body), 4096)]))), 200); ex != "" {
		return ex
	}
	return "no explanation"
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &t) && t.Timeout()
}

// escapeText makes a reply's plain text safe as comment content, which
// WordPress reads as HTML: a "<" or "&" the agent typed shows as written.
func escapeText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
