package bluesky

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/bluesky/bskyfake"
)

// poll runs one poll and returns its error, failing on a malformed one.
func (w *world) poll(t *testing.T) error {
	t.Helper()
	_, _, err := w.a.Poll(context.Background(), w.in, "")
	if err != nil {
		var se *channel.SendError
		if !errors.As(err, &se) {
			t.Fatalf("Poll error %v is not a *channel.SendError", err)
		}
	}
	return err
}

func TestSessionReusedAndRefreshed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// between runs before the second poll.
		between      func(w *world)
		logins       int
		refreshes    int
		notification int // listNotifications calls in all
	}{
		{"reused", func(*world) {}, 1, 0, 2},
		{"refused as expired: refreshed, retried", func(w *world) { w.fake.ExpireAccessTokens() }, 1, 1, 3},
		{"exp claim passed: refreshed first", func(w *world) { w.clock.Add(2*time.Hour + time.Second) }, 1, 1, 2},
		{"refresh refused: one login", func(w *world) { w.fake.ExpireAccessTokens(); w.fake.RevokeRefreshTokens() }, 2, 1, 3},
		{"refresh token expired too: one login", func(w *world) { w.clock.Add(61 * 24 * time.Hour) }, 2, 0, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			if err := w.poll(t); err != nil {
				t.Fatal(err)
			}
			tt.between(w)
			if err := w.poll(t); err != nil {
				t.Fatalf("second poll: %v", err)
			}
			if got := w.fake.Calls(bskyfake.CreateSession); got != tt.logins {
				t.Errorf("createSession calls = %d, want %d", got, tt.logins)
			}
			if got := w.fake.Calls(bskyfake.RefreshSession); got != tt.refreshes {
				t.Errorf("refreshSession calls = %d, want %d", got, tt.refreshes)
			}
			if got := w.fake.Calls(bskyfake.ListNotifications); got != tt.notification {
				t.Errorf("listNotifications calls = %d, want %d", got, tt.notification)
			}
		})
	}
}

// createSession's limit answers 429; the adapter says so, waits for the
// reset without calling again, then logs in.
func TestSessionLoginRateLimited(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.fake.SetLimit(bskyfake.CreateSession, 0)
	err := w.poll(t)
	var se *channel.SendError
	if !errors.As(err, &se) || se.Permanent || se.Status != http.StatusTooManyRequests || se.RetryAfter < 4*time.Minute ||
		!strings.Contains(se.Reason, "limits logins") {
		t.Fatalf("Poll = %v, want a temporary 429 naming the login limit, retry in about 5 minutes", err)
	}
	for range 5 {
		w.clock.Add(30 * time.Second)
		if err := w.poll(t); !errors.As(err, &se) || se.RetryAfter <= 0 {
			t.Fatalf("Poll while waiting = %v, want the same wait", err)
		}
	}
	if n := w.fake.Calls(bskyfake.CreateSession); n != 1 {
		t.Fatalf("createSession called %d times while limited, want 1", n)
	}
	w.fake.SetLimit(bskyfake.CreateSession, 30)
	w.clock.Add(3 * time.Minute)
	if err := w.poll(t); err != nil {
		t.Fatalf("Poll after the reset: %v", err)
	}
	if n := w.fake.Calls(bskyfake.CreateSession); n != 2 {
		t.Errorf("createSession calls = %d, want 2", n)
	}
}

// A refused password fails for good and is not tried again until the wait
// is over or the credentials change.
func TestSessionWrongPassword(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.in.Credentials[CredAppPassword] = "zzzz-zzzz-zzzz-zzzz"
	for range 10 {
		err := w.poll(t)
		var se *channel.SendError
		if !errors.As(err, &se) || !se.Permanent || !strings.Contains(se.Reason, "App Password") {
			t.Fatalf("Poll = %v, want a permanent error about the App Password", err)
		}
		w.clock.Add(25 * time.Second)
	}
	if n := w.fake.Calls(bskyfake.CreateSession); n != 1 {
		t.Fatalf("createSession called %d times with a wrong password, want 1", n)
	}
	w.in.Credentials[CredAppPassword] = brandPass
	if err := w.poll(t); err != nil {
		t.Fatalf("Poll with the right password: %v", err)
	}
}

// A login that leads nowhere (every request refused) is not repeated at
// once: the next one waits a minute, the one after two.
func TestSessionLoginsSpaced(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.fake.FailNext(bskyfake.ListNotifications, 2, http.StatusUnauthorized)
	if err := w.poll(t); err == nil {
		t.Fatal("Poll succeeded through two 401s")
	}
	w.fake.ExpireAccessTokens()
	w.fake.RevokeRefreshTokens()
	err := w.poll(t)
	var se *channel.SendError
	if !errors.As(err, &se) || se.RetryAfter <= 0 || se.RetryAfter > time.Minute || !strings.Contains(se.Reason, "log in again") {
		t.Fatalf("Poll = %v, want a wait of at most a minute before the next login", err)
	}
	if n := w.fake.Calls(bskyfake.CreateSession); n != 1 {
		t.Fatalf("createSession calls = %d, want 1", n)
	}
	w.clock.Add(time.Minute)
	if err := w.poll(t); err != nil {
		t.Fatalf("Poll a minute later: %v", err)
	}
	if n := w.fake.Calls(bskyfake.CreateSession); n != 2 {
		t.Errorf("createSession calls = %d, want 2", n)
	}
}

// A session of another account than the inbox's DID is refused.
func TestSessionOtherAccount(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.in.Credentials[CredDID] = anaDID
	err := w.poll(t)
	var se *channel.SendError
	if !errors.As(err, &se) || !se.Permanent || !strings.Contains(se.Reason, anaDID) {
		t.Fatalf("Poll = %v, want a permanent error naming the inbox's DID", err)
	}
}

func TestJWTExpiry(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tok  string
		want time.Time
	}{
		// {"exp":1795000000}
		{"eyJ0eXAiOiJhdCtqd3QiLCJhbGciOiJFUzI1NksifQ.eyJleHAiOjE3OTUwMDAwMDB9.c2ln", time.Unix(1795000000, 0).UTC()},
		// the documentation sample's placeholder tokens
		{"eyJ0eXAiOiJhdCtqd3QiLCJhbGciOiJFUzI1NksifQ.FAKE.FAKE", time.Time{}},
		{"not a jwt", time.Time{}},
		// {"exp":"soon"}
		{"e30.eyJleHAiOiJzb29uIn0.c2ln", time.Time{}},
		// {"exp":99999999999999}
		{"e30.eyJleHAiOjk5OTk5OTk5OTk5OTk5fQ.c2ln", time.Time{}},
	}
	for _, tt := range tests {
		if got := jwtExpiry(tt.tok); !got.Equal(tt.want) {
			t.Errorf("jwtExpiry(%q) = %v, want %v", tt.tok, got, tt.want)
		}
	}
}
