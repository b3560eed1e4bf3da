package bluesky

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Sessions. An inbox logs in with com.atproto.server.createSession
// (identifier and App Password) and gets an access token (accessJwt, a JWT
// good for a couple of hours) and a refresh token (refreshJwt, good for
// weeks). Requests carry the access token; when it nears its exp claim, or
// the server refuses it as expired (400 ExpiredToken), the adapter renews
// both with com.atproto.server.refreshSession (the refresh token as bearer,
// no body; it answers the same shape and the old refresh token stops
// working). Only when that fails for good does it log in again.
//
// createSession is limited to 30 calls per 5 minutes and 300 per day per
// account (docs.bsky.app/docs/advanced-guides/rate-limits), and the limit
// locks the account's own apps out too, so logins are rationed: after a
// 429 none is tried before the RateLimit-Reset it gave; after a refused
// password none for wrongPasswordWait unless the credentials change; and a
// login that does not lead to an accepted request makes the next wait a
// minute, then two, four, up to an hour. A waiting inbox fails fast with a
// *channel.SendError carrying RetryAfter, without calling Bluesky.
//
// Tokens live in memory only, one session per inbox: a restart costs one
// createSession.
const (
	// expiryMargin renews a token this long before its exp claim, so a
	// request does not set out with a token about to lapse.
	expiryMargin = time.Minute
	// wrongPasswordWait is how long refused credentials are not retried.
	wrongPasswordWait = 15 * time.Minute
	maxLoginGap       = time.Hour
	// maxLoginWait bounds a wait a server's reset can impose: a day, the
	// longest createSession window.
	maxLoginWait  = 24 * time.Hour
	maxTokenBytes = 8 << 10
)

type session struct {
	fingerprint [32]byte

	mu         sync.Mutex
	did        string
	access     string
	accessExp  time.Time // zero: unknown, good until refused
	refresh    string
	refreshExp time.Time
	// logins counts createSession calls since a request last succeeded
	// with a session; lastLogin is the latest.
	logins    int
	lastLogin time.Time
	// notBefore holds logins back; waitErr says why.
	notBefore time.Time
	waitErr   *channel.SendError
}

// session returns the inbox's session, a new one when its credentials
// changed since.
func (a *Adapter) session(in care.Inbox, base string) *session {
	fp := sha256.Sum256([]byte(base + "\x00" + in.Credentials[CredIdentifier] + "\x00" + in.Credentials[CredAppPassword] + "\x00" + in.Credentials[CredDID]))
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.sessions == nil {
		a.sessions = map[care.ID]*session{}
	}
	s := a.sessions[in.ID]
	if s == nil || s.fingerprint != fp {
		s = &session{fingerprint: fp}
		a.sessions[in.ID] = s
	}
	return s
}

// authenticated notes that a request with tok succeeded: logins work.
func (s *session) authenticated(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if tok == s.access {
		s.logins = 0
	}
}

// invalidate drops tok, refused by the server. The refresh token stays:
// it renews an expired access token, and is worth a try for a revoked one.
func (s *session) invalidate(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if tok == s.access {
		s.access, s.accessExp = "", time.Time{}
	}
}

// accountDID returns the account's DID as the session knows it, logging in if
// needed.
func (a *Adapter) accountDID(ctx context.Context, in care.Inbox) (string, error) {
	base, err := a.baseURL(in)
	if err != nil {
		return "", channel.Permanent("the Bluesky inbox's api_base is not a usable URL", err)
	}
	s := a.session(in, base)
	if _, err := a.accessToken(ctx, in, s, base); err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.did, nil
}

