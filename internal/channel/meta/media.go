package meta

import (
	"context"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Customers' files in Messenger and Instagram messages, and the photos and
// videos of comments, arrive as payload.url: an address on Meta's CDN
// (scontent*.xx.fbcdn.net, lookaside.fbsbx.com, *.cdninstagram.com), signed
// in its query and valid for a limited time. Meta's messaging webhook
// reference documents the URL and no token for it; Parley sends none, so
// no token of the inbox ever reaches a CDN host. Handed to an agent's
// browser, such a link would stop working when its signature expires and
// would tell Meta who looked; so Receive keeps it as "meta-media:<url>",
// which the web interface opens through Parley (GET /c/{id}/media/…) and
// FetchMedia fetches from the CDN on demand. Only https addresses on Meta's
// CDN hosts, or on the inbox's api_base host (a local fake), are kept so and
// fetched; any other address (a link the customer shared) stays a plain link.

// MediaScheme prefixes the attachment URL of a file Meta keeps.
const MediaScheme = "meta-media:"

// MaxMediaBytes bounds a file fetched from Meta's CDN. Meta documents 25 MB
// for the attachments apps send; what customers send is not documented, so
// the bound is WhatsApp's largest, as for WhatsApp media.
const MaxMediaBytes = 100 << 20

// maxMediaRedirects bounds the CDN's redirects followed, each to a trusted
// host again.
const maxMediaRedirects = 3

// cdnSuffixes are Meta's CDN domains: a host is trusted when it is one of
// them or below one.
var cdnSuffixes = []string{"fbcdn.net", "fbsbx.com", "cdninstagram.com"}

// trustedMedia reports whether Parley fetches u for the inbox: https on one
// of Meta's CDN hosts, or on the inbox's api_base host and scheme.
func trustedMedia(u string, in care.Inbox) bool {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" || p.User != nil {
		return false
	}
	if b := in.Credentials[CredAPIBase]; b != "" {
		if bu, err := url.Parse(b); err == nil && bu.Host != "" && p.Scheme == bu.Scheme && strings.EqualFold(p.Host, bu.Host) {
			return true
		}
	}
	if p.Scheme != "https" || p.Port() != "" {
		return false
	}
	h := strings.ToLower(p.Hostname())
	for _, s := range cdnSuffixes {
		if h == s || strings.HasSuffix(h, "."+s) {
			return true
		}
	}
	return false
}

// mediaRef is the attachment URL Receive stores for u: a meta-media
// reference when Parley fetches it for agents, u itself otherwise.
func mediaRef(u string, in care.Inbox) string {
	if u == "" || !trustedMedia(u, in) || len(MediaScheme)+len(u) > maxAttachmentURL {
		return u
	}
	return MediaScheme + u
}

// FetchMedia fetches a customer's file by its attachment URL
// ("meta-media:<CDN url>"). It returns ENOTFOUND for a reference that is
// not one, or whose link Meta no longer serves (expired), ETOOLARGE past
// MaxMediaBytes, and EUNAVAILABLE when the CDN could not be reached or
// answered with something other than the file.
func (m *Messenger) FetchMedia(ctx context.Context, in care.Inbox, ref string) (*channel.Media, error) {
	return m.adapter().fetchMedia(ctx, in, ref)
}

// FetchMedia fetches a customer's file; see Messenger.FetchMedia.
func (g *Instagram) FetchMedia(ctx context.Context, in care.Inbox, ref string) (*channel.Media, error) {
	return g.adapter().fetchMedia(ctx, in, ref)
}

func (a *adapter) fetchMedia(ctx context.Context, in care.Inbox, ref string) (*channel.Media, error) {
	u, ok := strings.CutPrefix(ref, MediaScheme)
	if !ok || !trustedMedia(u, in) {
		return nil, care.Errorf(care.ENOTFOUND, "Not a file Meta keeps.")
	}
	var resp *http.Response
	for hop := 0; ; hop++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, care.Errorf(care.ENOTFOUND, "Not a file Meta keeps.")
		}
		req.Header.Set("User-Agent", "Parley")
		if resp, err = a.httpClient().Do(req); err != nil {
			return nil, &care.Error{Code: care.EUNAVAILABLE, Message: "Meta's CDN could not be reached for the file.", Err: err}
		}
		loc := resp.Header.Get("Location")
		if resp.StatusCode < 300 || resp.StatusCode > 399 || loc == "" {
			break
		}
		resp.Body.Close()
		next, err := resp.Request.URL.Parse(loc)
		if err != nil || hop == maxMediaRedirects || !trustedMedia(next.String(), in) {
			return nil, care.Errorf(care.EUNAVAILABLE, "Meta's CDN sent the file elsewhere; not followed.")
		}
		u = next.String()
	}
	switch {
	case resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		resp.Body.Close()
		return nil, care.Errorf(care.ENOTFOUND, "Meta no longer serves this file: its links expire. Ask the customer to send it again.")
	case resp.StatusCode != http.StatusOK:
		resp.Body.Close()
		return nil, care.Errorf(care.EUNAVAILABLE, "Meta's CDN answered %s for the file.", resp.Status)
	case resp.ContentLength > MaxMediaBytes:
		resp.Body.Close()
		return nil, care.Errorf(care.ETOOLARGE, "The file is larger than %d MB.", MaxMediaBytes>>20)
	}
	mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil {
		mt = "application/octet-stream"
	}
	if mt == "text/html" || mt == "application/json" {
		// A page or a Graph error where the file should be: not the
		// customer's file, and not to be passed on as one.
		resp.Body.Close()
		return nil, care.Errorf(care.EUNAVAILABLE, "Meta's CDN answered with %s instead of the file.", mt)
	}
	size := resp.ContentLength
	if size < 0 {
		size = 0
	}
	return &channel.Media{Body: struct {
		io.Reader
		io.Closer
	}{io.LimitReader(resp.Body, MaxMediaBytes), resp.Body}, MimeType: mt, Size: size}, nil
}
