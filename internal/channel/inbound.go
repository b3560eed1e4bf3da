package channel

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// Event is one inbound event an adapter found in a platform's delivery.
type Event struct {
	Inbound care.Inbound
	// Account is the platform account the event is for (a Page id, an
	// Instagram account id, a WhatsApp phone number id, an X user id). One
	// webhook subscription often serves several accounts; the core routes
	// the event to the inbox whose ExternalID is Account. "" means the inbox
	// the delivery arrived on.
	Account string
	// Raw is this event's own part of the delivery, kept as its raw payload
	// for audit and replay.
	Raw []byte
}

// Webhook is implemented by adapters whose platform pushes events.
// Deliveries arrive at /webhooks/{inbox id}; the inbox's credentials hold
// the secrets.
type Webhook interface {
	// Handshake answers the platform's GET verification (X's CRC, Meta's
	// hub.challenge).
	Handshake(w http.ResponseWriter, r *http.Request, inbox care.Inbox)
	// Receive authenticates a POSTed delivery by its signature over the raw
	// body and returns the events in it that matter for care, skipping the
	// rest on purpose. It returns EUNAUTHORIZED when the signature does not
	// verify (nothing is stored) and EINVALID for a body it cannot parse.
	Receive(h http.Header, body []byte, inbox care.Inbox, now time.Time) ([]Event, error)
}

// URLSigned is implemented by webhook adapters whose platform signs the
// request URL as well as the body (Twilio signs the full URL it was given,
// query included). The handler calls ReceiveURL instead of Receive, with the
// URL as the platform was told it: the public URL when Parley runs behind a
// proxy.
type URLSigned interface {
	ReceiveURL(url string, h http.Header, body []byte, inbox care.Inbox, now time.Time) ([]Event, error)
}

// SharedSecret is implemented by webhook adapters whose platform delivers
// events for several accounts to one URL: one Meta app's subscription
// serves every Page, Instagram account and WhatsApp number it was granted,
// one X app every subscribed user. The delivery is verified with the
// secret of the inbox whose URL it arrived at, and an event for another
// account is filed in that account's inbox only if that inbox verifies with
// the same secret: otherwise anyone holding one inbox's secret could forge
// customer messages into every other inbox of the workspace.
type SharedSecret interface {
	// WebhookSecret returns the secret inbox's deliveries are verified
	// with, "" if it has none.
	WebhookSecret(inbox care.Inbox) string
}

// Poller is implemented by adapters that fetch events for accounts without
// webhooks (or platforms without push).
type Poller interface {
	// Poll returns the events after cursor ("" the first time) and the
	// cursor to save once they are durably stored. It returns a *SendError
	// for the platform's errors, so callers can honour its Retry-After.
	Poll(ctx context.Context, inbox care.Inbox, cursor string) (events []Event, next string, err error)
	// PollInterval is how often to poll this inbox within its rate limits;
	// 0 means this inbox is not polled (it has a webhook).
	PollInterval(inbox care.Inbox) time.Duration
}

// Searcher is implemented by adapters whose platform can search public
// posts, for listening: what is said about the brand and its competitors
// beyond what is addressed to it. The account connected as the inbox does
// the searching, within its own rate limits and plan.
type Searcher interface {
	// Search returns public posts matching q that are newer than cursor,
	// and the cursor to save once they are stored. With cursor "" it
	// returns only the most recent page, never a backfill. Each post has
	// Source, PlatformID, URL, Author, Text (cut to care.MaxListenText on a
	// rune boundary), Lang when the platform says, and PostedAt; the caller
	// fills the rest. A post the platform returns twice is harmless: the
	// store keeps one. It returns a *SendError for the platform's errors,
	// so callers can honour its Retry-After.
	Search(ctx context.Context, inbox care.Inbox, q care.ListenQuery, cursor string) (posts []care.ListenPost, next string, err error)
	// SearchInterval is how often one query may run for this inbox within
	// the platform's rate limits; 0 means this inbox cannot search (its
	// credentials or plan do not allow it).
	SearchInterval(inbox care.Inbox) time.Duration
}

