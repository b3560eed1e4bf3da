package meta

import (
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

func TestTrustedMedia(t *testing.T) {
	fake := care.Inbox{Credentials: map[string]string{CredAPIBase: "http://127.0.0.1:4000"}}
	onMeta := care.Inbox{Credentials: map[string]string{}}
	tests := []struct {
		u    string
		in   care.Inbox
		want bool
	}{
		{"https://scontent.xx.fbcdn.net/v/t1.15752-9/1_n.jpg?oh=1&oe=2", onMeta, true},
		{"https://scontent-lhr8-1.xx.fbcdn.net/v/t39/1.jpg", onMeta, true},
		{"https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1&signature=x", onMeta, true},
		{"https://scontent-iad3-1.cdninstagram.com/v/t51/1.jpg", onMeta, true},
		{"https://fbcdn.net/x", onMeta, true},
		{"http://scontent.xx.fbcdn.net/v/1.jpg", onMeta, false},       // not https
		{"https://scontent.xx.fbcdn.net:8443/v/1.jpg", onMeta, false}, // another port
		{"https://fbcdn.net.evil.example/x", onMeta, false},
		{"https://evilfbcdn.net/x", onMeta, false},
		{"https://user@scontent.xx.fbcdn.net/x", onMeta, false},
		{"https://www.facebook.com/x", onMeta, false},
		{"https://example.com", onMeta, false},
		{"http://127.0.0.1:4000/v/t1/1.jpg", fake, true}, // the inbox's api_base
		{"http://127.0.0.1:4000/v/t1/1.jpg", onMeta, false},
		{"http://127.0.0.1:4001/v/t1/1.jpg", fake, false},
		{"https://127.0.0.1:4000/v/t1/1.jpg", fake, false},
		{"not a url", onMeta, false},
	}
	for _, tt := range tests {
		if got := trustedMedia(tt.u, tt.in); got != tt.want {
			t.Errorf("trustedMedia(%q, api_base %q) = %v, want %v", tt.u, tt.in.Credentials[CredAPIBase], got, tt.want)
		}
	}
	long := "https://scontent.xx.fbcdn.net/" + strings.Repeat("a", maxAttachmentURL-40)
	if got := mediaRef(long, onMeta); got != long {
		t.Errorf("mediaRef of a URL too long for the prefix = %d bytes, want the URL unchanged", len(got))
	}
}
