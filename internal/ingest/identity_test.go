package ingest_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/testdb"
)

// aliasFixture is a workspace with a WhatsApp and an SMS inbox.
type aliasFixture struct {
	t       *testing.T
	ctx     context.Context
	s       care.Store
	ws      *care.Workspace
	wa, sms *care.Inbox
	p       *ingest.Pipeline
	now     time.Time
	seq     int
}

func newAliasFixture(t *testing.T, s care.Store) *aliasFixture {
	f := &aliasFixture{t: t, ctx: context.Background(), s: s, now: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}
	f.ws = &care.Workspace{Slug: "acme", Name: "Acme"}
	if err := s.CreateWorkspace(f.ctx, f.ws); err != nil {
		t.Fatal(err)
	}
	f.wa = &care.Inbox{WorkspaceID: f.ws.ID, Channel: care.ChannelWhatsApp, Name: "WhatsApp"}
	f.sms = &care.Inbox{WorkspaceID: f.ws.ID, Channel: care.ChannelSMS, Name: "SMS"}
	for _, in := range []*care.Inbox{f.wa, f.sms} {
		if err := s.CreateInbox(f.ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	f.p = &ingest.Pipeline{Store: s, Now: func() time.Time { return f.now }}
	return f
}

// msg is a customer's message in inbox from author, with a new platform id.
func (f *aliasFixture) msg(inbox *care.Inbox, a care.Author) care.Inbound {
	f.seq++
	return care.Inbound{Kind: care.KindMessage, InboxID: inbox.ID, Channel: inbox.Channel, PlatformID: fmt.Sprintf("m%d", f.seq),
		Visibility: care.Private, Author: a, Text: "hello", SentAt: f.now}
}

// thread stores the events as one delivery and threads them in one pass.
func (f *aliasFixture) thread(events ...care.Inbound) {
	f.t.Helper()
	f.now = f.now.Add(time.Minute)
	raws := make([]care.RawEvent, len(events))
	for i, in := range events {
		if err := in.Validate(); err != nil {
			f.t.Fatalf("invalid test event: %v", err)
		}
		raws[i] = care.RawEvent{InboxID: in.InboxID, WorkspaceID: f.ws.ID, DedupeKey: in.DedupeKey(), Payload: []byte("{}"), Inbound: in, ReceivedAt: f.now}
	}
	if _, err := f.s.AppendRaw(f.ctx, raws); err != nil {
		f.t.Fatal(err)
	}
	for {
		n, err := f.p.RunOnce(f.ctx)
		if err != nil {
			f.t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

// message returns the stored message of an event.
func (f *aliasFixture) message(in care.Inbound) *care.Message {
	f.t.Helper()
	m, err := f.s.MessageByPlatformID(f.ctx, in.InboxID, in.PlatformID)
	if err != nil {
		f.t.Fatalf("message %s: %v", in.PlatformID, err)
	}
	return m
}

// ids returns a contact's user ids on a channel, sorted.
func (f *aliasFixture) ids(contact care.ID, ch care.Channel) []string {
	f.t.Helper()
	c, err := f.s.Contact(f.ctx, contact)
	if err != nil {
		f.t.Fatal(err)
	}
	var ids []string
	for _, i := range c.Identities {
		if i.Platform == ch {
			ids = append(ids, i.PlatformUserID)
		}
	}
	slices.Sort(ids)
	return ids
}

const (
	phone = "15551234567"
	bsuid = "US.13491208655302741918"
)

// waMsg is a WhatsApp message as WhatsApp sends them since April 2026:
// from the author's BSUID, with their number beside it.
func (f *aliasFixture) waMsg(id, number string) care.Inbound {
	in := f.msg(f.wa, care.Author{PlatformUserID: id, DisplayName: "Sheena", Handle: "+" + number})
	in.AuthorAliases = []string{number}
	return in
}

// TestAliasFindsContact: an author unknown by their id but known by an
// alias (a WhatsApp customer known by their number before WhatsApp sent
// BSUIDs) continues that contact and conversation, which is given the id;
// a new author's contact gets every alias, in one pass with the author's
// other messages.
func TestAliasFindsContact(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		f := newAliasFixture(t, s)
		old := f.msg(f.wa, care.Author{PlatformUserID: phone, DisplayName: "Sheena", Handle: "+" + phone})
		f.thread(old)
		a, b := f.waMsg(bsuid, phone), f.waMsg(bsuid, phone)
		f.thread(a, b)
		for _, in := range []care.Inbound{a, b} {
			if m, o := f.message(in), f.message(old); m.ContactID != o.ContactID || m.ConversationID != o.ConversationID {
				t.Errorf("%s: contact %d, conversation %d; want %d, %d", in.PlatformID, m.ContactID, m.ConversationID, o.ContactID, o.ConversationID)
			}
		}
		if got, want := f.ids(f.message(old).ContactID, care.ChannelWhatsApp), []string{phone, bsuid}; !slices.Equal(got, want) {
			t.Errorf("identities = %v, want %v", got, want)
		}

		// A new customer, three messages in one pass: one contact with
		// both ids.
		const other, otherID = "447700900123", "GB.99"
		burst := []care.Inbound{f.waMsg(otherID, other), f.waMsg(otherID, other), f.waMsg(otherID, other)}
		f.thread(burst...)
		first := f.message(burst[0])
		for _, in := range burst[1:] {
			if m := f.message(in); m.ContactID != first.ContactID || m.ConversationID != first.ConversationID {
				t.Errorf("%s: contact %d, conversation %d; want %d, %d", in.PlatformID, m.ContactID, m.ConversationID, first.ContactID, first.ConversationID)
			}
		}
		if got, want := f.ids(first.ContactID, care.ChannelWhatsApp), []string{other, otherID}; !slices.Equal(got, want) {
			t.Errorf("new customer's identities = %v, want %v", got, want)
		}
	})
}

// TestAliasLinksByPhone is TestLinkByPhone for WhatsApp authors keyed by
// BSUID: the phone number among their aliases links them to the same
// number on SMS, whichever came first.
func TestAliasLinksByPhone(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		f := newAliasFixture(t, s)
		text := f.msg(f.sms, care.Author{PlatformUserID: "+" + phone})
		f.thread(text)
		wa := f.waMsg(bsuid, phone)
		f.thread(wa)
		contact := f.message(text).ContactID
		if got := f.message(wa).ContactID; got != contact {
			t.Fatalf("WhatsApp contact %d, SMS contact %d; want one", got, contact)
		}
		if got, want := f.ids(contact, care.ChannelWhatsApp), []string{phone, bsuid}; !slices.Equal(got, want) {
			t.Errorf("WhatsApp identities = %v, want %v", got, want)
		}
		audit, err := s.Audit(f.ctx, f.ws.ID, fmt.Sprintf("contact:%d", contact), 10)
		if err != nil || len(audit) != 1 || audit[0].Action != "contact.link" {
			t.Errorf("audit = %+v, %v; want the link recorded", audit, err)
		}

		const other, otherID = "447700900123", "GB.99"
		wa2 := f.waMsg(otherID, other)
		f.thread(wa2)
		text2 := f.msg(f.sms, care.Author{PlatformUserID: "+" + other})
		f.thread(text2)
		if a, b := f.message(wa2).ContactID, f.message(text2).ContactID; a != b || a == contact {
			t.Errorf("WhatsApp first then SMS: contacts %d and %d, want one, not %d", a, b, contact)
		}
	})
}

// TestAliasOfAnotherContact: ids are matched by BSUID first. A number that
// belongs to a contact known by another BSUID (given up and given to
// someone else) neither joins that contact nor links by phone; a number
// held by another contact stays there, for an agent to merge.
func TestAliasOfAnotherContact(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		f := newAliasFixture(t, s)
		sheena := f.waMsg(bsuid, phone)
		text := f.msg(f.sms, care.Author{PlatformUserID: "+" + phone})
		f.thread(sheena, text)
		contact := f.message(sheena).ContactID

		stranger := f.waMsg("US.555", phone)
		f.thread(stranger)
		got := f.message(stranger).ContactID
		if got == contact {
			t.Fatal("a new owner of the number joined the contact of its last owner")
		}
		if ids := f.ids(got, care.ChannelWhatsApp); !slices.Equal(ids, []string{"US.555"}) {
			t.Errorf("the new owner's identities = %v, want their BSUID alone", ids)
		}
		if ids := f.ids(contact, care.ChannelWhatsApp); !slices.Equal(ids, []string{phone, bsuid}) {
			t.Errorf("the customer's identities = %v, want them unchanged", ids)
		}
		// Their next message is theirs again, and still no error.
		again := f.waMsg("US.555", phone)
		f.thread(again)
		if m := f.message(again); m.ContactID != got {
			t.Errorf("the new owner's next message went to contact %d, want %d", m.ContactID, got)
		}
	})
}

