package xfake

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// OAuth 2.0 Authorization Code with PKCE, as X documents it
// (docs.x.com fundamentals/authentication/oauth-2-0/authorization-code and
// …/user-access-token): GET /i/oauth2/authorize (served by x.com; here on
// the fake's one server) takes response_type=code, client_id, a
// redirect_uri that exactly matches one of the App's callback URLs, scope,
// state (up to 500 characters), code_challenge and code_challenge_method
// (S256 or plain). Where a real X shows its consent dialog, the fake
// decides at once, as the user set with AuthorizeAs, and redirects to the
// redirect_uri with code and state, or with error=access_denied after
// RefuseAuthorization. A request with an unknown client or a redirect_uri
// the App does not list is answered 400 without redirecting, as RFC 6749
// §4.1.2.1 requires. The code is good once, for 30 seconds; POST
// /2/oauth2/token with grant_type=authorization_code redeems it against the
// code_verifier, and issues a refresh token only when offline.access was
// granted.

// App is a developer App's OAuth 2.0 client.
type App struct {
	ClientID string
	// ClientSecret is "" for a public client (Native App, Single page
	// App), which names its client_id in the token request instead.
	ClientSecret string
	// CallbackURLs are the redirect URIs the App accepts, matched exactly.
	CallbackURLs []string
}

// codeLifetime is how long an authorization code may wait to be redeemed.
const codeLifetime = 30 * time.Second

type authCode struct {
	app                App
	user               string
	redirectURI, scope string
	challenge, method  string
	expires            time.Time
}

// AddApp registers an App whose users may authorise it.
func (f *Fake) AddApp(a App) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.apps == nil {
		f.apps = map[string]App{}
	}
	a.CallbackURLs = slices.Clone(a.CallbackURLs)
	f.apps[a.ClientID] = a
}

// AuthorizeAs makes the user with userID the one who is signed in on the
// fake X and approves authorization requests.
func (f *Fake) AuthorizeAs(userID string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.approver, f.refuse = userID, false
}

// RefuseAuthorization makes the signed-in user decline the next
// authorization requests (until AuthorizeAs).
func (f *Fake) RefuseAuthorization() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refuse = true
}

// AuthorizeRequests returns the authorization requests the fake received,
// with their query, oldest first.
func (f *Fake) AuthorizeRequests() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]url.Values, len(f.authorizeReqs))
	for i, q := range f.authorizeReqs {
		out[i] = cloneValues(q)
	}
	return out
}

func cloneValues(q url.Values) url.Values {
	c := url.Values{}
	for k, v := range q {
		c[k] = slices.Clone(v)
	}
	return c
}

// authorizePage is an error page X shows in the browser.
func authorizePage(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!doctype html><title>X</title><p>%s</p>", html.EscapeString(msg))
}

func (f *Fake) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.authorizeReqs = append(f.authorizeReqs, cloneValues(q))
	app, ok := f.apps[q.Get("client_id")]
	redirect := q.Get("redirect_uri")
	if !ok || !slices.Contains(app.CallbackURLs, redirect) {
		// Never redirect to an address the App did not register.
		authorizePage(w, http.StatusBadRequest, "Something went wrong. You weren't able to give access to the App. Go back and try logging in again.")
		return
	}
	back, err := url.Parse(redirect)
	if err != nil {
		authorizePage(w, http.StatusBadRequest, "The redirect_uri is not a URL.")
		return
	}
	state := q.Get("state")
	fail := func(code, desc string) {
		v := back.Query()
		v.Set("error", code)
		if desc != "" {
			v.Set("error_description", desc)
		}
		if state != "" {
			v.Set("state", state)
		}
		back.RawQuery = v.Encode()
		http.Redirect(w, r, back.String(), http.StatusFound)
	}
	method := q.Get("code_challenge_method")
	switch {
	case q.Get("response_type") != "code":
		fail("unsupported_response_type", "response_type must be code")
		return
	case state == "" || len(state) > 500:
		fail("invalid_request", "state is required, up to 500 characters")
		return
	case q.Get("code_challenge") == "" || method != "S256" && method != "plain":
		fail("invalid_request", "code_challenge and code_challenge_method (S256 or plain) are required")
		return
	case q.Get("scope") == "":
		fail("invalid_scope", "scope is required")
		return
	case f.refuse || f.approver == "":
		fail("access_denied", "")
		return
	}
	code := "xac-" + rand.Text()
	if f.codes == nil {
		f.codes = map[string]authCode{}
	}
	f.codes[code] = authCode{app: app, user: f.approver, redirectURI: redirect, scope: q.Get("scope"),
		challenge: q.Get("code_challenge"), method: method, expires: f.now().Add(codeLifetime)}
	v := back.Query()
	v.Set("state", state)
	v.Set("code", code)
	back.RawQuery = v.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// verifies reports whether verifier answers the code's challenge.
func (c *authCode) verifies(verifier string) bool {
	if verifier == "" {
		return false
	}
	if c.method == "plain" {
		return verifier == c.challenge
	}
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:]) == c.challenge
}

// redeem is the authorization_code grant; f.mu is held.
func (f *Fake) redeem(w http.ResponseWriter, r *http.Request, form url.Values) {
	code := form.Get("code")
	c, ok := f.codes[code]
	// A code is spent by any attempt to redeem it, good or not.
	delete(f.codes, code)
	if !ok || f.now().After(c.expires) {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "error_description": "Value passed for the authorization code was invalid."})
		return
	}
	if !clientAuthenticated(r, form, c.app.ClientID, c.app.ClientSecret) {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "unauthorized_client", "error_description": "Missing valid authorization header"})
		return
	}
	switch {
	case form.Get("redirect_uri") != c.redirectURI:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "error_description": "Value passed for the redirect uri did not match the uri of the authorization code."})
		return
	case !c.verifies(form.Get("code_verifier")):
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "error_description": "Value passed for the code verifier did not match the code challenge."})
		return
	}
	f.grants++
	access := fmt.Sprintf("xat-code-%d-%s", f.grants, c.user)
	f.tokens[access] = c.user
	f.issued = append(f.issued, access)
	answer := map[string]any{"token_type": "bearer", "expires_in": 7200, "access_token": access, "scope": c.scope}
	if slices.Contains(strings.Fields(c.scope), "offline.access") {
		refresh := fmt.Sprintf("xrt-code-%d-%s", f.grants, c.user)
		if f.refresh == nil {
			f.refresh = map[string]refreshGrant{}
		}
		f.refresh[refresh] = refreshGrant{user: c.user, clientID: c.app.ClientID, clientSecret: c.app.ClientSecret}
		answer["refresh_token"] = refresh
	}
	writeJSON(w, http.StatusOK, answer)
}

// me is GET /2/users/me: the user the token acts for.
func (f *Fake) me(_ *http.Request, _ []byte, caller User) reply {
	return reply{http.StatusOK, map[string]any{"data": v2User(caller)}}
}
