package x

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// DMMediaScheme prefixes the attachment URL of a photo, GIF or video sent
// in a direct message: the rest is the media_url_https X delivered, on
// ton.twitter.com. X serves those files only to a request signed for the
// account: "For media in direct messages, media_url is the same https URL
// as media_url_https and must be accessed by signing a request with the
// user's access token using OAuth 1.0A. It is not possible to directly
// embed these images in a web page" (developer.x.com,
// direct-messages/message-attachments/guides/retrieving-media). An agent's
// browser given the bare URL is refused, so Parley fetches the file with
// FetchMedia instead.
const DMMediaScheme = "x-dm-media:"

// dmMediaHost serves direct messages' files.
const dmMediaHost = "ton.twitter.com"

// dmMediaPath begins the path of every direct message's file:
// /1.1/ton/data/dm/{dm event id}/{media id}/{name}.
const dmMediaPath = "/1.1/ton/data/dm/"

// MaxDMMediaBytes bounds a download: X accepts DM images of 5 MB, GIFs of
// 15 MB and videos of up to 512 MB; a file over this is left on X.
const MaxDMMediaBytes = 64 << 20

// maxMediaRedirects bounds the hops from a file's URL to its bytes.
const maxMediaRedirects = 3

// dmMediaURL reports whether rawURL is a direct message's file, which only
// the account's signed request opens. A URL at another host with X's path
// is the inbox's api_base (a local fake) at most: FetchMedia checks.
func dmMediaURL(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil || u.User != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return false
	}
	// The path as a server reads it is the decoded one, where "%2e%2e" is
	// ".." and "%2f" a slash: cleaned, it must be itself, under X's DM
	// files, or a signed request could reach another X endpoint.
	p := u.Path
	return strings.HasPrefix(u.EscapedPath(), dmMediaPath) && strings.HasPrefix(p, dmMediaPath) &&
		path.Clean(p) == p && !strings.Contains(p, `\`)
}

// dmMediaCDN is X's media domain, where a DM file may be redirected.
const dmMediaCDN = "twimg.com"

// redirectAllowed reports whether a DM file's redirect to loc is followed:
// to X's DM media host or media domain over https, or to the inbox's
// api_base (a local fake). It is followed without credentials, but a hop
// anywhere else, an internal service included, is not taken at all.
func redirectAllowed(loc *url.URL, base string) bool {
	if loc.User != nil {
		return false
	}
	if channel.SameOrigin(loc, base) {
		return true
	}
	if loc.Scheme != "https" || loc.Port() != "" && loc.Port() != "443" {
		return false
	}
	h := strings.ToLower(loc.Hostname())
	return h == dmMediaHost || h == dmMediaCDN || strings.HasSuffix(h, "."+dmMediaCDN)
}

// FetchMedia downloads a direct message's file by its attachment URL
// ("x-dm-media:https://ton.twitter.com/1.1/ton/data/dm/…") with the
// inbox's credentials: signed with OAuth 1.0a when the inbox has an OAuth
// 1.0a token, the only way X documents; with an OAuth 2.0 token as a
// bearer token otherwise, which X may refuse. The credentials go only to
// ton.twitter.com over https (or to the inbox's api_base, a local fake);
// a redirect is followed without them, and only to X's media hosts (or
// the api_base). It returns ENOTFOUND for a reference that is not a DM
// file or a file X no longer has, ETOOLARGE for one over MaxDMMediaBytes
// (from a read of the body, when X announced no length), and EUNAVAILABLE
// when X refuses or cannot be reached.
func (a *Adapter) FetchMedia(ctx context.Context, in care.Inbox, ref string) (*channel.Media, error) {
	raw, ok := strings.CutPrefix(ref, DMMediaScheme)
	if !ok || len(raw) > 2048 || !dmMediaURL(raw) {
		return nil, care.Errorf(care.ENOTFOUND, "Not the address of a file in an X direct message.")
	}
	u, _ := url.Parse(raw)
	base, err := a.baseURL(in)
	if err != nil {
		return nil, care.Errorf(care.EUNAVAILABLE, "The inbox's api_base is not usable.")
	}
	atX := u.Scheme == "https" && strings.EqualFold(u.Host, dmMediaHost)
	if !atX && !channel.SameOrigin(u, base) {
		return nil, care.Errorf(care.EUNAVAILABLE, "The file is not on X's DM media host; not fetched with the account's credentials.")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, care.Errorf(care.EUNAVAILABLE, "The file's address is not usable.")
	}
	if err := a.authorize(ctx, req, in); err != nil {
		return nil, care.Errorf(care.EUNAVAILABLE, "The inbox has no usable X credentials to fetch the file with.")
	}
	req.Header.Set("User-Agent", "Parley")
	resp, err := a.client().Do(req)
	resp, err = channel.FollowRedirects(ctx, a.client(), resp, err, maxMediaRedirects,
		func(loc *url.URL) bool { return redirectAllowed(loc, base) })
	switch {
	case errors.Is(err, channel.ErrRedirectRefused):
		return nil, care.Errorf(care.EUNAVAILABLE, "X sent the file to an address Parley does not follow.")
	case errors.Is(err, channel.ErrRedirectUnusable):
		return nil, care.Errorf(care.EUNAVAILABLE, "The file's address is not usable.")
	case err != nil:
		return nil, care.Errorf(care.EUNAVAILABLE, "X could not be reached for the file.")
	}
	switch {
	case resp.StatusCode == http.StatusOK:
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		resp.Body.Close()
		return nil, care.Errorf(care.ENOTFOUND, "X no longer has this file.")
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		resp.Body.Close()
		reason := "X refused the account's credentials for the file."
		if !usesOAuth1(in) {
			reason = "X refused the account's OAuth 2.0 token for the file: X serves files of direct messages to OAuth 1.0a requests; give the inbox an OAuth 1.0a token to open them."
		}
		return nil, care.Errorf(care.EUNAVAILABLE, "%s", reason)
	default:
		resp.Body.Close()
		return nil, care.Errorf(care.EUNAVAILABLE, "X answered %d for the file.", resp.StatusCode)
	}
	if resp.ContentLength > MaxDMMediaBytes {
		resp.Body.Close()
		return nil, care.Errorf(care.ETOOLARGE, "The file is larger than %d MB; open it in X.", MaxDMMediaBytes>>20)
	}
	return &channel.Media{Body: &cappedBody{ReadCloser: resp.Body, left: MaxDMMediaBytes},
		MimeType: resp.Header.Get("Content-Type"), Size: max(resp.ContentLength, 0)}, nil
}

// cappedBody fails a read past MaxDMMediaBytes rather than ending there: a
// file X sends without a Content-Length, cut at the bound, would look
// whole to whoever reads it.
type cappedBody struct {
	io.ReadCloser
	left int64 // bytes still allowed
	err  error
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	// One byte past the bound tells a file that ends there from a longer one.
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.ReadCloser.Read(p)
	if int64(n) > b.left {
		b.err = care.Errorf(care.ETOOLARGE, "The file is larger than %d MB; open it in X.", MaxDMMediaBytes>>20)
		n = int(b.left)
		b.left = 0
		return n, b.err
	}
	b.left -= int64(n)
	return n, err
}
