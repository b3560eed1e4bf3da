// Package mastodon is Parley's adapter for Mastodon, and for servers that
// speak its client API. One inbox is one account on one instance: the
// instance is the platform, so every inbox names its own. Its ExternalID is
// the account's id on that instance, and its credentials are:
//
//	access_token      a user token with the scopes in Scopes (required)
//	api_base          the instance, e.g. https://mastodon.social (required)
//	mode              "stream" (the default) or "poll"
//	account_id        the account's id; Prepare reads it from the instance
//	domain            the instance's account domain; Prepare reads it
//	max_characters    the instance's post limit when not 500; Prepare reads it
//	characters_reserved_per_url  what a link counts when not 23; Prepare reads it
//	streaming_url     the streaming API's base when on another host; Prepare reads it
//	public_visibility the widest visibility of a public reply: "public" (the
//	                  default) or "unlisted"
//
// # Inbound
//
// Mastodon pushes nothing to Parley: Parley reads the account's mention
// notifications, with GET /api/v1/notifications as a channel.Poller (every
// 15 seconds in mode poll, every minute as a fallback in mode stream) and,
// in mode stream, from the streaming API with a Streamer, which polls too
// for what the stream does not carry. Only polls move the cursor. A mention
// becomes a message whose PlatformID is the post's id and
// ReplyToPlatformID its in_reply_to_id; a private mention (visibility
// direct) is private, every other visibility public. Its text is the
// post's HTML as plain text (HTMLToText), after its content warning as
// "[CW: …] "; its media are attachments by URL, with the alt text as name.
// The author is identified by their handle, user@domain, the same on every
// instance, where the account id is one instance's row number; see
// authorOf. Boosts, the account's own posts, edits and every other kind of
// notification are skipped on purpose. A post deleted by its author, which
// only the stream reports, becomes a care.KindDelete event.
//
// # Outbound
//
// Send posts a status with POST /api/v1/statuses, in reply to the message
// answered, as a private mention (direct) for a private reply and, for a
// public one, as visible as the post answered and never more. It adds the
// customer's @user@domain when the text does not mention them, since that
// is what notifies them (and, for a private mention, what lets them see
// it), and sends the outbox's idempotency key as Idempotency-Key, which
// Mastodon honours for an hour. CheckReply counts a reply as Mastodon does,
// in grapheme clusters with links as 23 and mentions without their domain,
// against the instance's limit.
//
// mastofake, beside this package, is a local instance for tests and
// demos. docs/channels/mastodon.md explains how to connect an account.
package mastodon
