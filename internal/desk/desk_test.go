package desk_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/testdb"
)

type world struct {
	s     care.Store
	d     *desk.Service
	agent care.Principal
	other care.Principal // a principal of another workspace
	conv  *care.Conversation
	inMsg *care.Message
	now   time.Time
	woken int
}

func setup(t *testing.T, s care.Store) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{s: s, now: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)}
	w.d = &desk.Service{Store: s, Now: func() time.Time { return w.now }, OutboxWake: func() { w.woken++ }}
	ws := &care.Workspace{Slug: "acme", Name: "Acme"}
	ws2 := &care.Workspace{Slug: "globex", Name: "Globex"}
	for _, x := range []*care.Workspace{ws, ws2} {
		if err := s.CreateWorkspace(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	u := &care.User{Email: "sam@acme.test", Name: "Sam"}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := s.SetMember(ctx, care.Member{WorkspaceID: ws.ID, UserID: u.ID, Role: care.RoleAgent}); err != nil {
		t.Fatal(err)
	}
	w.agent = care.Principal{UserID: u.ID, WorkspaceID: ws.ID, Role: care.RoleAgent, Name: "Sam"}
	w.other = care.Principal{TokenID: 99, WorkspaceID: ws2.ID, Role: care.RoleAdmin, Name: "intruder"}
	in := &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelAPI, Name: "Web"}
	if err := s.CreateInbox(ctx, in); err != nil {
		t.Fatal(err)
	}
	id, _, err := s.ResolveIdentity(ctx, ws.ID, care.ChannelAPI, care.Author{PlatformUserID: "ana", DisplayName: "Ana"}, w.now)
	if err != nil {
		t.Fatal(err)
	}
	w.conv = &care.Conversation{WorkspaceID: ws.ID, InboxID: in.ID, Channel: in.Channel, ContactID: id.ContactID}
	if err := s.CreateConversation(ctx, w.conv); err != nil {
		t.Fatal(err)
	}
	w.inMsg = &care.Message{WorkspaceID: ws.ID, ConversationID: w.conv.ID, InboxID: in.ID, Direction: care.DirectionIn,
		Visibility: care.Public, ContactID: id.ContactID, Text: "Where is my parcel?", PlatformID: "p-1", Status: care.DeliveryReceived}
	if err := s.CreateMessage(ctx, w.inMsg); err != nil {
		t.Fatal(err)
	}
	return w
}

func TestReply(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		w := setup(t, s)
		m, err := w.d.Reply(ctx, w.agent, w.conv.ID, desk.Reply{Text: "Sorry, we got that wrong. How can I help?"})
		if err != nil {
			t.Fatal(err)
		}
		// Defaults: answers the newest inbound message, in its visibility.
		if m.Status != care.DeliveryQueued || m.Visibility != care.Public || m.ReplyToPlatformID != "p-1" || m.AuthorID != w.agent.UserID {
			t.Errorf("reply = %+v", m)
		}
		entries, err := s.LeaseOutbox(ctx, w.now.Add(time.Second), time.Minute, 10)
		if err != nil || len(entries) != 1 || entries[0].MessageID != m.ID || entries[0].IdempotencyKey == "" {
			t.Fatalf("outbox = %+v, %v; want one entry for message %d", entries, err, m.ID)
		}
		if w.woken != 1 {
			t.Errorf("outbox woken %d times, want 1", w.woken)
		}
		c, _ := s.Conversation(ctx, w.conv.ID)
		if c.WaitingSince != nil {
			t.Errorf("conversation still waiting after a reply")
		}
		audit, _ := s.Audit(ctx, w.agent.WorkspaceID, "conversation:"+itoa(w.conv.ID), 10)
		if len(audit) != 1 || audit[0].Action != "message.reply" || audit[0].Actor != w.agent.Actor() {
			t.Errorf("audit = %+v", audit)
		}
		events, _ := s.EventsAfter(ctx, w.agent.WorkspaceID, 0, 10)
		if len(events) != 2 || events[0].Type != care.EventMessageCreated || events[1].Type != care.EventConversationUpdated {
			t.Errorf("events = %+v", events)
		}
	})
}

