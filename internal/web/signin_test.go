package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/api"
	"github.com/parleyhq/parley/internal/auth"
)

// TestLoginThrottled: the sign-in form shares the API's limits. After the
// account's failures even the right password is refused, with 429, a
// Retry-After and a message saying how long to wait.
func TestLoginThrottled(t *testing.T) {
	f := newFixture(t)
	f.h.API.SignInGuard = &api.SignInGuard{
		Throttle: auth.NewThrottle(auth.ThrottleConfig{
			Account: auth.Limit{Failures: 3, Window: 15 * time.Minute},
			Now:     func() time.Time { return f.now },
		}),
		Gate: auth.NewHashGate(0, time.Second),
	}
	c := f.client()
	for i := range 3 {
		if res, _ := c.post("/login", url.Values{"email": {f.agent.Email}, "password": {"not the password"}}); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: POST /login = %d, want 401", i+1, res.StatusCode)
		}
	}
	res, body := c.post("/login", url.Values{"email": {f.agent.Email}, "password": {password}})
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "300" {
		t.Fatalf("POST /login after 3 failures = %d (Retry-After %q), want 429 with Retry-After 300", res.StatusCode, res.Header.Get("Retry-After"))
	}
	if !strings.Contains(body, "Too many failed sign-ins for this address. Wait 5 minutes") {
		t.Errorf("the refusal does not say how long to wait:\n%s", body)
	}
	if len(res.Cookies()) != 0 {
		t.Errorf("a refused login set cookies %v", res.Cookies())
	}
}

// TestPasswordChangeThrottled: guesses at the current password on the
// password form count against the account's limit like failed sign-ins,
// and once it is reached even the right one is refused with 429.
func TestPasswordChangeThrottled(t *testing.T) {
	f := newFixture(t)
	f.h.API.SignInGuard = &api.SignInGuard{
		Throttle: auth.NewThrottle(auth.ThrottleConfig{
			Account: auth.Limit{Failures: 3, Window: 15 * time.Minute},
			Now:     func() time.Time { return f.now },
		}),
		Gate: auth.NewHashGate(0, time.Second),
	}
	c := f.login()
	const next = "a much longer passphrase"
	for i := range 3 {
		if res, _ := c.act("/password", url.Values{"current": {"not the password"}, "new": {next}, "confirm": {next}}); res.StatusCode != http.StatusForbidden {
			t.Fatalf("guess %d: POST /password = %d, want 403", i+1, res.StatusCode)
		}
	}
	res, body := c.act("/password", url.Values{"current": {password}, "new": {next}, "confirm": {next}})
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "300" {
		t.Fatalf("POST /password after 3 guesses = %d (Retry-After %q), want 429 with Retry-After 300", res.StatusCode, res.Header.Get("Retry-After"))
	}
	if !strings.Contains(body, "Wait 5 minutes") {
		t.Errorf("the refusal does not say how long to wait:\n%s", body)
	}
}
