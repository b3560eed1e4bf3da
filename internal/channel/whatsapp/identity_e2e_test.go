package whatsapp_test

import (
	"slices"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/whatsapp/wafake"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/testdb"
)

// identities returns the WhatsApp user ids of a contact.
func (p *parley) identities(contactID care.ID) []string {
	p.t.Helper()
	c, err := p.store.Contact(p.ctx, contactID)
	if err != nil {
		p.t.Fatal(err)
	}
	var ids []string
	for _, id := range c.Identities {
		if id.Platform == care.ChannelWhatsApp {
			ids = append(ids, id.PlatformUserID)
		}
	}
	slices.Sort(ids)
	return ids
}

// replyTo sends an agent's reply in conv and returns what the fake
// received.
func (p *parley) replyTo(conv care.ID, text string) wafake.Sent {
	p.t.Helper()
	r, err := p.desk.Reply(p.ctx, p.agent, conv, desk.Reply{Text: text})
	if err != nil {
		p.t.Fatalf("Reply: %v", err)
	}
	if m := p.send(r.ID); m.Status != care.DeliverySent {
		p.t.Fatalf("reply %q is %s %q, want sent", text, m.Status, m.StatusReason)
	}
	sent := p.fake.Sent()
	return sent[len(sent)-1]
}

func sorted(ids ...string) []string {
	slices.Sort(ids)
	return ids
}

// TestPhoneContactMeetsBSUID: a customer who wrote before WhatsApp sent
// business-scoped user ids is known by their phone number. Their first
// message with a BSUID continues their contact and open conversation,
// which then has both ids, so a later message by BSUID alone (a customer
// who has since hidden their number behind a username) finds it too.
func TestPhoneContactMeetsBSUID(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		p := newParley(t, s)
		before := p.message(p.deliverAndDrain(wafake.Message{PhoneOnly: true, Text: "Where is my order?"}))
		if got := p.identities(before.ContactID); !slices.Equal(got, []string{phone}) {
			t.Fatalf("identities before BSUIDs = %v, want the phone number", got)
		}

		after := p.message(p.deliverAndDrain(wafake.Message{Text: "Hello??"}))
		if after.ContactID != before.ContactID || after.ConversationID != before.ConversationID {
			t.Fatalf("with a BSUID: contact %d, conversation %d; want %d, %d (the customer's own)",
				after.ContactID, after.ConversationID, before.ContactID, before.ConversationID)
		}
		if got, want := p.identities(after.ContactID), sorted(phone, wafake.BSUID(phone)); !slices.Equal(got, want) {
			t.Errorf("identities = %v, want %v", got, want)
		}

		// A reply goes to the number, with the BSUID beside it.
		if s := p.replyTo(before.ConversationID, "It ships today."); s.To != phone || s.Recipient != wafake.BSUID(phone) {
			t.Errorf("reply addressed to %q / %q, want %q / %q", s.To, s.Recipient, phone, wafake.BSUID(phone))
		}

		username := p.message(p.deliverAndDrain(wafake.Message{UserID: wafake.BSUID(phone), Username: "sheena", Text: "Still waiting"}))
		if username.ContactID != before.ContactID || username.ConversationID != before.ConversationID {
			t.Errorf("by BSUID alone: contact %d, conversation %d; want %d, %d",
				username.ContactID, username.ConversationID, before.ContactID, before.ConversationID)
		}
	})
}

// TestWhatsAppLinksToSMSByPhone: one person texting and writing on
// WhatsApp, where WhatsApp sends their BSUID and number, is one contact,
// whichever channel they used first.
func TestWhatsAppLinksToSMSByPhone(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		p := newParley(t, s)
		sms := &care.Inbox{WorkspaceID: p.inbox.WorkspaceID, Channel: care.ChannelSMS, Name: "Texts"}
		if err := p.store.CreateInbox(p.ctx, sms); err != nil {
			t.Fatal(err)
		}
		text := func(from, id string) care.ID {
			t.Helper()
			in := care.Inbound{InboxID: sms.ID, Channel: care.ChannelSMS, PlatformID: id, Visibility: care.Private,
				Author: care.Author{PlatformUserID: from}, Text: "texted", SentAt: p.clock.Now()}
			if _, err := p.store.AppendRaw(p.ctx, []care.RawEvent{{InboxID: sms.ID, WorkspaceID: sms.WorkspaceID, DedupeKey: in.DedupeKey(),
				Payload: []byte("{}"), Inbound: in, ReceivedAt: p.clock.Now()}}); err != nil {
				t.Fatal(err)
			}
			p.drain()
			m, err := p.store.MessageByPlatformID(p.ctx, sms.ID, id)
			if err != nil {
				t.Fatal(err)
			}
			return m.ContactID
		}

		// SMS first, then WhatsApp.
		texter := text("+"+phone, "SM1")
		if wa := p.message(p.deliverAndDrain(wafake.Message{Text: "now on WhatsApp"})).ContactID; wa != texter {
			t.Errorf("WhatsApp with BSUID and number went to contact %d, want the SMS contact %d", wa, texter)
		}

		// WhatsApp first, then SMS.
		const other = "447700900123"
		wa := p.message(p.deliverAndDrain(wafake.Message{From: other, Name: "Ben Li", Text: "hi"})).ContactID
		if got := text("+"+other, "SM2"); got != wa {
			t.Errorf("SMS from a WhatsApp customer's number went to contact %d, want %d", got, wa)
		}
		if wa == texter {
			t.Error("two numbers are one contact")
		}
	})
}

