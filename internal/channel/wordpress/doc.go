// Package wordpress is Parley's adapter for the comments of a WordPress
// site, read and answered through the site's REST API (WordPress 5.6+).
// One inbox is one site, and Parley acts as one of its users; its
// credentials are:
//
//	site_url              the site, https://blog.example.com (or with the
//	                      path WordPress is installed under) (required)
//	username              the user's login name or email (required)
//	application_password  an Application Password of that user (required)
//	user_id               the user's id; Prepare reads it (also ExternalID)
//	route                 "wp-json" or "rest_route"; Prepare finds out
//	site_users            "staff" (the default) or "customers"
//
// Application Passwords (WordPress 5.6+) are sent with HTTP Basic
// authentication, which WordPress accepts only over HTTPS (or on a local
// site). The user must be able to moderate comments (an Editor or an
// Administrator): Parley reads comments held for moderation, authors'
// email addresses (context edit) and moderates as that user.
//
// # Inbound
//
// WordPress pushes nothing; Poll reads the site's comments every minute,
// approved and held for moderation in one query (status=all), oldest
// first, from a cursor of dates and ids described in poll.go, which also
// explains why the after parameter is asked an hour early. The first poll
// starts after the newest comment: the inbox starts now. Requests go to
// /wp-json/wp/v2/…, or to /?rest_route=/wp/v2/… on a site without pretty
// permalinks, found by the first 404 that is not WordPress's.
//
// A comment becomes a public message: PlatformID its id, ReplyToPlatformID
// its parent's (0 is none), the text its content.rendered converted from
// HTML to plain text (blog.HTMLToText; content.raw when that is empty),
// its link an attachment of kind "link", named to say when it is held for
// moderation. Its author is identified by email address (context edit),
// else as the registered user ("user:<id>"), else by the name given
// ("name:<name>"). Threading follows Parley's rules: a reply joins the
// conversation of the comment it answers, so a comment thread is one
// conversation; a top-level comment joins its author's open conversation
// in the inbox, or starts one.
//
// The inbox's user's comments are skipped: they are Parley's replies, or
// typed in wp-admin as that user (give Parley a user of its own). Other
// registered users are, with site_users "staff", the brand's people: their
// replies to comments are echoes (care.KindEcho) addressed to the author
// of the comment answered, so an answer typed in wp-admin shows in the
// conversation; their own top-level comments, which answer no one, are
// skipped. With site_users "customers" (a shop whose buyers have
// accounts) their comments are customers' like guests'. Pingbacks,
// trackbacks, spam and trash are not read.
//
// # Outbound
//
// Send posts a comment of the user under the comment answered, on its
// post (POST /wp/v2/comments {post, parent, content}), approving the
// parent first when it is held, and returns the new comment's id.
// WordPress has no idempotency key; a retried reply whose first answer
// was lost meets WordPress's duplicate check (409 comment_duplicate),
// which Send takes for success and resolves to the comment posted. See
// Send for the risk left. Replies are public only; CheckReply refuses
// private ones and those over MaxCommentBytes.
//
// Moderate hides a comment (status hold), unhides it (approve) or deletes
// it (to the trash).
//
// # Limits
//
// WordPress sets no rate limit of its own; hosts and security plugins may,
// and their 429 and 503 are honoured with Retry-After. A poll reads at
// most 10 pages of 100 comments; when the last is full, the next poll goes
// on from the newest comment read (see poll.go). A page is read up to
// 16 MiB.
//
// wpfake, beside this package, is a local WordPress for tests and demos.
// docs/channels/wordpress.md explains how to connect a site.
package wordpress
