package youtube

import (
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// maxSecretBytes bounds a client id, client secret or refresh token;
// Google's are under 300 bytes.
const maxSecretBytes = 4096

// Prepare validates a new YouTube inbox, without asking Google: its
// external_id must be the channel's id (UC…), client_id, client_secret and
// refresh_token present and free of spaces, api_base and token_url, if
// set, http(s) URLs, daily_quota, write_share, poll_interval and
// scan_pages, if set, within their bounds, and held_comments, if set, true
// or false. It returns EINVALID naming what
// is wrong. A refresh token Google refuses shows on the inbox's health
// line at the first poll.
func (a *Adapter) Prepare(in *care.Inbox) error {
	if in.Credentials == nil {
		in.Credentials = map[string]string{}
	}
	c := in.Credentials
	in.ExternalID = strings.TrimSpace(in.ExternalID)
	if !validChannelID(in.ExternalID) {
		return care.Errorf(care.EINVALID, "external_id must be the YouTube channel's id, \"UC\" and 22 more characters: YouTube Studio > Settings > Channel > Advanced settings, or youtube.com/account_advanced.")
	}
	for _, k := range []string{CredClientID, CredClientSecret, CredRefreshToken} {
		v := strings.TrimSpace(c[k])
		switch {
		case v == "":
			return care.Errorf(care.EINVALID, "credentials.%s is required: the OAuth client's id and secret from the Google Cloud console, and the refresh token the channel's owner granted (scope %s).", k, Scope)
		case len(v) > maxSecretBytes || strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r >= 0x7f }):
			return care.Errorf(care.EINVALID, "credentials.%s is not one: paste it without spaces.", k)
		}
		c[k] = v
	}
	if c[CredAPIBase] != "" {
		base, err := channel.BaseURL(*in, "", DefaultBaseURL)
		if err != nil {
			return err
		}
		c[CredAPIBase] = base
	}
	if _, err := a.tokenURL(*in); err != nil {
		return err
	}
	ints := []struct {
		key    string
		lo, hi int
		what   string
	}{
		{CredDailyQuota, 1, 1_000_000_000, "the units a day this inbox may spend (10000 by default)"},
		{CredWriteShare, 0, 90, "the percentage of daily_quota kept for replies and moderation, 0 to 90 (40 by default)"},
		{CredScanPages, 1, maxScanPages, "the pages of 100 threads each poll reads at least, 1 to 10 (1 by default)"},
	}
	for _, f := range ints {
		if v := strings.TrimSpace(c[f.key]); v != "" {
			if n, err := strconv.Atoi(v); err != nil || n < f.lo || n > f.hi {
				return care.Errorf(care.EINVALID, "credentials.%s must be %s.", f.key, f.what)
			}
		}
	}
	if _, err := parseInterval(c[CredPollInterval]); err != nil {
		return err
	}
	if v := strings.TrimSpace(c[CredHeldComments]); v != "" {
		if _, err := strconv.ParseBool(v); err != nil {
			return care.Errorf(care.EINVALID, "credentials.%s must be true (also read the comments YouTube holds for review or takes for likely spam) or false.", CredHeldComments)
		}
	}
	return nil
}

// Instructions say how to connect a channel: YouTube pushes nothing, so
// there is no webhook, only an OAuth client and a refresh token to make,
// and the quota the inbox will spend.
func (a *Adapter) Instructions(in care.Inbox, _ string) []channel.Instruction {
	l := limitsOf(in)
	writes := l.daily - l.reads
	channelID := in.ExternalID
	if channelID == "" {
		channelID = "not set: external_id must be the channel's id, UC…"
	}
	perDay := int(24 * time.Hour / l.minInterval)
	held := "not read (held_comments false): comments YouTube holds for review or takes for likely spam reach Parley once published in YouTube Studio; set held_comments to true to read them, 2 units more a poll"
	if l.held {
		held = "read (held_comments true): every poll also reads the newest comments YouTube holds for review or takes for likely spam, 2 units more; unhiding one in Parley publishes it"
	}
	return []channel.Instruction{
		{Label: "Google Cloud project", Value: "console.cloud.google.com: create a project (or pick one), then APIs & Services > Library > YouTube Data API v3 > Enable"},
		{Label: "OAuth consent screen", Value: "APIs & Services > OAuth consent screen: user type External (or Internal in Google Workspace), add the scope " + Scope + ", and publish the app: a refresh token of an app left in Testing expires after 7 days"},
		{Label: "OAuth client", Value: "APIs & Services > Credentials > Create credentials > OAuth client ID, type Web application, authorised redirect URI https://developers.google.com/oauthplayground; copy its client ID and secret into client_id and client_secret"},
		{Label: "Refresh token", Value: "developers.google.com/oauthplayground: under the gear, tick \"Use your own OAuth credentials\" and paste the client's; authorise " + Scope + " signed in as the channel's owner (moderation needs the owner); exchange the code for tokens and copy the refresh token into refresh_token"},
		{Label: "Channel id", Value: channelID},
		{Label: "Webhook", Value: "none: YouTube pushes no comments; Parley polls the channel's comment threads"},
		{Label: "Daily quota", Value: strconv.Itoa(l.daily) + " units a day (daily_quota), resetting at midnight Pacific Time; " + strconv.Itoa(writes) +
			" kept for replies and moderation (write_share " + strconv.Itoa(100*writes/l.daily) + "%), 50 units each: about " + strconv.Itoa(writes/costInsert) +
			" a day; polling every " + strconv.Itoa(int(l.minInterval/time.Second)) + " seconds at the fastest costs at least " + strconv.Itoa(perDay) + " of the " + strconv.Itoa(l.reads) + " left for it"},
		{Label: "Reply length", Value: strconv.Itoa(MaxTextChars) + " characters; public replies only, in the comment's thread"},
		{Label: "Held comments", Value: held},
	}
}
