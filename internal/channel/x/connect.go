package x

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/oauth"
)

// Connecting an account with OAuth 2.0 Authorization Code with PKCE
// (docs.x.com fundamentals/authentication/oauth-2-0/user-access-token and
// …/authorization-code): the admin's browser goes to
// https://x.com/i/oauth2/authorize with response_type=code, the App's
// client_id, Parley's redirect_uri (which must match a callback URL in the
// App's settings exactly), the scopes, a state of up to 500 characters and
// an S256 code_challenge. X sends the browser back with code and state, or
// with error=access_denied. The code lives 30 seconds; POST
// /2/oauth2/token with grant_type=authorization_code, the code, the
// redirect_uri and the code_verifier redeems it, with HTTP Basic for a
// confidential client (Web App, Automated App or bot) or client_id in the
// form for a public one. offline.access is what makes X issue a refresh
// token. GET /2/users/me then names the account that authorised.

// AuthorizeURL is X's authorization page.
const AuthorizeURL = "https://x.com/i/oauth2/authorize"

// ConnectScopes are what an inbox needs: reading mentions (tweet.read,
// users.read), replying (tweet.write), reading and sending DMs (dm.read,
// dm.write) and staying connected (offline.access). The X Activity API's
// private events need the account to have authorised the App with OAuth
// 2.0, which this does.
var ConnectScopes = []string{"tweet.read", "tweet.write", "users.read", "dm.read", "dm.write", "offline.access"}

// Authorization is one admin's attempt to connect an account: what the
// authorize URL carried and what redeeming the code needs. Keep it,
// server-side, until the callback; it holds the App's client secret and the
// PKCE verifier.
type Authorization struct {
	ClientID     string
	ClientSecret string // "" for a public client
	RedirectURI  string
	// APIBase, when set, replaces X's two hosts: the authorize page is
	// APIBase/i/oauth2/authorize and the API APIBase/2/… (a local fake).
	APIBase  string
	State    string
	Verifier string
}

// StartConnect begins connecting an account: a fresh state and PKCE
// verifier, and the URL of X's authorization page to send the admin to.
// It returns EINVALID for a missing client id, a redirect URI that is not
// an absolute http or https URL, or an api_base that is not one.
func StartConnect(clientID, clientSecret, redirectURI, apiBase string) (Authorization, string, error) {
	clientID, clientSecret, apiBase = strings.TrimSpace(clientID), strings.TrimSpace(clientSecret), strings.TrimRight(strings.TrimSpace(apiBase), "/")
	switch {
	case clientID == "" || len(clientID) > 256:
		return Authorization{}, "", care.Errorf(care.EINVALID, "The App's OAuth 2.0 Client ID is required (Keys and tokens in X's Developer Console).")
	case len(clientSecret) > 256:
		return Authorization{}, "", care.Errorf(care.EINVALID, "The client secret is too long.")
	case !httpURL(redirectURI):
		return Authorization{}, "", care.Errorf(care.EINVALID, "Parley's public URL is not set, so X has nowhere to send the admin back to.")
	case apiBase != "" && !httpURL(apiBase):
		return Authorization{}, "", care.Errorf(care.EINVALID, "api_base must be an http or https URL.")
	}
	auth := Authorization{ClientID: clientID, ClientSecret: clientSecret, RedirectURI: redirectURI, APIBase: apiBase,
		State: oauth.NewState(), Verifier: oauth.NewVerifier()}
	endpoint := AuthorizeURL
	if apiBase != "" {
		endpoint = apiBase + "/i/oauth2/authorize"
	}
	u, err := oauth.AuthRequest{Endpoint: endpoint, ClientID: clientID, RedirectURI: redirectURI, Scopes: ConnectScopes,
		State: auth.State, Verifier: auth.Verifier}.URL()
	if err != nil {
		return Authorization{}, "", err
	}
	return auth, u, nil
}

func httpURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// Account is an account connected through OAuth 2.0: who it is, and the
// credentials its inbox keeps (client_id, client_secret when confidential,
// the refresh token, and api_base when set).
type Account struct {
	UserID      string
	Username    string
	Name        string
	Credentials map[string]string
}

// FinishConnect redeems the code X sent to the callback for auth's
// attempt, then asks X which account authorised (GET /2/users/me). The
// caller has checked the callback's state against auth.State. Errors are
// *care.Error: EINVALID when X refused the code or the client, or issued
// no refresh token; EUNAVAILABLE when X could not be reached or failed.
func (a *Adapter) FinishConnect(ctx context.Context, auth Authorization, code string) (*Account, error) {
	if code == "" || len(code) > 1024 {
		return nil, care.Errorf(care.EINVALID, "X's answer carried no authorisation code.")
	}
	base := a.BaseURL
	if auth.APIBase != "" {
		base = auth.APIBase
	}
	if base == "" {
		base = DefaultBaseURL
	}
	base = strings.TrimRight(base, "/")
	tok, err := oauth.Exchange(ctx, a.Client, oauth.CodeGrant{TokenURL: base + "/2/oauth2/token", ClientID: auth.ClientID,
		ClientSecret: auth.ClientSecret, RedirectURI: auth.RedirectURI, Code: code, Verifier: auth.Verifier,
		BasicAuth: auth.ClientSecret != ""})
	if err != nil {
		return nil, err
	}
	if tok.RefreshToken == "" {
		return nil, care.Errorf(care.EINVALID, "X issued no refresh token: the authorisation must include the offline.access scope.")
	}
	// The access token alone, as a bearer: the inbox does not exist yet.
	in := care.Inbox{Credentials: map[string]string{CredAccessToken: tok.AccessToken, CredAPIBase: base}}
	resp, err := a.call(ctx, in, http.MethodGet, "/2/users/me", url.Values{"user.fields": {"name,username"}}, nil)
	if err != nil {
		return nil, &care.Error{Code: care.EUNAVAILABLE, Message: "X could not be asked which account authorised.", Err: err}
	}
	if resp.status != http.StatusOK {
		return nil, &care.Error{Code: care.EUNAVAILABLE, Message: "X did not say which account authorised (" + statusLine(resp.status) + ").",
			Err: fmt.Errorf("x: users/me: %s", problemDetail(resp.body))}
	}
	var me struct {
		Data struct {
			ID       flexString `json:"id"`
			Username string     `json:"username"`
			Name     string     `json:"name"`
		} `json:"data"`
	}
	if err := json.Unmarshal(resp.body, &me); err != nil || !validID(string(me.Data.ID)) {
		return nil, &care.Error{Code: care.EUNAVAILABLE, Message: "X's answer did not name the account.", Err: fmt.Errorf("x: users/me: %w", err)}
	}
	creds := map[string]string{CredClientID: auth.ClientID, CredRefreshToken: tok.RefreshToken}
	if auth.ClientSecret != "" {
		creds[CredClientSecret] = auth.ClientSecret
	}
	if auth.APIBase != "" {
		creds[CredAPIBase] = auth.APIBase
	}
	return &Account{UserID: string(me.Data.ID), Username: channel.Cut(me.Data.Username, 64), Name: channel.Cut(me.Data.Name, 100), Credentials: creds}, nil
}
