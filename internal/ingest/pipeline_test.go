package ingest_test

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/testdb"
)

type fixture struct {
	store   care.Store
	ws      *care.Workspace
	inboxes []*care.Inbox
	pub     *recorder
	p       *ingest.Pipeline
	now     time.Time
}

type recorder struct {
	mu     sync.Mutex
	events []care.Event
}

func (r *recorder) Publish(events ...care.Event) {
	r.mu.Lock()
	r.events = append(r.events, events...)
	r.mu.Unlock()
}

func newFixture(t *testing.T, s care.Store) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{store: s, pub: &recorder{}, now: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}
	f.ws = &care.Workspace{Slug: "acme", Name: "Acme"}
	if err := s.CreateWorkspace(ctx, f.ws); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Web", "Shop"} {
		in := &care.Inbox{WorkspaceID: f.ws.ID, Channel: care.ChannelAPI, Name: name}
		if err := s.CreateInbox(ctx, in); err != nil {
			t.Fatal(err)
		}
		f.inboxes = append(f.inboxes, in)
	}
	f.p = &ingest.Pipeline{Store: s, Publisher: f.pub, Now: func() time.Time { return f.now }}
	return f
}

// post stores one inbound message as the committer would and runs the pipeline.
func (f *fixture) post(t *testing.T, inbox int, id, author, replyTo, text string) {
	t.Helper()
	in := care.Inbound{InboxID: f.inboxes[inbox].ID, Channel: care.ChannelAPI, PlatformID: id, ReplyToPlatformID: replyTo,
		Visibility: care.Private, Author: care.Author{PlatformUserID: author, DisplayName: author}, Text: text, SentAt: f.now}
	f.now = f.now.Add(time.Minute)
	if _, err := f.store.AppendRaw(context.Background(), []care.RawEvent{{InboxID: in.InboxID, WorkspaceID: f.ws.ID,
		DedupeKey: in.DedupeKey(), Payload: []byte(text), Inbound: in, ReceivedAt: f.now}}); err != nil {
		t.Fatal(err)
	}
	f.drain(t)
}

func (f *fixture) drain(t *testing.T) {
	t.Helper()
	for {
		n, err := f.p.RunOnce(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

func (f *fixture) conversationOf(t *testing.T, inbox int, platformID string) *care.Conversation {
	t.Helper()
	m, err := f.store.MessageByPlatformID(context.Background(), f.inboxes[inbox].ID, platformID)
	if err != nil {
		t.Fatalf("message %s: %v", platformID, err)
	}
	c, err := f.store.Conversation(context.Background(), m.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestThreading(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		f.post(t, 0, "a1", "ana", "", "My order is late")
		f.post(t, 0, "a2", "ana", "", "Order 5521")
		f.post(t, 0, "b1", "ben", "", "Hello")
		c1, c2, c3 := f.conversationOf(t, 0, "a1"), f.conversationOf(t, 0, "a2"), f.conversationOf(t, 0, "b1")
		if c1.ID != c2.ID {
			t.Errorf("same author: conversations %d and %d, want one", c1.ID, c2.ID)
		}
		if c3.ID == c1.ID || c3.ContactID == c1.ContactID {
			t.Errorf("another author joined conversation %d / contact %d", c3.ID, c3.ContactID)
		}
		if c1.MessageCount != 2 || c1.Status != care.StatusOpen || c1.WaitingSince == nil {
			t.Errorf("conversation = %+v; want 2 messages, open, waiting", c1)
		}

		// Resolved: a new message starts a new conversation, but a reply
		// to a known message joins (and reopens) that message's one.
		resolved := care.StatusResolved
		if _, err := s.UpdateConversation(ctx, c1.ID, care.ConversationUpdate{Status: &resolved}, f.now); err != nil {
			t.Fatal(err)
		}
		f.post(t, 0, "a3", "ana", "", "Something else")
		if c := f.conversationOf(t, 0, "a3"); c.ID == c1.ID {
			t.Errorf("a new message joined the resolved conversation %d", c.ID)
		}
		f.post(t, 0, "a4", "ana", "a2", "About that order")
		if c := f.conversationOf(t, 0, "a4"); c.ID != c1.ID || c.Status != care.StatusOpen {
			t.Errorf("reply to a2 went to conversation %d (%s), want %d reopened", c.ID, c.Status, c1.ID)
		}

		// Snoozed or pending: the customer writing again reopens it.
		pending := care.StatusPending
		if _, err := s.UpdateConversation(ctx, c3.ID, care.ConversationUpdate{Status: &pending}, f.now); err != nil {
			t.Fatal(err)
		}
		f.post(t, 0, "b2", "ben", "", "Still there?")
		if c := f.conversationOf(t, 0, "b2"); c.ID != c3.ID || c.Status != care.StatusOpen {
			t.Errorf("pending conversation: got %d (%s), want %d reopened", c.ID, c.Status, c3.ID)
		}

		// Another inbox: another conversation, the same contact.
		f.post(t, 1, "s1", "ana", "", "Hi from the shop")
		if c := f.conversationOf(t, 1, "s1"); c.ContactID != c1.ContactID || c.InboxID != f.inboxes[1].ID {
			t.Errorf("second inbox: conversation %+v; want contact %d", c, c1.ContactID)
		}
	})
}

func TestEventsPublishedAfterCommit(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		f := newFixture(t, s)
		f.post(t, 0, "a1", "ana", "", "Hi")
		f.post(t, 0, "a2", "ana", "", "Hi again")
		var types []care.EventType
		for _, e := range f.pub.events {
			types = append(types, e.Type)
		}
		want := []care.EventType{care.EventConversationCreated, care.EventMessageCreated, care.EventConversationUpdated, care.EventMessageCreated}
		if fmt.Sprint(types) != fmt.Sprint(want) {
			t.Errorf("published %v, want %v", types, want)
		}
		stored, err := s.EventsAfter(context.Background(), f.ws.ID, 0, 100)
		if err != nil || len(stored) != 4 {
			t.Fatalf("stored events = %d, %v; want 4", len(stored), err)
		}
		for i := range stored {
			if stored[i].ID != f.pub.events[i].ID {
				t.Errorf("event %d: published id %d, stored %d", i, f.pub.events[i].ID, stored[i].ID)
			}
		}
	})
}

// TestReplayIsIdempotent: running the pipeline again on the same raw events
// threads nothing twice.
func TestReplayIsIdempotent(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		for i := range 5 {
			f.post(t, 0, fmt.Sprint("m", i), "ana", "", "text")
		}
		n, err := s.ResetRaw(ctx, 0, time.Time{})
		if err != nil || n != 5 {
			t.Fatalf("ResetRaw = %d, %v", n, err)
		}
		f.drain(t)
		c := f.conversationOf(t, 0, "m0")
		msgs, err := s.Messages(ctx, c.ID, 0, 100)
		if err != nil || len(msgs) != 5 {
			t.Fatalf("after replay: %d messages, %v; want 5", len(msgs), err)
		}
		if pending, _ := s.PendingRaw(ctx, 10); len(pending) != 0 {
			t.Errorf("%d raw events still pending", len(pending))
		}
	})
}

