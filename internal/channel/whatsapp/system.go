package whatsapp

import (
	"cmp"
	"encoding/json"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// appendSystem handles a system message: WhatsApp telling the business
// something about the customer (".../webhooks/reference/messages/system";
// unlike the customer's messages it has no contacts array). None is the
// customer writing, so none becomes a message, which would reopen a
// resolved conversation and make the customer wait for an answer:
//
//   - user_changed_number and user_changed_user_id, and
//     customer_changed_number, their name before Graph API v12, are
//     identity events (see appendIdentity);
//   - customer_identity_changed, sent when the business has the identity
//     change check on, says the customer's security code changed; it is
//     an identity event that keeps the ids they have, which the core shows
//     as a note on their open conversation (see appendIdentityKey);
//   - any other type, and the business's own system echoes, are skipped
//     with a log line.
func (p *parser) appendSystem(events []channel.Event, raw json.RawMessage, m *message, echo bool) []channel.Event {
	switch {
	case echo:
		p.skip("system echo %s", m.ID)
		return events
	case m.System == nil:
		p.skip("system message %s without its system object", m.ID)
		return events
	}
	switch m.System.Type {
	case "user_changed_number", "user_changed_user_id", "customer_changed_number":
		return p.appendIdentity(events, raw, m)
	case "customer_identity_changed":
		return p.appendIdentityKey(events, raw, m)
	}
	p.skip("system message %s of type %.40q, which is no message from the customer", m.ID, m.System.Type)
	return events
}

// appendIdentityKey turns customer_identity_changed into a care.KindIdentity
// event whose earlier ids are the ids the customer has now: nothing joins
// their contact, and the note tells agents that the person behind the
// number may have reinstalled WhatsApp or moved to another phone, which
// matters before sharing anything sensitive.
func (p *parser) appendIdentityKey(events []channel.Event, raw json.RawMessage, m *message) []channel.Event {
	bsuid := boundedID(strings.TrimSpace(m.FromUserID))
	phone := boundedID(plainNumber(strings.TrimSpace(cmp.Or(m.From, m.System.Customer))))
	a := care.Author{PlatformUserID: cmp.Or(bsuid, phone)}
	if a.PlatformUserID == "" {
		p.skip("system message %s (customer_identity_changed) without the customer's id", m.ID)
		return events
	}
	var aliases []string
	if bsuid != "" && phone != "" && phone != bsuid {
		aliases = []string{phone}
	}
	if isDigits(phone) {
		a.Handle = "+" + phone
	}
	refs := append([]string{a.PlatformUserID}, aliases...)
	return append(events, p.event(raw, care.Inbound{Kind: care.KindIdentity, PlatformID: m.ID, Author: a, AuthorAliases: aliases,
		References: refs, SentAt: p.sentAt(m.Timestamp),
		Text: "WhatsApp: The customer's security code changed. They may have reinstalled WhatsApp or moved to another phone."}))
}

// notWritten says why an unsupported message is no new message from the
// customer, "" when it is one. WhatsApp sends type "unsupported" with the
// kind it could not pass on in unsupported.type
// (".../webhooks/reference/messages/unsupported"). Most are something the
// customer sent (a poll, a GIF, a product, a message not available yet,
// error 131060) and become a placeholder an agent can ask about. The kinds
// below act on a message already in the chat and carry nothing to read:
// shown as a message they would reopen a resolved conversation for a
// pinned message or a vote.
func notWritten(m *message) string {
	if m.Unsupported == nil {
		return ""
	}
	switch m.Unsupported.Type {
	case "reaction":
		return "a reaction WhatsApp did not pass on"
	case "poll_update":
		return "a vote in a poll"
	case "pin":
		return "a message pinned in the chat"
	case "keep_in_chat":
		return "a disappearing message kept in the chat"
	case "edit":
		// Edits that WhatsApp passes on arrive as type edit, with the new
		// text (see editContent); this one has none to show.
		return "an edit of an earlier message, without its new text"
	case "revoke":
		return "a message deleted for everyone, without naming it"
	}
	return ""
}
