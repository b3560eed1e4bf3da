package whatsapp

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/meta"
)

// Receive authenticates a delivery by its X-Hub-Signature-256 and returns one
// event per message, echo and status in it, each with Account set to the
// business number's phone number id. It returns EUNAUTHORIZED when the
// signature does not verify and EINVALID when the body is not JSON or not a
// WhatsApp webhook. Other objects and fields (template status updates,
// account updates) and group chats are skipped on purpose, with a log line.
func (a *Adapter) Receive(h http.Header, body []byte, in care.Inbox, now time.Time) ([]channel.Event, error) {
	if err := verifySignature(in.Credentials[CredAppSecret], h.Get(meta.SignatureHeader), body); err != nil {
		return nil, err
	}
	events, skipped, err := parseDelivery(body, now)
	for _, s := range skipped {
		a.logger().Info("whatsapp: part of a delivery skipped", "inbox", in.ID, "reason", s)
	}
	return events, err
}

// parseDelivery turns a verified delivery into events; skipped says, for
// the log, what it left out and why. Fields of an unexpected type are read
// as far as they go rather than failing the whole delivery, which Meta would
// retry for days and then stop sending.
func parseDelivery(body []byte, now time.Time) (events []channel.Event, skipped []string, err error) {
	var d delivery
	if err := decode(body, &d, &skipped); err != nil {
		return nil, nil, care.Errorf(care.EINVALID, "the delivery is not JSON")
	}
	switch d.Object {
	case "whatsapp_business_account":
	case "":
		return nil, skipped, care.Errorf(care.EINVALID, "the delivery has no object: it is not a webhook from Meta")
	default:
		return nil, append(skipped, fmt.Sprintf("object %.40q is not a WhatsApp Business Account", d.Object)), nil
	}
	for _, e := range d.Entry {
		for i := range e.Changes {
			c := &e.Changes[i]
			// smb_message_echoes carries message_echoes: what the business
			// sent from the WhatsApp Business app on a coexistence number.
			if c.Field != "messages" && c.Field != "smb_message_echoes" {
				skipped = append(skipped, fmt.Sprintf("field %.40q", c.Field))
				continue
			}
			p := &parser{v: &c.Value, now: now, skipped: &skipped}
			for _, ve := range c.Value.Errors {
				skipped = append(skipped, "WhatsApp reported an error: "+describe(ve.Code, ve.Title, ve.Message, ve.ErrorData.Details))
			}
			for _, raw := range c.Value.Messages {
				events = p.appendMessage(events, raw, false)
			}
			for _, raw := range c.Value.MessageEchoes {
				events = p.appendMessage(events, raw, true)
			}
			for _, raw := range c.Value.Statuses {
				events = p.appendStatus(events, raw)
			}
		}
	}
	return events, skipped, nil
}

// decode unmarshals b into v. A value of the wrong type leaves its field
// empty and is noted; only malformed JSON is an error.
func decode(b []byte, v any, skipped *[]string) error {
	err := json.Unmarshal(b, v)
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		*skipped = append(*skipped, "a field of an unexpected type: "+typeErr.Error())
		return nil
	}
	return err
}

// parser turns the elements of one change's value into events.
type parser struct {
	v       *value
	now     time.Time
	skipped *[]string
}

func (p *parser) skip(format string, args ...any) {
	*p.skipped = append(*p.skipped, fmt.Sprintf(format, args...))
}

func (p *parser) event(raw json.RawMessage, in care.Inbound) channel.Event {
	return channel.Event{Inbound: in, Account: p.v.Metadata.PhoneNumberID, Raw: raw}
}

func (p *parser) sentAt(t unixTime) time.Time {
	if t.IsZero() {
		return p.now
	}
	return t.Time
}

