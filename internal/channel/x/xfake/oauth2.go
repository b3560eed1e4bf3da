package xfake

import (
	"fmt"
	"net/http"
	"net/url"
)

// OAuth 2.0 refresh, as X's token endpoint does it (the authorization
// code grant is in authorize.go)
// (docs.x.com/fundamentals/authentication/oauth-2-0/user-access-token):
// POST /2/oauth2/token with grant_type=refresh_token answers a new access
// token (two hours) and a new refresh token; the refresh token used stops
// working. A confidential client authenticates with HTTP Basic, a public
// one names its client_id in the form.

type refreshGrant struct {
	user, clientID, clientSecret string
}

// IssueRefreshToken makes refresh a refresh token of userID for the app
// clientID; clientSecret is "" for a public client.
func (f *Fake) IssueRefreshToken(refresh, userID, clientID, clientSecret string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.refresh == nil {
		f.refresh = map[string]refreshGrant{}
	}
	f.refresh[refresh] = refreshGrant{user: userID, clientID: clientID, clientSecret: clientSecret}
}

// ExpireAccessTokens ends every access token issued by refresh, as two
// hours do: requests with them are answered 401.
func (f *Fake) ExpireAccessTokens() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, t := range f.issued {
		delete(f.tokens, t)
	}
	f.issued = nil
}

// Refreshes counts the refreshes the token endpoint granted.
func (f *Fake) Refreshes() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.refreshes
}

func (f *Fake) token(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	grant := ""
	if err := r.ParseForm(); err == nil {
		grant = r.PostForm.Get("grant_type")
	}
	if grant != "refresh_token" && grant != "authorization_code" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "error_description": "Missing required parameter [grant_type]."})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if grant == "authorization_code" {
		f.redeem(w, r, r.PostForm)
		return
	}
	g, ok := f.refresh[r.PostForm.Get("refresh_token")]
	if !ok {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "error_description": "Value passed for the token was invalid."})
		return
	}
	if !clientAuthenticated(r, r.PostForm, g.clientID, g.clientSecret) {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "unauthorized_client", "error_description": "Missing valid authorization header"})
		return
	}
	delete(f.refresh, r.PostForm.Get("refresh_token"))
	f.refreshes++
	access, next := fmt.Sprintf("xat-%d-%s", f.refreshes, g.user), fmt.Sprintf("xrt-%d-%s", f.refreshes, g.user)
	f.tokens[access] = g.user
	f.issued = append(f.issued, access)
	f.refresh[next] = g
	writeJSON(w, http.StatusOK, map[string]any{"token_type": "bearer", "expires_in": 7200, "access_token": access,
		"scope": "tweet.read tweet.write users.read dm.read dm.write offline.access", "refresh_token": next})
}

// clientAuthenticated reports whether a token request comes from the App
// with clientID: a confidential client (one with a secret) must send HTTP
// Basic credentials, form-encoded as OAuth 2.0 asks (RFC 6749 2.3.1); a
// public one names itself in the form's client_id.
func clientAuthenticated(r *http.Request, form url.Values, clientID, clientSecret string) bool {
	id, secret, basic := r.BasicAuth()
	if basic {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id = form.Get("client_id")
	}
	return id == clientID && (clientSecret == "" || basic && secret == clientSecret)
}
