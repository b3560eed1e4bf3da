package x

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Prepare checks a new X inbox: its ExternalID must be the brand account's
// numeric user id, its mode "webhook" (the default) or "poll", and it needs
// an access_token, plus a consumer_secret in webhook mode, and
// consumer_key and consumer_secret with an OAuth 1.0a token
// (access_token_secret); api_base, when given, must be an http or https
// URL, and prices (see CredPrices) readable. It returns EINVALID naming
// what is missing or wrong. It generates nothing.
func (a *Adapter) Prepare(in *care.Inbox) error {
	creds := in.Credentials
	var problems []string
	if !validID(in.ExternalID) {
		problems = append(problems, "external_id must be the X account's numeric user id (not its @handle)")
	}
	mode := creds[CredMode]
	switch mode {
	case "", ModeWebhook, ModePoll:
	default:
		problems = append(problems, fmt.Sprintf("credentials.mode must be %q or %q", ModeWebhook, ModePoll))
	}
	switch {
	case creds[CredRefreshToken] != "" && creds[CredClientID] == "":
		problems = append(problems, "credentials.client_id (the app's OAuth 2.0 client id) is required with a refresh_token")
	case creds[CredAccessToken] == "" && creds[CredRefreshToken] == "":
		problems = append(problems, "credentials.access_token (a user token of the account: OAuth 2.0 with tweet.read, tweet.write, users.read, dm.read, dm.write, or OAuth 1.0a with access_token_secret) or credentials.refresh_token (OAuth 2.0 with offline.access, with client_id) is required")
	}
	oauth1 := creds[CredAccessTokenSecret] != ""
	if (mode != ModePoll || oauth1) && creds[CredConsumerSecret] == "" {
		problems = append(problems, "credentials.consumer_secret (the app's API secret key, which signs X's webhooks and OAuth 1.0a requests) is required in webhook mode and with an OAuth 1.0a token")
	}
	if oauth1 && creds[CredConsumerKey] == "" {
		problems = append(problems, "credentials.consumer_key (the app's API key) is required with an OAuth 1.0a token")
	}
	if p := creds[CredPrices]; p != "" {
		if _, _, err := parsePrices(p); err != nil {
			problems = append(problems, strings.TrimSuffix(care.ErrorMessage(err), "."))
		}
	}
	if base := creds[CredAPIBase]; base != "" {
		if u, err := url.Parse(base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			problems = append(problems, "credentials.api_base must be an http or https URL")
		}
	}
	if len(problems) > 0 {
		return care.Errorf(care.EINVALID, "This X inbox cannot be connected: %s.", strings.Join(problems, "; "))
	}
	return nil
}

// Instructions are what an admin sets up in X's developer console and API
// for the inbox: the webhook URL (X accepts only https without a port) and
// the subscriptions to create, or, in poll mode, that there is nothing to
// register.
func (a *Adapter) Instructions(in care.Inbox, webhookURL string) []channel.Instruction {
	if in.Credentials[CredMode] == ModePoll {
		return []channel.Instruction{
			{Label: "Mode", Value: "Polling: Parley reads this account's mentions and DMs every 90 seconds with its access token. Nothing to register with X."},
		}
	}
	account := in.ExternalID
	ins := []channel.Instruction{
		{Label: "Webhook URL", Value: webhookURL},
		{Label: "Register the webhook", Value: `POST https://api.x.com/2/webhooks {"url": "<Webhook URL>"} with the app's bearer token. X accepts only an https URL without a port, then checks it (CRC), which Parley answers with the consumer secret.`},
		{Label: "X Activity API subscriptions", Value: fmt.Sprintf("POST https://api.x.com/2/activity/subscriptions, once for each of post.mention.create, post.reply.create, dm.received and dm.sent, with {\"filter\": {\"user_id\": %q}, \"webhook_id\": \"<the webhook's id>\"}.", account)},
		{Label: "Optional subscriptions", Value: "post.quote.create (quotes of the brand's posts), post.create (replies typed in X's own apps appear as sent by the brand) and post.delete (posts the brand deletes). Each event is billed."},
		{Label: "Or, Account Activity API", Value: "POST https://api.x.com/2/account_activity/webhooks/<webhook id>/subscriptions/all with the account's user token; Parley reads its deliveries too."},
	}
	if u, err := url.Parse(webhookURL); err != nil || u.Scheme != "https" || u.Port() != "" {
		ins = append(ins, channel.Instruction{Label: "Warning", Value: "X only delivers to an https URL without a port. Serve Parley behind TLS on port 443, or use mode \"poll\"."})
	}
	return ins
}
