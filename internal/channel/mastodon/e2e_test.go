package mastodon_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/mastodon"
	"github.com/parleyhq/parley/internal/channel/mastodon/mastofake"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/outbox"
	"github.com/parleyhq/parley/internal/poll"
	"github.com/parleyhq/parley/internal/testdb"
	"github.com/parleyhq/parley/internal/webhook"
)

// anna is the customer, on another instance than the brand's.
var anna = mastofake.Account{ID: "110000000000000042", Username: "anna", Domain: "example.social", DisplayName: "Anna Müller", Followers: 152}

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

// parley is Parley's inbound and outbound path around one Mastodon inbox,
// with the fake instance on the other side of real HTTP.
type parley struct {
	t        *testing.T
	ctx      context.Context
	store    care.Store
	clock    *clock
	fake     *mastofake.Fake
	adapter  *mastodon.Adapter
	inbox    *care.Inbox
	agent    care.Principal
	ingest   *ingest.Committer
	runner   *poll.Runner
	pipeline *ingest.Pipeline
	desk     *desk.Service
	worker   *outbox.Worker
}

func newParley(t *testing.T, store care.Store, mode string) *parley {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	quiet := slog.New(slog.DiscardHandler)
	p := &parley{t: t, ctx: ctx, store: store, clock: &clock{t: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}}

	p.fake = mastofake.New()
	p.fake.Now = p.clock.Now
	api := httptest.NewServer(p.fake.Handler())
	t.Cleanup(func() {
		p.fake.CutStreams()
		api.CloseClientConnections()
		api.Close()
	})

	p.adapter = &mastodon.Adapter{Client: api.Client(), Now: p.clock.Now, Logger: quiet}
	adapters := &channel.Registry{}
	adapters.Register(care.ChannelMastodon, p.adapter)

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

	p.inbox = &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelMastodon, Name: "Acme on Mastodon",
		Credentials: map[string]string{mastodon.CredAccessToken: mastofake.DefaultToken, mastodon.CredAPIBase: api.URL, mastodon.CredMode: mode}}
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
	p.drain()
}

func (p *parley) drain() {
	p.t.Helper()
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

func (p *parley) lastPosted() mastofake.Posted {
	p.t.Helper()
	posted := p.fake.Posted()
	if len(posted) == 0 {
		p.t.Fatal("nothing posted")
	}
	return posted[len(posted)-1]
}

// TestEndToEnd runs a Mastodon conversation through Parley in mode poll:
// the poll runner reads mentions from the fake into storage and the
// pipeline, replies go through the outbox back to the fake. It runs on
// SQLite, and on PostgreSQL when PARLEY_TEST_DATABASE_URL is set.
func TestEndToEnd(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) { endToEnd(t, newParley(t, s, mastodon.ModePoll)) })
}