// TestBadEventDoesNotBlock: an event that cannot be threaded is marked with
// its error and kept; the others in its batch are threaded.
func TestBadEventDoesNotBlock(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		bad := care.Inbound{InboxID: 9999, Channel: care.ChannelAPI, PlatformID: "x", Visibility: care.Private,
			Author: care.Author{PlatformUserID: "ghost"}, Text: "inbox is gone"}
		good := care.Inbound{InboxID: f.inboxes[0].ID, Channel: care.ChannelAPI, PlatformID: "ok", Visibility: care.Private,
			Author: care.Author{PlatformUserID: "ana"}, Text: "hello"}
		res, err := s.AppendRaw(ctx, []care.RawEvent{
			{InboxID: 9999, WorkspaceID: f.ws.ID, DedupeKey: bad.DedupeKey(), Inbound: bad},
			{InboxID: good.InboxID, WorkspaceID: f.ws.ID, DedupeKey: good.DedupeKey(), Inbound: good},
		})
		if err != nil {
			t.Fatal(err)
		}
		f.drain(t)
		if _, err := s.MessageByPlatformID(ctx, good.InboxID, "ok"); err != nil {
			t.Errorf("good event not threaded: %v", err)
		}
		ev, err := s.RawEvent(ctx, res[0].ID)
		if err != nil || ev.ProcessedAt == nil || ev.Error == "" {
			t.Errorf("bad event = %+v, %v; want processed with an error", ev, err)
		}
	})
}

// TestConcurrentPipelines: several pipelines (as on several nodes) threading
// one new customer's burst of messages open one conversation, with every
// message in it exactly once; so do known customers whose conversations were
// all resolved (each pipeline's pass reads them up front, and must not
// conclude alongside another that a new one is needed).
func TestConcurrentPipelines(t *testing.T) {
	for _, known := range []bool{false, true} {
		t.Run(map[bool]string{false: "new customers", true: "known customers"}[known], func(t *testing.T) {
			testConcurrentPipelines(t, known)
		})
	}
}

func testConcurrentPipelines(t *testing.T, known bool) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		var resolved []care.ID
		if known {
			for i := range 3 {
				id := fmt.Sprint("before-", i)
				f.post(t, 0, id, fmt.Sprint("author-", i), "", "An earlier matter")
				c := f.conversationOf(t, 0, id)
				st := care.StatusResolved
				if _, err := s.UpdateConversation(ctx, c.ID, care.ConversationUpdate{Status: &st}, f.now); err != nil {
					t.Fatal(err)
				}
				resolved = append(resolved, c.ID)
			}
		}
		var batch []care.RawEvent
		for i := range 60 {
			author := i % 3
			if known {
				// A pass (5 events) per author in turn, so passes on
				// different nodes hold one customer each and race for it
				// rather than deadlock over several.
				author = i / 5 % 3
			}
			in := care.Inbound{InboxID: f.inboxes[0].ID, Channel: care.ChannelAPI, PlatformID: fmt.Sprint("m", i), Visibility: care.Private,
				Author: care.Author{PlatformUserID: fmt.Sprint("author-", author)}, Text: "burst"}
			batch = append(batch, care.RawEvent{InboxID: in.InboxID, WorkspaceID: f.ws.ID, DedupeKey: in.DedupeKey(), Inbound: in})
		}
		if _, err := s.AppendRaw(ctx, batch); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p := &ingest.Pipeline{Store: s, Batch: 5}
				for {
					n, err := p.RunOnce(ctx)
					if err != nil {
						t.Error(err)
						return
					}
					if n == 0 {
						return
					}
				}
			}()
		}
		wg.Wait()
		page, err := s.Conversations(ctx, care.ConversationFilter{WorkspaceID: f.ws.ID, Statuses: []care.Status{care.StatusOpen}, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Conversations) != 3 {
			t.Fatalf("%d open conversations, want 3 (one per author)", len(page.Conversations))
		}
		for _, c := range page.Conversations {
			if slices.Contains(resolved, c.ID) {
				t.Errorf("the burst reopened resolved conversation %d", c.ID)
			}
		}
		total := 0
		for _, c := range page.Conversations {
			total += c.MessageCount
		}
		if total != 60 {
			t.Errorf("%d messages threaded, want 60", total)
		}
	})
}