// accessToken returns a usable access token, renewing or logging in as the
// rules above allow.
func (a *Adapter) accessToken(ctx context.Context, in care.Inbox, s *session, base string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := a.now()
	if s.access != "" && (s.accessExp.IsZero() || now.Before(s.accessExp.Add(-expiryMargin))) {
		return s.access, nil
	}
	s.access = ""
	if s.refresh != "" && (s.refreshExp.IsZero() || now.Before(s.refreshExp.Add(-expiryMargin))) {
		err := a.refreshSession(ctx, in, s, base)
		if err == nil {
			return s.access, nil
		}
		var e *apiError
		switch {
		case !errors.As(err, &e):
			// The PDS is unreachable or failing: a login would fare no
			// better, and would spend one.
			return "", err
		case !e.unauthenticated():
			return "", a.sendError("renewing the session", e)
		}
		a.logger().Info("bluesky: refresh token refused; logging in again", "inbox", in.ID, "err", err)
	}
	s.refresh, s.refreshExp = "", time.Time{}
	return a.login(ctx, in, s, base, now)
}

// sessionAnswer is what createSession and refreshSession return.
type sessionAnswer struct {
	AccessJwt  string `json:"accessJwt"`
	RefreshJwt string `json:"refreshJwt"`
	Handle     string `json:"handle"`
	DID        string `json:"did"`
	Active     *bool  `json:"active"`
	Status     string `json:"status"`
}

// refreshSession renews s with its refresh token. The error is an
// *apiError for the server's 400 and 401, a *channel.SendError otherwise.
func (a *Adapter) refreshSession(ctx context.Context, in care.Inbox, s *session, base string) error {
	r, err := a.send(ctx, base, s.refresh, call{post: true, nsid: "com.atproto.server.refreshSession"})
	if err != nil {
		return unreachable(ctx, "renewing the session", err)
	}
	if r.status < 200 || r.status > 299 {
		e := parseAPIError("com.atproto.server.refreshSession", r)
		if e.Status == http.StatusUnauthorized || e.Status == http.StatusBadRequest {
			return e
		}
		return a.sendError("renewing the session", e)
	}
	return a.store(in, s, r.body)
}

// login calls createSession, if the rations allow.
func (a *Adapter) login(ctx context.Context, in care.Inbox, s *session, base string, now time.Time) (string, error) {
	if now.Before(s.notBefore) {
		return "", s.waiting(now)
	}
	if s.logins > 0 {
		gap := min(time.Minute<<min(s.logins-1, 10), maxLoginGap)
		if next := s.lastLogin.Add(gap); now.Before(next) {
			s.hold(next, &channel.SendError{Reason: fmt.Sprintf(
				"Parley's last login to Bluesky did not lead to a working session; it will log in again at %s rather than spend more of the account's logins (30 per 5 minutes, 300 a day)",
				next.UTC().Format("15:04 MST"))})
			return "", s.waiting(now)
		}
	}
	creds := in.Credentials
	if creds[CredIdentifier] == "" || creds[CredAppPassword] == "" {
		return "", channel.Permanent("the Bluesky inbox has no identifier or App Password; update its credentials", nil)
	}
	s.logins++
	s.lastLogin = now
	body := map[string]string{"identifier": creds[CredIdentifier], "password": creds[CredAppPassword]}
	r, err := a.send(ctx, base, "", call{post: true, nsid: "com.atproto.server.createSession", body: body})
	if err != nil {
		return "", unreachable(ctx, "logging in", err)
	}
	if r.status >= 200 && r.status <= 299 {
		if err := a.store(in, s, r.body); err != nil {
			return "", err
		}
		return s.access, nil
	}
	e := parseAPIError("com.atproto.server.createSession", r)
	switch {
	case e.Status == http.StatusTooManyRequests:
		until := now.Add(5 * time.Minute)
		if reset := parseReset(r.header.Get("RateLimit-Reset"), now); reset.After(now) {
			until = reset.Add(time.Second)
		} else if d, ok := channel.ParseRetryAfter(r.header.Get("Retry-After"), now); ok && d > 0 {
			until = now.Add(d)
		}
		until = minTime(until, now.Add(maxLoginWait))
		s.hold(until, &channel.SendError{Status: e.Status, Err: e, RateLimit: rateLimitLine(r.header, now),
			Reason: fmt.Sprintf("Bluesky limits logins (createSession: 30 per 5 minutes, 300 per day per account) and this account reached the limit; Parley will log in again after %s",
				until.UTC().Format("2 Jan 15:04 MST"))})
		return "", s.waiting(now)
	case e.Status == http.StatusUnauthorized || e.Status == http.StatusBadRequest:
		// AuthenticationRequired ("Invalid identifier or password"),
		// AuthFactorTokenRequired (an account password with 2FA),
		// AccountTakedown: nothing a retry can change.
		reason := "Bluesky refused the identifier or App Password; check the inbox's credentials"
		switch e.Name {
		case "AuthFactorTokenRequired":
			reason = "Bluesky asks for an email code: use an App Password, not the account's password"
		case "AccountTakedown":
			reason = "Bluesky has taken the account down"
		}
		if e.Message != "" {
			reason += ". Bluesky said: " + e.Message
		}
		s.hold(now.Add(wrongPasswordWait), &channel.SendError{Permanent: true, Status: e.Status, Err: e, Reason: reason})
		return "", s.waiting(now)
	}
	return "", a.sendError("logging in", e)
}

