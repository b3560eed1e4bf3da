// Package bluesky connects Bluesky accounts to Parley over the AT Protocol's
// HTTP API (XRPC), with the standard library alone: customers' mentions,
// replies and quotes of the brand become public messages, their direct
// messages private ones, and agents' replies go back as reply posts or DMs.
//
// # Accounts and credentials
//
// One inbox is one Bluesky account. Its Credentials, sealed at rest, are:
//
//	identifier    the account's handle (acme.bsky.social), email or DID
//	app_password  an App Password with "Allow access to your direct
//	              messages" (xxxx-xxxx-xxxx-xxxx)
//	api_base      optional: the account's PDS, default https://bsky.social;
//	              or a local fake (package bskyfake)
//	did           optional: the account's DID; set by Prepare when the
//	              identifier is one, else learnt from the first session
//
// An account is identified by its DID (did:plc:…), which outlives handle
// changes: a customer's identity is their DID, the handle ("@" and the
// handle) is shown beside it. The adapter logs in with
// com.atproto.server.createSession and keeps the session in memory,
// renewing it with refreshSession; createSession's tight limit (30 per 5
// minutes, 300 a day per account) is rationed, see session.go.
//
// # Receiving
//
// Bluesky pushes nothing, so Poll reads, every 25 seconds,
// app.bsky.notification.listNotifications for mentions, replies and quotes,
// and chat.bsky.convo.getLog through the chat proxy for DMs (poll.go). A
// post's PlatformID is its at:// URI and its ReplyToPlatformID the URI of
// the post it answers; a DM's is "{convoId}:{messageId}". Follower counts
// come from app.bsky.actor.getProfiles, cached; a blue check
// (verification.verifiedStatus "valid") makes the author Verified. Nothing
// is marked read on Bluesky.
//
// # Sending
//
// Send posts a reply with com.atproto.repo.createRecord (root and parent
// strong refs read from the parent with app.bsky.feed.getPosts, mention and
// link facets by byte offsets, a record key derived from the idempotency
// key so a retry cannot post twice: rkey.go) and a DM with
// chat.bsky.convo.getConvoForMembers and sendMessage.
//
// # Rules
//
// CheckReply applies Bluesky's limits before a reply is queued: 300
// characters for a post and 1,000 for a DM, counted as graphemes
// (Graphemes, exported for the composer), and a public reply must answer a
// customer's post.
//
// docs/channels/bluesky.md explains how to connect an account.
package bluesky