func TestReplyRejects(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		w := setup(t, s)
		tests := []struct {
			name string
			p    care.Principal
			conv care.ID
			r    desk.Reply
			code string
		}{
			{"empty", w.agent, w.conv.ID, desk.Reply{Text: "   "}, care.EINVALID},
			{"too long", w.agent, w.conv.ID, desk.Reply{Text: strings.Repeat("x", care.MaxTextBytes+1)}, care.EINVALID},
			{"bad utf8", w.agent, w.conv.ID, desk.Reply{Text: "a\xffb"}, care.EINVALID},
			{"note visibility", w.agent, w.conv.ID, desk.Reply{Text: "hi", Visibility: care.Note}, care.EINVALID},
			{"other workspace", w.other, w.conv.ID, desk.Reply{Text: "hi"}, care.ENOTFOUND},
			{"missing", w.agent, 9999, desk.Reply{Text: "hi"}, care.ENOTFOUND},
			{"foreign reply target", w.agent, w.conv.ID, desk.Reply{Text: "hi", ReplyToMessageID: 9999}, care.EINVALID},
			// References to files a platform holds: Parley would fetch
			// another customer's file with the inbox's credentials.
			{"email part", w.agent, w.conv.ID, attach("email-part:mailbox=INBOX&part=2&uid=7&uidvalidity=1"), care.EINVALID},
			{"meta media", w.agent, w.conv.ID, attach("meta-media:123456"), care.EINVALID},
			{"whatsapp media", w.agent, w.conv.ID, attach("whatsapp-media:987"), care.EINVALID},
			{"telegram file", w.agent, w.conv.ID, attach("telegram-file:AgAD"), care.EINVALID},
			{"file path", w.agent, w.conv.ID, attach("/etc/passwd"), care.EINVALID},
			{"javascript", w.agent, w.conv.ID, attach("javascript:alert(1)"), care.EINVALID},
			{"no host", w.agent, w.conv.ID, attach("https:///x.png"), care.EINVALID},
			{"overlong", w.agent, w.conv.ID, attach("https://files.example/" + strings.Repeat("a", 2048)), care.EINVALID},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := w.d.Reply(ctx, tt.p, tt.conv, tt.r)
				if got := care.ErrorCode(err); got != tt.code {
					t.Errorf("Reply code = %q, want %q (%v)", got, tt.code, err)
				}
			})
		}
		if n, _ := s.OutboxDepth(ctx); n != 0 {
			t.Errorf("rejected replies left %d outbox entries", n)
		}
		// What agents do send: a link to an upload, a WhatsApp template.
		for _, u := range []string{"https://parley.example/files/3/tok/receipt.pdf", "http://127.0.0.1:8080/files/4/tok/a.png",
			"whatsapp-template:order_update?language=en_US"} {
			if _, err := w.d.Reply(ctx, w.agent, w.conv.ID, attach(u)); err != nil {
				t.Errorf("Reply with attachment %q: %v", u, err)
			}
		}
	})
}

// attach is a reply of one attachment at u.
func attach(u string) desk.Reply {
	return desk.Reply{Text: "see attached", Attachments: []care.Attachment{{Kind: "file", URL: u, Name: "f"}}}
}

func TestNoteNeverLeaves(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		w := setup(t, s)
		m, err := w.d.Note(ctx, w.agent, w.conv.ID, "@lee can you check the courier?")
		if err != nil {
			t.Fatal(err)
		}
		if m.Visibility != care.Note || m.Status != care.DeliveryStored {
			t.Errorf("note = %+v", m)
		}
		if n, _ := s.OutboxDepth(ctx); n != 0 {
			t.Errorf("a note was queued for sending")
		}
		if c, _ := s.Conversation(ctx, w.conv.ID); c.WaitingSince == nil {
			t.Errorf("a note ended the customer's wait")
		}
	})
}