// append stores one inbound event and runs the pipeline.
func (f *fixture) append(t *testing.T, in care.Inbound) {
	t.Helper()
	in.InboxID, in.Channel = f.inboxes[0].ID, care.ChannelAPI
	if in.Visibility == "" && (in.Kind == care.KindMessage || in.Kind == care.KindEcho) {
		in.Visibility = care.Private
	}
	f.now = f.now.Add(time.Minute)
	if err := in.Validate(); err != nil {
		t.Fatalf("invalid test event: %v", err)
	}
	if _, err := f.store.AppendRaw(context.Background(), []care.RawEvent{{InboxID: in.InboxID, WorkspaceID: f.ws.ID,
		DedupeKey: in.DedupeKey(), Inbound: in, ReceivedAt: f.now}}); err != nil {
		t.Fatal(err)
	}
	f.drain(t)
}

func TestStatusEchoDeleteAndLink(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		f.post(t, 0, "c1", "ana", "", "Your app ate my order") // a public complaint
		conv := f.conversationOf(t, 0, "c1")

		// Our reply, sent, then the platform's reports arrive out of order.
		out := &care.Message{WorkspaceID: f.ws.ID, ConversationID: conv.ID, InboxID: f.inboxes[0].ID, Direction: care.DirectionOut,
			Visibility: care.Private, Text: "Sorry!", PlatformID: "out-1", Status: care.DeliverySent}
		if err := s.CreateMessage(ctx, out); err != nil {
			t.Fatal(err)
		}
		for _, st := range []care.DeliveryStatus{care.DeliveryRead, care.DeliveryDelivered} {
			f.append(t, care.Inbound{Kind: care.KindStatus, PlatformID: "out-1", Status: st})
		}
		if m, _ := s.Message(ctx, out.ID); m.Status != care.DeliveryRead {
			t.Errorf("after read then delivered: status %s, want read", m.Status)
		}
		// The platform bills the message: counted once, however many
		// statuses say so.
		f.append(t, care.Inbound{Kind: care.KindStatus, PlatformID: "out-1", Status: care.DeliverySent, Charge: "service"})
		if got, _ := s.InboxCharges(ctx, f.inboxes[0].ID, time.Time{}); got["service"] != 1 {
			t.Errorf("charges = %v, want service 1", got)
		}
		f.append(t, care.Inbound{Kind: care.KindStatus, PlatformID: "out-1", Status: care.DeliveryFailed, StatusReason: "131047 Re-engagement message"})
		if m, _ := s.Message(ctx, out.ID); m.Status != care.DeliveryFailed || m.StatusReason == "" {
			t.Errorf("after failed: %s %q", m.Status, m.StatusReason)
		}
		// A status naming the customer's own message (a platform's slip,
		// or a forgery) leaves it as it was, and bills nothing.
		before, _ := s.MessageByPlatformID(ctx, f.inboxes[0].ID, "c1")
		f.append(t, care.Inbound{Kind: care.KindStatus, PlatformID: "c1", Status: care.DeliveryFailed, StatusReason: "131026 Message undeliverable", Charge: "marketing"})
		f.append(t, care.Inbound{Kind: care.KindStatus, PlatformID: "c1", Status: care.DeliveryRead})
		if m, _ := s.MessageByPlatformID(ctx, f.inboxes[0].ID, "c1"); m.Status != before.Status || m.StatusReason != before.StatusReason {
			t.Errorf("the customer's message went from %q to %q %q", before.Status, m.Status, m.StatusReason)
		}
		if got, _ := s.InboxCharges(ctx, f.inboxes[0].ID, time.Time{}); got["marketing"] != 0 {
			t.Errorf("charges = %v; a status of a customer's message was billed", got)
		}

		// The echo of our own send changes nothing; an echo of a reply typed
		// in the platform's tools is stored as ours.
		f.append(t, care.Inbound{Kind: care.KindEcho, PlatformID: "out-1", Author: care.Author{PlatformUserID: "ana"}, Text: "Sorry!"})
		f.append(t, care.Inbound{Kind: care.KindEcho, PlatformID: "out-2", Author: care.Author{PlatformUserID: "ana"}, Text: "Typed in Meta Business Suite"})
		msgs, _ := s.Messages(ctx, conv.ID, 0, 100)
		if len(msgs) != 3 || msgs[2].Direction != care.DirectionOut || msgs[2].PlatformID != "out-2" || msgs[2].Status != care.DeliverySent {
			t.Fatalf("messages after echoes = %+v", msgs)
		}

		// A reaction lands on the message, not in the timeline, and does
		// not reopen or start a wait.
		msgsBefore, _ := s.Messages(ctx, conv.ID, 0, 100)
		f.append(t, care.Inbound{Kind: care.KindReaction, PlatformID: "r-1", ReplyToPlatformID: "out-1", Author: care.Author{PlatformUserID: "ana"}, Text: "👍"})
		if m, _ := s.Message(ctx, out.ID); len(m.Reactions) != 1 || m.Reactions[0].Emoji != "👍" {
			t.Errorf("reactions = %+v", m.Reactions)
		}
		if msgsAfter, _ := s.Messages(ctx, conv.ID, 0, 100); len(msgsAfter) != len(msgsBefore) {
			t.Errorf("a reaction added a message")
		}

		// The customer deletes their post: kept, marked.
		f.append(t, care.Inbound{Kind: care.KindDelete, PlatformID: "c1"})
		if m, _ := s.MessageByPlatformID(ctx, f.inboxes[0].ID, "c1"); m.DeletedAt == nil || m.Text == "" {
			t.Errorf("deleted message = %+v", m)
		}

		// A private message that follows the public one is linked to it.
		resolved := care.StatusResolved
		s.UpdateConversation(ctx, conv.ID, care.ConversationUpdate{Status: &resolved}, f.now)
		f.append(t, care.Inbound{Kind: care.KindMessage, PlatformID: "dm-1", Author: care.Author{PlatformUserID: "ana"}, Text: "Here is my order number", LinkedPlatformID: "c1"})
		dm := f.conversationOf(t, 0, "dm-1")
		if pub, _ := s.Conversation(ctx, conv.ID); dm.ID == conv.ID || dm.LinkedID != conv.ID || pub.LinkedID != dm.ID {
			t.Errorf("DM conversation %d linked to %d; public %d linked to %d", dm.ID, dm.LinkedID, pub.ID, pub.LinkedID)
		}
		in, _ := s.Inbox(ctx, f.inboxes[0].ID)
		if in.Health.LastEventAt == nil {
			t.Error("inbox health has no last event")
		}
	})
}