func endToEnd(t *testing.T, p *parley) {
	ctx := p.ctx
	if p.inbox.ExternalID != mastofake.DefaultBrandID || p.inbox.Credentials[mastodon.CredDomain] != mastofake.DefaultDomain {
		t.Fatalf("prepared inbox %q, %v", p.inbox.ExternalID, p.inbox.Credentials)
	}

	// The first poll starts the inbox; mentions after it are read, what
	// is not a mention is not.
	p.poll()
	first := p.fake.Mention(mastofake.Mention{From: anna, Text: "my blender caught fire 🔥", SpoilerText: "product safety"})
	p.fake.Notify("favourite", anna, first.StatusID)
	second := p.fake.Mention(mastofake.Mention{From: anna, Text: "@acme hello? https://example.social/photo.jpg", ReplyTo: first.StatusID})
	p.clock.Add(15 * time.Second)
	p.poll()

	in := p.message(first.StatusID)
	if in.Text != "[CW: product safety] @acme my blender caught fire 🔥" || in.Visibility != care.Public || in.Direction != care.DirectionIn || in.AuthorName != "Anna Müller" {
		t.Errorf("first message = %+v", in)
	}
	next := p.message(second.StatusID)
	if next.ConversationID != in.ConversationID || next.ReplyToPlatformID != first.StatusID || next.Text != "@acme hello? https://example.social/photo.jpg" {
		t.Errorf("second message = %+v", next)
	}
	contact, err := p.store.Contact(ctx, in.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	if len(contact.Identities) != 1 || contact.Identities[0].PlatformUserID != "anna@example.social" ||
		contact.Identities[0].Handle != "@anna@example.social" || contact.Identities[0].Followers != 152 {
		t.Errorf("contact identities = %+v, want anna@example.social", contact.Identities)
	}
	conv := in.ConversationID

	// A public reply answers the newest mention, as visible as it, and
	// mentions Anna so she is notified.
	m := p.reply(conv, desk.Reply{Text: "So sorry! Please unplug it; we are sending a replacement."})
	posted := p.lastPosted()
	if m.Status != care.DeliverySent || m.PlatformID != posted.ID || posted.InReplyToID != second.StatusID || posted.Visibility != "public" ||
		posted.Status != "@anna@example.social So sorry! Please unplug it; we are sending a replacement." || posted.IdempotencyKey == "" {
		t.Errorf("public reply: message %+v, posted %+v", m, posted)
	}

	// A private mention is a private message; the private reply is a
	// direct post to Anna.
	dm := p.fake.Mention(mastofake.Mention{From: anna, Text: "my address is 1 Main St", Visibility: "direct"})
	p.clock.Add(15 * time.Second)
	p.poll()
	if got := p.message(dm.StatusID); got.Visibility != care.Private || got.ContactID != in.ContactID {
		t.Errorf("private mention = %+v", got)
	}
	m = p.reply(conv, desk.Reply{Text: "Thanks, noted.", Visibility: care.Private})
	if posted := p.lastPosted(); m.Status != care.DeliverySent || posted.Visibility != "direct" || posted.InReplyToID != dm.StatusID ||
		!strings.HasPrefix(posted.Status, "@anna@example.social ") {
		t.Errorf("private reply: message %+v, posted %+v", m, posted)
	}

	// What the instance would refuse is refused before it is queued.
	_, err = p.desk.Reply(ctx, p.agent, conv, desk.Reply{Text: strings.Repeat("long ", 100), Visibility: care.Private})
	if care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), "limited to 500 characters") {
		t.Errorf("a long reply = %v, want EINVALID about the limit", err)
	}
	_, err = p.desk.Reply(ctx, p.agent, conv, desk.Reply{Text: "Public now", Visibility: care.Public, ReplyToMessageID: p.message(dm.StatusID).ID})
	if care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), "reply privately") {
		t.Errorf("a public answer to a private mention = %v, want EINVALID", err)
	}

	// The rate limit holds a reply back until it resets.
	p.fake.Throttle(1)
	queued, err := p.desk.Reply(ctx, p.agent, conv, desk.Reply{Text: "One more thing.", Visibility: care.Public, ReplyToMessageID: next.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.worker.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if m, _ := p.store.Message(ctx, queued.ID); m.Status != care.DeliveryQueued {
		t.Errorf("throttled reply = %s %q, want queued", m.Status, m.StatusReason)
	}
	p.clock.Add(6 * time.Minute)
	if _, err := p.worker.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if m, _ := p.store.Message(ctx, queued.ID); m.Status != care.DeliverySent || p.lastPosted().Status != "@anna@example.social One more thing." {
		t.Errorf("reply after the reset = %s %q", m.Status, m.StatusReason)
	}

	// A reply to a post deleted meanwhile fails for good, saying why.
	gone := p.fake.Mention(mastofake.Mention{From: anna, Text: "never mind"})
	p.clock.Add(15 * time.Second)
	p.poll()
	p.fake.Delete(gone.StatusID)
	m = p.reply(conv, desk.Reply{Text: "Did you mean…", Visibility: care.Public, ReplyToMessageID: p.message(gone.StatusID).ID})
	if m.Status != care.DeliveryFailed || !strings.Contains(m.StatusReason, "no longer exists") {
		t.Errorf("reply to a deleted post = %s %q", m.Status, m.StatusReason)
	}

	// A repeated poll from an old cursor stores nothing twice.
	if err := p.store.SetInboxCursor(ctx, p.inbox.ID, poll.CursorName, "0", p.clock.Now()); err != nil {
		t.Fatal(err)
	}
	before, _ := p.store.Messages(ctx, conv, 0, 1000)
	p.poll()
	after, _ := p.store.Messages(ctx, conv, 0, 1000)
	if len(after) != len(before) {
		t.Errorf("a repeated poll changed the conversation from %d to %d messages", len(before), len(after))
	}
}

// TestEndToEndStream runs an inbox in mode stream as the core would run
// it: a Streamer whose emit stores the events, then the cursor, exactly as
// the poll runner stores a poll's.
func TestEndToEndStream(t *testing.T) {
	p := newParley(t, testdb.SQLite(t), mastodon.ModeStream)
	ctx, cancel := context.WithCancel(p.ctx)
	missed := p.fake.Mention(mastofake.Mention{From: anna, Text: "before the stream"})

	quiet := slog.New(slog.DiscardHandler)
	emit := func(evs []channel.Event, cursor string) error {
		raws, err := webhook.Route(ctx, p.store, quiet, p.inbox, evs, nil, p.clock.Now(), nil)
		if err != nil {
			return err
		}
		for i := range raws {
			if raws[i].Payload == nil {
				raws[i].Payload = []byte{}
			}
		}
		if len(raws) > 0 {
			if _, err := p.ingest.AppendAll(ctx, raws); err != nil {
				return err
			}
		}
		return p.store.SetInboxCursor(ctx, p.inbox.ID, poll.CursorName, cursor, p.clock.Now())
	}
	s := &mastodon.Streamer{Adapter: p.adapter, MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond}
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, *p.inbox, "0", emit) }()
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			cancel()
			<-done
		}
	}
	defer stop()

	// waitFor drains the pipeline until platformID is stored.
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			p.drain()
			if cond() {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("gave up waiting for %s", what)
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
	stored := func(id string) func() bool {
		return func() bool {
			_, err := p.store.MessageByPlatformID(p.ctx, p.inbox.ID, id)
			return err == nil
		}
	}
	waitFor("the caught-up mention", stored(missed.StatusID))
	waitFor("the stream", func() bool { return p.fake.Streams() == 1 })
	live := p.fake.Mention(mastofake.Mention{From: anna, Text: "live", Visibility: "direct"})
	waitFor("the streamed mention", stored(live.StatusID))
	p.fake.Delete(live.StatusID)
	waitFor("the deletion", func() bool { return p.message(live.StatusID).DeletedAt != nil })
	stop()

	if got := p.message(live.StatusID); got.Visibility != care.Private || got.ConversationID != p.message(missed.StatusID).ConversationID {
		t.Errorf("streamed mention = %+v", got)
	}
	// Polls move the cursor, the stream does not: it is the catch-up's.
	cursor, err := p.store.InboxCursor(p.ctx, p.inbox.ID, poll.CursorName)
	if err != nil || cursor != missed.NotificationID {
		t.Errorf("cursor = %q, %v; want %q", cursor, err, missed.NotificationID)
	}
}
