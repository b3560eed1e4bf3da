package whatsapp

import (
	"cmp"
	"encoding/json"
)

// Pricing is what a status webhook says about the charge for one of our
// messages. WhatsApp has charged per delivered message since 1 July 2025
// (pricing_model "PMP", with pricing.type); before, per 24-hour conversation
// ("CBP", with a conversation object and billable). Meta includes pricing
// with the sent status and one of delivered or read; the amount is not in
// the webhook but in Meta's rate cards, by category and the customer's
// country (".../whatsapp/pricing", ".../webhooks/reference/messages/status").
type Pricing struct {
	// Model is "PMP" or "CBP".
	Model string
	// Category is marketing, utility, authentication,
	// authentication_international, service, …
	Category string
	// Type is PMP's regular, free_customer_service or free_entry_point.
	Type string
	// Billable is the older flag; Meta deprecates it in favour of Type.
	Billable bool
	// ConversationID is set under CBP, and for free entry point
	// conversations.
	ConversationID string
}

// Charged reports whether WhatsApp bills the message: a "regular" type under
// per-message pricing, the billable flag otherwise.
func (p Pricing) Charged() bool {
	if p.Type != "" {
		return p.Type == "regular"
	}
	return p.Billable
}

// PricingOf reads the pricing in the raw payload of a status event (the
// status's own JSON, as Receive stores it). ok is false when there is none.
func PricingOf(raw []byte) (p Pricing, ok bool) {
	var s status
	// A field of an unexpected type leaves the rest readable.
	_ = json.Unmarshal(raw, &s)
	if s.Pricing == nil {
		return Pricing{}, false
	}
	p = Pricing{Model: s.Pricing.Model, Category: s.Pricing.Category, Type: s.Pricing.Type, Billable: bool(s.Pricing.Billable)}
	if s.Conversation != nil {
		p.ConversationID = s.Conversation.ID
		p.Category = cmp.Or(p.Category, s.Conversation.Origin.Type)
	}
	return p, true
}
