// Package oauth obtains short-lived access tokens with OAuth 2.0 refresh
// tokens (RFC 6749 §6) for the adapters whose platforms issue them: Google's
// YouTube and Business Profile APIs, Reddit, X. A platform hands an inbox a
// refresh token once, when its owner authorises Parley (the authorization
// code grant with PKCE, in authcode.go); every access token after that
// comes from the refresh grant and lives about an hour.
//
// Tokens are cached in memory per grant until shortly before they expire, so
// a busy inbox asks the token endpoint about once an hour, not once per
// request. A platform that rotates refresh tokens (X does: each refresh token
// is good once) returns a new one with every access token; the cache keeps
// using the newest, and Grant.Rotated lets the caller store it.
package oauth

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/channel"
)

// Early is how long before its stated expiry a cached token is refreshed,
// so a request never leaves with a token that expires on the way.
const Early = time.Minute

// maxBody bounds a token endpoint's answer.
const maxBody = 64 << 10

// Grant is what a refresh needs.
type Grant struct {
	// TokenURL is the platform's token endpoint, e.g.
	// https://oauth2.googleapis.com/token.
	TokenURL     string
	ClientID     string
	ClientSecret string
	RefreshToken string
	// BasicAuth sends the client's id and secret in an Authorization
	// header (RFC 6749 §2.3.1), which Reddit and X require for
	// confidential clients; otherwise they go in the form body, as Google
	// documents.
	BasicAuth bool
	// Header is added to the token request (Reddit refuses requests
	// without a descriptive User-Agent).
	Header http.Header
	// Rotated, if set, is called with a new refresh token when the
	// platform issues one, so the caller can store it; the cache uses it
	// from then on either way.
	Rotated func(ctx context.Context, refreshToken string) error
	// Key names the account the grant is for ("x:inbox:12"). A platform
	// that rotates refresh tokens needs it: the stored refresh token
	// changes with every refresh, and the cache must still know it is the
	// same account. "" keys the grant by its refresh token.
	Key string
}

// key identifies a grant's cache entry without keeping its secret in the
// map's keys.
func (g *Grant) key() [32]byte {
	id := g.Key
	if id == "" {
		id = g.RefreshToken
	}
	return sha256.Sum256([]byte(g.TokenURL + "\x00" + g.ClientID + "\x00" + g.ClientSecret + "\x00" + id))
}

type entry struct {
	access  string
	expires time.Time
	// seed is the refresh token the entry started from, refresh the
	// newest: the platform's rotation, or seed.
	seed, refresh string
}

// stale reports whether g's refresh token is one the entry never held:
// the account was connected again, so the cache starts over.
func (e *entry) stale(g *Grant) bool {
	return g.RefreshToken != e.seed && g.RefreshToken != e.refresh
}

// Source hands out access tokens. Its zero value is ready to use and it is
// safe for concurrent use; concurrent callers for one grant share one
// refresh.
type Source struct {
	// Client makes the token requests; nil means a client on
	// http.DefaultTransport.
	Client *http.Client
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	mu    sync.Mutex
	cache map[[32]byte]*entry
	busy  map[[32]byte]*sync.Mutex
}

func (s *Source) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Token returns a valid access token for g, refreshing it when the cached
// one is missing or about to expire. Errors are *channel.SendError: a
// refused grant (invalid_grant, invalid_client) is permanent, with a reason
// that tells the agent to reconnect the account; an unreachable or
// overloaded endpoint is temporary.
func (s *Source) Token(ctx context.Context, g Grant) (string, error) {
	k := g.key()
	s.mu.Lock()
	if e := s.cache[k]; e != nil && e.stale(&g) {
		delete(s.cache, k)
	}
	if e := s.cache[k]; e != nil && s.now().Before(e.expires) {
		s.mu.Unlock()
		return e.access, nil
	}
	if s.busy == nil {
		s.busy = make(map[[32]byte]*sync.Mutex)
	}
	lock := s.busy[k]
	if lock == nil {
		lock = new(sync.Mutex)
		s.busy[k] = lock
	}
	s.mu.Unlock()

	// One refresh per grant at a time: with rotating refresh tokens a
	// second concurrent refresh would spend a token the first invalidated.
	lock.Lock()
	defer lock.Unlock()
	s.mu.Lock()
	e := s.cache[k]
	if e != nil && s.now().Before(e.expires) {
		s.mu.Unlock()
		return e.access, nil
	}
	refresh, seed := g.RefreshToken, g.RefreshToken
	if e != nil && !e.stale(&g) {
		refresh, seed = e.refresh, e.seed
	}
	s.mu.Unlock()

	tok, err := s.refresh(ctx, g, refresh)
	if err != nil {
		return "", err
	}
	ne := &entry{access: tok.AccessToken, seed: seed, refresh: refresh, expires: s.now().Add(tok.lifetime() - Early)}
	if tok.RefreshToken != "" && tok.RefreshToken != refresh {
		ne.refresh = tok.RefreshToken
		if g.Rotated != nil {
			if err := g.Rotated(ctx, tok.RefreshToken); err != nil {
				return "", fmt.Errorf("oauth: store rotated refresh token: %w", err)
			}
		}
	}
	s.mu.Lock()
	if s.cache == nil {
		s.cache = make(map[[32]byte]*entry)
	}
	s.cache[k] = ne
	s.mu.Unlock()
	return ne.access, nil
}