func TestMovedPrivateRecorded(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		f.append(t, care.Inbound{Kind: care.KindMessage, PlatformID: "pub-1", Visibility: care.Public, Author: care.Author{PlatformUserID: "ana"}, Text: "Terrible!"})
		conv := f.conversationOf(t, 0, "pub-1")
		tags := []string{care.TagTakenPrivate}
		if _, err := s.UpdateConversation(ctx, conv.ID, care.ConversationUpdate{Tags: &tags}, f.now); err != nil {
			t.Fatal(err)
		}
		f.append(t, care.Inbound{Kind: care.KindMessage, PlatformID: "pub-2", Visibility: care.Public, Author: care.Author{PlatformUserID: "ana"}, Text: "Still waiting"})
		if c, _ := s.Conversation(ctx, conv.ID); slices.Contains(c.Tags, care.TagMovedPrivate) {
			t.Fatal("a public message counted as moving private")
		}
		f.append(t, care.Inbound{Kind: care.KindMessage, PlatformID: "dm-1", Author: care.Author{PlatformUserID: "ana"}, Text: "Order 5521"})
		if c, _ := s.Conversation(ctx, conv.ID); !slices.Contains(c.Tags, care.TagMovedPrivate) {
			t.Errorf("tags after the customer's DM = %v; want %s", c.Tags, care.TagMovedPrivate)
		}
	})
}

// A customer who texts and then writes on WhatsApp from the same number is
// one contact, linked by a recorded, undoable merge.
func TestLinkByPhone(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		ws := &care.Workspace{Slug: "acme", Name: "Acme"}
		if err := s.CreateWorkspace(ctx, ws); err != nil {
			t.Fatal(err)
		}
		inboxes := map[care.Channel]*care.Inbox{}
		for _, ch := range []care.Channel{care.ChannelSMS, care.ChannelWhatsApp, care.ChannelPhone} {
			in := &care.Inbox{WorkspaceID: ws.ID, Channel: ch, Name: string(ch)}
			if err := s.CreateInbox(ctx, in); err != nil {
				t.Fatal(err)
			}
			inboxes[ch] = in
		}
		p := &ingest.Pipeline{Store: s}
		post := func(ch care.Channel, from, id string) care.ID {
			t.Helper()
			in := care.Inbound{InboxID: inboxes[ch].ID, Channel: ch, PlatformID: id, Visibility: care.Private,
				Author: care.Author{PlatformUserID: from}, Text: "hello", SentAt: time.Now()}
			if _, err := s.AppendRaw(ctx, []care.RawEvent{{InboxID: in.InboxID, WorkspaceID: ws.ID, DedupeKey: in.DedupeKey(),
				Payload: []byte("x"), Inbound: in, ReceivedAt: time.Now()}}); err != nil {
				t.Fatal(err)
			}
			if _, err := p.RunOnce(ctx); err != nil {
				t.Fatal(err)
			}
			m, err := s.MessageByPlatformID(ctx, in.InboxID, id)
			if err != nil {
				t.Fatal(err)
			}
			return m.ContactID
		}
		sms := post(care.ChannelSMS, "+15551234567", "SM1")
		wa := post(care.ChannelWhatsApp, "15551234567", "wamid.1")
		if sms != wa {
			t.Fatalf("SMS contact %d and WhatsApp contact %d, want one", sms, wa)
		}
		c, err := s.Contact(ctx, sms)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Identities) != 2 {
			t.Errorf("contact identities = %+v, want SMS and WhatsApp", c.Identities)
		}
		// The same number calling the contact centre is the same person.
		if call := post(care.ChannelPhone, "+15551234567", "CA1"); call != sms {
			t.Errorf("a call from the number went to contact %d, want %d", call, sms)
		}
		// Another number stays another person.
		if other := post(care.ChannelWhatsApp, "15550000000", "wamid.2"); other == sms {
			t.Error("a different number joined the same contact")
		}
		audit, err := s.Audit(ctx, ws.ID, fmt.Sprintf("contact:%d", sms), 10)
		if err != nil || len(audit) != 2 || audit[0].Action != "contact.link" {
			t.Errorf("audit = %+v, %v; want both links recorded", audit, err)
		}
	})
}

