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
// allows 3 failures per account from one network, 6 per account from all
// and 5 per client network in 15 minutes, by the returned clock.
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
			Account:     auth.Limit{Failures: 3, Window: 15 * time.Minute},
			AccountWide: auth.Limit{Failures: 6, Window: 15 * time.Minute},
			Client:      auth.Limit{Failures: 5, Window: 15 * time.Minute},
			Now:         clock,
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

// TestSignInAccountLimit: after the account's failures from one network,
// even the right password from there is refused with 429 until a try has
// refilled; a success starts the count again.
func TestSignInAccountLimit(t *testing.T) {
	s, now := signInServer(t, nil)
	for i := range 3 {
		wantStatus(t, signIn(t, s, fmt.Sprintf("192.0.2.1:%d", 4000+i), "agent@example.com", "wrong guess"), http.StatusUnauthorized, "wrong password")
	}
	w := signIn(t, s, "192.0.2.1:5000", "Agent@Example.com", "correct horse battery")
	wantRefused(t, w, http.StatusTooManyRequests, "300", "Wait 5 minutes")

	*now = now.Add(5 * time.Minute)
	wantStatus(t, signIn(t, s, "192.0.2.1:4000", "agent@example.com", "correct horse battery"), http.StatusCreated, "right password after the wait")
	for range 3 {
		wantStatus(t, signIn(t, s, "192.0.2.1:4000", "agent@example.com", "wrong guess"), http.StatusUnauthorized, "wrong password after a success")
	}
	wantRefused(t, signIn(t, s, "192.0.2.1:4000", "agent@example.com", "wrong guess"), http.StatusTooManyRequests, "300", "this address")
}

// TestSignInNotLockedOutElsewhere: someone who knows an agent's address and
// keeps failing with it from their own network, even one failure each
// time a try refills, does not stop the agent signing in from theirs.
func TestSignInNotLockedOutElsewhere(t *testing.T) {
	s, now := signInServer(t, nil)
	for i := range 12 {
		w := signIn(t, s, "203.0.113.5:1000", "agent@example.com", "wrong guess")
		if i < 3 {
			wantStatus(t, w, http.StatusUnauthorized, "attacker's failure")
		} else {
			wantRefused(t, w, http.StatusTooManyRequests, "300", "this address")
		}
	}
	for range 5 {
		*now = now.Add(5 * time.Minute)
		wantStatus(t, signIn(t, s, "203.0.113.5:1000", "agent@example.com", "wrong guess"), http.StatusUnauthorized, "attacker's failure after a refill")
		wantStatus(t, signIn(t, s, "198.51.100.1:4000", "agent@example.com", "correct horse battery"), http.StatusCreated, "the agent from another network")
	}
}

// TestSignInAccountWideLimit: failures for one address spread over several
// networks reach the address-wide limit, which refuses the right password
// from a fresh network too.
func TestSignInAccountWideLimit(t *testing.T) {
	s, now := signInServer(t, nil)
	for i := range 6 {
		wantStatus(t, signIn(t, s, fmt.Sprintf("192.0.2.%d:4000", i/2+1), "agent@example.com", "wrong guess"), http.StatusUnauthorized, "wrong password")
	}
	wantRefused(t, signIn(t, s, "198.51.100.1:4000", "agent@example.com", "correct horse battery"), http.StatusTooManyRequests, "150", "this address")
	*now = now.Add(150 * time.Second)
	wantStatus(t, signIn(t, s, "198.51.100.1:4000", "agent@example.com", "correct horse battery"), http.StatusCreated, "right password after the wait")
}

// failingLookup is a store whose user lookup by address fails, as during a
// database outage.
type failingLookup struct{ care.Store }

func (failingLookup) UserByEmail(context.Context, string) (*care.User, error) {
	return nil, fmt.Errorf("sqlite: user by email: %w", context.DeadlineExceeded)
}

// TestSignInStoreFailureNotCounted: a sign-in the store could not answer is
// 503 and no failure, so an outage locks nobody out once it is over.
func TestSignInStoreFailureNotCounted(t *testing.T) {
	s, _ := signInServer(t, nil)
	store := s.Store
	s.Store = failingLookup{store}
	for range 5 {
		wantStatus(t, signIn(t, s, "192.0.2.1:4000", "agent@example.com", "correct horse battery"), http.StatusServiceUnavailable, "store down")
	}
	s.Store = store
	wantStatus(t, signIn(t, s, "192.0.2.1:4000", "agent@example.com", "correct horse battery"), http.StatusCreated, "store back")
}

// passwordSession signs in from remote and returns a function that puts a
// current password, and a new one, to /api/v1/me/password with the session.
func passwordSession(t *testing.T, s *api.Server, remote string) func(current string) *httptest.ResponseRecorder {
	t.Helper()
	w := signIn(t, s, remote, "agent@example.com", "correct horse battery")
	wantStatus(t, w, http.StatusCreated, "sign in")
	var sess struct {
		CSRFToken string `json:"csrf_token"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &sess); err != nil {
		t.Fatal(err)
	}
	cookies := w.Result().Cookies()
	return func(current string) *httptest.ResponseRecorder {
		body := fmt.Sprintf(`{"current_password":%q,"new_password":"a whole new passphrase"}`, current)
		r := httptest.NewRequest("PUT", "/api/v1/me/password", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set(api.CSRFHeader, sess.CSRFToken)
		for _, c := range cookies {
			r.AddCookie(c)
		}
		r.RemoteAddr = remote
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, r)
		return w
	}
}

// TestChangePasswordThrottled: a session guessing its own current password
// counts against the account's limit, and is refused with 429, the right
// password too, once it is reached.
func TestChangePasswordThrottled(t *testing.T) {
	s, _ := signInServer(t, nil)
	put := passwordSession(t, s, "192.0.2.1:4000")
	for i := range 3 {
		wantStatus(t, put(fmt.Sprintf("guess %d", i)), http.StatusForbidden, "wrong current password")
	}
	wantRefused(t, put("guess 4"), http.StatusTooManyRequests, "300", "Wait 5 minutes")
	wantRefused(t, put("correct horse battery"), http.StatusTooManyRequests, "300", "Wait 5 minutes")
	// The guesses count against the account's sign-in too.
	wantStatus(t, signIn(t, s, "192.0.2.1:4000", "agent@example.com", "correct horse battery"), http.StatusTooManyRequests, "sign-in after the guesses")
}

// TestChangePasswordGated: with every hashing slot taken, checking the
// current password is refused with 503, without hashing, and counts no
// failure.
func TestChangePasswordGated(t *testing.T) {
	gate := auth.NewHashGate(1, 0)
	s, _ := signInServer(t, gate)
	put := passwordSession(t, s, "192.0.2.1:4000")
	release, err := gate.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for range 4 {
		wantRefused(t, put("guess"), http.StatusServiceUnavailable, "5", "busy")
	}
	release()
	wantStatus(t, put("correct horse battery"), http.StatusNoContent, "slot free again")
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
