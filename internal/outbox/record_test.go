package outbox

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/testdb"
)

// recordFails is a store whose RecordSent fails as a transaction can (a
// deadlock, a serialisation failure) while the rest of the store works.
type recordFails struct {
	care.Store
	calls int
}

func (s *recordFails) RecordSent(context.Context, care.ID, care.DeliveryStatus, string, time.Time) ([]care.Event, error) {
	s.calls++
	return nil, errors.New("deadlock detected (SQLSTATE 40P01)")
}

// TestSentRecordedWhenRecordSentFails: a reply the platform accepted is
// recorded as sent, and its entry done, even when recording it with its
// echo and early reports fails; left queued, the next pass would send it
// to the customer a second time.
func TestSentRecordedWhenRecordSentFails(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		inbox, ours := queuedReply(t, s, nil)

		sender := &countingSender{}
		senders := &channel.Registry{}
		senders.Register(inbox.Channel, sender)
		store := &recordFails{Store: s}
		w := &Worker{Store: store, Senders: senders}
		for range 3 {
			if _, err := w.RunOnce(ctx); err != nil {
				t.Fatalf("RunOnce: %v", err)
			}
		}
		if store.calls == 0 {
			t.Fatal("RecordSent was never called; the test tests nothing")
		}
		if sender.n != 1 {
			t.Errorf("sent %d times; want once", sender.n)
		}
		m, err := s.Message(ctx, ours.ID)
		mustOK(t, err)
		if m.Status != care.DeliverySent || m.PlatformID != "wamid.1" {
			t.Errorf("reply: status %q, platform id %q; want sent, wamid.1", m.Status, m.PlatformID)
		}
	})
}

type countingSender struct{ n int }

func (s *countingSender) Send(context.Context, channel.Outbound) (channel.Result, error) {
	s.n++
	return channel.Result{PlatformID: "wamid.1", Status: care.DeliverySent}, nil
}

func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// recordFailsOnce fails RecordSent the first time only, as a transaction
// the database chose as a deadlock's victim does.
type recordFailsOnce struct {
	care.Store
	calls int
}

func (s *recordFailsOnce) RecordSent(ctx context.Context, id care.ID, st care.DeliveryStatus, platformID string, now time.Time) ([]care.Event, error) {
	s.calls++
	if s.calls == 1 {
		return nil, errors.New("deadlock detected (SQLSTATE 40P01)")
	}
	return s.Store.RecordSent(ctx, id, st, platformID, now)
}

// TestRecordSentTriedAgain: an echo of the reply already holds its id; a
// RecordSent that fails once is asked again, so the echo is still merged
// into the reply rather than the reply recorded without its id.
func TestRecordSentTriedAgain(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		var echo *care.Message
		inbox, ours := queuedReply(t, s, func(conv *care.Conversation, ours *care.Message) {
			echo = &care.Message{WorkspaceID: conv.WorkspaceID, ConversationID: conv.ID, InboxID: conv.InboxID, Direction: care.DirectionOut,
				Visibility: care.Private, AuthorName: "Acme (outside Parley)", Text: ours.Text, PlatformID: "wamid.1", Status: care.DeliverySent}
			mustOK(t, s.CreateMessage(context.Background(), echo))
		})

		senders := &channel.Registry{}
		senders.Register(inbox.Channel, &countingSender{})
		store := &recordFailsOnce{Store: s}
		w := &Worker{Store: store, Senders: senders}
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatalf("RunOnce: %v", err)
		}
		m, err := s.Message(ctx, ours.ID)
		mustOK(t, err)
		if m.PlatformID != "wamid.1" {
			t.Errorf("reply's platform id %q; want wamid.1, merged from its echo", m.PlatformID)
		}
		if _, err := s.Message(ctx, echo.ID); care.ErrorCode(err) != care.ENOTFOUND {
			t.Errorf("echo still there (err %v); want it merged into the reply", err)
		}
	})
}

// queuedReply stores a WhatsApp inbox with Ana's open conversation and our
// reply to her, queued in the outbox; meanwhile, if set, runs after the
// reply is stored and before it is queued.
func queuedReply(t *testing.T, s care.Store, meanwhile func(*care.Conversation, *care.Message)) (*care.Inbox, *care.Message) {
	t.Helper()
	ctx := context.Background()
	ws := &care.Workspace{Slug: "acme", Name: "Acme"}
	mustOK(t, s.CreateWorkspace(ctx, ws))
	inbox := &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelWhatsApp, Name: "Support"}
	mustOK(t, s.CreateInbox(ctx, inbox))
	ident, _, err := s.ResolveIdentity(ctx, ws.ID, inbox.Channel, care.Author{PlatformUserID: "ana", DisplayName: "Ana"}, time.Now())
	mustOK(t, err)
	conv := &care.Conversation{WorkspaceID: ws.ID, InboxID: inbox.ID, ContactID: ident.ContactID, Channel: inbox.Channel, Status: care.StatusOpen}
	mustOK(t, s.CreateConversation(ctx, conv))
	ours := &care.Message{WorkspaceID: ws.ID, ConversationID: conv.ID, InboxID: inbox.ID, Direction: care.DirectionOut,
		Visibility: care.Private, AuthorName: "Ada", Text: "Your parcel left today.", Status: care.DeliveryQueued}
	mustOK(t, s.CreateMessage(ctx, ours))
	if meanwhile != nil {
		meanwhile(conv, ours)
	}
	mustOK(t, s.EnqueueOutbox(ctx, &care.OutboxEntry{MessageID: ours.ID, InboxID: inbox.ID, Channel: inbox.Channel, IdempotencyKey: "k"}))
	return inbox, ours
}
