package sms

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// MediaScheme prefixes the attachment URL of a customer's MMS (or
// WhatsApp) media: the rest is the MediaUrlN Twilio delivered, which only
// the account can open. "Twilio enforces HTTP Basic Authentication for
// all media URLs" (www.twilio.com/docs/messaging/api/media-resource), so
// an agent's browser given the bare URL meets a password prompt; Parley
// fetches the file with FetchMedia instead.
const MediaScheme = "twilio-media:"

// MaxMediaBytes bounds a media download: MMS carries at most 5 MB, and
// WhatsApp media through Twilio at most 16 MB.
const MaxMediaBytes = 20 << 20

// maxRedirects bounds the hops from the Media URL to the file: Twilio
// answers with a redirect to a short-lived address of its storage.
const maxRedirects = 3

// FetchMedia downloads a customer's media by its attachment URL
// ("twilio-media:https://api.twilio.com/2010-04-01/Accounts/AC…/Messages/MM…/Media/ME…")
// with the inbox's account SID and auth token. The credentials go only to
// Twilio's own hosts (or the inbox's API base, a local fake), and only for
// the inbox's own account's media; the redirect Twilio answers with is
// followed without them. It returns ENOTFOUND for a reference that is not
// a Twilio media URL or a file Twilio no longer has.
func (a *Adapter) FetchMedia(ctx context.Context, in care.Inbox, ref string) (*channel.Media, error) {
	raw, ok := strings.CutPrefix(ref, MediaScheme)
	if !ok || !httpURL(raw) {
		return nil, care.Errorf(care.ENOTFOUND, "Not a Twilio media URL.")
	}
	account, token := in.Credentials[CredAccountSID], in.Credentials[CredAuthToken]
	if !validSID(account, "AC") || token == "" {
		return nil, care.Errorf(care.EUNAVAILABLE, "The inbox has no Twilio account_sid and auth_token to fetch the file with.")
	}
	base, err := a.baseURL(in)
	if err != nil {
		return nil, err
	}
	if !twilioMediaURL(raw, base, account) {
		return nil, care.Errorf(care.EUNAVAILABLE, "The file is not the inbox's Twilio media; not fetched with its credentials.")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return nil, care.Errorf(care.EUNAVAILABLE, "The file's address is not usable.")
	}
	req.SetBasicAuth(account, token)
	resp, err := a.client().Do(req)
	// The address Twilio redirects to is signed for this download; the
	// account's credentials stay with Twilio.
	resp, err = channel.FollowRedirects(ctx, a.client(), resp, err, maxRedirects,
		func(loc *url.URL) bool { return loc.Scheme == "https" || channel.SameOrigin(loc, base) })
	switch {
	case errors.Is(err, channel.ErrRedirectRefused):
		return nil, care.Errorf(care.EUNAVAILABLE, "Twilio sent the file to an address Parley does not follow.")
	case errors.Is(err, channel.ErrRedirectUnusable):
		return nil, care.Errorf(care.EUNAVAILABLE, "The file's address is not usable.")
	case err != nil:
		return nil, care.Errorf(care.EUNAVAILABLE, "Twilio could not be reached for the file.")
	}
	switch {
	case resp.StatusCode == http.StatusOK:
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		resp.Body.Close()
		return nil, care.Errorf(care.ENOTFOUND, "Twilio no longer has this file.")
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		resp.Body.Close()
		return nil, care.Errorf(care.EUNAVAILABLE, "Twilio refused the inbox's account_sid and auth_token for the file.")
	default:
		resp.Body.Close()
		return nil, care.Errorf(care.EUNAVAILABLE, "Twilio answered %d for the file.", resp.StatusCode)
	}
	if resp.ContentLength > MaxMediaBytes {
		resp.Body.Close()
		return nil, care.Errorf(care.ETOOLARGE, "The file is larger than %d MB.", MaxMediaBytes>>20)
	}
	return &channel.Media{Body: struct {
		io.Reader
		io.Closer
	}{io.LimitReader(resp.Body, MaxMediaBytes), resp.Body}, MimeType: resp.Header.Get("Content-Type"), Size: max(resp.ContentLength, 0)}, nil
}

// twilioMediaURL reports whether the account's credentials may go to u:
// a resource of the account under the REST API, on https at one of
// Twilio's hosts (api.twilio.com, or a region's api.<edge>.<region>.twilio.com)
// or at the inbox's API base.
func twilioMediaURL(u, base, account string) bool {
	p, err := url.Parse(u)
	if err != nil || p.User != nil || !strings.HasPrefix(p.Path, "/2010-04-01/Accounts/"+account+"/") || strings.Contains(p.Path, "/../") {
		return false
	}
	if channel.SameOrigin(p, base) {
		return true
	}
	h := strings.ToLower(p.Hostname())
	return p.Scheme == "https" && (h == "twilio.com" || strings.HasSuffix(h, ".twilio.com"))
}
