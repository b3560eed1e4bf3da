package oauth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// The authorization code grant (RFC 6749 §4.1) is how an account's owner
// hands Parley its first tokens: Parley sends the owner's browser to the
// platform's authorization page with a state and a PKCE code challenge
// (RFC 7636), the platform sends it back to Parley's redirect URI with a
// one-time code, and Parley exchanges the code, with the verifier behind the
// challenge, for an access token and a refresh token. The state ties the
// callback to the request that started it (RFC 6749 §10.12); the verifier
// makes a stolen code useless to anyone but Parley (RFC 7636 §1).

// MethodS256 is the only code challenge method Parley sends: the challenge
// is the verifier's SHA-256, so the verifier never leaves Parley before the
// exchange (RFC 7636 §4.2; "plain" would send it in the browser's URL).
const MethodS256 = "S256"

// secretBytes is the entropy of a state or a verifier: 256 bits, which
// base64url makes 43 characters, RFC 7636 §4.1's minimum for a verifier.
const secretBytes = 32

// randomString returns secretBytes of crypto/rand as unpadded base64url.
func randomString() string {
	b := make([]byte, secretBytes)
	// crypto/rand.Read never fails (Go 1.24); a failure would crash the
	// program rather than return weak bytes.
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// NewState returns an unguessable value for an authorization request's
// state parameter.
func NewState() string { return randomString() }

// NewVerifier returns a fresh PKCE code verifier.
func NewVerifier() string { return randomString() }

// Challenge is verifier's S256 code challenge: base64url, unpadded, of its
// SHA-256 (RFC 7636 §4.2).
func Challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// AuthRequest is an authorization request (RFC 6749 §4.1.1 with RFC 7636
// §4.3's challenge).
type AuthRequest struct {
	// Endpoint is the platform's authorization page, e.g.
	// https://x.com/i/oauth2/authorize.
	Endpoint    string
	ClientID    string
	RedirectURI string
	Scopes      []string
	State       string
	// Verifier is the PKCE code verifier; the request carries its S256
	// challenge.
	Verifier string
}

// URL returns the address to send the owner's browser to. It returns
// EINVALID when the endpoint is not an absolute http or https URL or a
// parameter is missing.
func (r AuthRequest) URL() (string, error) {
	u, err := url.Parse(r.Endpoint)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", care.Errorf(care.EINVALID, "The authorization endpoint must be an http or https URL.")
	}
	if r.ClientID == "" || r.RedirectURI == "" || r.State == "" || r.Verifier == "" {
		return "", care.Errorf(care.EINVALID, "An authorization request needs a client id, a redirect URI, a state and a verifier.")
	}
	q := u.Query()
	q.Set("response_type", "code")
	q.Set("client_id", r.ClientID)
	q.Set("redirect_uri", r.RedirectURI)
	q.Set("scope", strings.Join(r.Scopes, " "))
	q.Set("state", r.State)
	q.Set("code_challenge", Challenge(r.Verifier))
	q.Set("code_challenge_method", MethodS256)
	// Spaces as %20, not "+": X's examples encode scopes so, and a
	// server that reads the query strictly by RFC 3986 sees "+" as a
	// plus.
	u.RawQuery = strings.ReplaceAll(q.Encode(), "+", "%20")
	return u.String(), nil
}

// Callback is what the platform sent to the redirect URI (RFC 6749
// §4.1.2): a code and the state, or an error such as "access_denied" when
// the owner declined.
type Callback struct {
	Code, State             string
	Error, ErrorDescription string
}

// ParseCallback reads the redirect URI's query.
func ParseCallback(q url.Values) Callback {
	return Callback{Code: q.Get("code"), State: q.Get("state"), Error: q.Get("error"), ErrorDescription: q.Get("error_description")}
}

// CodeGrant is the token request that redeems a code (RFC 6749 §4.1.3 with
// RFC 7636 §4.5's verifier).
type CodeGrant struct {
	TokenURL     string
	ClientID     string
	ClientSecret string
	// RedirectURI must be the one the authorization request named.
	RedirectURI string
	Code        string
	Verifier    string
	// BasicAuth sends the client's id and secret in an Authorization
	// header, as a confidential client; otherwise the client_id goes in
	// the form, as a public client's does.
	BasicAuth bool
}

// Token is a token endpoint's successful answer (RFC 6749 §5.1).
type Token struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
	Scope        string `json:"scope"`
}

// Exchange redeems g's code at the token endpoint. Errors are *care.Error:
// EINVALID when the platform refused the code or the client (RFC 6749
// §5.2: the code expired or was used, the verifier or redirect URI do not
// match, the client secret is wrong), naming the platform's error code;
// EUNAVAILABLE when the endpoint could not be reached or failed. The
// platform's description stays in the wrapped error, for the log.
func Exchange(ctx context.Context, c *http.Client, g CodeGrant) (*Token, error) {
	form := url.Values{"grant_type": {"authorization_code"}, "code": {g.Code}, "redirect_uri": {g.RedirectURI},
		"code_verifier": {g.Verifier}}
	if !g.BasicAuth {
		form.Set("client_id", g.ClientID)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, &care.Error{Code: care.EINVALID, Message: "The token endpoint is not a valid URL.", Err: err}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if g.BasicAuth {
		req.SetBasicAuth(url.QueryEscape(g.ClientID), url.QueryEscape(g.ClientSecret))
	}
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := channel.NoRedirects(c).Do(req)
	if err != nil {
		return nil, &care.Error{Code: care.EUNAVAILABLE, Message: "The platform's token endpoint did not answer.", Err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, &care.Error{Code: care.EUNAVAILABLE, Message: "The platform's answer was cut off.", Err: err}
	}
	var er errorResponse
	_ = json.Unmarshal(body, &er)
	if resp.StatusCode == http.StatusOK && er.Error == "" {
		var tok Token
		if err := json.Unmarshal(body, &tok); err != nil || tok.AccessToken == "" {
			return nil, &care.Error{Code: care.EUNAVAILABLE, Message: "The platform answered without an access token.",
				Err: fmt.Errorf("oauth: token answer: %w", err)}
		}
		return &tok, nil
	}
	cause := fmt.Errorf("oauth: exchange code: %s: %s: %s", resp.Status, channel.Excerpt([]byte(er.Error), 40), channel.Excerpt([]byte(er.Description), 200))
	if resp.StatusCode >= 500 || er.Error == "temporarily_unavailable" || er.Error == "server_error" {
		return nil, &care.Error{Code: care.EUNAVAILABLE, Message: "The platform's token endpoint failed (" + resp.Status + "); try again.", Err: cause}
	}
	code := channel.Excerpt([]byte(er.Error), 40)
	if code == "" {
		code = resp.Status
	}
	return nil, &care.Error{Code: care.EINVALID, Err: cause,
		Message: "The platform refused the authorisation (" + code + "): check the client id and secret, then start again."}
}
