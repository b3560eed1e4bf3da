package reviews_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/reviews"
	"github.com/parleyhq/parley/internal/channel/reviews/gbpfake"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/outbox"
	"github.com/parleyhq/parley/internal/poll"
	"github.com/parleyhq/parley/internal/testdb"
)

// clock is a settable time shared by every component and the fake.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// parley is Parley's inbound and outbound path around one Google reviews
// inbox, with the fake API on the other side of real HTTP.
type parley struct {
	t        *testing.T
	ctx      context.Context
	store    care.Store
	clock    *clock
	fake     *gbpfake.Fake
	adapter  *reviews.Adapter
	inbox    *care.Inbox
	agent    care.Principal
	ingest   *ingest.Committer
	runner   *poll.Runner
	pipeline *ingest.Pipeline
	desk     *desk.Service
	worker   *outbox.Worker
}

func newParley(t *testing.T, store care.Store) *parley {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	quiet := slog.New(slog.DiscardHandler)
	p := &parley{t: t, ctx: ctx, store: store, clock: &clock{t: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}}

	p.fake = gbpfake.New()
	p.fake.Now = p.clock.Now
	api := httptest.NewServer(p.fake.Handler())
	t.Cleanup(api.Close)

	p.adapter = &reviews.Adapter{Client: api.Client(), Now: p.clock.Now, Logger: quiet}
	adapters := &channel.Registry{}
	adapters.Register(care.ChannelReviews, p.adapter)

	ws := &care.Workspace{Slug: "acme", Name: "Acme"}
	if err := p.store.CreateWorkspace(ctx, ws); err != nil {
		t.Fatal(err)
	}
	u := &care.User{Email: "sam@acme.test", Name: "Sam"}
	if err := p.store.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := p.store.SetMember(ctx, care.Member{WorkspaceID: ws.ID, UserID: u.ID, Role: care.RoleAgent}); err != nil {
		t.Fatal(err)
	}
	p.agent = care.Principal{UserID: u.ID, WorkspaceID: ws.ID, Role: care.RoleAgent, Name: "Sam"}

	p.inbox = &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelReviews, Name: "Acme Coffee, Main St", ExternalID: p.fake.Location,
		Credentials: map[string]string{reviews.CredClientID: gbpfake.DefaultClientID, reviews.CredClientSecret: gbpfake.DefaultClientSecret,
			reviews.CredRefreshToken: gbpfake.DefaultRefreshToken, reviews.CredAPIBase: api.URL, reviews.CredTokenURL: api.URL + "/token"}}
	if err := p.adapter.Prepare(p.inbox); err != nil {
		t.Fatal(err)
	}
	if err := p.store.CreateInbox(ctx, p.inbox); err != nil {
		t.Fatal(err)
	}

	p.ingest = ingest.NewCommitter(p.store, 64)
	done := make(chan struct{})
	go func() { p.ingest.Run(ctx); close(done) }()
	t.Cleanup(func() { p.ingest.Close(context.Background()); cancel(); <-done })

	p.runner = &poll.Runner{Store: p.store, Adapters: adapters, Ingest: p.ingest, Now: p.clock.Now, Logger: quiet}
	p.pipeline = &ingest.Pipeline{Store: p.store, Logger: quiet, Now: p.clock.Now}
	p.desk = &desk.Service{Store: p.store, Now: p.clock.Now, Adapters: adapters}
	p.worker = &outbox.Worker{Store: p.store, Senders: adapters, Now: p.clock.Now, Logger: quiet, Rand: func() float64 { return 0 }}
	return p
}