func TestUpdate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		w := setup(t, s)
		snoozed, stranger := care.StatusSnoozed, care.ID(4242)
		past, future := w.now.Add(-time.Hour), w.now.Add(time.Hour)
		if _, err := w.d.Update(ctx, w.agent, w.conv.ID, care.ConversationUpdate{Status: &snoozed, SnoozedUntil: &past}); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("snooze into the past: %v, want EINVALID", err)
		}
		if _, err := w.d.Update(ctx, w.agent, w.conv.ID, care.ConversationUpdate{AssigneeID: &stranger}); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("assign to a non-member: %v, want EINVALID", err)
		}
		gone := &care.User{Email: "left@acme.test", Name: "Lee"}
		if err := s.CreateUser(ctx, gone); err != nil {
			t.Fatal(err)
		}
		if err := s.SetMember(ctx, care.Member{WorkspaceID: w.agent.WorkspaceID, UserID: gone.ID, Role: care.RoleAgent}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetUserDisabled(ctx, gone.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := w.d.Update(ctx, w.agent, w.conv.ID, care.ConversationUpdate{AssigneeID: &gone.ID}); care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), "disabled") {
			t.Errorf("assign to a disabled account: %v, want EINVALID saying it is disabled", err)
		}
		if _, err := w.d.Update(ctx, w.other, w.conv.ID, care.ConversationUpdate{Status: &snoozed, SnoozedUntil: &future}); care.ErrorCode(err) != care.ENOTFOUND {
			t.Errorf("update from another workspace: %v, want ENOTFOUND", err)
		}
		me := w.agent.UserID
		tags := []string{"Refund", "urgent"}
		c, err := w.d.Update(ctx, w.agent, w.conv.ID, care.ConversationUpdate{Status: &snoozed, SnoozedUntil: &future, AssigneeID: &me, Tags: &tags})
		if err != nil {
			t.Fatal(err)
		}
		if c.Status != care.StatusSnoozed || c.AssigneeID != me || strings.Join(c.Tags, ",") != "refund,urgent" {
			t.Errorf("updated = %+v", c)
		}
		audit, _ := s.Audit(ctx, w.agent.WorkspaceID, "conversation:"+itoa(w.conv.ID), 10)
		if len(audit) != 1 || audit[0].Action != "conversation.update" {
			t.Errorf("audit = %+v; want one conversation.update (rejected updates leave none)", audit)
		}
	})
}

func TestRetryOnlyFailed(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		w := setup(t, s)
		m, err := w.d.Reply(ctx, w.agent, w.conv.ID, desk.Reply{Text: "hello"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.d.Retry(ctx, w.agent, m.ID); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("retry of a queued reply: %v, want EINVALID", err)
		}
		entries, _ := s.LeaseOutbox(ctx, w.now.Add(time.Second), time.Minute, 10)
		if err := s.SetDelivery(ctx, m.ID, care.DeliveryFailed, "400 Bad Request", ""); err != nil {
			t.Fatal(err)
		}
		if err := s.CompleteOutbox(ctx, entries[0].ID); err != nil {
			t.Fatal(err)
		}
		got, err := w.d.Retry(ctx, w.agent, m.ID)
		if err != nil || got.Status != care.DeliveryQueued {
			t.Fatalf("Retry = %+v, %v", got, err)
		}
		if n, _ := s.OutboxDepth(ctx); n != 1 {
			t.Errorf("outbox depth = %d after retry, want 1", n)
		}
		if _, err := w.d.Retry(ctx, w.other, m.ID); care.ErrorCode(err) != care.ENOTFOUND {
			t.Errorf("retry from another workspace: %v, want ENOTFOUND", err)
		}
	})
}

