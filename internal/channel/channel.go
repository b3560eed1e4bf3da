// Package channel is the contract between Parley's core and its platform
// adapters. The core hands an adapter a normalised Outbound and gets back a
// Result or a *SendError that says whether trying again can help; the
// adapters, one package per platform beneath this one, own everything
// platform-specific: authentication, wire formats, rate limits.
package channel

import (
	"context"

	"github.com/parleyhq/parley/internal/care"
)

// Outbound is one reply for an adapter to deliver, with everything it needs to
// address it, so an adapter never reads storage.
type Outbound struct {
	Message      care.Message
	Inbox        care.Inbox
	Conversation care.Conversation
	// Contact carries its identities; see Recipient.
	Contact care.Contact
	// IdempotencyKey stays the same across every attempt to send Message, so
	// a platform that honours it posts once however often the send is retried.
	IdempotencyKey string
	// LastInbound is the customer's newest message in the conversation with
	// the reply's visibility, nil if none: messaging windows (Meta's and
	// WhatsApp's 24 hours) are counted from it.
	LastInbound *care.Message
}

// Recipient returns the contact's identity on the inbox's channel. When the
// contact has several (merged contacts keep all of theirs) it returns the most
// recently updated one: identities are refreshed whenever the person writes,
// so that is the account they last used. ok is false when there is none.
func (o *Outbound) Recipient() (id care.Identity, ok bool) {
	for _, c := range o.Contact.Identities {
		if c.Platform != o.Inbox.Channel {
			continue
		}
		if !ok || c.UpdatedAt.After(id.UpdatedAt) || c.UpdatedAt.Equal(id.UpdatedAt) && c.ID < id.ID {
			id, ok = c, true
		}
	}
	return id, ok
}

// Result is what a platform said about an accepted message.
type Result struct {
	// PlatformID is the message's id on the platform, "" when the platform
	// did not return one.
	PlatformID string
	// Status is care.DeliverySent, or care.DeliveryDelivered when the
	// platform confirms delivery synchronously.
	Status care.DeliveryStatus
	// RateLimit is the platform's budget as its headers reported it, ""
	// when it reports none; shown on the inbox's health line.
	RateLimit string
	// RecipientID is the customer's id for private messages when the
	// platform revealed one the contact lacks: a Facebook private reply to a
	// comment answers with the commenter's Messenger id, which differs from
	// the id on the comment. The outbox adds it to the contact, so their
	// answer in Messenger joins the same story.
	RecipientID string
	// Charge is the billing category of the send when the platform bills
	// it (X bills every post and DM its API creates), "" when free; the
	// inbox's health line counts them per month.
	Charge string
}

// Sender delivers outbound messages to one platform. Send must be safe for
// concurrent use and must honour ctx's deadline. A failed Send returns a
// *SendError (see Permanent and Temporary); any other error is treated as
// temporary.
type Sender interface {
	Send(ctx context.Context, out Outbound) (Result, error)
}

// CredentialStore saves a credential an adapter learned while working for
// an inbox (a rotated OAuth refresh token), sealed like the rest of the
// inbox's credentials, so the next request and the next restart use it.
type CredentialStore interface {
	SetCredential(ctx context.Context, inboxID care.ID, key, value string) error
}
