package whatsapp

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Retrieving media takes two requests
// (developers.facebook.com/docs/whatsapp/cloud-api/reference/media,
// "Retrieve Media URL" and "Download Media"): GET /{media-id} with the
// access token answers {"url", "mime_type", "sha256", "file_size", "id"};
// the url, valid for five minutes, is then fetched with the same token in
// an Authorization header. The token goes only to Meta's own hosts (or to
// the API base itself, a local fake): a url elsewhere in the answer is
// refused rather than handed the token.

// MaxMediaBytes bounds a media download: WhatsApp's largest documents are
// 100 MB.
const MaxMediaBytes = 100 << 20

type mediaInfo struct {
	URL      string `json:"url"`
	MimeType string `json:"mime_type"`
	FileSize int64  `json:"file_size"`
}

// FetchMedia fetches a customer's media by its attachment URL
// ("whatsapp-media:<id>").
func (a *Adapter) FetchMedia(ctx context.Context, in care.Inbox, ref string) (*channel.Media, error) {
	id, ok := strings.CutPrefix(ref, MediaScheme)
	if !ok || id == "" || len(id) > 64 || strings.Trim(id, "0123456789") != "" {
		return nil, care.Errorf(care.ENOTFOUND, "Not a WhatsApp media id.")
	}
	base, err := a.baseURL(in)
	if err != nil {
		return nil, err
	}
	resp, err := a.authorized(ctx, in, base+"/"+id)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if err != nil {
		return nil, care.Errorf(care.EUNAVAILABLE, "WhatsApp's answer about the media was cut off.")
	}
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusBadRequest:
		return nil, care.Errorf(care.ENOTFOUND, "WhatsApp no longer has this file (media is kept 30 days).")
	case resp.StatusCode != http.StatusOK:
		return nil, care.Errorf(care.EUNAVAILABLE, "WhatsApp answered %s for the media.", resp.Status)
	}
	var info mediaInfo
	if err := json.Unmarshal(body, &info); err != nil || info.URL == "" {
		return nil, care.Errorf(care.EUNAVAILABLE, "WhatsApp's answer about the media had no download address.")
	}
	if !trustedMediaURL(info.URL, base) {
		return nil, care.Errorf(care.EUNAVAILABLE, "WhatsApp's media address is not one of Meta's hosts; not fetched.")
	}
	if info.FileSize > MaxMediaBytes {
		return nil, care.Errorf(care.ETOOLARGE, "The file is larger than %d MB.", MaxMediaBytes>>20)
	}
	dl, err := a.authorized(ctx, in, info.URL)
	if err != nil {
		return nil, err
	}
	if dl.StatusCode != http.StatusOK {
		dl.Body.Close()
		return nil, care.Errorf(care.EUNAVAILABLE, "WhatsApp answered %s for the download.", dl.Status)
	}
	mt := info.MimeType
	if mt == "" {
		mt = dl.Header.Get("Content-Type")
	}
	return &channel.Media{Body: struct {
		io.Reader
		io.Closer
	}{io.LimitReader(dl.Body, MaxMediaBytes), dl.Body}, MimeType: mt, Size: info.FileSize}, nil
}

func (a *Adapter) authorized(ctx context.Context, in care.Inbox, u string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("whatsapp: media request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+in.Credentials[CredAccessToken])
	resp, err := a.client().Do(req)
	if err != nil {
		return nil, care.Errorf(care.EUNAVAILABLE, "WhatsApp could not be reached for the media.")
	}
	return resp, nil
}

// trustedMediaURL reports whether the access token may go to u: https on
// one of Meta's hosts, or the API base's own host.
func trustedMediaURL(u, base string) bool {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return false
	}
	if b, err := url.Parse(base); err == nil && p.Scheme == b.Scheme && p.Host == b.Host {
		return true
	}
	if p.Scheme != "https" {
		return false
	}
	h := strings.ToLower(p.Hostname())
	for _, suffix := range []string{".fbsbx.com", ".facebook.com", ".whatsapp.net", ".fbcdn.net"} {
		if strings.HasSuffix(h, suffix) {
			return true
		}
	}
	return false
}