// Invalidate forgets g's cached access token, for a caller whose request
// was answered 401 with it: the next Token refreshes.
func (s *Source) Invalidate(g Grant) {
	k := g.key()
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.cache[k]; e != nil {
		e.expires = time.Time{}
	}
}

// tokenResponse is RFC 6749 §5.1's successful answer.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
}

// lifetime is how long the token lives; a missing expires_in is taken as
// the hour every platform Parley talks to issues.
func (t *tokenResponse) lifetime() time.Duration {
	d := time.Duration(t.ExpiresIn) * time.Second
	if t.ExpiresIn <= 0 || d > 24*time.Hour {
		d = time.Hour
	}
	// A token shorter-lived than Early is still used, once.
	return max(d, Early+time.Second)
}

// errorResponse is RFC 6749 §5.2's error answer.
type errorResponse struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

func (s *Source) refresh(ctx context.Context, g Grant, refresh string) (*tokenResponse, error) {
	if g.TokenURL == "" || refresh == "" {
		return nil, channel.Permanent("the account has no refresh token: connect it again", nil)
	}
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}}
	if !g.BasicAuth {
		form.Set("client_id", g.ClientID)
		if g.ClientSecret != "" {
			form.Set("client_secret", g.ClientSecret)
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, channel.Permanent("the token endpoint is not a valid URL", err)
	}
	for k, v := range g.Header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if g.BasicAuth {
		// RFC 6749 §2.3.1: id and secret are form-encoded before Basic.
		req.SetBasicAuth(url.QueryEscape(g.ClientID), url.QueryEscape(g.ClientSecret))
	}
	c := s.Client
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := channel.NoRedirects(c).Do(req)
	if err != nil {
		return nil, channel.Temporary("the token endpoint did not answer", 0, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, channel.Temporary("the token endpoint's answer was cut off", 0, err)
	}
	var er errorResponse
	_ = json.Unmarshal(body, &er)
	// Reddit answers a refused grant 200 with an error body: the error
	// field decides, not the status.
	if resp.StatusCode == http.StatusOK && er.Error == "" {
		var tok tokenResponse
		if err := json.Unmarshal(body, &tok); err != nil || tok.AccessToken == "" {
			return nil, channel.Temporary("the token endpoint answered without an access token", 0, errors.Join(err, errors.New("no access_token")))
		}
		return &tok, nil
	}
	refused := false
	switch er.Error {
	case "", "temporarily_unavailable", "server_error":
	case "invalid_grant", "invalid_client", "unauthorized_client", "unsupported_grant_type", "invalid_scope":
		refused = true
	default:
		// X answers a spent or unknown refresh token invalid_request.
		refused = resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusOK
	}
	if refused {
		// RFC 6749 §5.2: the grant or the client was refused; only the
		// account's owner authorising again can fix that.
		return nil, &channel.SendError{Permanent: true, Status: resp.StatusCode,
			Reason: "the platform refused the account's authorisation (" + channel.Excerpt([]byte(er.Error), 40) + "): connect the account again",
			Err:    fmt.Errorf("oauth: %s: %s", er.Error, channel.Excerpt([]byte(er.Description), 200))}
	}
	err = channel.ClassifyHTTP(resp, body, s.now())
	if err == nil {
		err = channel.Temporary("the token endpoint answered "+resp.Status+" with error "+channel.Excerpt([]byte(er.Error), 40), 0, nil)
	}
	return nil, err
}