// Mail threading beyond the parent: the References chain places a reply to
// a message Parley never saw, and a subject joins a recently resolved
// conversation, not an old one or another subject's.
func TestThreadingByReferencesAndSubject(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		mail := func(id, replyTo string, refs []string, subject, text string) {
			f.append(t, care.Inbound{Kind: care.KindMessage, PlatformID: id, ReplyToPlatformID: replyTo, References: refs, Subject: subject,
				Author: care.Author{PlatformUserID: "jane@example.net"}, Text: text, SentAt: f.now})
		}
		resolve := func(c *care.Conversation) {
			st := care.StatusResolved
			if _, err := s.UpdateConversation(ctx, c.ID, care.ConversationUpdate{Status: &st}, f.now); err != nil {
				t.Fatal(err)
			}
		}
		mail("m1", "", nil, "Order 4471 not delivered", "Where is it?")
		order := f.conversationOf(t, 0, "m1")
		resolve(order)
		mail("m2", "", nil, "Invoice question", "Another topic")
		invoice := f.conversationOf(t, 0, "m2")
		if invoice.ID == order.ID {
			t.Fatal("another subject joined the resolved order conversation")
		}
		resolve(invoice)

		// The parent is an agent's mail sent outside Parley; the chain
		// names the customer's first message.
		mail("m3", "outside-parley@acme.example", []string{"m1"}, "Re: Order 4471 not delivered", "Still nothing")
		if c := f.conversationOf(t, 0, "m3"); c.ID != order.ID || c.Status != care.StatusOpen {
			t.Errorf("a reply by References went to %d (%s), want %d reopened", c.ID, c.Status, order.ID)
		}
		resolve(f.conversationOf(t, 0, "m3"))

		// No known id at all: the subject finds the order conversation.
		mail("m4", "", nil, "RE: Fwd:  order 4471 NOT delivered", "Any news?")
		if c := f.conversationOf(t, 0, "m4"); c.ID != order.ID {
			t.Errorf("the subject fallback went to %d, want %d", c.ID, order.ID)
		}
		resolve(f.conversationOf(t, 0, "m4"))

		// Beyond the window, the same subject starts afresh.
		f.now = f.now.Add(31 * 24 * time.Hour)
		mail("m5", "", nil, "Re: Order 4471 not delivered", "Months later")
		if c := f.conversationOf(t, 0, "m5"); c.ID == order.ID {
			t.Errorf("a message 31 days later joined the old conversation")
		}
	})
}

func TestBaseSubject(t *testing.T) {
	for in, want := range map[string]string{
		"Re: Order #123":              "order #123",
		"RE: Fwd: AW:  Order   #123 ": "order #123",
		"Re[2]: Order #123":           "order #123",
		"SV: Bestilling":              "bestilling",
		"Re:":                         "",
		"Reorder request":             "reorder request",
		"[Ticket] Re: x":              "[ticket] re: x",
		"":                            "",
	} {
		if got := care.BaseSubject(in); got != want {
			t.Errorf("BaseSubject(%q) = %q, want %q", in, got, want)
		}
	}
}

// A phone call taken by an agent assigns the conversation to them; an
// address that is no member's changes nothing.
func TestAssignToAgent(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		sam := &care.User{Email: "sam@acme.example", Name: "Sam"}
		if err := s.CreateUser(ctx, sam); err != nil {
			t.Fatal(err)
		}
		if err := s.SetMember(ctx, care.Member{WorkspaceID: f.ws.ID, UserID: sam.ID, Role: care.RoleAgent}); err != nil {
			t.Fatal(err)
		}
		f.append(t, care.Inbound{Kind: care.KindMessage, PlatformID: "call-1", Author: care.Author{PlatformUserID: "+14155550123"},
			Text: "Inbound call, answered", Agent: "Sam@Acme.example", SentAt: f.now})
		if c := f.conversationOf(t, 0, "call-1"); c.AssigneeID != sam.ID {
			t.Errorf("the call's conversation is assigned to %d, want Sam (%d)", c.AssigneeID, sam.ID)
		}
		f.append(t, care.Inbound{Kind: care.KindMessage, PlatformID: "call-2", Author: care.Author{PlatformUserID: "+14155550999"},
			Text: "Inbound call, answered", Agent: "stranger@elsewhere.example", SentAt: f.now})
		if c := f.conversationOf(t, 0, "call-2"); c.AssigneeID != 0 {
			t.Errorf("a stranger's address assigned the conversation to %d", c.AssigneeID)
		}
	})
}

