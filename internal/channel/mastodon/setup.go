package mastodon

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Scopes is what the inbox's access token needs: read:accounts to say
// whose it is (GET /api/v1/accounts/verify_credentials), read:notifications
// and read:statuses to read mentions and the streaming API, write:statuses
// to reply, read:search for listening's word searches (SearchScope)
// (docs.joinmastodon.org/api/oauth-scopes). A token made before listening
// lacks read:search: its word searches fail with a message naming it, and
// hashtag listening still works.
const Scopes = "read:accounts read:notifications read:statuses read:search write:statuses"

// defaultSetupTimeout bounds Prepare's requests to the instance.
const defaultSetupTimeout = 15 * time.Second

// Prepare validates a new Mastodon inbox and connects it (see Connect),
// with the adapter's SetupTimeout. It returns EINVALID naming what is
// wrong: api_base not an instance's https address, no access_token, an
// unknown mode or public_visibility, a token the instance refuses or that
// belongs to another account than external_id; EUNAVAILABLE when the
// instance cannot be reached.
func (a *Adapter) Prepare(in *care.Inbox) error {
	if in.Credentials == nil {
		in.Credentials = map[string]string{}
	}
	c := in.Credentials
	base, err := instanceURL(c[CredAPIBase], CredAPIBase)
	if err != nil {
		return err
	}
	c[CredAPIBase] = base
	switch tok := c[CredAccessToken]; {
	case tok == "":
		return care.Errorf(care.EINVALID, "credentials.access_token is required: the access token of an application created under Preferences > Development on the instance, with the scopes %s.", Scopes)
	case len(tok) > 4096 || strings.ContainsFunc(tok, func(r rune) bool { return r <= ' ' || r >= 0x7f }):
		return care.Errorf(care.EINVALID, "credentials.access_token is not an access token: paste it without spaces.")
	}
	switch c[CredMode] {
	case "", ModeStream, ModePoll:
	default:
		return care.Errorf(care.EINVALID, "credentials.mode must be %q (the default) or %q.", ModeStream, ModePoll)
	}
	switch c[CredPublicVisibility] {
	case "", "public", "unlisted":
	default:
		return care.Errorf(care.EINVALID, "credentials.public_visibility must be \"public\" (the default) or \"unlisted\".")
	}
	if s := c[CredStreamingURL]; s != "" {
		u, err := instanceURL(s, CredStreamingURL)
		if err != nil {
			return err
		}
		c[CredStreamingURL] = u
	}
	timeout := a.SetupTimeout
	if timeout <= 0 {
		timeout = defaultSetupTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return a.Connect(ctx, in)
}

// Connect asks the instance whose the inbox's token is and what its
// limits are, and records them: ExternalID and account_id become the
// account's id (GET /api/v1/accounts/verify_credentials); domain,
// max_characters, characters_reserved_per_url and streaming_url come from
// GET /api/v2/instance (or /api/v1/instance before Mastodon 4.0), when the
// instance says. A token without read:accounts is accepted when the inbox
// names its account_id. It returns EINVALID when the instance refuses the
// token or the token is another account's than ExternalID, and
// EUNAVAILABLE when the instance cannot be reached.
func (a *Adapter) Connect(ctx context.Context, in *care.Inbox) error {
	if in.Credentials == nil {
		in.Credentials = map[string]string{}
	}
	c := in.Credentials
	base, err := baseURL(*in)
	if err != nil {
		return err
	}
	id, err := a.whoAmI(ctx, *in)
	var se *channel.SendError
	switch {
	case err == nil:
	case errors.As(err, &se) && se.Status == http.StatusForbidden && validID(c[CredAccountID]):
		id = c[CredAccountID]
	case errors.As(err, &se) && se.Status == http.StatusForbidden:
		return care.Errorf(care.EINVALID, "%s refused to say whose the access token is: give the application the read:accounts scope, or set credentials.account_id.", base)
	case errors.As(err, &se) && (se.Status == http.StatusUnauthorized || se.Permanent):
		return care.Errorf(care.EINVALID, "%s refused the access token: %s.", base, se.Reason)
	default:
		return &care.Error{Code: care.EUNAVAILABLE, Message: "Could not reach " + base + " to check the access token; check api_base, or try again.", Err: err}
	}
	if in.ExternalID != "" && in.ExternalID != id {
		return care.Errorf(care.EINVALID, "external_id is %s, but the access token belongs to account %s: leave external_id empty.", in.ExternalID, id)
	}
	in.ExternalID, c[CredAccountID] = id, id
	info := a.instance(ctx, *in)
	if info.domain != "" {
		c[CredDomain] = info.domain
	}
	if info.maxChars > 0 && info.maxChars != DefaultMaxCharacters {
		c[CredMaxCharacters] = strconv.Itoa(info.maxChars)
	}
	if info.urlChars > 0 && info.urlChars != DefaultURLCharacters {
		c[CredURLCharacters] = strconv.Itoa(info.urlChars)
	}
	if info.streaming != "" && info.streaming != base && c[CredStreamingURL] == "" {
		c[CredStreamingURL] = info.streaming
	}
	return nil
}

// whoAmI returns the id of the token's account.
func (a *Adapter) whoAmI(ctx context.Context, in care.Inbox) (string, error) {
	r, err := a.call(ctx, in, request{method: http.MethodGet, path: "/api/v1/accounts/verify_credentials"})
	if err != nil {
		return "", err
	}
	if !r.ok() {
		return "", apiError(r, a.now())
	}
	var acct account
	if err := json.Unmarshal(r.body, &acct); err != nil || !validID(string(acct.ID)) {
		return "", channel.Permanent("the instance's answer to verify_credentials has no account id", err)
	}
	return string(acct.ID), nil
}

// instanceInfo is what Parley uses of an Instance.
type instanceInfo struct {
	domain    string
	maxChars  int
	urlChars  int
	streaming string
}

// instance reads the instance's configuration; what it cannot read stays
// zero, and the defaults apply.
func (a *Adapter) instance(ctx context.Context, in care.Inbox) instanceInfo {
	// docs.joinmastodon.org/entities/Instance: domain,
	// configuration.urls.streaming, configuration.statuses.max_characters
	// and .characters_reserved_per_url.
	var v2 struct {
		Domain        string `json:"domain"`
		Configuration struct {
			URLs struct {
				Streaming string `json:"streaming"`
			} `json:"urls"`
			Statuses struct {
				MaxCharacters            count `json:"max_characters"`
				CharactersReservedPerURL count `json:"characters_reserved_per_url"`
			} `json:"statuses"`
		} `json:"configuration"`
	}
	r, err := a.call(ctx, in, request{method: http.MethodGet, path: "/api/v2/instance"})
	if err == nil && r.ok() && json.Unmarshal(r.body, &v2) == nil {
		s := v2.Configuration.Statuses
		return instanceInfo{domain: hostName(v2.Domain), maxChars: bounded(s.MaxCharacters, 100_000),
			urlChars: bounded(s.CharactersReservedPerURL, 1000), streaming: streamingBase(v2.Configuration.URLs.Streaming)}
	}
	// Before 4.0 (docs.joinmastodon.org/entities/V1_Instance): uri is the
	// domain, urls.streaming_api the streaming server.
	var v1 struct {
		URI  string `json:"uri"`
		URLs struct {
			StreamingAPI string `json:"streaming_api"`
		} `json:"urls"`
		Configuration struct {
			Statuses struct {
				MaxCharacters            count `json:"max_characters"`
				CharactersReservedPerURL count `json:"characters_reserved_per_url"`
			} `json:"statuses"`
		} `json:"configuration"`
	}
	r, err = a.call(ctx, in, request{method: http.MethodGet, path: "/api/v1/instance"})
	if err != nil || !r.ok() || json.Unmarshal(r.body, &v1) != nil {
		return instanceInfo{}
	}
	s := v1.Configuration.Statuses
	return instanceInfo{domain: hostName(v1.URI), maxChars: bounded(s.MaxCharacters, 100_000),
		urlChars: bounded(s.CharactersReservedPerURL, 1000), streaming: streamingBase(v1.URLs.StreamingAPI)}
}

func bounded(c count, limit int) int {
	if c <= 0 || c > count(limit) {
		return 0
	}
	return int(c)
}

// hostName returns s when it is a plain host name, lower-cased.
func hostName(s string) string {
	if s == "" || len(s) > 253 || strings.ContainsFunc(s, func(r rune) bool {
		return !(r == '.' || r == '-' || r == ':' || r < unicode.MaxASCII && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'))
	}) {
		return ""
	}
	return strings.ToLower(s)
}

// streamingBase turns the instance's streaming URL, wss://host, into the
// https base the streaming API's SSE endpoints are under, or "".
func streamingBase(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	switch u.Scheme {
	case "wss":
		u.Scheme = "https"
	case "ws":
		u.Scheme = "http"
	}
	base, err := instanceURL(u.String(), CredStreamingURL)
	if err != nil {
		return ""
	}
	return base
}

// Instructions lists how to connect the account: Mastodon pushes nothing
// to Parley, so there is no webhook to register, only an application to
// create on the instance and a token to paste.
func (a *Adapter) Instructions(in care.Inbox, _ string) []channel.Instruction {
	base, err := baseURL(in)
	if err != nil {
		base = "https://<your instance>"
	}
	stream := base
	if s := in.Credentials[CredStreamingURL]; s != "" {
		stream = s
	}
	mode := "stream: Parley follows the streaming API (" + stream + "/api/v1/streaming/user) and reads notifications every minute for what it misses"
	if in.Credentials[CredMode] == ModePoll {
		mode = "poll: Parley reads the account's mentions every 15 seconds"
	}
	account := "not connected yet"
	if in.ExternalID != "" {
		account = in.ExternalID + " on " + domain(in)
	}
	limit := credInt(in, CredMaxCharacters, DefaultMaxCharacters, 100_000)
	return []channel.Instruction{
		{Label: "Create an application", Value: base + "/settings/applications/new (Preferences > Development > New application): any name; redirect URI urn:ietf:wg:oauth:2.0:oob; scopes " + Scopes + " and no others"},
		{Label: "Access token", Value: "open the application and copy \"Your access token\" into the inbox's access_token"},
		{Label: "Webhook", Value: "none: Parley connects to the instance, which needs no public URL for Parley"},
		{Label: "Mode", Value: mode},
		{Label: "Notification filters", Value: "Preferences > Notifications: accept (not filter, never drop) notifications from people the account does not follow, new accounts and private mentions; filtered ones arrive only with the polls, dropped ones never"},
		{Label: "Account id", Value: account},
		{Label: "Reply length", Value: strconv.Itoa(limit) + " characters per post; a link counts " + strconv.Itoa(credInt(in, CredURLCharacters, DefaultURLCharacters, 1000))},
	}
}
