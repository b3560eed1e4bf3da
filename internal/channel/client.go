package channel

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/parleyhq/parley/internal/care"
)

// CredAPIBase is the inbox credential that points an adapter at another API
// base than the platform's, such as a local fake for tests and demos.
const CredAPIBase = "api_base"

// NoRedirects returns a copy of c (nil means the zero client) that never
// follows redirects: a 301, 302 or 303 would turn a POST into a GET without
// its body, and the reply would be reported sent.
func NoRedirects(c *http.Client) *http.Client {
	var cp http.Client
	if c != nil {
		cp = *c
	}
	cp.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &cp
}

// BaseURL returns the API base to use for an inbox, without a trailing
// slash: its api_base credential, else the adapter's configured base, else
// the platform's default. It returns EINVALID for a base that is not an
// http(s) URL, or that carries a query or fragment.
func BaseURL(in care.Inbox, configured, def string) (string, error) {
	base := in.Credentials[CredAPIBase]
	if base == "" {
		base = configured
	}
	if base == "" {
		base = def
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", care.Errorf(care.EINVALID, "%s must be an http or https URL without a query.", CredAPIBase)
	}
	return strings.TrimRight(base, "/"), nil
}