// A post that starts its own thread (a comment under another video) is a
// conversation of its own; replies to it join it.
func TestNewThread(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		f := newFixture(t, s)
		post := func(id, replyTo string, newThread bool) *care.Conversation {
			f.append(t, care.Inbound{Kind: care.KindMessage, PlatformID: id, ReplyToPlatformID: replyTo, NewThread: newThread,
				Visibility: care.Public, Author: care.Author{PlatformUserID: "UCviewer"}, Text: "comment " + id, SentAt: f.now})
			return f.conversationOf(t, 0, id)
		}
		a, b := post("c1", "", true), post("c2", "", true)
		if a.ID == b.ID {
			t.Errorf("two threads share conversation %d", a.ID)
		}
		if r := post("c3", "c1", false); r.ID != a.ID {
			t.Errorf("a reply in the first thread went to %d, want %d", r.ID, a.ID)
		}
		if r := post("c4", "", false); r.ID != b.ID {
			t.Errorf("a plain message went to %d, want the open conversation %d", r.ID, b.ID)
		}
	})
}

// A message the platform billed to read is counted for the inbox's spend.
func TestChargedRead(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		f := newFixture(t, s)
		f.append(t, care.Inbound{Kind: care.KindMessage, PlatformID: "p1", Visibility: care.Public, Charge: "post read",
			Author: care.Author{PlatformUserID: "u1"}, Text: "@acme hi", SentAt: f.now})
		f.append(t, care.Inbound{Kind: care.KindMessage, PlatformID: "p2", Visibility: care.Public,
			Author: care.Author{PlatformUserID: "u1"}, Text: "@acme pushed, free", SentAt: f.now})
		got, err := s.InboxCharges(context.Background(), f.inboxes[0].ID, f.now.Add(-time.Hour))
		if err != nil || got["post read"] != 1 || len(got) != 1 {
			t.Errorf("charges = %v, %v; want one post read", got, err)
		}
	})
}

// TestRepliesInOnePass: a pass looks up the conversations of the messages
// its events answer in one query, before threading any of them. A reply to
// a message stored earlier in the same pass, to another customer's, to one
// whose conversation was resolved, to a thread the customer has left for a
// new one, or to a message Parley never saw, goes where it would had each
// event come in a pass of its own.
func TestRepliesInOnePass(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		f.post(t, 0, "old1", "eve", "", "An old question")
		old := f.conversationOf(t, 0, "old1")
		resolved := care.StatusResolved
		if _, err := s.UpdateConversation(ctx, old.ID, care.ConversationUpdate{Status: &resolved}, f.now); err != nil {
			t.Fatal(err)
		}
		f.post(t, 0, "eve2", "eve", "", "A new question")
		current := f.conversationOf(t, 0, "eve2")

		var batch []care.RawEvent
		add := func(id, author, replyTo string, newThread bool) {
			f.now = f.now.Add(time.Second)
			in := care.Inbound{InboxID: f.inboxes[0].ID, Channel: care.ChannelAPI, PlatformID: id, ReplyToPlatformID: replyTo, NewThread: newThread,
				Visibility: care.Public, Author: care.Author{PlatformUserID: author, DisplayName: author}, Text: "text of " + id, SentAt: f.now}
			batch = append(batch, care.RawEvent{InboxID: in.InboxID, WorkspaceID: f.ws.ID, DedupeKey: in.DedupeKey(), Inbound: in, ReceivedAt: f.now})
		}
		add("a1", "ana", "", false)
		add("b1", "ben", "", false)
		add("a2", "ana", "a1", false)     // stored earlier in the pass
		add("d1", "dan", "b1", false)     // another customer's message
		add("eve3", "eve", "old1", false) // a resolved conversation
		add("c1", "cara", "", true)       // two threads of one customer
		add("c2", "cara", "", true)
		add("c3", "cara", "c1", false)     // back in the first thread
		add("a3", "ana", "nowhere", false) // never seen
		if _, err := s.AppendRaw(ctx, batch); err != nil {
			t.Fatal(err)
		}
		if n, err := f.p.RunOnce(ctx); err != nil || n != len(batch) {
			t.Fatalf("RunOnce = %d, %v; want the %d events in one pass", n, err, len(batch))
		}

		conv := func(id string) *care.Conversation { return f.conversationOf(t, 0, id) }
		a1, b1, c1, c2 := conv("a1"), conv("b1"), conv("c1"), conv("c2")
		for _, c := range []struct {
			id   string
			want *care.Conversation
		}{{"a2", a1}, {"d1", b1}, {"eve3", old}, {"c3", c1}, {"a3", a1}} {
			if got := conv(c.id); got.ID != c.want.ID {
				t.Errorf("%s went to conversation %d, want %d", c.id, got.ID, c.want.ID)
			}
		}
		if c1.ID == c2.ID {
			t.Errorf("cara's two threads share conversation %d", c1.ID)
		}
		if got := conv("eve3"); got.Status != care.StatusOpen || got.ID == current.ID {
			t.Errorf("eve's reply: conversation %d (%s), want %d reopened", got.ID, got.Status, old.ID)
		}
		if a1.MessageCount != 3 || c1.MessageCount != 2 {
			t.Errorf("message counts: ana %d, cara's first thread %d; want 3 and 2", a1.MessageCount, c1.MessageCount)
		}
	})
}

