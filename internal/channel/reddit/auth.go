package reddit

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

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/oauth"
)

// Authorization (github.com/reddit-archive/reddit/wiki/OAuth2): every API
// call carries "Authorization: bearer <access token>". Access tokens come
// from POST https://www.reddit.com/api/v1/access_token with the app's id
// and secret in HTTP Basic auth (an installed app's secret is ""), and
// last an hour or a day (expires_in says). Two grants are supported:
//
//   - refresh_token, for web and installed apps: the account's owner
//     authorises the app once with duration=permanent and the refresh
//     token lasts until revoked. internal/channel/oauth caches its access
//     tokens.
//   - password, for script apps used by the account's own developers
//     (grant_type=password&username=…&password=…). Its access tokens are
//     cached here the same way. A refused password is not tried again for
//     refusedWait unless the credentials change, so that polling cannot
//     lock the account out.
//
// A 401 from the API forgets the cached token; the request is made once
// more with a new one.

// refusedWait is how long refused credentials are not tried again.
const refusedWait = 15 * time.Minute

// grant is an inbox's way to get access tokens.
type grant struct {
	refresh  *oauth.Grant // nil for the password grant
	password *passwordGrant
}

type passwordGrant struct {
	tokenURL, clientID, clientSecret, username, password, userAgent string
}

func (g *passwordGrant) key() [32]byte {
	return sha256.Sum256([]byte(g.tokenURL + "\x00" + g.clientID + "\x00" + g.clientSecret + "\x00" + g.username + "\x00" + g.password))
}

// passwordToken is a password grant's cached access token.
type passwordToken struct {
	mu      sync.Mutex
	access  string
	expires time.Time
	// refused, until notBefore, is the error of the last refused login.
	refused   error
	notBefore time.Time
}

// grantOf returns the inbox's grant: its refresh token if it has one, else
// its username and password. It returns a permanent *channel.SendError
// when the inbox has neither.
func (a *Adapter) grantOf(in care.Inbox) (grant, error) {
	c := in.Credentials
	tu, err := tokenURL(in)
	if err != nil {
		return grant{}, channel.Permanent(care.ErrorMessage(err), err)
	}
	if c[CredClientID] == "" {
		return grant{}, channel.Permanent("the inbox has no client_id: connect the account again", nil)
	}
	ua := a.userAgent(in)
	if c[CredRefreshToken] != "" {
		return grant{refresh: &oauth.Grant{TokenURL: tu, ClientID: c[CredClientID], ClientSecret: c[CredClientSecret],
			RefreshToken: c[CredRefreshToken], BasicAuth: true, Header: http.Header{"User-Agent": {ua}}}}, nil
	}
	if c[CredUsername] != "" && c[CredPassword] != "" {
		return grant{password: &passwordGrant{tokenURL: tu, clientID: c[CredClientID], clientSecret: c[CredClientSecret],
			username: brand(in), password: c[CredPassword], userAgent: ua}}, nil
	}
	return grant{}, channel.Permanent("the inbox has neither a refresh token nor a username and password: connect the account again", nil)
}

// token returns an access token for g.
func (a *Adapter) token(ctx context.Context, g grant) (string, error) {
	if g.refresh != nil {
		tok, err := a.tokenSource().Token(ctx, *g.refresh)
		var se *channel.SendError
		if errors.As(err, &se) && se.Status == http.StatusUnauthorized {
			// Reddit answers a wrong client with 401 and
			// {"message": "Unauthorized", "error": 401}, not RFC 6749's
			// invalid_client.
			return "", &channel.SendError{Permanent: true, Status: se.Status, Err: se,
				Reason: "Reddit refused the app's client_id and client_secret: check them at reddit.com/prefs/apps"}
		}
		return tok, err
	}
	return a.passwordToken(ctx, g.password)
}

// invalidate forgets g's cached access token after the API refused it.
func (a *Adapter) invalidate(g grant) {
	if g.refresh != nil {
		a.tokenSource().Invalidate(*g.refresh)
		return
	}
	t := a.passwordEntry(g.password)
	t.mu.Lock()
	t.expires = time.Time{}
	t.mu.Unlock()
}

func (a *Adapter) passwordEntry(g *passwordGrant) *passwordToken {
	k := g.key()
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.passwords == nil {
		a.passwords = map[[32]byte]*passwordToken{}
	}
	t := a.passwords[k]
	if t == nil {
		t = &passwordToken{}
		a.passwords[k] = t
	}
	return t
}

