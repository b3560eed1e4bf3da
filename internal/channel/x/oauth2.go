package x

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/oauth"
)

// OAuth 2.0 user tokens last two hours. An inbox connected with a refresh
// token (scope offline.access) gets its access tokens from X's token
// endpoint, POST /2/oauth2/token with grant_type=refresh_token
// (docs.x.com/fundamentals/authentication/oauth-2-0/user-access-token:
// "Refresh tokens ... allow an application to obtain a new access token
// without prompting the user"); a confidential client authenticates with
// HTTP Basic, a public one names its client_id in the body. X rotates the
// refresh token with every refresh: the old one stops working, so each new
// one is stored through the adapter's CredentialStore before it is used.
const (
	// CredRefreshToken is the account's OAuth 2.0 refresh token.
	CredRefreshToken = "refresh_token"
	// CredClientID and CredClientSecret are the app's OAuth 2.0 client
	// credentials (the secret only for a confidential client).
	CredClientID     = "client_id"
	CredClientSecret = "client_secret"
)

// refreshes reports whether the inbox gets its access tokens by refresh.
func refreshes(in care.Inbox) bool {
	return in.Credentials[CredRefreshToken] != "" && !usesOAuth1(in)
}

// grant is the inbox's refresh-token grant.
func (a *Adapter) grant(in care.Inbox) (oauth.Grant, error) {
	base, err := a.baseURL(in)
	if err != nil {
		return oauth.Grant{}, err
	}
	c := in.Credentials
	g := oauth.Grant{TokenURL: base + "/2/oauth2/token", ClientID: c[CredClientID], ClientSecret: c[CredClientSecret],
		RefreshToken: c[CredRefreshToken], BasicAuth: c[CredClientSecret] != "", Key: "x:inbox:" + strconv.FormatInt(in.ID, 10)}
	if a.Credentials != nil {
		id := in.ID
		g.Rotated = func(ctx context.Context, rt string) error {
			return a.Credentials.SetCredential(ctx, id, CredRefreshToken, rt)
		}
	}
	return g, nil
}

func (a *Adapter) tokens() *oauth.Source {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.Tokens == nil {
		a.Tokens = &oauth.Source{Client: a.Client, Now: a.Now}
	}
	return a.Tokens
}

// bearer sets an OAuth 2.0 bearer token on req: the inbox's access token,
// or one refreshed from its refresh token.
func (a *Adapter) bearer(ctx context.Context, req *http.Request, in care.Inbox) error {
	if !refreshes(in) {
		req.Header.Set("Authorization", "Bearer "+in.Credentials[CredAccessToken])
		return nil
	}
	g, err := a.grant(in)
	if err != nil {
		return err
	}
	tok, err := a.tokens().Token(ctx, g)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	return nil
}

// forgetToken drops the inbox's cached access token after X refused it, so the
// next request refreshes.
func (a *Adapter) forgetToken(in care.Inbox) {
	if g, err := a.grant(in); err == nil && refreshes(in) {
		a.tokens().Invalidate(g)
	}
}

// isAuthError reports whether err came from getting a token, before any
// request to the API went out.
func isAuthError(err error) bool {
	var se *channel.SendError
	return errors.As(err, &se)
}