// poll runs the poll runner once and the pipeline until every stored event
// is threaded.
func (p *parley) poll() {
	p.t.Helper()
	if _, err := p.runner.Once(p.ctx, p.inbox.ID); err != nil {
		p.t.Fatalf("poll: %v", err)
	}
	for {
		n, err := p.pipeline.RunOnce(p.ctx)
		if err != nil {
			p.t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

func (p *parley) message(platformID string) *care.Message {
	p.t.Helper()
	m, err := p.store.MessageByPlatformID(p.ctx, p.inbox.ID, platformID)
	if err != nil {
		p.t.Fatalf("message %s: %v", platformID, err)
	}
	return m
}

func (p *parley) messages(conv care.ID) []care.Message {
	p.t.Helper()
	ms, err := p.store.Messages(p.ctx, conv, 0, 1000)
	if err != nil {
		p.t.Fatal(err)
	}
	return ms
}

// reply has the agent answer and runs the outbox once.
func (p *parley) reply(conv care.ID, r desk.Reply) *care.Message {
	p.t.Helper()
	m, err := p.desk.Reply(p.ctx, p.agent, conv, r)
	if err != nil {
		p.t.Fatalf("Reply(%q): %v", r.Text, err)
	}
	if _, err := p.worker.RunOnce(p.ctx); err != nil {
		p.t.Fatal(err)
	}
	if m, err = p.store.Message(p.ctx, m.ID); err != nil {
		p.t.Fatal(err)
	}
	return m
}

// TestEndToEnd runs a location's reviews through Parley: the poll runner
// reads them from the fake into storage and the pipeline, replies go
// through the outbox back to the fake. It runs on SQLite, and on
// PostgreSQL when PARLEY_TEST_DATABASE_URL is set.
func TestEndToEnd(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) { endToEnd(t, newParley(t, s)) })
}

func endToEnd(t *testing.T, p *parley) {
	ctx := p.ctx
	now := p.clock.Now()
	jane := gbpfake.Reviewer{Name: "Jane Doe"}

	// Before Parley: an answered review and one still waiting. The first
	// poll imports only the one waiting.
	answered := p.fake.Review(gbpfake.ReviewInput{Reviewer: gbpfake.Reviewer{Name: "Old Timer"}, Stars: 5, Comment: "Best coffee", At: now.Add(-2 * 24 * time.Hour)})
	if err := p.fake.OwnerReply(answered, "Thank you!"); err != nil {
		t.Fatal(err)
	}
	waiting := p.fake.Review(gbpfake.ReviewInput{Reviewer: gbpfake.Reviewer{Name: "María García"}, Stars: 3,
		Comment: "Buen café, servicio lento.", Translation: "Good coffee, slow service.", At: now.Add(-24 * time.Hour)})
	p.poll()
	if _, err := p.store.MessageByPlatformID(ctx, p.inbox.ID, answered); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("the answered review was imported: %v", err)
	}
	if m := p.message(waiting); m.Text != "★★★☆☆ Buen café, servicio lento." || m.Visibility != care.Public || m.AuthorName != "María García" {
		t.Errorf("imported review = %+v", m)
	}

	// New reviews, each in a conversation of its own.
	p.clock.Add(time.Minute)
	first := p.fake.Review(gbpfake.ReviewInput{Reviewer: jane, Stars: 2, Comment: "Waited 40 minutes for a table."})
	p.clock.Add(time.Second)
	quiet := p.fake.Review(gbpfake.ReviewInput{Reviewer: gbpfake.Reviewer{Anonymous: true}, Stars: 1})
	p.clock.Add(time.Second)
	other := p.fake.Review(gbpfake.ReviewInput{Reviewer: gbpfake.Reviewer{Anonymous: true}, Stars: 4, Comment: "Nice terrace"})
	p.clock.Add(2 * time.Minute)
	p.poll()
	in := p.message(first)
	if in.Text != "★★☆☆☆ Waited 40 minutes for a table." || in.Direction != care.DirectionIn || in.AuthorName != "Jane Doe" {
		t.Errorf("review = %+v", in)
	}
	anon, anon2 := p.message(quiet), p.message(other)
	if anon.Text != "★☆☆☆☆ (no written review)" || anon.ConversationID == in.ConversationID || anon.ConversationID == anon2.ConversationID || anon.ContactID == anon2.ContactID {
		t.Errorf("anonymous reviews = %+v, %+v: each wants a conversation and a contact of its own", anon, anon2)
	}
	conv := in.ConversationID

	// A public reply answers the review on Google.
	m := p.reply(conv, desk.Reply{Text: "Sorry, Jane – we've added staff on weekends."})
	calls := p.fake.Calls()
	if m.Status != care.DeliverySent || len(calls) != 1 || calls[0].Review != first || calls[0].Comment != "Sorry, Jane – we've added staff on weekends." {
		t.Fatalf("reply: message %+v, calls %+v", m, calls)
	}
	// The next poll reads the reply back, and knows it for Parley's own.
	p.clock.Add(2 * time.Minute)
	p.poll()
	if ms := p.messages(conv); len(ms) != 2 {
		t.Errorf("after reading back Parley's reply the conversation has %d messages, want 2", len(ms))
	}

	// What Google would refuse is refused before it is queued.
	for text, vis := range map[string]care.Visibility{"Call us": care.Private, strings.Repeat("é", 2049): care.Public} {
		_, err := p.desk.Reply(ctx, p.agent, conv, desk.Reply{Text: text, Visibility: vis})
		if care.ErrorCode(err) != care.EINVALID {
			t.Errorf("a %s reply of %d bytes = %v, want EINVALID", vis, len(text), err)
		}
	}

	// The customer edits the review: a new message in the same
	// conversation.
	p.clock.Add(time.Minute)
	if err := p.fake.Edit(first, 4, "They fixed it, much better now."); err != nil {
		t.Fatal(err)
	}
	p.clock.Add(2 * time.Minute)
	p.poll()
	ms := p.messages(conv)
	if last := ms[len(ms)-1]; len(ms) != 3 || last.Text != "[Edited] ★★★★☆ They fixed it, much better now." || last.Direction != care.DirectionIn || last.ReplyToPlatformID != first {
		t.Errorf("after the edit: %d messages, last %+v", len(ms), ms[len(ms)-1])
	}

	// A second reply replaces the first on Google; the first is then
	// shown deleted.
	second := p.reply(conv, desk.Reply{Text: "Thanks for coming back, Jane!"})
	if got, _ := p.fake.Reply(first); got != "Thanks for coming back, Jane!" || second.Status != care.DeliverySent {
		t.Fatalf("second reply: Google shows %q, message %+v", got, second)
	}
	p.clock.Add(2 * time.Minute)
	p.poll()
	if old, _ := p.store.Message(ctx, m.ID); old.DeletedAt == nil {
		t.Errorf("the replaced reply is not marked deleted: %+v", old)
	}

	// The staff reply in Google's own tools: an echo, shown as sent
	// outside Parley, found by the hourly deep walk.
	if err := p.fake.OwnerReply(other, "Glad you liked it!"); err != nil {
		t.Fatal(err)
	}
	p.clock.Add(time.Hour)
	p.poll()
	ms = p.messages(anon2.ConversationID)
	if last := ms[len(ms)-1]; len(ms) != 2 || last.Direction != care.DirectionOut || last.Text != "Glad you liked it!" || !strings.Contains(last.AuthorName, "outside Parley") {
		t.Errorf("outside reply: %d messages, last %+v", len(ms), ms[len(ms)-1])
	}

	// The quota holds a reply back until the next minute.
	p.fake.Throttle(1)
	queued, err := p.desk.Reply(ctx, p.agent, anon.ConversationID, desk.Reply{Text: "We're sorry to hear that."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.worker.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := p.store.Message(ctx, queued.ID); got.Status != care.DeliveryQueued {
		t.Errorf("reply over quota = %s %q, want queued", got.Status, got.StatusReason)
	}
	p.clock.Add(61 * time.Second)
	if _, err := p.worker.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := p.store.Message(ctx, queued.ID); got.Status != care.DeliverySent {
		t.Errorf("reply after the quota refilled = %s %q", got.Status, got.StatusReason)
	}

	// A review cannot be hidden; the refusal says why.
	_, err = p.desk.Moderate(ctx, p.agent, anon.ID, channel.Hide)
	if err == nil || !strings.Contains(care.ErrorMessage(err), "does not let a business hide") {
		t.Errorf("hiding a review = %v", err)
	}
	// Deleting the location's own reply, through the adapter.
	reply := p.message(second.PlatformID)
	if err := p.adapter.Moderate(ctx, *p.inbox, reply.PlatformID, channel.Delete); err != nil {
		t.Fatal(err)
	}
	if _, ok := p.fake.Reply(first); ok {
		t.Error("the reply is still on Google")
	}

	// A repeated poll from the start stores nothing twice.
	if err := p.store.SetInboxCursor(ctx, p.inbox.ID, poll.CursorName, "", p.clock.Now()); err != nil {
		t.Fatal(err)
	}
	before := len(p.messages(conv))
	p.poll()
	if after := len(p.messages(conv)); after != before {
		t.Errorf("a poll from the start changed the conversation from %d to %d messages", before, after)
	}
	if calls := p.fake.Calls(); calls[len(calls)-1].Method != http.MethodDelete {
		t.Errorf("last call = %+v", calls[len(calls)-1])
	}
}
