// Package meta connects Facebook Pages and Instagram professional accounts
// through Meta's Graph API: Messenger and Instagram direct messages, comments
// on Page posts and Instagram media, and Instagram @mentions. Two adapters
// share the code: Messenger (channel "facebook") and Instagram (channel
// "instagram"). Each is a channel.Sender, Webhook, Policy, Moderator,
// Setup, MediaFetcher and ProfileFetcher (profile.go: the names of
// customers whom messaging webhooks name by id alone).
//
// # Credentials
//
// An inbox's ExternalID is the Page id or the Instagram professional account
// id. Its credentials are:
//
//	app_secret         the Meta app's App Secret; verifies X-Hub-Signature-256 (required)
//	verify_token       the token typed into the app's webhook settings; Prepare
//	                   generates a random one when it is absent
//	page_access_token  a long-lived Page access token (required for Facebook;
//	                   accepted for Instagram through Facebook Login)
//	access_token       the token for an Instagram inbox (Instagram Login), used
//	                   before page_access_token when both are set
//	app_id             the Meta app's id, to tell echoes of Parley's own sends
//	                   from replies typed in Meta Business Suite (recommended;
//	                   Messenger's echoes carry it, Instagram's do not)
//	api_base           a Graph API base URL replacing the adapter's, e.g. a
//	                   local fake (optional)
//
// # Webhooks
//
// Meta signs every delivery with HMAC-SHA256 of the raw body under the App
// Secret, as lower-case hex after "sha256=" in X-Hub-Signature-256, and it
// signs the body as sent, with non-ASCII escaped as \uXXXX
// (developers.facebook.com/docs/graph-api/webhooks/getting-started,
// "Validating Payloads"). Receive verifies those exact bytes before decoding
// anything. An entry's time is in milliseconds for messaging and in
// seconds for changes; both are read. One app subscription serves every
// Page and Instagram account the app is connected to, so each event carries
// its entry's id as Account, and the channel of its object ("page" is
// facebook, "instagram" is instagram); the webhook handler routes it to the
// inbox of that account.
//
// What becomes of each item (everything else is skipped on purpose):
//
//   - messaging[] and standby[] message: a private customer message; the
//     mid is its platform id, reply_to.mid its reply target. Attachments keep
//     their type (reel and ig_reel become video) and URL, a file on Meta's
//     CDN as a "meta-media:" reference that FetchMedia opens for agents
//     (media.go). A quick reply
//     arrives as its button title in text. An Instagram message with
//     is_deleted (unsent by the customer) is a deletion. A story mention
//     and a reply to a story (reply_to.story) keep the story's file as an
//     attachment named "Instagram story", with a placeholder text when the
//     customer wrote none. A shared location is a "geo:" URI. A referral
//     on the message (the ad, m.me or ig.me link, chat plugin or shop
//     product that opened the thread) is kept as a line of its text,
//     "[Came from an ad: "title", ad {id}, ref {ref}]", as the WhatsApp
//     adapter keeps click-to-WhatsApp referrals.
//   - message with is_echo: a message the account sent. One sent by Parley
//     itself is skipped: Parley recorded it from the Send API's answer, and
//     the echo can overtake that record. It is known by app_id equal to the
//     inbox's app_id or metadata starting with "parley:" (both Messenger
//     only: Instagram's echoes carry neither, and Meta documents no metadata
//     for Instagram's Send API), else by what this process sent (sendlog.go):
//     the mid Meta answered with, or, for an echo that comes before the
//     answer, a send under way to the same person with the same text (or an
//     attachment of the same kind). Any other echo (one naming another app,
//     or none) is stored by the core as the brand's, addressed to the
//     recipient. Only the process that sent knows its sends: with several
//     Parley processes, an Instagram echo received by another before the
//     outbox recorded the reply's id is stored as sent outside Parley, and
//     merged into the reply when the outbox records the id.
//   - delivery: one delivered status per mid. Messenger's read event gives
//     only a watermark (everything before a time was read), which does not
//     name messages; it is skipped. Instagram's read names its mid and
//     becomes a read status.
//   - postback (a button tapped): a customer message whose text is the
//     button's title, and its referral's line when the tap opened a thread.
//   - a sender named by user_ref rather than id (a person who wrote
//     through a Messenger plugin) is the author "user_ref:{ref}", whom Send
//     answers with recipient.user_ref.
//   - reaction (message_reactions, Messenger and Instagram): a
//     care.KindReaction on the message reacted to, with the emoji (or one
//     for the named reaction), "" for unreact. A reaction has no id: its
//     platform id is made of the person, the time and the message, the same
//     when Meta delivers it again.
//   - message_edit (message_edits): a new message "[Edited] {text}"
//     replying to the one changed, whose first text is kept, as Telegram's
//     and X's edits are; its platform id is "{mid}:edit:{num_edit}".
//   - a referral on its own (a customer back in a thread from a link or an
//     ad, messaging_referrals), opt-ins, policy enforcement and handover
//     events: skipped. Each item skipped is logged ("meta: part of a
//     delivery skipped"): at debug level for the kinds skipped on purpose,
//     at info level for anything Parley does not know, with what comes from
//     the payload quoted and cut short.
//   - changes[] field "feed" with item "comment": verb "add" is a public
//     message (comment_id; parent_id is the reply target when it names
//     another comment rather than the post), verb "remove" or "delete" a
//     deletion. Meta leaves "from" out when it does not show the commenter
//     to the app; such a comment is kept, from an author of its own
//     ("comment:{comment-id}", "Facebook user"), and a Private Reply still
//     reaches them. Verb "edit" or "edited" is a new public message
//     "[Edited] {text}" replying to the comment, named by the change's time
//     and text. The Page's own reply to a comment (parent_id another comment)
//     is the brand's answer: one Parley posted is skipped like a message's
//     echo (by the comment id Meta answered with, or the reply under way),
//     one typed in Meta Business Suite is a public care.KindEcho replying to
//     the comment answered, which the core files in that comment's
//     conversation. The change does not name that comment's author, so the
//     echo's author is the Page itself. Skipped: hide/unhide, the Page's own
//     comments on posts and edits of them, posts, reactions, likes and
//     shares.
//   - changes[] field "comments" or "live_comments" (Instagram): a public
//     message; parent_id is the reply target. The account's own reply to a
//     comment is an echo as on the Page; its own top-level comments are
//     skipped.
//   - changes[] field "mentions" (Instagram): a public message. The webhook
//     carries only ids, not the text or the author, so the message is a
//     placeholder naming the comment and media, from a per-mention author;
//     its platform id is "mention:{media-id}:{comment-id}" (or
//     "mention:{media-id}" for a caption), which is what a public reply needs
//     (POST /{ig-user-id}/mentions).
//
// # Sending
//
// A private reply goes through the Send API (POST /me/messages) to the
// contact's PSID or IGSID with messaging_type RESPONSE while the customer's
// last message is under 24 hours old, then with MESSAGE_TAG and the
// HUMAN_AGENT tag until 7 days, and is refused after that without calling
// Meta. A private reply whose reply target is a public comment is a Private
// Reply: recipient {comment_id}, allowed once per comment within 7 days of it;
// Meta enforces the "once" and Parley shows its refusal. A public reply is
// POST /{comment-id}/comments on Facebook and POST /{ig-comment-id}/replies
// on Instagram. The access token travels in the Authorization header, never
// in a URL that could be logged.
//
// The Graph API has no idempotency key. A send whose answer is lost (a
// timeout after Meta accepted it) is retried by the outbox and reaches the
// customer twice; Parley keeps that window small by retrying only on errors
// Meta documents as transient.
package meta
