package meta_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/meta"
	"github.com/parleyhq/parley/internal/channel/meta/metafake"
)

// mediaAdapter is what a Meta adapter offers for files.
type mediaAdapter interface {
	channel.Webhook
	channel.MediaFetcher
}

// A customer's photo arrives as a reference Parley fetches: from the fake
// CDN on 127.0.0.1, without a token, the bytes as sent; and not once the
// CDN has let the link expire.
func TestFetchMedia(t *testing.T) {
	jpeg := append([]byte{0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F'}, bytes.Repeat([]byte{7}, 5000)...)
	for _, tt := range []struct {
		name    string
		a       mediaAdapter
		account string
		ch      care.Channel
	}{
		{"messenger", &meta.Messenger{}, pageID, care.ChannelFacebook},
		{"instagram", &meta.Instagram{}, igID, care.ChannelInstagram},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fake := metafake.New(appSecret)
			fake.AddPage(pageID, "page-token")
			fake.AddInstagram(igID, "ig-token")
			srv := httptest.NewServer(fake.Handler())
			t.Cleanup(srv.Close)
			fake.CDNBase = srv.URL
			in := care.Inbox{Channel: tt.ch, ExternalID: tt.account, Credentials: map[string]string{meta.CredAppSecret: appSecret,
				meta.CredPageAccessToken: "page-token", meta.CredAccessToken: "ig-token", meta.CredAPIBase: srv.URL}}
			_, d := fake.Message(metafake.Message{Account: tt.account, From: psid, Image: jpeg})
			body := d.Body()
			h := http.Header{}
			h.Set(meta.SignatureHeader, fake.Sign(body))
			evs, err := tt.a.Receive(h, body, in, time.Now())
			if err != nil || len(evs) != 1 || len(evs[0].Inbound.Attachments) != 1 {
				t.Fatalf("Receive = %+v, %v; want one message with one attachment", evs, err)
			}
			ref := evs[0].Inbound.Attachments[0].URL
			if !strings.HasPrefix(ref, meta.MediaScheme+srv.URL+"/v/") {
				t.Fatalf("attachment URL = %q, want a %s reference to the CDN", ref, meta.MediaScheme)
			}
			ctx := context.Background()
			m, err := tt.a.FetchMedia(ctx, in, ref)
			if err != nil {
				t.Fatalf("FetchMedia: %v", err)
			}
			got, _ := io.ReadAll(m.Body)
			m.Body.Close()
			if !bytes.Equal(got, jpeg) || m.MimeType != "image/jpeg" || m.Size != int64(len(jpeg)) {
				t.Errorf("media = %d bytes %q size %d, want the %d bytes sent as image/jpeg", len(got), m.MimeType, m.Size, len(jpeg))
			}
			// For an inbox on Meta itself the fake's host is nobody's CDN:
			// the link stays a link, and is not fetched.
			real := in
			real.Credentials = map[string]string{meta.CredAppSecret: appSecret, meta.CredPageAccessToken: "page-token"}
			if evs, _ := tt.a.Receive(h, body, real, time.Now()); len(evs) != 1 || strings.HasPrefix(evs[0].Inbound.Attachments[0].URL, meta.MediaScheme) {
				t.Errorf("without api_base the attachment is %+v, want the plain URL", evs)
			}
			if _, err := tt.a.FetchMedia(ctx, real, ref); care.ErrorCode(err) != care.ENOTFOUND {
				t.Errorf("FetchMedia of the fake's URL for an inbox on Meta = %v, want ENOTFOUND", err)
			}
			fake.ExpireMedia()
			if _, err := tt.a.FetchMedia(ctx, in, ref); care.ErrorCode(err) != care.ENOTFOUND || !strings.Contains(care.ErrorMessage(err), "expire") {
				t.Errorf("FetchMedia of an expired link = %v, want ENOTFOUND saying links expire", err)
			}
		})
	}
}

// What FetchMedia refuses to fetch, or to pass on.
func TestFetchMediaRefuses(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<html>Sorry, this content isn't available right now</html>")
	})
	mux.HandleFunc("GET /huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "video/mp4")
		w.Header().Set("Content-Length", "209715200")
		w.WriteHeader(http.StatusOK)
	})
	mux.HandleFunc("GET /away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://evil.example/photo.jpg", http.StatusFound)
	})
	mux.HandleFunc("GET /moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/photo", http.StatusFound)
	})
	mux.HandleFunc("GET /loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("GET /photo", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		io.WriteString(w, "\x89PNG\r\n\x1a\n")
	})
	mux.HandleFunc("GET /down", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "busy", http.StatusServiceUnavailable)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	in := care.Inbox{Channel: care.ChannelFacebook, Credentials: map[string]string{meta.CredAPIBase: srv.URL}}
	other := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	tests := []struct {
		ref  string
		want string // error code; "" when fetched
	}{
		{meta.MediaScheme + srv.URL + "/photo", ""},
		{meta.MediaScheme + srv.URL + "/moved", ""},
		{meta.MediaScheme + srv.URL + "/page", care.EUNAVAILABLE},
		{meta.MediaScheme + srv.URL + "/huge", care.ETOOLARGE},
		{meta.MediaScheme + srv.URL + "/away", care.EUNAVAILABLE},
		{meta.MediaScheme + srv.URL + "/loop", care.EUNAVAILABLE},
		{meta.MediaScheme + srv.URL + "/down", care.EUNAVAILABLE},
		{meta.MediaScheme + srv.URL + "/missing", care.ENOTFOUND},
		{srv.URL + "/photo", care.ENOTFOUND},
		{meta.MediaScheme + other + "/photo", care.ENOTFOUND},
		{meta.MediaScheme + "https://evil.example/photo.jpg", care.ENOTFOUND},
		{meta.MediaScheme + "http://scontent.xx.fbcdn.net/v/photo.jpg", care.ENOTFOUND},
		{"whatsapp-media:123", care.ENOTFOUND},
	}
	for _, tt := range tests {
		m, err := (&meta.Messenger{}).FetchMedia(context.Background(), in, tt.ref)
		if care.ErrorCode(err) != tt.want {
			t.Errorf("FetchMedia(%q) = %v, want %q", tt.ref, err, tt.want)
		}
		if m != nil {
			m.Body.Close()
		}
	}
}