func (p *parser) appendMessage(events []channel.Event, raw json.RawMessage, echo bool) []channel.Event {
	var m message
	if err := decode(raw, &m, p.skipped); err != nil {
		p.skip("a message that is not a JSON object")
		return events
	}
	switch {
	case m.ID == "" || len(m.ID) > care.MaxPlatformIDBytes:
		p.skip("a message without a usable id (type %.40q)", m.Type)
		return events
	case m.GroupID != "":
		// A group chat is not a conversation with one customer, and an
		// answer would go to everyone in it.
		p.skip("message %s in group chat %.64s", m.ID, m.GroupID)
		return events
	}
	switch {
	case m.Type == "system":
		return p.appendSystem(events, raw, &m, echo)
	case m.Type == "unsupported" || m.Type == "unknown":
		if why := notWritten(&m); why != "" {
			p.skip("message %s: %s", m.ID, why)
			return events
		}
	}
	author, aliases := p.author(&m, echo)
	if author.PlatformUserID == "" {
		p.skip("message %s without a sender", m.ID)
		return events
	}
	if m.Type == "reaction" && m.Reaction != nil {
		// An emoji on a message: shown on that message, without reopening
		// the conversation. The business's own reactions are not kept.
		if echo || m.Reaction.MessageID == "" {
			p.skip("reaction %s", m.ID)
			return events
		}
		return append(events, p.event(raw, care.Inbound{
			Kind: care.KindReaction, PlatformID: m.ID, ReplyToPlatformID: boundedID(m.Reaction.MessageID),
			Author: author, AuthorAliases: aliases, Text: channel.CleanName(m.Reaction.Emoji, 64), SentAt: p.sentAt(m.Timestamp),
		}))
	}
	if m.Type == "revoke" {
		// Deleted for everyone: the message it names is marked deleted,
		// rather than a placeholder arriving as if the customer wrote again.
		orig := ""
		if m.Revoke != nil {
			orig = boundedID(m.Revoke.OriginalMessageID)
		}
		if orig == "" {
			p.skip("revoke %s without the id of the message revoked", m.ID)
			return events
		}
		return append(events, p.event(raw, care.Inbound{Kind: care.KindDelete, PlatformID: orig, Author: author, SentAt: p.sentAt(m.Timestamp)}))
	}
	c := content(&m)
	if m.Type == "edit" {
		c = editContent(&m)
	}
	kind := care.KindMessage
	if echo {
		kind = care.KindEcho
	}
	return append(events, p.event(raw, care.Inbound{
		Kind: kind, PlatformID: m.ID, ReplyToPlatformID: c.replyTo, LinkedPlatformID: c.linked,
		Visibility: care.Private, Author: author, AuthorAliases: aliases, Text: c.text, Attachments: c.attachments, SentAt: p.sentAt(m.Timestamp),
	}))
}

// editedPrefix starts the text of an edit, stored as a message of its own
// as Messenger's and Telegram's edits are: Parley keeps what it was sent.
const editedPrefix = "[Edited] "

// editContent renders an edit event: the new text, "[Edited] …", replying
// to the message changed. The edit has a wamid of its own, so each edit is
// one message however often WhatsApp delivers it. Attachments are left
// out: an edit changes only a text or a caption, and the file is the
// original's.
func editContent(m *message) messageContent {
	var c messageContent
	if m.Edit != nil {
		c.replyTo = boundedID(m.Edit.OriginalMessageID)
	}
	text := "[WhatsApp did not include the new text]"
	if m.Edit != nil && m.Edit.Message != nil {
		// A caption taken off leaves a file and no text.
		text = cmp.Or(content(m.Edit.Message).text, "(no text)")
	}
	c.text = channel.CleanText(editedPrefix+text, care.MaxTextBytes)
	return c
}

// author identifies the customer of a message: its sender, or for an echo
// its recipient. WhatsApp sends the business-scoped user id (BSUID) since
// April 2026 and the phone number (wa_id) beside it while the user shares
// it; Meta's advice is to match users by BSUID first, phone number second
// (".../whatsapp/business-scoped-user-ids"). So the BSUID is the key, as
// it has been since it appeared: it stays when a user hides their number
// behind a username. The phone number is an alias (returned for
// care.Inbound.AuthorAliases): customers who wrote before April 2026 are
// known by it, and keep their contact and conversation; it is what links
// WhatsApp to SMS and calls from the same number; and it is the handle
// agents recognise. Keying by the phone number instead would split
// everyone who first wrote since.
func (p *parser) author(m *message, echo bool) (a care.Author, aliases []string) {
	phone, bsuid := m.From, m.FromUserID
	if echo {
		// An echo's "to" is the number as the business typed it, which the
		// reference shows as "+16505551234"; the customer's wa_id, which
		// keys their identity, has digits only.
		phone, bsuid = plainNumber(m.To), m.ToUserID
	}
	var c *contact
	for i := range p.v.Contacts {
		ct := &p.v.Contacts[i]
		if bsuid != "" && ct.UserID == bsuid || phone != "" && ct.WaID == phone {
			c = ct
			break
		}
	}
	if c == nil && !echo && len(p.v.Contacts) == 1 {
		c = &p.v.Contacts[0]
	}
	if c != nil {
		phone, bsuid = cmp.Or(phone, c.WaID), cmp.Or(bsuid, c.UserID)
		a.DisplayName = channel.CleanName(c.Profile.Name, care.MaxNameBytes)
		a.Handle = channel.CleanName(c.Profile.Username, care.MaxNameBytes)
	}
	if isDigits(phone) {
		a.Handle = "+" + phone
	}
	a.PlatformUserID = boundedID(cmp.Or(bsuid, phone))
	if phone = boundedID(phone); phone != "" && a.PlatformUserID != "" && phone != a.PlatformUserID {
		aliases = []string{phone}
	}
	return a, aliases
}

