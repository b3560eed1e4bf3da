package oauth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/channel"
)

// tokenServer is a token endpoint that issues numbered access tokens and,
// when rotate is set, a new refresh token with each, accepting each
// refresh token once, as X does.
type tokenServer struct {
	rotate bool
	basic  bool
	calls  atomic.Int32
	mu     sync.Mutex
	valid  map[string]bool
}

func (ts *tokenServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := ts.calls.Add(1)
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "refresh_token" {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"error":"unsupported_grant_type"}`)
		return
	}
	id, secret, ok := r.BasicAuth()
	// RFC 6749 §2.3.1: the client's id and secret are form-encoded inside
	// Basic.
	id, _ = url.QueryUnescape(id)
	secret, _ = url.QueryUnescape(secret)
	if !ts.basic {
		id, secret, ok = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret"), true
	}
	if !ok || id != "client id" || secret != "s&cret" {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error":"invalid_client"}`)
		return
	}
	rt := r.PostForm.Get("refresh_token")
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if !ts.valid[rt] {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"error":"invalid_grant","error_description":"Token has been expired or revoked."}`)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if ts.rotate {
		delete(ts.valid, rt)
		next := fmt.Sprintf("r%d", n)
		ts.valid[next] = true
		fmt.Fprintf(w, `{"access_token":"a%d","token_type":"bearer","expires_in":3600,"refresh_token":%q}`, n, next)
		return
	}
	fmt.Fprintf(w, `{"access_token":"a%d","token_type":"Bearer","expires_in":3599,"scope":"x"}`, n)
}

func TestTokenCachesUntilNearExpiry(t *testing.T) {
	for _, basic := range []bool{false, true} {
		t.Run(fmt.Sprint("basic=", basic), func(t *testing.T) {
			ts := &tokenServer{basic: basic, valid: map[string]bool{"r0": true}}
			srv := httptest.NewServer(ts)
			defer srv.Close()
			now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
			s := &Source{Client: srv.Client(), Now: func() time.Time { return now }}
			g := Grant{TokenURL: srv.URL, ClientID: "client id", ClientSecret: "s&cret", RefreshToken: "r0", BasicAuth: basic}
			ctx := context.Background()
			for i, want := range []struct {
				after time.Duration
				tok   string
			}{{0, "a1"}, {30 * time.Minute, "a1"}, {29*time.Minute + 30*time.Second, "a2"}} {
				now = now.Add(want.after)
				got, err := s.Token(ctx, g)
				if err != nil || got != want.tok {
					t.Fatalf("call %d: Token = %q, %v; want %q", i, got, err, want.tok)
				}
			}
			s.Invalidate(g)
			if got, _ := s.Token(ctx, g); got != "a3" {
				t.Errorf("after Invalidate: %q, want a3", got)
			}
		})
	}
}

func TestTokenRotatesRefreshTokens(t *testing.T) {
	ts := &tokenServer{rotate: true, basic: true, valid: map[string]bool{"r0": true}}
	srv := httptest.NewServer(ts)
	defer srv.Close()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	s := &Source{Client: srv.Client(), Now: func() time.Time { return now }}
	var stored []string
	g := Grant{TokenURL: srv.URL, ClientID: "client id", ClientSecret: "s&cret", RefreshToken: "r0", BasicAuth: true,
		Rotated: func(_ context.Context, rt string) error { stored = append(stored, rt); return nil }}
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := s.Token(ctx, g); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := ts.calls.Load(); n != 1 {
		t.Fatalf("8 concurrent callers made %d refreshes, want 1", n)
	}
	now = now.Add(2 * time.Hour)
	// The second refresh must use the rotated token: r0 is spent.
	if got, err := s.Token(ctx, g); err != nil || got != "a2" {
		t.Fatalf("second refresh: %q, %v", got, err)
	}
	if fmt.Sprint(stored) != "[r1 r2]" {
		t.Errorf("Rotated saw %v, want [r1 r2]", stored)
	}
}

// With a Key, the caller may pass the refresh token it stored after a
// rotation: the cache knows the account and does not refresh again.
func TestTokenKeyedAcrossRotation(t *testing.T) {
	ts := &tokenServer{rotate: true, basic: true, valid: map[string]bool{"r0": true}}
	srv := httptest.NewServer(ts)
	defer srv.Close()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	s := &Source{Client: srv.Client(), Now: func() time.Time { return now }}
	stored := "r0"
	grant := func() Grant {
		return Grant{TokenURL: srv.URL, ClientID: "client id", ClientSecret: "s&cret", RefreshToken: stored, BasicAuth: true, Key: "x:inbox:7",
			Rotated: func(_ context.Context, rt string) error { stored = rt; return nil }}
	}
	ctx := context.Background()
	for i := range 5 {
		if tok, err := s.Token(ctx, grant()); err != nil || tok != "a1" {
			t.Fatalf("call %d: %q, %v; want the cached a1", i, tok, err)
		}
	}
	if n := ts.calls.Load(); n != 1 || stored != "r1" {
		t.Fatalf("%d refreshes, stored %q; want 1 and r1", n, stored)
	}
	now = now.Add(2 * time.Hour)
	if tok, err := s.Token(ctx, grant()); err != nil || tok != "a2" || stored != "r2" {
		t.Fatalf("after expiry: %q, %v, stored %q", tok, err, stored)
	}
	// The account connected again with a fresh grant: start from it.
	ts.mu.Lock()
	ts.valid["fresh"] = true
	ts.mu.Unlock()
	stored = "fresh"
	if tok, err := s.Token(ctx, grant()); err != nil || tok != "a3" || stored != "r3" {
		t.Fatalf("after reconnecting: %q, %v, stored %q", tok, err, stored)
	}
}

func TestTokenErrors(t *testing.T) {
	ts := &tokenServer{valid: map[string]bool{"good": true}}
	srv := httptest.NewServer(ts)
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "7")
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	// Reddit's way of refusing a grant.
	reddit := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"error": "invalid_grant"}`)
	}))
	defer srv.Close()
	defer down.Close()
	defer reddit.Close()
	s := &Source{Client: srv.Client()}
	for _, tc := range []struct {
		name      string
		g         Grant
		permanent bool
		retry     time.Duration
	}{
		{"revoked", Grant{TokenURL: srv.URL, ClientID: "client id", ClientSecret: "s&cret", RefreshToken: "revoked"}, true, 0},
		{"wrong client", Grant{TokenURL: srv.URL, ClientID: "other", ClientSecret: "s&cret", RefreshToken: "good"}, true, 0},
		{"no refresh token", Grant{TokenURL: srv.URL}, true, 0},
		{"overloaded", Grant{TokenURL: down.URL, RefreshToken: "good"}, false, 7 * time.Second},
		{"unreachable", Grant{TokenURL: "http://127.0.0.1:1/token", RefreshToken: "good"}, false, 0},
		{"refused with 200", Grant{TokenURL: reddit.URL, RefreshToken: "good"}, true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Token(context.Background(), tc.g)
			var se *channel.SendError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want a *channel.SendError", err)
			}
			if se.Permanent != tc.permanent || se.RetryAfter != tc.retry {
				t.Errorf("err = %+v, want permanent %v retry %v", se, tc.permanent, tc.retry)
			}
		})
	}
}
