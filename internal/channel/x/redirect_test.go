package x

import (
	"net/url"
	"testing"
)

func TestRedirectAllowed(t *testing.T) {
	const base = "http://127.0.0.1:8080"
	for _, tt := range []struct {
		loc  string
		want bool
	}{
		{"https://ton.twitter.com/1.1/ton/data/dm/1/2/a.jpg", true},
		{"https://TON.twitter.com/a.jpg", true},
		{"https://ton.twimg.com/a.jpg", true},
		{"https://video.twimg.com/dm_video/1/a.mp4", true},
		{"https://ton.twitter.com:443/a.jpg", true},
		{"http://127.0.0.1:8080/1.1/ton/data/dm/1/2/a.jpg", true}, // the api_base, a local fake
		{"http://ton.twitter.com/a.jpg", false},
		{"http://video.twimg.com/a.mp4", false},
		{"https://ton.twitter.com:8443/a.jpg", false},
		{"https://user@ton.twitter.com/a.jpg", false},
		{"https://twimg.com.evil.example/a.jpg", false},
		{"https://eviltwimg.com/a.jpg", false},
		{"https://api.x.com/2/users/me", false},
		{"https://10.0.0.1/a.jpg", false},
		{"https://127.0.0.1:8080/a.jpg", false},
		{"https://metadata.google.internal/computeMetadata/v1/", false},
	} {
		u, err := url.Parse(tt.loc)
		if err != nil {
			t.Fatal(err)
		}
		if got := redirectAllowed(u, base); got != tt.want {
			t.Errorf("redirectAllowed(%s) = %v, want %v", tt.loc, got, tt.want)
		}
	}
}