// appendIdentity turns a notice that the customer's phone number or BSUID
// changed into a care.KindIdentity event: the customer with their new ids,
// and in References the ids they had, so Parley gives the new ones to the
// contact the old ones name. Their next message, which carries only the
// new ids, then continues that contact. The notice is not the customer
// writing: agents see it as a note. System messages have no contacts
// array, so there is no profile to read.
func (p *parser) appendIdentity(events []channel.Event, raw json.RawMessage, m *message) []channel.Event {
	s := m.System
	bsuid, phone := boundedID(strings.TrimSpace(s.UserID)), boundedID(plainNumber(strings.TrimSpace(cmp.Or(s.WaID, s.NewWaID))))
	a := care.Author{PlatformUserID: cmp.Or(bsuid, phone)}
	var aliases []string
	if bsuid != "" && phone != "" && phone != bsuid {
		aliases = []string{phone}
	}
	if isDigits(phone) {
		a.Handle = "+" + phone
	}
	// The message's from is the number changed from; from_user_id is
	// the BSUID replaced, when WhatsApp sends it there too.
	var before []string
	for _, id := range []string{s.PreviousUserID, m.FromUserID, plainNumber(m.From)} {
		if id = boundedID(strings.TrimSpace(id)); id != "" && id != bsuid && id != phone && !slices.Contains(before, id) {
			before = append(before, id)
		}
	}
	if a.PlatformUserID == "" || len(before) == 0 {
		p.skip("system message %s (%.40q) without the customer's earlier and new ids", m.ID, s.Type)
		return events
	}
	body := strings.TrimSpace(s.Body)
	switch {
	case body != "":
	case s.Type == "user_changed_number" && a.Handle != "":
		body = "The customer changed their phone number to " + a.Handle
	case s.Type == "user_changed_number":
		body = "The customer changed their phone number"
	default:
		body = "The customer's WhatsApp user id changed"
	}
	return append(events, p.event(raw, care.Inbound{Kind: care.KindIdentity, PlatformID: m.ID, Author: a, AuthorAliases: aliases, References: before,
		Text: channel.CleanText("WhatsApp: "+strings.TrimSuffix(body, ".")+".", care.MaxTextBytes), SentAt: p.sentAt(m.Timestamp)}))
}

// plainNumber returns a phone number written with "+", spaces, dashes,
// dots or brackets as the digits WhatsApp uses for wa_id, and anything else
// as it is.
func plainNumber(s string) string {
	digits := strings.Map(func(r rune) rune {
		switch r {
		case '+', ' ', '-', '.', '(', ')':
			return -1
		}
		return r
	}, s)
	if !isDigits(digits) {
		return s
	}
	return digits
}

func (p *parser) appendStatus(events []channel.Event, raw json.RawMessage) []channel.Event {
	var s status
	if err := decode(raw, &s, p.skipped); err != nil {
		p.skip("a status that is not a JSON object")
		return events
	}
	if s.ID == "" || len(s.ID) > care.MaxPlatformIDBytes {
		p.skip("a status without a usable message id")
		return events
	}
	in := care.Inbound{Kind: care.KindStatus, PlatformID: s.ID, SentAt: p.sentAt(s.Timestamp)}
	switch s.Status {
	case "sent":
		in.Status = care.DeliverySent
	case "delivered":
		in.Status = care.DeliveryDelivered
	case "read", "played": // played: a voice message was listened to, so it was read
		in.Status = care.DeliveryRead
	case "failed":
		in.Status = care.DeliveryFailed
		in.StatusReason = channel.CleanName(statusFailure(s.Errors), care.MaxNameBytes)
	default:
		p.skip("status %.40q of message %s", s.Status, s.ID)
		return events
	}
	in.Author.PlatformUserID = boundedID(cmp.Or(s.RecipientUserID, s.RecipientID))
	if pr, ok := PricingOf(raw); ok && pr.Charged() {
		// Counted once per message by the core, for the inbox's spend line.
		in.Charge = channel.CleanName(cmp.Or(pr.Category, "billed"), 64)
	}
	return append(events, p.event(raw, in))
}

// statusFailure is the agent-facing reason of a failed status.
func statusFailure(errs []apiError) string {
	if len(errs) == 0 {
		return "WhatsApp could not deliver the message and gave no reason"
	}
	e := errs[0]
	return describe(e.Code, e.Title, e.Message, e.ErrorData.Details)
}
