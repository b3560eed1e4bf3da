package blog

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/parleyhq/parley/internal/channel"
)

// Fetching: a conditional GET (RFC 9110 §13.1: If-None-Match with the
// ETag, If-Modified-Since with the Last-Modified of the last 200 answer,
// both echoed exactly as received), so a feed that did not change costs a
// 304 and no body. Redirects are followed by hand, at most maxRedirects:
// when every hop was permanent (301, 308) the feed has moved, and the new
// address is fetched from then on (and logged, for the operator to update
// the inbox); a temporary one (302, 303, 307) is followed each time. A 410
// Gone stops the feed for good. 429 and 5xx are temporary, honouring
// Retry-After; any other status is the feed's error until it recovers.
// Bodies are read up to maxFeedBytes, after any content coding the
// transport removes, so a compressed bomb costs no more than that.
const (
	maxFeedBytes = 5 << 20
	maxRedirects = 5
	// maxErrorBody bounds the body of an error answer kept for its reason.
	maxErrorBody = 4 << 10
	// accept asks for a feed in any of the formats Parley reads.
	accept = "application/rss+xml, application/atom+xml, application/feed+json;q=0.9, application/json;q=0.8, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
	// userAgent names Parley to the blogs it reads, as feed readers do.
	userAgent = "Parley-feed-reader/1.0 (+https://github.com/parleyhq/parley)"
)

// fetched is a feed's answer.
type fetched struct {
	notModified bool
	body        []byte
	etag        string
	modified    string
	// moved is the feed's new address when every redirect followed was
	// permanent, "" otherwise.
	moved string
}

// errTooLarge is a feed over maxFeedBytes.
var errTooLarge = errors.New("blog: feed too large")

// fetch makes the conditional GET of a feed, from its moved address when
// it has one. It returns a *channel.SendError, with Status 410 for a feed
// gone.
func (a *Adapter) fetch(ctx context.Context, feed string, st *feedState) (fetched, error) {
	ctx, cancel := context.WithTimeout(ctx, a.fetchTimeout())
	defer cancel()
	target := feed
	if st.Moved != "" {
		target = st.Moved
	}
	permanent := true
	for hops := 0; ; hops++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
		if err != nil {
			return fetched{}, channel.Permanent("the feed's address is not usable", err)
		}
		req.Header.Set("User-Agent", userAgent)
		req.Header.Set("Accept", accept)
		if st.ETag != "" {
			req.Header.Set("If-None-Match", st.ETag)
		}
		if st.Modified != "" {
			req.Header.Set("If-Modified-Since", st.Modified)
		}
		resp, err := a.client().Do(req)
		if err != nil {
			reason := "could not be reached"
			if ctx.Err() != nil || isTimeout(err) {
				reason = "did not answer in time"
			}
			return fetched{}, channel.Temporary(reason, 0, err)
		}
		code := resp.StatusCode
		switch {
		case code == http.StatusMovedPermanently || code == http.StatusPermanentRedirect ||
			code == http.StatusFound || code == http.StatusSeeOther || code == http.StatusTemporaryRedirect:
			loc := resp.Header.Get("Location")
			drain(resp)
			if hops == maxRedirects {
				return fetched{}, &channel.SendError{Permanent: true, Status: code, Reason: "redirects more than " + strconv.Itoa(maxRedirects) + " times"}
			}
			next, err := req.URL.Parse(loc)
			if loc == "" || err != nil || (next.Scheme != "http" && next.Scheme != "https") || next.Host == "" || next.User != nil {
				return fetched{}, &channel.SendError{Permanent: true, Status: code, Reason: "redirects to an address that is not a web one"}
			}
			next.Fragment, next.RawFragment = "", ""
			permanent = permanent && (code == http.StatusMovedPermanently || code == http.StatusPermanentRedirect)
			target = next.String()
			continue
		case code == http.StatusNotModified:
			drain(resp)
			return fetched{notModified: true, moved: movedTo(feed, target, permanent && hops > 0)}, nil
		case code >= 200 && code <= 299:
			body, err := io.ReadAll(io.LimitReader(resp.Body, maxFeedBytes+1))
			resp.Body.Close()
			switch {
			case err != nil:
				return fetched{}, channel.Temporary("was cut off", 0, err)
			case len(body) > maxFeedBytes:
				return fetched{}, &channel.SendError{Permanent: true, Status: code, Reason: "is larger than " + strconv.Itoa(maxFeedBytes>>20) + " MiB", Err: errTooLarge}
			}
			return fetched{body: body, etag: resp.Header.Get("ETag"), modified: resp.Header.Get("Last-Modified"),
				moved: movedTo(feed, target, permanent && hops > 0)}, nil
		case code == http.StatusGone:
			drain(resp)
			return fetched{}, &channel.SendError{Permanent: true, Status: code, Reason: "is gone (410): remove it from the inbox's feeds"}
		default:
			b, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
			resp.Body.Close()
			if err := channel.ClassifyHTTP(resp, b, a.now()); err != nil {
				return fetched{}, err
			}
			return fetched{}, &channel.SendError{Status: code, Reason: "answered " + strconv.Itoa(code)}
		}
	}
}

// movedTo is the feed's new address after permanent redirects, "" when
// there were none or it is the same.
func movedTo(feed, target string, permanent bool) string {
	if !permanent || target == feed {
		return ""
	}
	u, err := feedURL(target)
	if err != nil || u == feed {
		return ""
	}
	return u
}

// drain reads a little of a body that is not used and closes it, so the
// connection can be reused.
func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &t) && t.Timeout()
}

// retryAt is when a feed that failed with err may be fetched again: after
// its Retry-After, zero for no wait.
func retryAt(err error, now time.Time) time.Time {
	var se *channel.SendError
	if errors.As(err, &se) && se.RetryAfter > 0 {
		return now.Add(se.RetryAfter)
	}
	return time.Time{}
}
