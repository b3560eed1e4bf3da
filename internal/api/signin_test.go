package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/accounts"
	"github.com/parleyhq/parley/internal/api"
	"github.com/parleyhq/parley/internal/auth"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/testdb"
)

// signInServer is an API server over a fresh store with one user,
// agent@example.com, whose password is "correct horse battery". Its guard
// allows 3 failures per account and 5 per client in 15 minutes, by the
// returned clock.
func signInServer(t *testing.T, gate *auth.HashGate) (*api.Server, *time.Time) {
	t.Helper()
	store := testdb.SQLite(t)
	ctx := context.Background()
	ws := &care.Workspace{Slug: "acme", Name: "Acme"}
	if err := store.CreateWorkspace(ctx, ws); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	if _, _, err := accounts.CreateUser(ctx, store, ws.ID, "agent@example.com", "Agent", care.RoleAgent, "correct horse battery", now); err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return now }
	if gate == nil {
		gate = auth.NewHashGate(0, time.Second)
	}
	s := &api.Server{Store: store, Now: clock, SessionTTL: time.Hour, SignInGuard: &api.SignInGuard{
		Throttle: auth.NewThrottle(auth.ThrottleConfig{
			Account: auth.Limit{Failures: 3, Window: 15 * time.Minute},
			Client:  auth.Limit{Failures: 5, Window: 15 * time.Minute},
			Now:     clock,
		}),
		Gate: gate,
	}}
	return s, &now
}

// signIn posts to /api/v1/session from remote.
func signIn(t *testing.T, s *api.Server, remote, email, password string) *httptest.ResponseRecorder {
	t.Helper()
	body := fmt.Sprintf(`{"email":%q,"password":%q}`, email, password)
	r := httptest.NewRequest("POST", "/api/v1/session", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.RemoteAddr = remote
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, r)
	return w
}

func wantStatus(t *testing.T, w *httptest.ResponseRecorder, status int, what string) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("%s: %d %s, want %d", what, w.Code, strings.TrimSpace(w.Body.String()), status)
	}
}

// wantRefused checks a refused sign-in: status, Retry-After and a problem
// detail whose message says what to do.
func wantRefused(t *testing.T, w *httptest.ResponseRecorder, status int, retryAfter, mentions string) {
	t.Helper()
	wantStatus(t, w, status, "refused sign-in")
	if got := w.Header().Get("Retry-After"); got != retryAfter {
		t.Errorf("Retry-After = %q, want %q", got, retryAfter)
	}
	var p struct{ Detail, Code string }
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatalf("problem detail: %v in %s", err, w.Body)
	}
	if !strings.Contains(p.Detail, mentions) {
		t.Errorf("detail = %q, want it to mention %q", p.Detail, mentions)
	}
}

// TestSignInAccountLimit: after the account's failures, even the right
// password is refused with 429 until a try has refilled; a success starts
// the count again.
func TestSignInAccountLimit(t *testing.T) {
	s, now := signInServer(t, nil)
	for i := range 3 {
		wantStatus(t, signIn(t, s, fmt.Sprintf("192.0.2.%d:4000", i+1), "agent@example.com", "wrong guess"), http.StatusUnauthorized, "wrong password")
	}
	w := signIn(t, s, "198.51.100.1:4000", "Agent@Example.com", "correct horse battery")
	wantRefused(t, w, http.StatusTooManyRequests, "300", "Wait 5 minutes")

	*now = now.Add(5 * time.Minute)
	wantStatus(t, signIn(t, s, "198.51.100.1:4000", "agent@example.com", "correct horse battery"), http.StatusCreated, "right password after the wait")
	for range 3 {
		wantStatus(t, signIn(t, s, "198.51.100.1:4000", "agent@example.com", "wrong guess"), http.StatusUnauthorized, "wrong password after a success")
	}
	wantRefused(t, signIn(t, s, "198.51.100.1:4000", "agent@example.com", "wrong guess"), http.StatusTooManyRequests, "300", "this address")
}

// TestSignInClientLimit: one network guessing many addresses, known or
// not, is refused after its failures; other networks are not.
func TestSignInClientLimit(t *testing.T) {
	s, _ := signInServer(t, nil)
	for i := range 5 {
		wantStatus(t, signIn(t, s, "203.0.113.5:1000", fmt.Sprintf("nobody%d@example.com", i), "guess"), http.StatusUnauthorized, "unknown address")
	}
	wantRefused(t, signIn(t, s, "203.0.113.5:2000", "agent@example.com", "correct horse battery"), http.StatusTooManyRequests, "180", "your network")
	wantStatus(t, signIn(t, s, "203.0.113.6:1000", "agent@example.com", "correct horse battery"), http.StatusCreated, "another network")
}

// TestSignInBusy takes every hashing slot: a sign-in then answers 503 with
// Retry-After at once, without hashing (64 MiB for an unknown address),
// and is not counted as a failure.
func TestSignInBusy(t *testing.T) {
	gate := auth.NewHashGate(1, 0)
	s, _ := signInServer(t, gate)
	release, err := gate.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range 4 {
		wantRefused(t, signIn(t, s, "192.0.2.1:1000", "nobody@example.com", "guess"), http.StatusServiceUnavailable, "5", "busy")
	}
	runtime.ReadMemStats(&after)
	if mib := (after.TotalAlloc - before.TotalAlloc) >> 20; mib >= 32 {
		t.Errorf("4 refused sign-ins allocated %d MiB; the password was hashed", mib)
	}
	release()
	for range 3 {
		wantStatus(t, signIn(t, s, "192.0.2.1:1000", "agent@example.com", "wrong guess"), http.StatusUnauthorized, "slot free again")
	}
	wantStatus(t, signIn(t, s, "192.0.2.1:1000", "agent@example.com", "wrong guess"), http.StatusTooManyRequests, "the refusals counted no failures")
}

// TestSignInDefaultLimit signs in against the whole app, whose server has
// the default guard: the eleventh failure for an account is refused.
func TestSignInDefaultLimit(t *testing.T) {
	ta := startApp(t)
	if _, _, err := accounts.CreateUser(context.Background(), ta.Store, workspace1, "agent@example.com", "Agent", care.RoleAgent, "correct horse battery", time.Now()); err != nil {
		t.Fatal(err)
	}
	body := jsonBody(map[string]string{"email": "agent@example.com", "password": "wrong guess"})
	for i := range 10 {
		if res := ta.call(t, "", "POST", "/api/v1/session", body); res.status != http.StatusUnauthorized {
			t.Fatalf("failure %d = %s, want 401", i+1, res)
		}
	}
	res := ta.call(t, "", "POST", "/api/v1/session", jsonBody(map[string]string{"email": "agent@example.com", "password": "correct horse battery"}))
	if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") == "" {
		t.Fatalf("eleventh attempt = %s (Retry-After %q), want 429 with Retry-After", res, res.header.Get("Retry-After"))
	}
}
