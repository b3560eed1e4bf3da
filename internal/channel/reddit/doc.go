// Package reddit is Parley's adapter for Reddit, through its OAuth API
// (www.reddit.com/dev/api; the rules of the Reddit Data API Wiki). One
// inbox is one Reddit account, the brand's user: its ExternalID is the
// account's username as Reddit spells it (AcmeSupport), which never
// changes and is what replies are addressed with, where the account's t2_
// id would need a lookup to show. Its credentials are:
//
//	client_id      the app's id, from reddit.com/prefs/apps (required)
//	client_secret  the app's secret ("" for an installed app)
//	refresh_token  a permanent refresh token of the account (web and
//	               installed apps), or:
//	username       the account, with
//	password       its password, for a script app (password grant)
//	user_agent     replaces "<platform>:<app ID>:<version> (by /u/<username>)"
//	api_base       replaces https://oauth.reddit.com, e.g. with redditfake
//	token_url      replaces the token endpoint (default: api_base's, else
//	               https://www.reddit.com/api/v1/access_token)
//
// Every request carries the descriptive User-Agent Reddit requires and a
// bearer access token from the token endpoint, with the app's id and
// secret in HTTP Basic auth (auth.go).
//
// # Inbound
//
// Reddit pushes nothing: Parley polls GET /message/inbox every 30 seconds
// as a channel.Poller, paging forward from the newest item read with
// before=<fullname>, and falling back to the newest page when that anchor
// leaves the listing (poll.go). It never marks items read. Each item is
// named by its fullname, the same on every poll:
//
//   - A comment reply, post reply or username mention (t1) becomes a
//     public message. ReplyToPlatformID is its parent_id, the comment or
//     post it answers, so a thread the brand takes part in stays one
//     conversation; Subject is the post's title; the comment's place in
//     its thread (its "context" path) is a "link" attachment to
//     www.reddit.com; Engagement is its score less the author's own vote.
//   - A message (t4) becomes a private message, answering its parent_id
//     (else its thread's first_message_name); Subject is its subject.
//   - A customer's comment edited after Parley read it becomes a message
//     "[Edited] …" answering it, named "<fullname>:edit:<edited>": the
//     comments read in the last day are read again every 5 minutes with
//     one GET /api/info (edits.go).
//   - The body is Reddit Markdown, shown as readable plain text
//     (MarkdownToText); body_html is never used.
//   - The author is the username, in lower case as identity (Reddit
//     compares usernames without regard to case) and as written as handle;
//     a subreddit's message is from "r/<name>". An author Reddit no longer
//     names ("[deleted]") gets an identity of the item's own, and a comment
//     deleted or removed before it was read is skipped, as are the
//     account's own items and every other kind of thing.
//
// # Outbound
//
// Send posts /api/comment for a public reply (to a comment or post) and
// for a private reply in a thread of messages, and /api/compose for a
// private reply to a customer who wrote only in public, with a subject
// derived from the thread's title ("Re: …", at most 100 characters).
// Reddit's refusals come in a {"json": {"errors": [[code, message,
// field]]}} envelope with HTTP 200: RATELIMIT is retried after the wait it
// names, THREAD_LOCKED, DELETED_COMMENT, TOO_OLD, TOO_LONG, USER_BLOCKED
// and the rest fail with a reason the agent can read (errors.go). Reddit
// takes no idempotency key: after an attempt whose answer was lost, the
// next one first looks for the reply among the account's newest comments
// or sent messages (reconcile.go), which narrows but does not close the
// risk of a double post. CheckReply holds replies to Reddit's 10,000
// characters and public replies to comments and posts.
//
// Moderate removes (Hide, and Delete, since Reddit moderators cannot
// delete others' comments) and approves (Unhide) comments in subreddits
// the account moderates; elsewhere Reddit answers 403.
//
// # Limits
//
// Reddit's free tier allows 100 requests a minute per OAuth client id,
// over 10-minute periods, reported in X-Ratelimit-Used, -Remaining and
// -Reset on every answer (ratelimit.go). The budget is shown on the
// inbox's health line; polling slows to the period's reset when less than
// a tenth is left, and a 429 waits for it.
//
// redditfake, beside this package, is a local stand-in for Reddit for
// tests and demos. docs/channels/reddit.md explains how to connect an
// account.
package reddit