// hold stops logins until t, failing with e meanwhile.
func (s *session) hold(t time.Time, e *channel.SendError) {
	s.notBefore, s.waitErr = t, e
}

// waiting returns a copy of the hold's error with the time left to wait.
func (s *session) waiting(now time.Time) error {
	e := *s.waitErr
	if !e.Permanent {
		e.RetryAfter = min(s.notBefore.Sub(now), channel.MaxRetryAfter)
	}
	return &e
}

// store keeps a session answer's tokens.
func (a *Adapter) store(in care.Inbox, s *session, body []byte) error {
	var ans sessionAnswer
	if err := json.Unmarshal(body, &ans); err != nil {
		return channel.Temporary("Bluesky's session answer was not understood", 0, fmt.Errorf("bluesky: session: %w", err))
	}
	switch {
	case ans.AccessJwt == "" || len(ans.AccessJwt) > maxTokenBytes || len(ans.RefreshJwt) > maxTokenBytes ||
		!printable(ans.AccessJwt) || !printable(ans.RefreshJwt):
		return channel.Temporary("Bluesky's session answer held no usable token", 0, errors.New("bluesky: session: bad token"))
	case !validDID(ans.DID):
		return channel.Temporary("Bluesky's session answer held no valid DID", 0, errors.New("bluesky: session: bad did"))
	case in.Credentials[CredDID] != "" && ans.DID != in.Credentials[CredDID]:
		err := channel.Permanent(fmt.Sprintf("the App Password logs in as %s, but this inbox is for %s; check the identifier", ans.DID, in.Credentials[CredDID]), nil)
		s.hold(a.now().Add(wrongPasswordWait), err.(*channel.SendError))
		return err
	case ans.Active != nil && !*ans.Active:
		err := channel.Permanent(fmt.Sprintf("the Bluesky account is not active (%s)", channel.CleanName(ans.Status, 64)), nil)
		s.hold(a.now().Add(wrongPasswordWait), err.(*channel.SendError))
		return err
	}
	s.did = ans.DID
	s.access, s.accessExp = ans.AccessJwt, jwtExpiry(ans.AccessJwt)
	s.refresh, s.refreshExp = ans.RefreshJwt, jwtExpiry(ans.RefreshJwt)
	return nil
}

// jwtExpiry reads a JWT's exp claim without verifying the token: the
// adapter is not the audience, it only wants to know when to renew. Zero
// when the token is not a JWT with a sensible exp.
func jwtExpiry(tok string) time.Time {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 || len(parts[1]) > maxTokenBytes {
		return time.Time{}
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return time.Time{}
	}
	var claims struct {
		Exp json.Number `json:"exp"`
	}
	if json.Unmarshal(payload, &claims) != nil {
		return time.Time{}
	}
	exp, err := claims.Exp.Int64()
	if err != nil || exp < 946684800 || exp >= 4102444800 {
		return time.Time{}
	}
	return time.Unix(exp, 0).UTC()
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
