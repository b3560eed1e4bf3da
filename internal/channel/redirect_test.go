package channel_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/parleyhq/parley/internal/channel"
)

func TestFollowRedirects(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/file":
			if r.Header.Get("Authorization") != "" {
				http.Error(w, "credentials followed the redirect", http.StatusTeapot)
				return
			}
			w.Write([]byte("bytes"))
		case "/signed":
			w.Write([]byte("bytes"))
		case "/hop":
			http.Redirect(w, r, "/file", http.StatusFound)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusTemporaryRedirect)
		case "/away":
			http.Redirect(w, r, "http://127.0.0.1:1/secret", http.StatusFound)
		case "/nowhere":
			w.WriteHeader(http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	base, _ := url.Parse(srv.URL)
	sameHost := func(u *url.URL) bool { return u.Host == base.Host }
	client := channel.NoRedirects(srv.Client())

	tests := []struct {
		name     string
		path     string
		doErr    error
		wantCode int
		wantErr  error
	}{
		{name: "no redirect", path: "/signed", wantCode: http.StatusOK},
		{name: "allowed", path: "/hop", wantCode: http.StatusOK},
		{name: "refused", path: "/away", wantErr: channel.ErrRedirectRefused},
		{name: "no location", path: "/nowhere", wantErr: channel.ErrRedirectRefused},
		{name: "too many hops", path: "/loop", wantCode: http.StatusTemporaryRedirect},
		{name: "error", path: "/file", doErr: errors.New("connection refused"), wantErr: errors.New("connection refused")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var first *http.Response
			err := tt.doErr
			if err == nil {
				req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+tt.path, nil)
				req.Header.Set("Authorization", "Bearer secret")
				if first, err = client.Do(req); err != nil {
					t.Fatal(err)
				}
			}
			resp, err := channel.FollowRedirects(context.Background(), client, first, err, 3, sameHost)
			if tt.wantErr != nil {
				if err == nil || err.Error() != tt.wantErr.Error() {
					t.Fatalf("FollowRedirects(%s) error = %v, want %v", tt.path, err, tt.wantErr)
				}
				if resp != nil {
					t.Errorf("FollowRedirects(%s) response = %v, want nil", tt.path, resp.Status)
				}
				return
			}
			if err != nil {
				t.Fatalf("FollowRedirects(%s) error = %v", tt.path, err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.wantCode {
				t.Errorf("FollowRedirects(%s) status = %d, want %d", tt.path, resp.StatusCode, tt.wantCode)
			}
		})
	}
}

func TestSameOrigin(t *testing.T) {
	const base = "http://127.0.0.1:8080/api"
	for _, tt := range []struct {
		u, base string
		want    bool
	}{
		{"http://127.0.0.1:8080/file", base, true},
		{"HTTP://127.0.0.1:8080/file", base, true},
		{"https://127.0.0.1:8080/file", base, false},
		{"http://127.0.0.1:8081/file", base, false},
		{"http://127.0.0.1/file", base, false},
		{"http://127.0.0.1:8080/file", "", false},
		{"http://127.0.0.1:8080/file", "127.0.0.1:8080", false},
	} {
		u, err := url.Parse(tt.u)
		if err != nil {
			t.Fatal(err)
		}
		if got := channel.SameOrigin(u, tt.base); got != tt.want {
			t.Errorf("SameOrigin(%s, %q) = %v, want %v", tt.u, tt.base, got, tt.want)
		}
	}
}
