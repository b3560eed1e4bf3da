package channel

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// ErrRedirectRefused reports a redirect whose Location is missing,
// malformed or not allowed: the caller words it with its platform's name.
var ErrRedirectRefused = errors.New("channel: redirect to an address not followed")

// ErrRedirectUnusable reports a redirect to an address no request can be
// built for.
var ErrRedirectUnusable = errors.New("channel: redirect address not usable")

// FollowRedirects follows by hand, for at most maxHops hops, the redirects a
// file download was answered with: first and err are what the client's Do
// returned for the signed request. Each hop is a plain GET without the
// credentials, so they stay with the host they were meant for, and only to
// an address allowed accepts; a hop anywhere else, an internal service
// included, is not taken at all. client must not follow redirects itself
// (NoRedirects). It returns the last response, a redirect still when maxHops
// hops were not enough, or ErrRedirectRefused, ErrRedirectUnusable, or the
// transport's error.
func FollowRedirects(ctx context.Context, client *http.Client, first *http.Response, err error, maxHops int, allowed func(*url.URL) bool) (*http.Response, error) {
	resp := first
	for hops := 0; err == nil && hops < maxHops && isRedirect(resp.StatusCode); hops++ {
		loc, lerr := resp.Location()
		resp.Body.Close()
		if lerr != nil || !allowed(loc) {
			return nil, ErrRedirectRefused
		}
		req, rerr := http.NewRequestWithContext(ctx, http.MethodGet, loc.String(), nil)
		if rerr != nil {
			return nil, ErrRedirectUnusable
		}
		resp, err = client.Do(req)
	}
	if err != nil {
		return nil, err
	}
	return resp, nil
}

func isRedirect(code int) bool {
	switch code {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// SameOrigin reports whether u has the scheme and host of base, the
// inbox's api_base: a local fake's address is allowed as the platform's.
func SameOrigin(u *url.URL, base string) bool {
	b, err := url.Parse(base)
	return err == nil && b.Host != "" && strings.EqualFold(u.Scheme, b.Scheme) && strings.EqualFold(u.Host, b.Host)
}