// TestNumberChange: WhatsApp's notice that a customer changed their number
// (which gives them a new BSUID too) is not a message from them; it gives
// their contact the new ids, so their next message, which carries only
// those, continues the same contact and conversation, and agents see the
// change as a note. Replies go to the new number.
func TestNumberChange(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		p := newParley(t, s)
		const newPhone = "12195555358"
		first := p.message(p.deliverAndDrain(wafake.Message{Text: "Where is my order?"}))
		conv := first.ConversationID

		notice, err := p.fake.ChangeNumber(p.ctx, phone, newPhone, "Sheena Nelson")
		if err != nil {
			t.Fatal(err)
		}
		p.clock.Add(time.Second)
		p.drain()
		note := p.message(notice)
		if note.Visibility != care.Note || note.ConversationID != conv || note.ContactID != 0 || note.Text != "WhatsApp: User Sheena Nelson changed from "+phone+" to "+newPhone+"." {
			t.Errorf("the notice became %+v; want a note in the customer's conversation", note)
		}
		if got, want := p.identities(first.ContactID), sorted(phone, wafake.BSUID(phone), newPhone, wafake.BSUID(newPhone)); !slices.Equal(got, want) {
			t.Errorf("identities after the change = %v, want %v", got, want)
		}

		next := p.message(p.deliverAndDrain(wafake.Message{From: newPhone, Text: "New number, same order"}))
		if next.ContactID != first.ContactID || next.ConversationID != conv {
			t.Errorf("after the change: contact %d, conversation %d; want %d, %d", next.ContactID, next.ConversationID, first.ContactID, conv)
		}
		if s := p.replyTo(conv, "Got it."); s.To != newPhone || s.Recipient != wafake.BSUID(newPhone) {
			t.Errorf("reply addressed to %q / %q, want the new number %q / %q", s.To, s.Recipient, newPhone, wafake.BSUID(newPhone))
		}

		// Threading everything again (a replay) adds nothing.
		n := p.count(conv)
		if _, err := p.store.ResetRaw(p.ctx, 0, time.Time{}); err != nil {
			t.Fatal(err)
		}
		p.drain()
		if got := p.count(conv); got != n {
			t.Errorf("a replay left %d messages in the conversation, want %d", got, n)
		}

		// The old number, given to someone else, is someone else: their
		// own BSUID says so.
		stranger := p.message(p.deliverAndDrain(wafake.Message{From: phone, UserID: "US.55500011122233344", Name: "Ana Ruiz", Text: "Hi"}))
		if stranger.ContactID == first.ContactID {
			t.Error("a new owner of the old number joined the customer's contact")
		}

		// A BSUID changed without a number: the next message by the new
		// BSUID alone continues the contact.
		code, err := p.fake.Post(p.ctx, []byte(`{"object":"whatsapp_business_account","entry":[{"id":"`+wafake.DefaultWABAID+`","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"`+wafake.DefaultDisplayPhoneNumber+`","phone_number_id":"`+wafake.DefaultPhoneNumberID+`"},"messages":[{"id":"wamid.uid1","timestamp":"1795510900","type":"system","system":{"user_id":"US.77700011122233344","previous_user_id":"`+wafake.BSUID(newPhone)+`","type":"user_changed_user_id"}}]}}]}]}`))
		if err != nil || code != 200 {
			t.Fatalf("user_changed_user_id: %d %v", code, err)
		}
		p.clock.Add(time.Second)
		p.drain()
		if m := p.message(p.deliverAndDrain(wafake.Message{UserID: "US.77700011122233344", Username: "sheena", Text: "me again"})); m.ContactID != first.ContactID {
			t.Errorf("after a BSUID change: contact %d, want %d", m.ContactID, first.ContactID)
		}
	})
}

// deliverAndDrain delivers m, from Sheena Nelson's number unless it names
// another sender (a UserID alone is a customer who hides their number),
// and threads it.
func (p *parley) deliverAndDrain(m wafake.Message) string {
	p.t.Helper()
	if m.From == "" && m.UserID == "" {
		m.From = phone
	}
	if m.Name == "" {
		m.Name = "Sheena Nelson"
	}
	id, err := p.fake.Deliver(p.ctx, m)
	if err != nil {
		p.t.Fatalf("deliver %+v: %v", m, err)
	}
	p.clock.Add(time.Second)
	p.drain()
	return id
}
