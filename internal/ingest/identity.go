package ingest

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// identity resolves the author: the contact their id names, or else the
// one an alias names (see owner), or else a new contact, which the same
// phone number on another phone channel links to the person it belongs
// to. The contact is given the aliases it lacks. Storage is asked only
// when the profile may have changed since this batch last saw the author,
// or an alias is new to the batch.
func (b *batch) identity(ctx context.Context, q care.Queries, workspace care.ID, ch care.Channel, a care.Author, aliases []string, now time.Time) (*care.Identity, error) {
	k := identKey{workspace, ch, a.PlatformUserID}
	if id, ok := b.idents[k]; ok && (a.DisplayName == "" || a.DisplayName == id.DisplayName) &&
		(a.Handle == "" || a.Handle == id.Handle) && (a.Followers == 0 || a.Followers == id.Followers) && a.Verified == id.Verified &&
		b.seen(workspace, ch, aliases) {
		return id, nil
	}
	names := append([]string{a.PlatformUserID}, aliases...)
	var id *care.Identity
	if len(aliases) > 0 {
		found, err := b.lookup(ctx, q, workspace, ch, names)
		if err != nil {
			return nil, err
		}
		if _, ok := found[a.PlatformUserID]; !ok {
			// Unknown by this id, perhaps known by another: a WhatsApp
			// customer who wrote from their phone number before WhatsApp
			// sent BSUIDs keeps their contact and conversation.
			known, err := owner(ctx, q, found, aliases, names)
			if err != nil {
				return nil, err
			}
			if known != nil {
				if id, err = q.AttachIdentity(ctx, known.ContactID, ch, a, now); err != nil {
					return nil, err
				}
			}
		}
	}
	created := false
	if id == nil {
		var err error
		if id, created, err = q.ResolveIdentity(ctx, workspace, ch, a, now); err != nil {
			return nil, err
		}
	}
	b.idents[k] = id
	held, err := b.attach(ctx, q, workspace, ch, id.ContactID, aliases, a, now)
	if err != nil {
		return nil, err
	}
	if created {
		contact := id.ContactID
		// The phone number among the ids the contact holds: one another
		// contact holds on this platform links nothing.
		if id, err = linkByPhone(ctx, q, id, phoneOf(ch, append([]string{a.PlatformUserID}, held...)), now); err != nil {
			return nil, err
		}
		if id.ContactID == contact {
			if b.fresh == nil {
				b.fresh = map[care.ID]bool{}
			}
			b.fresh[contact] = true
		} else {
			// Linked: the aliases moved with the contact.
			for _, n := range held {
				hk := identKey{workspace, ch, n}
				if i := b.idents[hk]; i != nil && i.ContactID == contact {
					moved := *i
					moved.ContactID = id.ContactID
					b.idents[hk] = &moved
				}
			}
		}
		b.idents[k] = id
	}
	return id, nil
}

// seen reports whether the batch has looked up every one of ids: an alias
// it has not may be one to give the author's contact.
func (b *batch) seen(workspace care.ID, ch care.Channel, ids []string) bool {
	for _, id := range ids {
		if _, ok := b.idents[identKey{workspace, ch, id}]; !ok {
			return false
		}
	}
	return true
}

// lookup returns the identities of ids on the platform, from the batch or,
// in one query for those it has not seen, from storage, which the batch
// then remembers. Ids no identity has are left out.
func (b *batch) lookup(ctx context.Context, q care.Queries, workspace care.ID, ch care.Channel, ids []string) (map[string]*care.Identity, error) {
	found := make(map[string]*care.Identity, len(ids))
	var ask []string
	for _, id := range ids {
		if ident, ok := b.idents[identKey{workspace, ch, id}]; ok {
			found[id] = ident
		} else if !slices.Contains(ask, id) {
			ask = append(ask, id)
		}
	}
	if len(ask) == 0 {
		return found, nil
	}
	got, err := q.FindIdentities(ctx, workspace, ch, ask)
	if err != nil {
		return nil, err
	}
	for id, ident := range got {
		found[id] = ident
		b.idents[identKey{workspace, ch, id}] = ident
	}
	return found, nil
}

