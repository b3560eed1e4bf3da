package whatsapp

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

func TestFetchMedia(t *testing.T) {
	w := newWorld(t)
	jpeg := append([]byte{0xff, 0xd8, 0xff, 0xe0}, bytes.Repeat([]byte{7}, 5000)...)
	w.fake.AddMedia("1234567890", "image/jpeg", jpeg)
	in := w.outbound("x").Inbox
	ctx := context.Background()

	m, err := w.a.FetchMedia(ctx, in, MediaScheme+"1234567890")
	if err != nil {
		t.Fatalf("FetchMedia: %v", err)
	}
	got, _ := io.ReadAll(m.Body)
	m.Body.Close()
	if !bytes.Equal(got, jpeg) || m.MimeType != "image/jpeg" || m.Size != int64(len(jpeg)) {
		t.Errorf("media = %d bytes %q size %d", len(got), m.MimeType, m.Size)
	}
	for _, ref := range []string{MediaScheme + "999", "https://example.com/a.jpg", MediaScheme + "../x", MediaScheme} {
		if _, err := w.a.FetchMedia(ctx, in, ref); care.ErrorCode(err) != care.ENOTFOUND {
			t.Errorf("FetchMedia(%q) = %v, want ENOTFOUND", ref, err)
		}
	}
	bad := in
	bad.Credentials = map[string]string{CredAccessToken: "wrong", CredAPIBase: in.Credentials[CredAPIBase]}
	if _, err := w.a.FetchMedia(ctx, bad, MediaScheme+"1234567890"); care.ErrorCode(err) != care.EUNAVAILABLE {
		t.Errorf("FetchMedia with a refused token = %v, want EUNAVAILABLE", err)
	}
}

func TestTrustedMediaURL(t *testing.T) {
	base := "http://127.0.0.1:4000/v26.0"
	for u, want := range map[string]bool{
		"https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1": true,
		"https://mmg.whatsapp.net/v/t62/abc":                               true,
		"http://lookaside.fbsbx.com/x":                                     false, // not https
		"https://fbsbx.com.evil.example/x":                                 false,
		"https://evilfbsbx.com/x":                                          false,
		"http://127.0.0.1:4000/whatsapp_business/attachments/?mid=1":       true, // the API base itself
		"http://127.0.0.1:4001/x":                                          false,
		"not a url":                                                        false,
	} {
		if got := trustedMediaURL(u, base); got != want {
			t.Errorf("trustedMediaURL(%q) = %v, want %v", u, got, want)
		}
	}
}
