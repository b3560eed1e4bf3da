package x_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/x"
	"github.com/parleyhq/parley/internal/channel/x/xfake"
)

// A photo a customer sends in a DM arrives as a reference Parley opens
// with the account's credentials, as X requires of DM files: signed with
// OAuth 1.0a or with the OAuth 2.0 token, in either webhook format.
func TestDMMedia(t *testing.T) {
	photo := []byte("\xff\xd8\xff\xe0 a torn tent")
	tests := []struct {
		name   string
		format xfake.Format
		oauth1 bool
		poll   bool
	}{
		{"account activity, OAuth 2.0", xfake.AAA, false, false},
		{"x activity, OAuth 1.0a", xfake.XAA, true, false},
		{"polled, OAuth 2.0", 0, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			w.fake.SetMediaBase(w.srv.URL)
			if tt.oauth1 {
				w.fake.AuthorizeOAuth1("ck", secret, "oauth1-token", "token-secret", brandID)
				w.inbox.Credentials[x.CredConsumerKey] = "ck"
				w.inbox.Credentials[x.CredAccessToken] = "oauth1-token"
				w.inbox.Credentials[x.CredAccessTokenSecret] = "token-secret"
			}
			dm := w.fake.AddDM(xfake.DM{SenderID: anaID, RecipientID: brandID, Text: "The zip broke",
				Media: &xfake.DMMedia{Type: "photo", Name: "Xk2mLq8v.jpg", ContentType: "image/jpeg", Body: photo}})
			var evs []channel.Event
			var err error
			if tt.poll {
				w.inbox.Credentials[x.CredMode] = x.ModePoll
				evs, _, err = w.a.Poll(context.Background(), w.inbox, "")
			} else {
				body := event(t)(w.fake.DMEvent(tt.format, brandID, dm.ID))
				h := http.Header{}
				h.Set(x.SignatureHeader, x.Sign(secret, body))
				evs, err = w.a.Receive(h, body, w.inbox, w.clock.Now())
			}
			if err != nil || len(evs) != 1 {
				t.Fatalf("Receive = %d events, %v", len(evs), err)
			}
			in := evs[0].Inbound
			if in.Text != "The zip broke" || len(in.Attachments) != 1 {
				t.Fatalf("Inbound = %q with %d attachments, want the text without the file's link and one attachment", in.Text, len(in.Attachments))
			}
			att := in.Attachments[0]
			want := x.DMMediaScheme + w.srv.URL + "/1.1/ton/data/dm/" + dm.ID + "/" + dm.Media.ID + "/Xk2mLq8v.jpg"
			if att.Kind != "image" || att.URL != want {
				t.Fatalf("attachment = %+v, want an image at %s", att, want)
			}
			m, err := w.a.FetchMedia(context.Background(), w.inbox, att.URL)
			if err != nil {
				t.Fatalf("FetchMedia: %v", err)
			}
			defer m.Body.Close()
			got, _ := io.ReadAll(m.Body)
			if string(got) != string(photo) || m.MimeType != "image/jpeg" {
				t.Errorf("FetchMedia = %q (%s), want the photo", got, m.MimeType)
			}
		})
	}
}

func TestFetchMediaRefuses(t *testing.T) {
	w := newWorld(t)
	w.fake.SetMediaBase(w.srv.URL)
	theirs := w.fake.AddDM(xfake.DM{SenderID: anaID, RecipientID: benID, Text: "not the brand's",
		Media: &xfake.DMMedia{Type: "photo", Name: "a.jpg", ContentType: "image/jpeg", Body: []byte("x")}})
	tests := []struct {
		name string
		ref  string
		want string
	}{
		{"not a DM file", "https://pbs.twimg.com/media/GlT0rnFWkAA8c2x.jpg", care.ENOTFOUND},
		{"another scheme", "twilio-media:" + w.srv.URL + "/1.1/ton/data/dm/1/2/a.jpg", care.ENOTFOUND},
		{"another path", x.DMMediaScheme + w.srv.URL + "/2/users/me", care.ENOTFOUND},
		// The account's credentials go to X's DM host or the inbox's API
		// base only.
		{"another host", x.DMMediaScheme + "https://evil.example/1.1/ton/data/dm/1/2/a.jpg", care.EUNAVAILABLE},
		{"X's host without TLS", x.DMMediaScheme + "http://ton.twitter.com/1.1/ton/data/dm/1/2/a.jpg", care.EUNAVAILABLE},
		{"gone", x.DMMediaScheme + w.srv.URL + "/1.1/ton/data/dm/1/2/a.jpg", care.ENOTFOUND},
		{"another conversation", x.DMMediaScheme + w.srv.URL + "/1.1/ton/data/dm/" + theirs.ID + "/" + theirs.Media.ID + "/a.jpg", care.EUNAVAILABLE},
		{"oversized", x.DMMediaScheme + w.srv.URL + "/1.1/ton/data/dm/" + strings.Repeat("1", 2100), care.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := w.a.FetchMedia(context.Background(), w.inbox, tt.ref)
			if m != nil {
				m.Body.Close()
			}
			if care.ErrorCode(err) != tt.want {
				t.Errorf("FetchMedia(%.80q) = %v, want %s", tt.ref, err, tt.want)
			}
		})
	}
}

