package outbox

import (
	"context"
	"maps"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/testdb"
)

// racingSender answers a send with platform id after running meanwhile:
// what the platform's webhooks deliver before its HTTP answer arrives.
type racingSender struct {
	id        string
	meanwhile func()
}

func (s *racingSender) Send(context.Context, channel.Outbound) (channel.Result, error) {
	s.meanwhile()
	return channel.Result{PlatformID: s.id, Status: care.DeliverySent}, nil
}

type published struct {
	mu     sync.Mutex
	events []care.Event
}

func (p *published) Publish(events ...care.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.events = append(p.events, events...)
}

func (p *published) types() map[care.EventType]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := map[care.EventType]int{}
	for _, e := range p.events {
		n[e.Type]++
	}
	return n
}

// TestReportsBeforeTheSendsAnswer: a platform's webhooks race the answer to
// our send, so its delivery reports, and the echo of the reply (Instagram,
// Messenger), can be threaded before the outbox has recorded the reply's
// platform id; on PostgreSQL, by another node. They are applied when it
// does: a failure the platform reported is shown, the echo is not kept as
// a second copy of the reply, the customer's reaction to it is shown, and
// a replay changes none of it.
func TestReportsBeforeTheSendsAnswer(t *testing.T) {
	status := func(s care.DeliveryStatus, reason string) care.Inbound {
		return care.Inbound{Kind: care.KindStatus, PlatformID: "wamid.1", Status: s, StatusReason: reason}
	}
	echo := care.Inbound{Kind: care.KindEcho, PlatformID: "wamid.1", Visibility: care.Private,
		Author: care.Author{PlatformUserID: "ana"}, Text: "Your parcel left today."}
	reaction := func(id, emoji string) care.Inbound {
		return care.Inbound{Kind: care.KindReaction, PlatformID: id, ReplyToPlatformID: "wamid.1", Visibility: care.Private,
			Author: care.Author{PlatformUserID: "ana"}, Text: emoji}
	}
	for _, tc := range []struct {
		name       string
		meanwhile  []care.Inbound
		wantStatus care.DeliveryStatus
		wantReason string
		wantEmoji  string // the customer's reaction to the reply
		published  map[care.EventType]int
	}{
		{name: "nothing", wantStatus: care.DeliverySent, published: map[care.EventType]int{}},
		{name: "failed", meanwhile: []care.Inbound{status(care.DeliveryFailed, "outside the 24 hour window")},
			wantStatus: care.DeliveryFailed, wantReason: "outside the 24 hour window",
			published: map[care.EventType]int{care.EventMessageUpdated: 1}},
		{name: "delivered and read", meanwhile: []care.Inbound{status(care.DeliveryRead, ""), status(care.DeliveryDelivered, "")},
			wantStatus: care.DeliveryRead, published: map[care.EventType]int{care.EventMessageUpdated: 1}},
		{name: "read then failed", meanwhile: []care.Inbound{status(care.DeliveryRead, ""), status(care.DeliveryFailed, "blocked")},
			wantStatus: care.DeliveryFailed, wantReason: "blocked", published: map[care.EventType]int{care.EventMessageUpdated: 1}},
		{name: "echo", meanwhile: []care.Inbound{echo}, wantStatus: care.DeliverySent,
			published: map[care.EventType]int{care.EventConversationUpdated: 1, care.EventMessageDeleted: 1, care.EventMessageUpdated: 1}},
		{name: "echo then delivered", meanwhile: []care.Inbound{echo, status(care.DeliveryDelivered, "")}, wantStatus: care.DeliveryDelivered,
			published: map[care.EventType]int{care.EventConversationUpdated: 1, care.EventMessageDeleted: 1, care.EventMessageUpdated: 1}},
		{name: "reaction", meanwhile: []care.Inbound{reaction("wamid.r1", "👍")}, wantStatus: care.DeliverySent, wantEmoji: "👍",
			published: map[care.EventType]int{care.EventMessageUpdated: 1}},
		{name: "reactions and read", meanwhile: []care.Inbound{reaction("wamid.r1", "👍"), status(care.DeliveryRead, ""), reaction("wamid.r2", "❤")},
			wantStatus: care.DeliveryRead, wantEmoji: "❤", published: map[care.EventType]int{care.EventMessageUpdated: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			testdb.Each(t, func(t *testing.T, s care.Store) {
				ctx := context.Background()
				ws := &care.Workspace{Slug: "acme", Name: "Acme"}
				if err := s.CreateWorkspace(ctx, ws); err != nil {
					t.Fatal(err)
				}
				inbox := &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelWhatsApp, Name: "Support"}
				if err := s.CreateInbox(ctx, inbox); err != nil {
					t.Fatal(err)
				}
				pipeline := &ingest.Pipeline{Store: s}
				arrive := func(ins ...care.Inbound) {
					t.Helper()
					for _, in := range ins {
						in.InboxID, in.Channel = inbox.ID, inbox.Channel
						if err := in.Validate(); err != nil {
							t.Fatalf("invalid test event: %v", err)
						}
						if _, err := s.AppendRaw(ctx, []care.RawEvent{{InboxID: inbox.ID, WorkspaceID: ws.ID, DedupeKey: in.DedupeKey(), Inbound: in}}); err != nil {
							t.Error(err)
						}
					}
					for {
						n, err := pipeline.RunOnce(ctx)
						if err != nil {
							t.Error(err)
						}
						if n == 0 || err != nil {
							return
						}
					}
				}
				arrive(care.Inbound{PlatformID: "wamid.0", Visibility: care.Private, Author: care.Author{PlatformUserID: "ana"}, Text: "Where is my parcel?"})
				asked, err := s.MessageByPlatformID(ctx, inbox.ID, "wamid.0")
				if err != nil {
					t.Fatal(err)
				}
				user := &care.User{Email: "ada@example.com", Name: "Ada"}
				if err := s.CreateUser(ctx, user); err != nil {
					t.Fatal(err)
				}
				ours := &care.Message{WorkspaceID: ws.ID, ConversationID: asked.ConversationID, InboxID: inbox.ID, Direction: care.DirectionOut,
					Visibility: care.Private, AuthorID: user.ID, AuthorName: "Ada", Text: echo.Text, Status: care.DeliveryQueued}
				if err := s.CreateMessage(ctx, ours); err != nil {
					t.Fatal(err)
				}
				if err := s.EnqueueOutbox(ctx, &care.OutboxEntry{MessageID: ours.ID, InboxID: inbox.ID, Channel: inbox.Channel, IdempotencyKey: "k"}); err != nil {
					t.Fatal(err)
				}

				senders := &channel.Registry{}
				senders.Register(inbox.Channel, &racingSender{id: "wamid.1", meanwhile: func() { arrive(tc.meanwhile...) }})
				pub := &published{}
				w := &Worker{Store: s, Senders: senders, Publisher: pub}
				if n, err := w.RunOnce(ctx); n != 1 || err != nil {
					t.Fatalf("RunOnce = %d, %v; want 1 entry sent", n, err)
				}

				check := func(when string) {
					t.Helper()
					m, err := s.Message(ctx, ours.ID)
					if err != nil {
						t.Fatal(err)
					}
					if m.Status != tc.wantStatus || m.StatusReason != tc.wantReason || m.PlatformID != "wamid.1" {
						t.Errorf("%s: reply status %q, reason %q, platform id %q; want %q, %q, wamid.1",
							when, m.Status, m.StatusReason, m.PlatformID, tc.wantStatus, tc.wantReason)
					}
					var emoji string
					for _, r := range m.Reactions {
						if r.ContactID != asked.ContactID {
							t.Errorf("%s: reaction %+v; want the customer's", when, r)
						}
						emoji += r.Emoji
					}
					if emoji != tc.wantEmoji {
						t.Errorf("%s: reactions to the reply %q; want %q", when, emoji, tc.wantEmoji)
					}
					msgs, err := s.Messages(ctx, asked.ConversationID, 0, 10)
					if err != nil {
						t.Fatal(err)
					}
					conv, err := s.Conversation(ctx, asked.ConversationID)
					if err != nil {
						t.Fatal(err)
					}
					if len(msgs) != 2 || conv.MessageCount != 2 {
						t.Errorf("%s: %d messages, message count %d; want the question and the reply alone", when, len(msgs), conv.MessageCount)
					}
					if pending, _ := s.PendingRaw(ctx, 10); len(pending) != 0 {
						t.Errorf("%s: %d raw events still pending", when, len(pending))
					}
				}
				check("sent")
				if got := pub.types(); !maps.Equal(got, tc.published) {
					t.Errorf("published %v; want %v", got, tc.published)
				}
				// A replay of everything (parley replay) comes to the same.
				if _, err := s.ResetRaw(ctx, 0, time.Time{}); err != nil {
					t.Fatal(err)
				}
				arrive()
				check("replayed")
			})
		})
	}
}
