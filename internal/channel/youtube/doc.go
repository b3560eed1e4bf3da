// Package youtube is Parley's adapter for YouTube comments, through the
// YouTube Data API v3 (developers.google.com/youtube/v3). One inbox is one
// YouTube channel: its ExternalID is the channel's id, "UC…", and its
// credentials are:
//
//	client_id      the Google Cloud project's OAuth client id (required)
//	client_secret  its secret (required)
//	refresh_token  granted by the channel's owner for the scope Scope,
//	               https://www.googleapis.com/auth/youtube.force-ssl (required)
//	daily_quota    units a day this inbox may spend; 10000 by default
//	write_share    percent of daily_quota kept for replies and moderation; 40
//	poll_interval  shortest wait between polls, seconds or "90s"; 60 seconds
//	scan_pages     pages of 100 threads each poll reads at least; 1
//	held_comments  "true": polls also read the comments YouTube holds for
//	               review or takes for likely spam (2 units a poll); false
//	api_base       another API root, e.g. a local fake (ytfake)
//	token_url      another token endpoint; by default {api_base}/token when
//	               api_base is set, else https://oauth2.googleapis.com/token
//
// Access tokens come from the refresh grant (internal/channel/oauth) and
// are cached about an hour; a request answered 401 forgets its token and
// is made once more with a new one.
//
// # Inbound
//
// YouTube pushes no comments: Parley polls commentThreads.list for every
// thread on the channel and its videos (allThreadsRelatedToChannelId),
// newest first, and comments.list for the replies a thread holds beyond
// those a page embeds; poll.go says how, and how the cursor never skips a
// comment. The first poll starts now. Comments YouTube holds for the
// channel's review, or took for likely spam, are listed only when asked
// for by moderationStatus: with held_comments every poll reads the newest
// page of each, and their messages start "[Held for review] " or
// "[Likely spam] " (unhiding publishes them).
//
//   - A top-level comment becomes a public message named by the comment's
//     id; its subject links to it on its video (watch?v=…&lc=…), or names
//     it on the channel, and is the thread's own, so threads are never
//     joined by subject.
//   - A reply becomes a public message answering its thread's top-level
//     comment (ReplyToPlatformID, whoever it answers in the thread), so a
//     thread stays one conversation.
//   - An edit (updatedAt later than publishedAt) becomes a message of its
//     own, "[Edited] …", answering the comment it changes and named
//     "<comment id>:edit:<unix seconds>". A comment first read already
//     edited is one message with its current text.
//   - The channel's own comments (author channel id = the inbox's channel
//     id): a reply in a customer's thread is a care.KindEcho filed under
//     the thread's author, which the core drops when it is Parley's own
//     reply (it knows the id Send returned) and shows as sent outside
//     Parley otherwise; the channel's top-level comments, its replies in
//     its own threads and edits of its replies are skipped, logged at
//     debug level.
//
// The author is their channel's id, the display name YouTube shows (since
// handles came, usually "@handle") and the handle, without "@", from their
// channel's URL or display name. A comment whose author has no channel
// (authorChannelId is given "if any") is kept under an identity of its
// thread and the display name, or of the comment when it has no name
// either: see authorOf. Text is the comment's textOriginal, else
// its plain-text textDisplay. Engagement is the likes, and for a top-level
// comment its replies.
//
// # Outbound
//
// Send posts a reply with comments.insert (50 units). YouTube takes
// replies only to top-level comments, so every reply goes to the thread of
// the comment answered; one answering a reply starts with "@handle" of the
// reply's author when that is the customer's last message and its author's
// handle is known, and the text does not name them already. YouTube has no
// private messages: CheckReply and Send refuse private replies. Replies
// are text only, at most MaxTextChars (10,000) characters.
//
// YouTube has no idempotency key. A send that got no answer, or a 5xx, may
// have been posted: it is remembered by the outbox's idempotency key, and
// the retry first reads the thread's replies (up to 5 pages, a unit each)
// for the channel's reply with the same text, and returns it rather than
// posting again. The memory is in this process: a retry after a restart,
// or one made before YouTube lists the first attempt, may post twice.
//
// Moderate sets a comment's moderation status with
// comments.setModerationStatus (50 units; 204 No Content): hide holds it
// for review (off the video until published), unhide publishes it,
// delete rejects it, which hides its replies too. Authors are not banned.
//
// # Quota
//
// A Google Cloud project gets 10,000 units a day, reset at midnight
// Pacific Time; a list call costs 1 unit a page, comments.insert and
// comments.setModerationStatus 50 each, and every request, even an
// invalid one, at least 1 (developers.google.com/youtube/v3/determine_quota_cost).
// The Adapter meters each inbox's units per Pacific day in memory:
//
//	daily      = daily_quota                     10,000 by default
//	reserve    = daily × write_share / 100        4,000: 80 replies or moderations
//	polling    = daily − reserve                  6,000
//	interval   = max(poll_interval, time to reset ÷ (polling left ÷ units per poll))
//
// A poll costs 1 unit a page of threads or replies, at most 30: polling
// one page a minute all day costs 1,440 units, so with the defaults the
// interval stays at its 60-second floor, and lengthens as bursts (more
// pages a poll) or replies (which may spend polling's share once their
// own is spent) use the day up. Polling never spends the reserve: when its
// share is spent, Poll fails, without calling YouTube, with a temporary
// error until the reset, which the inbox's health line shows with the
// quota ("1234/10000 units today (polling 834/6000), resets 08:00Z").
// Replies and moderation may spend whatever is left of the day; past that
// they fail temporarily until the reset (the outbox retries the reply
// then). YouTube's own quotaExceeded (403, domain youtube.quota), for
// instance when other inboxes or programs share the project, stops the
// inbox until the reset the same way. Inboxes sharing a project share its
// quota: give each its part with daily_quota. With Adapter.State the
// meter is kept in the inbox cursor QuotaCursor, read on an inbox's first
// request of the Pacific day and saved after each poll, reply or
// moderation that spent units, so a restart continues the day's count;
// without it the meter starts at zero when Parley restarts, and YouTube's
// quotaExceeded is the backstop.
//
// # Errors
//
// Google's error body ({"error":{"code":…,"errors":[{"reason":…}]}}) is
// read for its reason: quotaExceeded is temporary until the reset,
// rateLimitExceeded, 429 and 5xx temporary, processingFailure temporary
// for reads and permanent for writes (YouTube says it "usually indicates
// that the request's input is invalid", and each retry costs 50 units);
// commentsDisabled, forbidden, ineligibleAccount, parentCommentNotFound,
// commentNotFound, commentTextTooLong and the other 4xx are permanent,
// with a reason that names YouTube's code and what to do.
//
// ytfake, beside this package, is a local YouTube for tests and demos.
// docs/channels/youtube.md explains how to connect a channel.
package youtube