// passwordToken returns a cached access token of the password grant g, or
// logs in for a new one. Concurrent callers share one login.
func (a *Adapter) passwordToken(ctx context.Context, g *passwordGrant) (string, error) {
	t := a.passwordEntry(g)
	t.mu.Lock()
	defer t.mu.Unlock()
	now := a.now()
	switch {
	case t.access != "" && now.Before(t.expires):
		return t.access, nil
	case t.refused != nil && now.Before(t.notBefore):
		return "", t.refused
	}
	access, lifetime, err := a.login(ctx, g)
	if err != nil {
		var se *channel.SendError
		if errors.As(err, &se) && se.Permanent {
			se.RetryAfter = refusedWait
			t.refused, t.notBefore = se, now.Add(refusedWait)
		}
		return "", err
	}
	t.access, t.expires, t.refused = access, a.now().Add(lifetime-oauth.Early), nil
	return access, nil
}

// tokenAnswer is the token endpoint's answer: RFC 6749 §5.1 on success,
// §5.2's error otherwise; Reddit answers a refused password with 200 and
// {"error": "invalid_grant"}, and a refused client with 401.
type tokenAnswer struct {
	AccessToken string          `json:"access_token"`
	ExpiresIn   json.RawMessage `json:"expires_in"`
	Error       json.RawMessage `json:"error"`
	Message     string          `json:"message"`
}

// login makes the password grant's token request.
func (a *Adapter) login(ctx context.Context, g *passwordGrant) (string, time.Duration, error) {
	form := url.Values{"grant_type": {"password"}, "username": {g.username}, "password": {g.password}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", 0, channel.Permanent("the token endpoint is not a valid URL", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", g.userAgent)
	// RFC 6749 §2.3.1: id and secret are form-encoded before Basic.
	req.SetBasicAuth(url.QueryEscape(g.clientID), url.QueryEscape(g.clientSecret))
	resp, err := a.client().Do(req)
	if err != nil {
		return "", 0, channel.Temporary("Reddit's token endpoint did not answer", 0, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBytes))
	if err != nil {
		return "", 0, channel.Temporary("Reddit's token endpoint's answer was cut off", 0, err)
	}
	var ans tokenAnswer
	_ = json.Unmarshal(body, &ans)
	code := errorCode(ans.Error)
	switch {
	case resp.StatusCode == http.StatusOK && ans.AccessToken != "" && code == "":
		if !printableASCII(ans.AccessToken, 4096) {
			return "", 0, channel.Temporary("Reddit's token endpoint answered an unusable access token", 0, nil)
		}
		return ans.AccessToken, lifetime(ans.ExpiresIn), nil
	case resp.StatusCode == http.StatusUnauthorized:
		return "", 0, &channel.SendError{Permanent: true, Status: resp.StatusCode,
			Reason: "Reddit refused the app's client_id and client_secret: check them at reddit.com/prefs/apps",
			Err:    errors.New("reddit: token endpoint: 401")}
	case code == "invalid_grant":
		return "", 0, &channel.SendError{Permanent: true, Status: resp.StatusCode,
			Reason: "Reddit refused the account's username and password (accounts with two-factor authentication need a refresh token instead)",
			Err:    errors.New("reddit: token endpoint: invalid_grant")}
	case code != "" && resp.StatusCode >= 200 && resp.StatusCode < 500 && resp.StatusCode != http.StatusTooManyRequests:
		return "", 0, &channel.SendError{Permanent: true, Status: resp.StatusCode,
			Reason: "Reddit refused the app's login (" + channel.Excerpt([]byte(code), 40) + "): check the inbox's credentials",
			Err:    fmt.Errorf("reddit: token endpoint: %s", channel.Excerpt([]byte(code), 64))}
	}
	if err := channel.ClassifyHTTP(resp, body, a.now()); err != nil {
		return "", 0, err
	}
	return "", 0, channel.Temporary("Reddit's token endpoint answered without an access token", 0, nil)
}

// errorCode reads a token answer's error: a string (RFC 6749) or, from
// Reddit's API, a number such as 401.
func errorCode(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return strings.TrimSpace(string(raw))
}

// lifetime reads expires_in; a missing, absurd or unreadable one is an
// hour, Reddit's documented lifetime.
func lifetime(raw json.RawMessage) time.Duration {
	n, ok := headerCount(strings.Trim(string(raw), `"`))
	if !ok || n <= 0 || n > 24*3600 {
		return time.Hour
	}
	return max(time.Duration(n)*time.Second, oauth.Early+time.Second)
}