// TestKnownCustomersInOnePass: a pass reads its known authors and their
// active conversations up front (prefetch); each message must still go
// where a pass of its own would put it, whatever state the customer's
// conversation is in.
func TestKnownCustomersInOnePass(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		setStatus := func(id care.ID, st care.Status) {
			t.Helper()
			if _, err := s.UpdateConversation(ctx, id, care.ConversationUpdate{Status: &st}, f.now); err != nil {
				t.Fatal(err)
			}
		}
		f.post(t, 0, "pat0", "pat", "", "Open")
		f.post(t, 0, "sam0", "sam", "", "Will be pending")
		f.post(t, 0, "res0", "res", "", "Will be resolved")
		f.post(t, 1, "oth0", "oth", "", "In the other inbox")
		f.post(t, 0, "pro0", "pro", "", "Renamed later")
		patConv, samConv, resConv, othConv := f.conversationOf(t, 0, "pat0"), f.conversationOf(t, 0, "sam0"), f.conversationOf(t, 0, "res0"), f.conversationOf(t, 1, "oth0")
		setStatus(samConv.ID, care.StatusPending)
		setStatus(resConv.ID, care.StatusResolved)

		var batch []care.RawEvent
		add := func(id, author, name string) {
			f.now = f.now.Add(time.Second)
			in := care.Inbound{InboxID: f.inboxes[0].ID, Channel: care.ChannelAPI, PlatformID: id, Visibility: care.Private,
				Author: care.Author{PlatformUserID: author, DisplayName: name}, Text: "text of " + id, SentAt: f.now}
			batch = append(batch, care.RawEvent{InboxID: in.InboxID, WorkspaceID: f.ws.ID, DedupeKey: in.DedupeKey(), Inbound: in, ReceivedAt: f.now})
		}
		add("pat1", "pat", "pat")
		add("sam1", "sam", "sam")
		add("res1", "res", "res")
		add("oth1", "oth", "oth")
		add("pro1", "pro", "Prof. Pro")
		add("new1", "new", "new")
		add("pat2", "pat", "pat")
		add("new2", "new", "new")
		if _, err := s.AppendRaw(ctx, batch); err != nil {
			t.Fatal(err)
		}
		if n, err := f.p.RunOnce(ctx); err != nil || n != len(batch) {
			t.Fatalf("RunOnce = %d, %v; want the %d events in one pass", n, err, len(batch))
		}

		conv := func(id string) *care.Conversation { return f.conversationOf(t, 0, id) }
		if c := conv("pat1"); c.ID != patConv.ID || c.MessageCount != 3 || conv("pat2").ID != patConv.ID {
			t.Errorf("pat: conversation %d with %d messages, want %d with 3", c.ID, c.MessageCount, patConv.ID)
		}
		if c := conv("sam1"); c.ID != samConv.ID || c.Status != care.StatusOpen {
			t.Errorf("sam: conversation %d (%s), want %d reopened", c.ID, c.Status, samConv.ID)
		}
		if c := conv("res1"); c.ID == resConv.ID || c.ContactID != resConv.ContactID || c.Status != care.StatusOpen {
			t.Errorf("res: conversation %d of contact %d, want a new one for contact %d", c.ID, c.ContactID, resConv.ContactID)
		}
		if old, _ := s.Conversation(ctx, resConv.ID); old.Status != care.StatusResolved {
			t.Errorf("res's resolved conversation is %s now", old.Status)
		}
		if c := conv("oth1"); c.ID == othConv.ID || c.ContactID != othConv.ContactID || c.InboxID != f.inboxes[0].ID {
			t.Errorf("oth: conversation %+v, want a new one in the first inbox for contact %d", c, othConv.ContactID)
		}
		if c1, c2 := conv("new1"), conv("new2"); c1.ID != c2.ID || c1.MessageCount != 2 {
			t.Errorf("new customer: conversations %d and %d, want one with 2 messages", c1.ID, c2.ID)
		}
		pro, err := s.FindIdentity(ctx, f.ws.ID, care.ChannelAPI, "pro")
		if err != nil {
			t.Fatal(err)
		}
		if pro.DisplayName != "Prof. Pro" {
			t.Errorf("pro's identity is called %q, want the new name", pro.DisplayName)
		}
		if c := conv("pro1"); c.ID != f.conversationOf(t, 0, "pro0").ID {
			t.Errorf("pro's renamed message went to conversation %d", c.ID)
		}
	})
}

// pausingStore holds its transactions open at AppendEvents, the end of a
// pipeline pass, until told to go on.
type pausingStore struct {
	care.Store
	paused, resume chan struct{}
}

