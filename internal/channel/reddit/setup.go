package reddit

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// defaultSetupTimeout bounds Prepare's requests to Reddit.
const defaultSetupTimeout = 15 * time.Second

// Prepare validates a new Reddit inbox and connects it (see Connect), with
// the adapter's SetupTimeout. It returns EINVALID naming what is wrong: no
// client_id, neither a refresh_token nor a username and password, a
// username, user_agent, api_base or token_url that cannot be one,
// credentials Reddit refuses, or an account other than external_id;
// EUNAVAILABLE when Reddit cannot be reached.
func (a *Adapter) Prepare(in *care.Inbox) error {
	if in.Credentials == nil {
		in.Credentials = map[string]string{}
	}
	c := in.Credentials
	for _, k := range []string{CredClientID, CredClientSecret, CredRefreshToken, CredUsername, CredUserAgent} {
		c[k] = strings.TrimSpace(c[k])
		if c[k] == "" {
			delete(c, k)
		}
	}
	switch id := c[CredClientID]; {
	case id == "":
		return care.Errorf(care.EINVALID, "credentials.client_id is required: the id shown under the app's name at https://www.reddit.com/prefs/apps.")
	case !printableASCII(id, 128) || strings.Contains(id, ":") || strings.Contains(id, " "):
		return care.Errorf(care.EINVALID, "credentials.client_id is not an app id: paste it without spaces.")
	}
	if s := c[CredClientSecret]; s != "" && !printableASCII(s, 256) {
		return care.Errorf(care.EINVALID, "credentials.client_secret is not an app secret: paste it without spaces.")
	}
	if u := c[CredUsername]; u != "" {
		u = strings.TrimPrefix(strings.TrimPrefix(u, "/"), "u/")
		if !validUsername(u) {
			return care.Errorf(care.EINVALID, "credentials.username must be the account's Reddit username, like AcmeSupport (without u/).")
		}
		c[CredUsername] = u
	}
	switch {
	case c[CredRefreshToken] != "":
		if !printableASCII(c[CredRefreshToken], 4096) {
			return care.Errorf(care.EINVALID, "credentials.refresh_token is not a refresh token: paste it without spaces.")
		}
	case c[CredUsername] != "" && c[CredPassword] != "":
	default:
		return care.Errorf(care.EINVALID, "Give credentials.refresh_token (a web or installed app authorised with duration=permanent), or credentials.username and credentials.password (a script app).")
	}
	if ua := c[CredUserAgent]; ua != "" && !printableASCII(ua, 256) {
		return care.Errorf(care.EINVALID, "credentials.user_agent must be printable ASCII of at most 256 characters, like \"server:com.example.care:v1 (by /u/AcmeSupport)\".")
	}
	if s := c[CredAPIBase]; s != "" {
		base, err := serverURL(s, CredAPIBase, true)
		if err != nil {
			return err
		}
		c[CredAPIBase] = base
	}
	if s := c[CredTokenURL]; s != "" {
		u, err := serverURL(s, CredTokenURL, false)
		if err != nil {
			return err
		}
		c[CredTokenURL] = u
	}
	timeout := a.SetupTimeout
	if timeout <= 0 {
		timeout = defaultSetupTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return a.Connect(ctx, in)
}

// Connect asks Reddit whose the inbox's authorisation is (GET
// /api/v1/me, scope identity) and records it: ExternalID and username
// become the account's username. Without the identity scope, the username
// credential is taken at its word. It returns EINVALID when Reddit
// refuses the credentials or they are another account's than ExternalID,
// and EUNAVAILABLE when Reddit cannot be reached.
func (a *Adapter) Connect(ctx context.Context, in *care.Inbox) error {
	if in.Credentials == nil {
		in.Credentials = map[string]string{}
	}
	c := in.Credentials
	// Check the credentials themselves, not a token cached for others
	// sharing the refresh token.
	if g, err := a.grantOf(*in); err == nil {
		a.invalidate(g)
	}
	r, err := a.call(ctx, *in, request{method: http.MethodGet, path: "/api/v1/me", query: url.Values{"raw_json": {"1"}}, limit: maxErrorBytes * 4})
	if err == nil && !r.ok() {
		err = apiError(r, a.now())
	}
	var name string
	var se *channel.SendError
	switch {
	case err == nil:
		var me struct {
			Name string `json:"name"`
		}
		if json.Unmarshal(r.body, &me) != nil || !validUsername(me.Name) {
			return care.Errorf(care.EINVALID, "Reddit's answer to /api/v1/me names no account; check api_base.")
		}
		name = me.Name
	case errors.As(err, &se) && se.Status == http.StatusForbidden && validUsername(c[CredUsername]):
		name = c[CredUsername]
	case errors.As(err, &se) && se.Status == http.StatusForbidden:
		return care.Errorf(care.EINVALID, "Reddit refused to say whose the authorisation is: authorise the app with the identity scope (%s), or set credentials.username.", Scopes)
	case errors.As(err, &se) && se.Permanent:
		return care.Errorf(care.EINVALID, "Reddit refused the credentials: %s.", se.Reason)
	default:
		return &care.Error{Code: care.EUNAVAILABLE, Message: "Could not reach Reddit to check the credentials; try again.", Err: err}
	}
	if in.ExternalID != "" && !sameUser(strings.TrimPrefix(in.ExternalID, "u/"), name) {
		return care.Errorf(care.EINVALID, "external_id is %s, but the credentials are u/%s's: leave external_id empty.", in.ExternalID, name)
	}
	if u := c[CredUsername]; u != "" && !sameUser(u, name) {
		return care.Errorf(care.EINVALID, "credentials.username is %s, but the credentials are u/%s's.", u, name)
	}
	in.ExternalID, c[CredUsername] = name, name
	return nil
}

// Instructions lists how to connect the account: Reddit pushes nothing to
// Parley, so there is no webhook, only an app to create and an account to
// authorise.
func (a *Adapter) Instructions(in care.Inbox, _ string) []channel.Instruction {
	account := "not connected yet"
	if in.ExternalID != "" {
		account = "u/" + in.ExternalID
	}
	grant := "not set: give a refresh_token, or a username and password"
	switch {
	case in.Credentials[CredRefreshToken] != "":
		grant = "refresh token (web or installed app)"
	case in.Credentials[CredPassword] != "":
		grant = "username and password (script app; not for accounts with two-factor authentication)"
	}
	authorize := "https://www.reddit.com/api/v1/authorize?client_id=<client_id>&response_type=code&state=<random>&redirect_uri=<your redirect URI>&duration=permanent&scope=" + url.QueryEscape(Scopes)
	if id := in.Credentials[CredClientID]; id != "" {
		authorize = strings.Replace(authorize, "<client_id>", url.QueryEscape(id), 1)
	}
	return []channel.Instruction{
		{Label: "Create an app", Value: "https://www.reddit.com/prefs/apps, signed in as the brand's account: \"web app\" (or \"installed app\") for a refresh token, \"script\" for a username and password; copy its id (under its name) and secret"},
		{Label: "Authorise", Value: authorize + " then exchange the code at " + DefaultTokenURL + " (grant_type=authorization_code) for a refresh token"},
		{Label: "Scopes", Value: Scopes + " (modposts only to remove and approve comments in subreddits the account moderates)"},
		{Label: "Grant", Value: grant},
		{Label: "Webhook", Value: "none: Parley reads the account's inbox every " + strconv.Itoa(int(pollInterval/time.Second)) + " seconds and needs no public URL for Reddit"},
		{Label: "User-Agent", Value: a.userAgent(in)},
		{Label: "Account", Value: account},
		{Label: "Reply length", Value: strconv.Itoa(MaxTextChars) + " characters per comment or message; a new message's subject at most " + strconv.Itoa(MaxSubjectChars)},
	}
}
