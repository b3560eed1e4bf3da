// Package x connects X (formerly Twitter) accounts to Parley: customers'
// mentions, replies and quotes of the brand become public messages, their
// direct messages private ones, and agents' replies go back as public replies
// or DMs.
//
// # Accounts and credentials
//
// An X inbox's ExternalID is the brand account's numeric user id. Its
// Credentials, sealed at rest, are:
//
//	consumer_secret      the app's API secret key: verifies webhook
//	                     signatures, answers X's CRC, signs OAuth 1.0a
//	                     requests (needed in webhook mode and with OAuth 1.0a)
//	access_token         a user token of the brand account: OAuth 2.0 (scopes
//	                     tweet.read tweet.write users.read dm.read dm.write),
//	                     sent as a bearer token; or OAuth 1.0a, with the next
//	                     two, for requests signed with HMAC-SHA1
//	access_token_secret  the OAuth 1.0a token's secret (optional)
//	consumer_key         the app's API key (with an OAuth 1.0a token)
//	refresh_token        instead of access_token: an OAuth 2.0 refresh token
//	                     (scope offline.access), with the next two
//	client_id            the app's OAuth 2.0 client id
//	client_secret        its secret, for a confidential client
//	api_base             optional: another base URL for X's API, e.g. a local
//	                     fake (package xfake)
//	mode                 "webhook" (default) or "poll"
//	prices               optional: what each billed category costs the
//	                     inbox (see billing.go)
//
// OAuth 2.0 user access tokens expire after two hours. With a refresh
// token Parley gets them itself from POST /2/oauth2/token (see oauth2.go)
// and stores the refresh token X rotates with every refresh, sealed, in the
// inbox's credentials; a token X refuses before its time is refreshed once.
// An OAuth 1.0a token does not expire and needs none of this. StartConnect
// and FinishConnect (connect.go) obtain the first refresh token through
// OAuth 2.0 Authorization Code with PKCE, for the web interface's
// "Connect an X account".
//
// # Billing
//
// Sends, polled reads and X Activity API deliveries carry the category X
// bills them under (billing.go); Spend prices a month's counts for the
// inbox's health line.
//
// # Receiving
//
// In webhook mode X posts signed deliveries to /webhooks/{inbox}. Receive
// verifies x-twitter-webhooks-signature (HMAC-SHA256 of the raw body under
// the consumer secret, base64, "sha256=" prefix) and reads both the X
// Activity API's envelope (post.mention.create, post.reply.create,
// post.quote.create, post.create, post.delete, dm.received, dm.sent) and the
// Account Activity API's (tweet_create_events, direct_message_events,
// tweet_delete_events); see aaa.go and xaa.go for what each yields and what
// is skipped. Handshake answers the CRC. Files sent in DMs are kept on X,
// which serves them only to requests signed for the account; FetchMedia
// (dmmedia.go) opens them for agents. An event's Account is the
// subscribed user, so one webhook may serve several connected accounts.
//
// In poll mode Poll reads GET /2/users/:id/mentions and GET /2/dm_events
// every 90 seconds; see poll.go for the rate limits and costs behind that.
//
// A message's PlatformID is the post's id or the DM event's id, the same
// in every delivery path (X shares DM event ids between v1.1 and v2), so a
// mention seen by webhook and by poll is stored once. Posts and DMs the
// brand sends itself come back as KindEcho, filed under the customer they
// answer; the pipeline skips the echoes of Parley's own sends by id.
//
// # Sending
//
// Send posts a public reply with POST /2/tweets and a DM with
// POST /2/dm_conversations/with/:participant_id/messages. X has no
// idempotency key; reconcile.go describes how a reply whose answer was lost
// is looked for before it is sent again, and what risk remains.
//
// # Rules
//
// CheckReply applies X's limits before a reply is queued: 280 characters as
// X counts them (WeightedLength, a port of twitter-text's counting), 10,000
// for a DM, and, since February 2026, public replies only to posts that
// @mention or quote the brand.
package x