// Streamer is implemented by adapters that can follow an account's events
// over a long-lived connection (Mastodon's streaming API). The poll runner
// keeps one stream per inbox for which Streaming is true, alongside its
// polls.
type Streamer interface {
	// Streaming reports whether the inbox is followed by a stream.
	Streaming(inbox care.Inbox) bool
	// Stream follows the inbox from cursor until ctx ends, calling emit,
	// never concurrently, with events to store and the cursor to save once
	// they are stored. It returns a permanent *SendError when the platform
	// refuses the account.
	Stream(ctx context.Context, inbox care.Inbox, cursor string, emit func(events []Event, cursor string) error) error
}

// Notifier is implemented by polled adapters that can learn, over a held
// connection, that something new arrived (IMAP IDLE): the poll runner then
// polls at once instead of at the next interval. Notify returns nil when
// ctx ends, ErrNoNotify when the account cannot notify (polling alone
// serves it), or another error after which the runner tries again later.
type Notifier interface {
	Notify(ctx context.Context, inbox care.Inbox, wake func()) error
}

// ErrNoNotify says an account cannot notify; polling serves it.
var ErrNoNotify = errors.New("channel: the account cannot notify")

// ReplyCheck is what a Policy sees of a reply before it is stored.
type ReplyCheck struct {
	Inbox        care.Inbox
	Conversation care.Conversation
	Text         string
	Visibility   care.Visibility
	Attachments  []care.Attachment
	// ReplyTo is the message answered, if any.
	ReplyTo *care.Message
	// LastInbound is the customer's newest message in the conversation with
	// the reply's visibility (for messaging windows), nil if none.
	LastInbound *care.Message
	Now         time.Time
}

// Policy is implemented by adapters whose platform has rules a reply must
// meet: text limits, messaging windows, who may be answered in public.
type Policy interface {
	// CheckReply returns EINVALID with a message telling the agent what to
	// do instead, before a reply that the platform would refuse is queued.
	CheckReply(c ReplyCheck) error
}

// HistoryPolicy is implemented by adapters whose platform's rules depend on
// what the customer did outside the conversation being answered: an SMS
// opt-out holds for the number, whichever conversation the STOP came in.
// It is asked after Policy, and may read the store.
type HistoryPolicy interface {
	// CheckReplyHistory returns EINVALID, as CheckReply does, or an error
	// reading the history.
	CheckReplyHistory(ctx context.Context, c ReplyCheck) error
}

// ModerationAction is what a moderator does to a public comment.
type ModerationAction string

// Moderation actions.
const (
	Hide   ModerationAction = "hide"
	Unhide ModerationAction = "unhide"
	Delete ModerationAction = "delete"
)

// Moderator is implemented by adapters that can hide, unhide or delete a
// public comment on the platform.
type Moderator interface {
	Moderate(ctx context.Context, inbox care.Inbox, platformID string, action ModerationAction) error
}

// Setup is implemented by adapters that need the operator to paste values
// into the platform's console; it lists them, labelled, for the inbox page.
type Setup interface {
	// Prepare fills in credentials Parley generates for a new inbox (a
	// verify token, say) and validates the ones an admin supplied,
	// returning EINVALID naming what is missing.
	Prepare(inbox *care.Inbox) error
	// Instructions are the values to paste, e.g. "Callback URL" and "Verify
	// token", given the inbox's public webhook URL.
	Instructions(inbox care.Inbox, webhookURL string) []Instruction
}

// Instruction is one value an operator copies into a platform's console.
type Instruction struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Media is a customer's file as the platform serves it.
type Media struct {
	Body     io.ReadCloser
	MimeType string
	// Size is the length the platform announced, 0 when unknown.
	Size int64
}

// MediaFetcher is implemented by adapters whose platform keeps customers'
// files behind its API (WhatsApp media ids, Telegram file ids): Parley
// fetches them for agents on demand, with the inbox's credentials, rather
// than handing agents a reference their browser cannot open. ref is the
// attachment's URL as the adapter made it ("whatsapp-media:123"). It
// returns ENOTFOUND for a reference the adapter does not own or the
// platform no longer has.
type MediaFetcher interface {
	FetchMedia(ctx context.Context, inbox care.Inbox, ref string) (*Media, error)
}