// owner returns the identity, among found, of the first of candidates
// whose contact is the person names are the ids of. An id other than a
// phone number names one person for good. A phone number can pass to
// someone else, so the contact it names is theirs only if it has no id on
// the platform, other than names, that is not a phone number: WhatsApp
// gives a user one business-scoped user id, changed only with notice
// (see care.KindIdentity), and a contact known by another BSUID is
// another WhatsApp account, with a number given up and since given to
// someone else. nil when no candidate's contact is the person's.
func owner(ctx context.Context, q care.Queries, found map[string]*care.Identity, candidates, names []string) (*care.Identity, error) {
	for _, n := range candidates {
		ident, ok := found[n]
		if !ok {
			continue
		}
		if phoneOf(ident.Platform, []string{n}) == "" {
			return ident, nil
		}
		c, err := q.Contact(ctx, ident.ContactID)
		if err != nil {
			return nil, err
		}
		if !slices.ContainsFunc(c.Identities, func(other care.Identity) bool {
			return other.Platform == ident.Platform && !slices.Contains(names, other.PlatformUserID) &&
				phoneOf(other.Platform, []string{other.PlatformUserID}) == ""
		}) {
			return ident, nil
		}
	}
	return nil, nil
}

// attach gives the contact those of ids it lacks, with the profile a
// gives, and returns the ids it holds now. It relies on the batch having
// looked them up (see lookup): one the batch has not seen is not stored.
// An id another contact holds stays there, and is logged: two contacts
// that one person's ids name are a merge, for an agent to decide.
func (b *batch) attach(ctx context.Context, q care.Queries, workspace care.ID, ch care.Channel, contact care.ID, ids []string, a care.Author, now time.Time) ([]string, error) {
	var held []string
	for _, id := range ids {
		k := identKey{workspace, ch, id}
		ident, ok := b.idents[k]
		if !ok {
			var err error
			ident, err = q.AttachIdentity(ctx, contact, ch, care.Author{PlatformUserID: id, DisplayName: a.DisplayName, Handle: a.Handle, Verified: a.Verified}, now)
			switch {
			case care.ErrorCode(err) == care.ECONFLICT:
				// Stored since the batch looked, by another node.
				b.log.Info("ingest: an id of the author belongs to another contact; merging them is for an agent", "channel", ch, "contact", contact)
				continue
			case err != nil:
				return nil, err
			}
			b.idents[k] = ident
		}
		if ident.ContactID != contact {
			b.log.Info("ingest: an id of the author belongs to another contact; merging them is for an agent",
				"channel", ch, "contact", contact, "other_contact", ident.ContactID)
			continue
		}
		held = append(held, id)
	}
	return held, nil
}

// phoneChannels are the channels whose user ids are phone numbers: SMS and
// phone calls in E.164 ("+15551234567"), WhatsApp as digits
// ("15551234567", its wa_id, which it sends beside a BSUID).
var phoneChannels = map[care.Channel]func(digits string) string{
	care.ChannelSMS:      func(d string) string { return "+" + d },
	care.ChannelPhone:    func(d string) string { return "+" + d },
	care.ChannelWhatsApp: func(d string) string { return d },
}

// phoneOf returns, digits only, the first of a phone channel's user ids
// that is a phone number: an SMS sender's "+15551234567", a WhatsApp
// user's wa_id beside their BSUID. "" when none is, or ch is another
// channel.
func phoneOf(ch care.Channel, ids []string) string {
	if _, ok := phoneChannels[ch]; !ok {
		return ""
	}
	for _, id := range ids {
		digits := strings.TrimPrefix(id, "+")
		if len(digits) >= 8 && len(digits) <= 15 && strings.Trim(digits, "0123456789") == "" {
			return digits
		}
	}
	return ""
}

// linkByPhone joins a new contact, whose identity is id and whose phone
// number is digits (see phoneOf), to the contact who already has the same
// number on another phone channel: one person texting and then writing on
// WhatsApp is one customer. A phone number is strong evidence; weaker
// guesses (a similar name) are never merged by themselves. The merge is
// recorded, so an agent can see and undo it.
func linkByPhone(ctx context.Context, q care.Queries, id *care.Identity, digits string, now time.Time) (*care.Identity, error) {
	if _, ok := phoneChannels[id.Platform]; !ok || digits == "" {
		return id, nil
	}
	for ch, form := range phoneChannels {
		if ch == id.Platform {
			continue
		}
		other, err := q.FindIdentity(ctx, id.WorkspaceID, ch, form(digits))
		if care.ErrorCode(err) == care.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		if other.ContactID == id.ContactID {
			return id, nil
		}
		m, err := q.MergeContacts(ctx, id.WorkspaceID, other.ContactID, id.ContactID, now)
		if err != nil {
			return nil, err
		}
		details, _ := json.Marshal(map[string]any{"merge_id": m.ID, "reason": "same phone number on " + string(ch) + " and " + string(id.Platform)})
		if err := q.AppendAudit(ctx, &care.AuditEntry{WorkspaceID: id.WorkspaceID, Actor: "system", Action: "contact.link",
			Target: fmt.Sprintf("contact:%d", other.ContactID), Details: details, CreatedAt: now}); err != nil {
			return nil, err
		}
		linked := *id
		linked.ContactID = other.ContactID
		return &linked, nil
	}
	return id, nil
}

