package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/auth"
	"github.com/parleyhq/parley/internal/care"
)

// SignInGuard protects every password check, sign-in and password change,
// the API's and the web interface's alike: Throttle limits failures per
// account and per client, Gate bounds how many password hashes run at once.
type SignInGuard struct {
	Throttle *auth.Throttle
	Gate     *auth.HashGate
}

// hashWait is how long a sign-in waits for a free hashing slot before it is
// told to come back: a few hashes' time, short of a person's patience.
const hashWait = 3 * time.Second

// errThrottled is the problem code of a sign-in refused for too many
// failures; it answers 429.
const errThrottled = "too_many_requests"

// SignInRefused is the error SignIn returns when it did not check the
// password at all: Status is 429 (too many failures) or 503 (too many
// checks at once), and the caller should send RetryAfter as Retry-After.
type SignInRefused struct {
	Status     int
	RetryAfter time.Duration
	err        *care.Error
}

func (e *SignInRefused) Error() string { return e.err.Error() }
func (e *SignInRefused) Unwrap() error { return e.err }

// RetryAfterSeconds is RetryAfter in whole seconds, rounded up, at least 1.
func (e *SignInRefused) RetryAfterSeconds() int {
	return max(1, int((e.RetryAfter+time.Second-1)/time.Second))
}

// signInDefault is the guard of a server configured without one.
type signInDefault struct {
	once  sync.Once
	guard *SignInGuard
}

// NewSignInGuard returns the default guard: in 15 minutes, 10 failures per
// account from one client network, 100 per account from all of them and 50
// per client network; and DefaultHashSlots hashes at once.
func NewSignInGuard(now func() time.Time) *SignInGuard {
	return &SignInGuard{
		Throttle: auth.NewThrottle(auth.ThrottleConfig{Now: now}),
		Gate:     auth.NewHashGate(0, hashWait),
	}
}

// guard returns the server's SignInGuard, making the default one the
// first time for a server configured without.
func (s *Server) guard() *SignInGuard {
	if s.SignInGuard != nil {
		return s.SignInGuard
	}
	s.signInDef.once.Do(func() { s.signInDef.guard = NewSignInGuard(s.now) })
	return s.signInDef.guard
}

// SignIn is CheckPassword behind the server's SignInGuard. It returns a
// *SignInRefused, without checking the password, when the account or the
// client (r's RemoteAddr: Parley trusts no forwarding header) has failed
// too often lately, or when too many passwords are being checked at once.
// A store that failed is EUNAVAILABLE and counts as no failure.
func (s *Server) SignIn(r *http.Request, email, password string) (*care.User, error) {
	if strings.TrimSpace(email) == "" || password == "" {
		return s.CheckPassword(r.Context(), email, password) // refused before any hashing
	}
	var u *care.User
	err := s.guarded(r, email, "Too many failed sign-ins for this address. Wait %s and try again; if you have forgotten your password, ask an admin to set a new one.",
		func() (err error) {
			u, err = s.CheckPassword(r.Context(), email, password)
			return err
		})
	return u, err
}

// VerifyCurrentPassword checks password against u's own, as a password
// change does before it sets a new one: behind the same SignInGuard as
// sign-in, counted against u's address, so a session in the wrong hands
// cannot guess the password it would change, nor hash without bound. It
// returns EFORBIDDEN for a wrong password, a *SignInRefused when it did
// not check at all.
func (s *Server) VerifyCurrentPassword(r *http.Request, u *care.User, password string) error {
	wrong := care.Errorf(care.EFORBIDDEN, "The current password is wrong.")
	if password == "" || u.PasswordHash == "" {
		return wrong
	}
	return s.guarded(r, u.Email, "Too many wrong passwords for this account. Wait %s and try again.",
		func() error {
			if ok, err := auth.VerifyPassword(u.PasswordHash, password); err != nil || !ok {
				return wrong
			}
			return nil
		})
}

// guarded runs check, a password check for email's account, behind the
// server's SignInGuard. check's error counts as a failure when it is
// EUNAUTHORIZED or EFORBIDDEN (the password was judged wrong), as nothing
// otherwise. accountText is the refusal for the account's limits, with %s
// for how long to wait.
func (s *Server) guarded(r *http.Request, email, accountText string, check func() error) error {
	g := s.guard()
	attempt, err := g.Throttle.Begin(r.RemoteAddr, email)
	if err != nil {
		var th *auth.Throttled
		if !errors.As(err, &th) {
			return err
		}
		refused := &SignInRefused{Status: http.StatusTooManyRequests, RetryAfter: th.RetryAfter}
		wait := waitText(th.RetryAfter)
		if th.Account {
			refused.err = care.Errorf(errThrottled, accountText, wait)
		} else {
			refused.err = care.Errorf(errThrottled, "Too many failed sign-ins from your network. Wait %s and try again.", wait)
		}
		s.logger().WarnContext(r.Context(), "sign-in throttled", "remote", r.RemoteAddr, "path", r.URL.Path, "account_limit", th.Account, "retry_after", th.RetryAfter)
		return refused
	}
	release, err := g.Gate.Acquire(r.Context())
	if err != nil {
		attempt.Cancel()
		s.logger().WarnContext(r.Context(), "sign-in refused: password checks busy", "remote", r.RemoteAddr, "err", err)
		return &SignInRefused{Status: http.StatusServiceUnavailable, RetryAfter: 5 * time.Second,
			err: care.Errorf(care.EUNAVAILABLE, "Parley is busy checking other sign-ins. Try again in a few seconds.")}
	}
	defer release()
	err = check()
	switch care.ErrorCode(err) {
	case "":
		attempt.Succeeded()
	case care.EUNAUTHORIZED, care.EFORBIDDEN:
		// Counted: the password was judged wrong.
	default:
		attempt.Cancel() // the store failed: the password was not judged
	}
	return err
}

// waitText says how long to wait in words a person reads at a glance.
func waitText(d time.Duration) string {
	switch {
	case d <= time.Minute:
		return "a minute"
	case d < 90*time.Minute:
		return fmt.Sprintf("%d minutes", int((d+time.Minute-1)/time.Minute))
	default:
		return fmt.Sprintf("%d hours", int((d+time.Hour-1)/time.Hour))
	}
}