// TestIdentityEvent: an identity event gives the contact its earlier ids
// name the new ones, so the next message by them continues the same
// contact and conversation; agents see a note, once however often it is
// threaded. One for an author Parley does not know changes nothing.
func TestIdentityEvent(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		f := newAliasFixture(t, s)
		first := f.waMsg(bsuid, phone)
		f.thread(first)
		m := f.message(first)

		const newPhone, newID = "12195555358", "US.77"
		change := care.Inbound{Kind: care.KindIdentity, InboxID: f.wa.ID, Channel: care.ChannelWhatsApp, PlatformID: "wamid.sys",
			Author: care.Author{PlatformUserID: newID, Handle: "+" + newPhone}, AuthorAliases: []string{newPhone},
			References: []string{bsuid, phone}, Text: "WhatsApp: Sheena changed from 1555 to 1219.", SentAt: f.now}
		f.thread(change)
		note := f.message(change)
		if note.Visibility != care.Note || note.ConversationID != m.ConversationID || note.Text != change.Text {
			t.Errorf("note = %+v", note)
		}
		if got, want := f.ids(m.ContactID, care.ChannelWhatsApp), []string{newPhone, phone, bsuid, newID}; !slices.Equal(got, want) {
			t.Errorf("identities = %v, want %v", got, want)
		}
		conv, err := s.Conversation(f.ctx, m.ConversationID)
		if err != nil {
			t.Fatal(err)
		}

		next := f.waMsg(newID, newPhone)
		f.thread(next)
		if n := f.message(next); n.ContactID != m.ContactID || n.ConversationID != m.ConversationID {
			t.Errorf("after the change: contact %d, conversation %d; want %d, %d", n.ContactID, n.ConversationID, m.ContactID, m.ConversationID)
		}
		if _, err := s.ResetRaw(f.ctx, 0, time.Time{}); err != nil {
			t.Fatal(err)
		}
		f.thread()
		msgs, err := s.Messages(f.ctx, m.ConversationID, 0, 100)
		if err != nil || len(msgs) != 3 {
			t.Errorf("after a replay the conversation has %d messages (%v), want 3", len(msgs), err)
		}
		if conv.WaitingSince == nil || !conv.WaitingSince.Equal(first.SentAt) {
			t.Errorf("waiting since %v after the note, want the customer's message at %v", conv.WaitingSince, first.SentAt)
		}

		unknown := change
		unknown.PlatformID, unknown.References, unknown.Author.PlatformUserID, unknown.AuthorAliases = "wamid.sys2", []string{"US.404"}, "US.405", nil
		f.thread(unknown)
		if _, err := s.FindIdentity(f.ctx, f.ws.ID, care.ChannelWhatsApp, "US.405"); care.ErrorCode(err) != care.ENOTFOUND {
			t.Errorf("an identity event for no known contact: FindIdentity = %v, want ENOTFOUND", err)
		}
		if _, err := s.MessageByPlatformID(f.ctx, f.wa.ID, "wamid.sys2"); care.ErrorCode(err) != care.ENOTFOUND {
			t.Errorf("an identity event for no known contact stored a message: %v", err)
		}
	})
}

func TestIdentityEventValidates(t *testing.T) {
	base := care.Inbound{Kind: care.KindIdentity, InboxID: 1, Channel: care.ChannelWhatsApp, PlatformID: "wamid.sys",
		Author: care.Author{PlatformUserID: "US.2"}, References: []string{"US.1"}}
	if err := base.Validate(); err != nil {
		t.Fatalf("Validate = %v", err)
	}
	noOld := base
	noOld.References = nil
	noNew := base
	noNew.Author.PlatformUserID = ""
	emptyAlias := base
	emptyAlias.AuthorAliases = []string{""}
	tooMany := base
	tooMany.AuthorAliases = []string{"1", "2", "3", "4", "5"}
	for name, in := range map[string]care.Inbound{"no earlier id": noOld, "no new id": noNew, "empty alias": emptyAlias, "too many aliases": tooMany} {
		if err := in.Validate(); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("%s: Validate = %v, want EINVALID", name, err)
		}
	}
}