// The signed request for a DM file reaches nothing but X's DM files, a
// redirect goes nowhere but X's media hosts, and a file past the bound is
// refused even when X announces no length.
func TestFetchMediaGuards(t *testing.T) {
	// Where a redirect must not lead: an https service on a private
	// address, counting what reaches it.
	var inside atomic.Int64
	internal := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inside.Add(1)
		w.Write([]byte("secret"))
	}))
	t.Cleanup(internal.Close)
	var hits atomic.Int64
	var api *httptest.Server
	api = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch r.URL.Path {
		case "/1.1/ton/data/dm/1/2/away.jpg":
			http.Redirect(w, r, internal.URL+"/secret", http.StatusFound)
		case "/1.1/ton/data/dm/1/2/here.jpg":
			http.Redirect(w, r, api.URL+"/1.1/ton/data/dm/1/2/a.jpg", http.StatusFound)
		case "/1.1/ton/data/dm/1/2/a.jpg":
			w.Write([]byte("a tent"))
		case "/1.1/ton/data/dm/1/2/huge.mp4", "/1.1/ton/data/dm/1/2/full.mp4":
			// Flushed in pieces: chunked, with no Content-Length.
			n := x.MaxDMMediaBytes
			if strings.HasSuffix(r.URL.Path, "huge.mp4") {
				n++
			}
			piece := make([]byte, 1<<20)
			for n > 0 {
				k := min(n, len(piece))
				if _, err := w.Write(piece[:k]); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				n -= k
			}
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(api.Close)
	a := &x.Adapter{Client: internal.Client(), Now: func() time.Time { return t0 }, Logger: slog.New(slog.DiscardHandler)}
	in := care.Inbox{ID: 1, WorkspaceID: 1, Channel: care.ChannelX, ExternalID: brandID,
		Credentials: map[string]string{x.CredConsumerSecret: secret, x.CredAccessToken: brandToken, x.CredAPIBase: api.URL}}
	ref := func(p string) string { return x.DMMediaScheme + api.URL + p }

	tests := []struct {
		name  string
		ref   string
		want  string // FetchMedia's error code
		read  string // reading the body: its error code, or "" for the body
		body  string
		reach bool // whether the request reaches the API at all
	}{
		{"a file", ref("/1.1/ton/data/dm/1/2/a.jpg"), "", "", "a tent", true},
		{"encoded dots", ref("/1.1/ton/data/dm/%2e%2e/%2e%2e/2/users/me"), care.ENOTFOUND, "", "", false},
		{"encoded dots in capitals", ref("/1.1/ton/data/dm/1/%2E%2E/%2E%2E/%2E%2E/2/users/me"), care.ENOTFOUND, "", "", false},
		{"encoded slashes", ref("/1.1/ton/data/dm/1%2f..%2f..%2f..%2f2/users/me"), care.ENOTFOUND, "", "", false},
		{"plain dots", ref("/1.1/ton/data/dm/1/../../2/users/me"), care.ENOTFOUND, "", "", false},
		{"a backslash", ref(`/1.1/ton/data/dm/1/..\..\2/users/me`), care.ENOTFOUND, "", "", false},
		{"redirect to a private https address", ref("/1.1/ton/data/dm/1/2/away.jpg"), care.EUNAVAILABLE, "", "", true},
		{"redirect to the api_base", ref("/1.1/ton/data/dm/1/2/here.jpg"), "", "", "a tent", true},
		{"no length, at the bound", ref("/1.1/ton/data/dm/1/2/full.mp4"), "", "", "", true},
		{"no length, past the bound", ref("/1.1/ton/data/dm/1/2/huge.mp4"), "", care.ETOOLARGE, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := hits.Load()
			m, err := a.FetchMedia(context.Background(), in, tt.ref)
			if care.ErrorCode(err) != tt.want {
				t.Fatalf("FetchMedia(%q) = %v, want %q", tt.ref, err, tt.want)
			}
			if reached := hits.Load() > before; reached != tt.reach {
				t.Errorf("request reached the API: %v, want %v", reached, tt.reach)
			}
			if m == nil {
				return
			}
			defer m.Body.Close()
			var got strings.Builder
			var dst io.Writer = &got
			if tt.body == "" {
				dst = io.Discard // tens of megabytes
			}
			n, err := io.Copy(dst, m.Body)
			if care.ErrorCode(err) != tt.read {
				t.Fatalf("reading the file = %d bytes, %v; want error %q", n, err, tt.read)
			}
			if tt.body != "" && got.String() != tt.body {
				t.Errorf("file = %q, want %q", got.String(), tt.body)
			}
			if tt.read == "" && strings.HasSuffix(tt.ref, ".mp4") && n != x.MaxDMMediaBytes {
				t.Errorf("file of %d bytes, want all %d", n, x.MaxDMMediaBytes)
			}
		})
	}
	if n := inside.Load(); n != 0 {
		t.Errorf("%d requests reached the private address", n)
	}
}