// identityChange gives the contact that the author's earlier ids
// (References) name the ids the platform says they have now (the author's
// id and AuthorAliases), so their next message continues that contact rather
// than start another, and tells agents in a note in the contact's open
// conversation in the inbox. An author Parley does not know is left for
// their next message to introduce.
func (p *Pipeline) identityChange(ctx context.Context, q care.Queries, raw *care.RawEvent, inbox *care.Inbox, b *batch, now time.Time) ([]care.Event, error) {
	in := raw.Inbound
	ws, ch, a := inbox.WorkspaceID, in.Channel, in.Author
	current := append([]string{a.PlatformUserID}, in.AuthorAliases...)
	// The earlier ids first: the new ones name a contact only when a
	// message with them arrived before the notice did.
	candidates := append(slices.Clone(in.References), current...)
	found, err := b.lookup(ctx, q, ws, ch, candidates)
	if err != nil {
		return nil, err
	}
	known, err := owner(ctx, q, found, candidates, candidates)
	if err != nil {
		return nil, err
	}
	if known == nil {
		return nil, q.MarkRawProcessed(ctx, raw.ID, now, "no contact has the ids the author had")
	}
	contact := known.ContactID
	if err := b.lock(ctx, q, contact); err != nil {
		return nil, err
	}
	// What the notice does not say, the identity it continues does: the
	// name, and the number when that did not change.
	profile := care.Author{DisplayName: cmp.Or(a.DisplayName, known.DisplayName), Handle: cmp.Or(a.Handle, known.Handle), Verified: known.Verified}
	held, err := b.attach(ctx, q, ws, ch, contact, current, profile, now)
	if err != nil {
		return nil, err
	}
	p.logger().Info("ingest: the author has new ids on the platform", "channel", ch, "contact", contact, "ids", len(current), "held", len(held))

	key := convKey{inbox.ID, contact}
	var conv *care.Conversation
	if c, ok := b.convs[key]; ok {
		if c.Active() {
			conv = c
		}
	} else if !b.none[key] && !b.fresh[contact] {
		c, err := q.ActiveConversation(ctx, inbox.ID, contact)
		switch {
		case err == nil:
			conv = c
			b.remember(key, conv)
		case care.ErrorCode(err) != care.ENOTFOUND:
			return nil, err
		}
	}
	if conv == nil {
		return nil, b.processed(ctx, q, raw.ID, now)
	}
	// The note carries the notice's platform id: a replay finds it.
	if _, err := q.MessageByPlatformID(ctx, inbox.ID, in.PlatformID); err == nil {
		return nil, b.processed(ctx, q, raw.ID, now)
	} else if care.ErrorCode(err) != care.ENOTFOUND {
		return nil, err
	}
	note := &care.Message{WorkspaceID: ws, ConversationID: conv.ID, InboxID: inbox.ID, Direction: care.DirectionOut, Visibility: care.Note,
		AuthorName: "Parley", Text: cmp.Or(in.Text, fmt.Sprintf("The customer has a new id on %s; it stays with this contact.", ch)),
		PlatformID: in.PlatformID, Status: care.DeliveryStored, CreatedAt: now, SentAt: cmp.Or(in.SentAt, now)}
	if err := q.CreateMessage(ctx, note); err != nil {
		return nil, err
	}
	b.stored(note)
	conv.MessageCount++
	conv.UpdatedAt = now
	e := NewEvent(care.EventMessageCreated, ws, conv.ID, note.ID, inbox.ID, note, now)
	return []care.Event{e}, b.processed(ctx, q, raw.ID, now)
}
