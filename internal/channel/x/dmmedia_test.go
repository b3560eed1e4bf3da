package x_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

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