func (s pausingStore) Update(ctx context.Context, fn func(care.Queries) error) error {
	return s.Store.Update(ctx, func(q care.Queries) error { return fn(pausingQueries{q, s}) })
}

type pausingQueries struct {
	care.Queries
	s pausingStore
}

func (q pausingQueries) AppendEvents(ctx context.Context, evs []care.Event) error {
	q.s.paused <- struct{}{}
	<-q.s.resume
	return q.Queries.AppendEvents(ctx, evs)
}

// TestPassesRaceForOneCustomer: while one node's pass has opened a
// conversation for a known customer and not yet committed, another node's
// pass with the same customer must wait for it and join that conversation,
// not read "no active conversation" up front and open a second. Two things
// make it wait today: on PostgreSQL every writing transaction takes the
// event lock first, and a pass takes its customers' locks before it reads
// their conversations; either alone passes this test.
func TestPassesRaceForOneCustomer(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		f.post(t, 0, "before", "kim", "", "An earlier matter")
		earlier := f.conversationOf(t, 0, "before")
		st := care.StatusResolved
		if _, err := s.UpdateConversation(ctx, earlier.ID, care.ConversationUpdate{Status: &st}, f.now); err != nil {
			t.Fatal(err)
		}
		var batch []care.RawEvent
		for i := range 4 {
			in := care.Inbound{InboxID: f.inboxes[0].ID, Channel: care.ChannelAPI, PlatformID: fmt.Sprint("k", i), Visibility: care.Private,
				Author: care.Author{PlatformUserID: "kim"}, Text: "again", SentAt: f.now}
			batch = append(batch, care.RawEvent{InboxID: in.InboxID, WorkspaceID: f.ws.ID, DedupeKey: in.DedupeKey(), Inbound: in, ReceivedAt: f.now})
		}
		if _, err := s.AppendRaw(ctx, batch); err != nil {
			t.Fatal(err)
		}
		first := pausingStore{Store: s, paused: make(chan struct{}), resume: make(chan struct{})}
		errs := make(chan error, 2)
		go func() {
			_, err := (&ingest.Pipeline{Store: first, Batch: 2}).RunOnce(ctx)
			errs <- err
		}()
		<-first.paused // k0 and k1 threaded into a new conversation, not committed
		go func() {
			_, err := (&ingest.Pipeline{Store: s, Batch: 2}).RunOnce(ctx)
			errs <- err
		}()
		// Give the second pass time to read ahead, as it would if nothing
		// held it back; then let the first commit.
		time.Sleep(200 * time.Millisecond)
		close(first.resume)
		for range 2 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		f.drain(t)
		c0, c3 := f.conversationOf(t, 0, "k0"), f.conversationOf(t, 0, "k3")
		if c0.ID != c3.ID || c0.ID == earlier.ID || c3.MessageCount != 4 {
			t.Errorf("k0 in conversation %d, k3 in %d with %d messages; want one new conversation with all 4", c0.ID, c3.ID, c3.MessageCount)
		}
	})
}

// panickyTriage fails as a bug would, on one text.
type panickyTriage struct{}

func (panickyTriage) Triage(_ context.Context, _ care.Queries, _ *care.Conversation, in *care.Inbound, _ bool, _ time.Time) (*care.Triage, *care.ConversationTriage, error) {
	if in.Text == "boom" {
		panic("index out of range") // as the sentiment cue's fault did
	}
	return nil, nil, nil
}

// TestPanicKeepsTheEvent: a fault met while threading one event keeps that
// event, with the error, and threads the rest; the process goes on.
func TestPanicKeepsTheEvent(t *testing.T) {
	s := testdb.SQLite(t)
	ctx := context.Background()
	f := newFixture(t, s)
	f.p.Triage = panickyTriage{}
	f.p.Logger = slog.New(slog.DiscardHandler)
	var batch []care.RawEvent
	for i, text := range []string{"hello", "boom", "still there?"} {
		in := care.Inbound{InboxID: f.inboxes[0].ID, Channel: care.ChannelAPI, PlatformID: fmt.Sprint("p", i), Visibility: care.Private,
			Author: care.Author{PlatformUserID: "pat"}, Text: text, SentAt: f.now}
		batch = append(batch, care.RawEvent{InboxID: in.InboxID, WorkspaceID: f.ws.ID, DedupeKey: in.DedupeKey(), Inbound: in, ReceivedAt: f.now})
	}
	res, err := s.AppendRaw(ctx, batch)
	if err != nil {
		t.Fatal(err)
	}
	f.drain(t)
	for _, id := range []string{"p0", "p2"} {
		if _, err := s.MessageByPlatformID(ctx, f.inboxes[0].ID, id); err != nil {
			t.Errorf("message %s: %v; want it threaded", id, err)
		}
	}
	if _, err := s.MessageByPlatformID(ctx, f.inboxes[0].ID, "p1"); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("the faulty event's message: %v; want none", err)
	}
	raw, err := s.RawEvent(ctx, res[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if raw.ProcessedAt == nil || !strings.Contains(raw.Error, "a fault in Parley") {
		t.Errorf("faulty raw event: processed %v, error %q; want it kept with the fault", raw.ProcessedAt, raw.Error)
	}
}
