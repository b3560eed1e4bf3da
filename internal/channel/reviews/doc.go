// Package reviews is Parley's adapter for the reviews of a Google Business
// Profile location (channel care.ChannelReviews, "google-reviews"), through
// the My Business API v4 (developers.google.com/my-business/content/review-data).
// One inbox is one location; its ExternalID is the location's resource name,
// accounts/{accountId}/locations/{locationId}, and its credentials are:
//
//	client_id, client_secret  the Google Cloud project's OAuth client (required)
//	refresh_token             granted to that client by an owner or manager of
//	                          the location, with the scope Scope (required)
//	import_days               how far back the first poll imports unanswered
//	                          reviews: 0 to 30 days, 7 when absent
//	poll_seconds              the poll interval, 10 to 3600; 120 when absent
//	api_base, token_url       other endpoints than Google's (gbpfake)
//
// Access tokens come from the refresh token through internal/channel/oauth
// (the grant at https://oauth2.googleapis.com/token), cached about an hour;
// a 401 invalidates the cached one and the request is made once more.
//
// # Inbound
//
// Google pushes nothing to Parley: a channel.Poller reads the location's
// reviews, newest first (orderBy "updateTime desc", 50 a page), every
// poll_seconds. Google offers no "since", so a poll walks down to a floor
// below the newest updateTime it saw, ten minutes below on most polls and
// 48 hours below once an hour, and its cursor remembers what that overlap
// held (a hash of each review's name, rating, comment and reply), so that
// reading a review again is not news and a review that changed is. The deep
// walk finds reviews Google publishes late, after its checks, with their
// first times, and replies made outside Parley, which do not move a review
// up the list. A walk reads at most 10 pages a poll and goes on from its
// page token at the next. See Poll for what becomes of a review, and cursor
// for the position.
//
// The first poll imports the reviews of the last import_days days that
// have no reply yet, the ones still waiting for an answer; the rest it only
// remembers, so an inbox does not start with years of answered reviews.
//
// Each review is a public message in a conversation of its own: its
// PlatformID is the review's resource name, its care.Inbound.Rating the
// stars (ONE to FIVE are 1 to 5, STAR_RATING_UNSPECIFIED is 0), and its
// text starts with them, "★★☆☆☆ Waited 40 minutes", or "★★☆☆☆ (no written
// review)" for a rating alone. A comment Google translated ("(Translated by
// Google) …\n\n(Original)\n…") keeps only the customer's original words:
// triage reads the language from them, and agents answer in it. An edit by
// the customer is a new message "[Edited] …" in reply to the review, with
// the updateTime in its PlatformID, so each edit is one message however
// often it is read. Google gives a reviewer no id: an anonymous reviewer is
// one identity per review; a named one is identified by name and profile
// photo together, so one person's reviews of several locations meet in one
// contact (see author). The photos and videos of a review
// (reviewMediaItems) are attachments of its message and of its edits,
// links to Google's copies, checked and bounded (see media); a change of
// them alone is not an edit, since the content hash is the rating and text.
//
// The owner's reply is the review's care.KindEcho, with a PlatformID of the
// review's name and a hash of the reply's text: the reply Parley sent has
// the same id, so the core skips it, while one made in Google's own tools
// shows as sent outside Parley. A reply deleted or replaced on Google
// becomes a care.KindDelete of its id, and so does one Google's moderation
// of replies rejected (reviewReplyState REJECTED): it is not shown. A review deleted by its author is
// not seen: it only stops being listed.
//
// # Outbound
//
// Send sets the review's reply with PUT {review}/reply. A review has one
// reply: a second one from Parley replaces the first. Setting a reply is
// idempotent, so a retried send never posts twice; the risk is a retry of
// an older reply arriving after a newer one, which would put the older text
// back. A reply Google's moderation rejects on the spot (REJECTED in the
// answer, with its policyViolation) is a permanent refusal of that reply;
// one PENDING moderation is sent. There are no private replies: CheckReply refuses them, as it refuses
// attachments and replies over MaxReplyBytes (4096 bytes, Google's limit).
// Moderate deletes the location's own reply (DELETE {review}/reply); a
// customer's review can be neither hidden nor deleted by the business, and
// Moderate says so with EINVALID.
//
// # Limits
//
// Google gives a Cloud project 300 requests a minute for the API by
// default, shared by every location the project serves, and none until it
// approves the project; a spent quota is a temporary error until the next
// minute, a zero one permanent. Google serves only verified locations. The
// API's errors are Google's JSON errors, mapped in apiError.
//
// gbpfake, beside this package, is a local stand-in for the API and the
// token endpoint, for tests and demos. docs/channels/google-reviews.md
// explains how to connect a location.
package reviews
