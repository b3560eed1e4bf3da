package reviews

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// defaultSetupTimeout bounds Prepare's requests to Google.
const defaultSetupTimeout = 15 * time.Second

// Prepare validates a new inbox and connects it (see Connect), within the
// adapter's SetupTimeout. It returns EINVALID naming what is wrong: an
// external_id that is not accounts/{accountId}/locations/{locationId}, a
// missing client_id, client_secret or refresh_token, an api_base or
// token_url that is not a URL, an import_days or poll_seconds out of
// range, or a location Google refuses; EUNAVAILABLE when Google cannot be
// reached.
func (a *Adapter) Prepare(in *care.Inbox) error {
	if in.Credentials == nil {
		in.Credentials = map[string]string{}
	}
	c := in.Credentials
	in.ExternalID = strings.TrimSpace(in.ExternalID)
	if in.ExternalID == "" {
		return care.Errorf(care.EINVALID, "external_id is required: the location's resource name, accounts/{accountId}/locations/{locationId}.")
	}
	if _, err := location(*in); err != nil {
		return err
	}
	for _, k := range []string{CredClientID, CredClientSecret, CredRefreshToken} {
		c[k] = strings.TrimSpace(c[k])
		switch v := c[k]; {
		case v == "":
			return care.Errorf(care.EINVALID, "credentials.%s is required: the Google Cloud project's OAuth client (client_id, client_secret) and the refresh token a manager of the location granted it.", k)
		case len(v) > 4096 || strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r >= 0x7f }):
			return care.Errorf(care.EINVALID, "credentials.%s is not what Google issues: paste it without spaces.", k)
		}
	}
	if _, err := endpoint(c[CredTokenURL], DefaultTokenURL, CredTokenURL); err != nil {
		return err
	}
	if _, err := endpoint(c[CredAPIBase], DefaultAPIBase, CredAPIBase); err != nil {
		return err
	}
	for _, p := range []struct {
		key    string
		lo, hi int
	}{{CredImportDays, 0, maxImportDays}, {CredPollSeconds, 10, 3600}} {
		if v, ok := c[p.key]; ok && v != "" {
			if n, err := strconv.Atoi(v); err != nil || n < p.lo || n > p.hi {
				return care.Errorf(care.EINVALID, "credentials.%s must be a whole number from %d to %d.", p.key, p.lo, p.hi)
			}
		}
	}
	timeout := a.SetupTimeout
	if timeout <= 0 {
		timeout = defaultSetupTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return a.Connect(ctx, *in)
}

// Connect checks that the inbox's grant works and Google serves the
// location's reviews to it, by reading one review. It returns EINVALID
// with Google's reason when Google refuses (a revoked grant, an account
// without access, an unverified location, a project without quota), and
// EUNAVAILABLE when Google cannot be reached or fails.
func (a *Adapter) Connect(ctx context.Context, in care.Inbox) error {
	loc, err := location(in)
	if err != nil {
		return err
	}
	r, err := a.call(ctx, in, request{method: http.MethodGet, path: loc + "/reviews", query: "pageSize=1"})
	if err == nil && !r.ok() {
		err = apiError(r, a.now())
	}
	var se *channel.SendError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &se) && se.Permanent:
		return &care.Error{Code: care.EINVALID, Message: "Google refused the location: " + se.Reason + ".", Err: err}
	}
	return &care.Error{Code: care.EUNAVAILABLE, Message: "Could not reach Google to check the location; try again.", Err: err}
}

// Instructions lists how to connect a location: Google pushes nothing to
// Parley, so there is no webhook, only an OAuth client and a refresh token
// to obtain.
func (a *Adapter) Instructions(in care.Inbox, _ string) []channel.Instruction {
	loc := in.ExternalID
	if loc == "" {
		loc = "not set: accounts/{accountId}/locations/{locationId}"
	}
	days := credInt(in, CredImportDays, DefaultImportDays, 0, maxImportDays)
	first := "Parley imports the reviews of the last " + strconv.Itoa(days) + " days that have no reply yet, then every new review"
	if days == 0 {
		first = "Parley starts with the reviews written from now on"
	}
	return []channel.Instruction{
		{Label: "Google Cloud project", Value: "request Business Profile API access for the project (developers.google.com/my-business/content/prereqs), then enable the Google My Business API (mybusiness.googleapis.com) in it"},
		{Label: "OAuth client", Value: "APIs & Services > Credentials > Create OAuth client ID (Web application); copy its client ID and secret into client_id and client_secret"},
		{Label: "Refresh token", Value: "have an owner or manager of the location authorise that client with the scope " + Scope + " and offline access (the OAuth 2.0 Playground, set to use your own client, does this); copy the refresh token into refresh_token"},
		{Label: "Location", Value: loc},
		{Label: "Webhook", Value: "none: Parley reads the location's reviews every " + every(a.PollInterval(in)) + "; it needs no public URL"},
		{Label: "First poll", Value: first},
		{Label: "Replies", Value: "public only, at most 4096 bytes; a review has one reply, so a new reply from Parley replaces the earlier one on Google"},
	}
}

// every writes a poll interval for people: "2 minutes", "45 seconds".
func every(d time.Duration) string {
	switch {
	case d == time.Minute:
		return "minute"
	case d%time.Minute == 0:
		return strconv.Itoa(int(d/time.Minute)) + " minutes"
	}
	return strconv.Itoa(int(d/time.Second)) + " seconds"
}