func TestMergeAndLink(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		w := setup(t, s)
		// The same customer writes privately under another identity.
		id2, _, err := s.ResolveIdentity(ctx, w.agent.WorkspaceID, care.ChannelX, care.Author{PlatformUserID: "x-ana"}, w.now)
		if err != nil {
			t.Fatal(err)
		}
		dm := &care.Conversation{WorkspaceID: w.agent.WorkspaceID, InboxID: w.conv.InboxID, Channel: w.conv.Channel, ContactID: id2.ContactID}
		if err := s.CreateConversation(ctx, dm); err != nil {
			t.Fatal(err)
		}
		if err := w.d.Link(ctx, w.agent, w.conv.ID, dm.ID); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("link across contacts: %v, want EINVALID", err)
		}
		m, err := w.d.Merge(ctx, w.agent, w.conv.ContactID, id2.ContactID)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.d.Link(ctx, w.agent, w.conv.ID, dm.ID); err != nil {
			t.Fatalf("link after merge: %v", err)
		}
		if c, _ := s.Conversation(ctx, dm.ID); c.LinkedID != w.conv.ID || c.ContactID != w.conv.ContactID {
			t.Errorf("linked conversation = %+v", c)
		}
		if _, err := w.d.Unmerge(ctx, w.other, m.ID); care.ErrorCode(err) != care.ENOTFOUND {
			t.Errorf("unmerge from another workspace: %v, want ENOTFOUND", err)
		}
		if _, err := w.d.Unmerge(ctx, w.agent, m.ID); err != nil {
			t.Fatal(err)
		}
		if c, _ := s.Conversation(ctx, dm.ID); c.ContactID != id2.ContactID {
			t.Errorf("after unmerge the DM belongs to contact %d, want %d", c.ContactID, id2.ContactID)
		}
		events, _ := s.EventsAfter(ctx, w.agent.WorkspaceID, 0, 50)
		var merged, unmerged bool
		for _, e := range events {
			merged = merged || e.Type == care.EventContactMerged
			unmerged = unmerged || e.Type == care.EventContactUnmerged
		}
		if !merged || !unmerged {
			t.Errorf("events lack contact.merged/unmerged: %+v", events)
		}
	})
}

func itoa(id care.ID) string { return strconv.FormatInt(id, 10) }

func TestWakeSnoozed(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		w := setup(t, s)
		snoozed, until := care.StatusSnoozed, w.now.Add(30*time.Minute)
		if _, err := w.d.Update(ctx, w.agent, w.conv.ID, care.ConversationUpdate{Status: &snoozed, SnoozedUntil: &until}); err != nil {
			t.Fatal(err)
		}
		if n, err := w.d.WakeSnoozed(ctx); err != nil || n != 0 {
			t.Fatalf("WakeSnoozed before the time = %d, %v; want 0", n, err)
		}
		w.now = until
		if n, err := w.d.WakeSnoozed(ctx); err != nil || n != 1 {
			t.Fatalf("WakeSnoozed at the time = %d, %v; want 1", n, err)
		}
		c, _ := s.Conversation(ctx, w.conv.ID)
		if c.Status != care.StatusOpen || c.SnoozedUntil != nil {
			t.Errorf("after waking: status %s, snoozed until %v", c.Status, c.SnoozedUntil)
		}
		audit, _ := s.Audit(ctx, w.agent.WorkspaceID, "conversation:"+itoa(w.conv.ID), 1)
		if len(audit) != 1 || audit[0].Action != "conversation.wake" || audit[0].Actor != "system" {
			t.Errorf("audit = %+v", audit)
		}
	})
}

func TestTakePrivate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		w := setup(t, s)
		msgs, err := w.d.TakePrivate(ctx, w.agent, w.conv.ID, desk.TakePrivate{MessageID: w.inMsg.ID,
			PublicText: "Sorry about this! We've sent you a DM.", PrivateText: "Could you share your order number?"})
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 2 || msgs[0].Visibility != care.Public || msgs[1].Visibility != care.Private ||
			msgs[0].ReplyToPlatformID != "p-1" || msgs[1].ReplyToPlatformID != "p-1" {
			t.Fatalf("take private queued %+v", msgs)
		}
		if n, _ := s.OutboxDepth(ctx); n != 2 {
			t.Errorf("outbox depth %d, want 2", n)
		}
		c, _ := s.Conversation(ctx, w.conv.ID)
		if strings.Join(c.Tags, ",") != care.TagTakenPrivate {
			t.Errorf("tags = %v", c.Tags)
		}
		// Only a public customer message can be taken private.
		if _, err := w.d.TakePrivate(ctx, w.agent, w.conv.ID, desk.TakePrivate{MessageID: msgs[1].ID, PublicText: "a", PrivateText: "b"}); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("take private of our own message: %v, want EINVALID", err)
		}
		// Nothing is stored when one half is invalid.
		if _, err := w.d.TakePrivate(ctx, w.agent, w.conv.ID, desk.TakePrivate{MessageID: w.inMsg.ID, PublicText: "ok", PrivateText: ""}); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("empty private text: %v, want EINVALID", err)
		}
		if n, _ := s.OutboxDepth(ctx); n != 2 {
			t.Errorf("outbox depth %d after a refused take-private, want 2", n)
		}
	})
}
