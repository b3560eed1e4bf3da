package gbpfake

import (
	"crypto/rand"
	"net/http"
	"strconv"
)

// tokenError is RFC 6749 §5.2's error body, as Google's token endpoint
// writes it.
type tokenError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// token answers POST /token, the refresh-token grant of
// oauth2.googleapis.com/token (developers.google.com/identity/protocols/oauth2/web-server#offline):
// a form with grant_type=refresh_token, refresh_token, client_id and
// client_secret (or the client in HTTP Basic). It issues an access token
// that lives TokenLifetime.
func (f *Fake) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, tokenError{"invalid_request", "Malformed request."})
		return
	}
	id, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if u, p, ok := r.BasicAuth(); ok {
		id, secret = u, p
	}
	f.mu.Lock()
	clientID, clientSecret, refresh, revoked := f.ClientID, f.ClientSecret, f.RefreshToken, f.revoked
	f.mu.Unlock()
	switch {
	case r.PostForm.Get("grant_type") != "refresh_token":
		writeJSON(w, http.StatusBadRequest, tokenError{"unsupported_grant_type", "Invalid grant_type: " + r.PostForm.Get("grant_type")})
		return
	case id != clientID || secret != clientSecret:
		writeJSON(w, http.StatusUnauthorized, tokenError{"invalid_client", "The OAuth client was not found."})
		return
	case r.PostForm.Get("refresh_token") != refresh || revoked:
		writeJSON(w, http.StatusBadRequest, tokenError{"invalid_grant", "Token has been expired or revoked."})
		return
	}
	f.mu.Lock()
	f.issued++
	tok := "ya29.gbpfake-" + strconv.Itoa(f.issued) + "-" + rand.Text()
	f.tokens[tok] = f.now().Add(TokenLifetime)
	f.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": tok, "expires_in": int(TokenLifetime.Seconds()), "scope": Scope, "token_type": "Bearer",
	})
}
