package wordpress_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/wordpress"
	"github.com/parleyhq/parley/internal/channel/wordpress/wpfake"
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

// parley is Parley's inbound and outbound path around one WordPress
// inbox, with the fake site on the other side of real HTTP.
type parley struct {
	t        *testing.T
	ctx      context.Context
	store    care.Store
	clock    *clock
	fake     *wpfake.Fake
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
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	quiet := slog.New(slog.DiscardHandler)
	p := &parley{t: t, ctx: ctx, store: store, clock: &clock{t: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}}

	p.fake = wpfake.New()
	p.fake.Now = p.clock.Now
	p.fake.PrettyPermalinks = false // the harder case: ?rest_route=
	srv := httptest.NewServer(p.fake.Handler())
	t.Cleanup(srv.Close)

	adapter := &wordpress.Adapter{Client: srv.Client(), Now: p.clock.Now, Logger: quiet}
	adapters := &channel.Registry{}
	adapters.Register(care.ChannelWordPress, adapter)

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

	p.inbox = &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelWordPress, Name: "Acme blog",
		Credentials: map[string]string{wordpress.CredSiteURL: srv.URL, wordpress.CredUsername: wpfake.DefaultUsername,
			wordpress.CredAppPassword: wpfake.DefaultAppPassword}}
	if err := adapter.Prepare(p.inbox); err != nil {
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
	p.clock.Add(time.Minute)
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

// send runs the outbox until nothing is due.
func (p *parley) send() {
	p.t.Helper()
	for range 5 {
		p.clock.Add(time.Second)
		if _, err := p.worker.RunOnce(p.ctx); err != nil {
			p.t.Fatal(err)
		}
	}
}

func (p *parley) visit(v wpfake.Visitor) string {
	p.clock.Add(time.Minute)
	return strconv.Itoa(p.fake.Comment(v))
}

// TestEndToEnd runs a WordPress site's comments through Parley: the poll
// runner reads them from the fake into storage and the pipeline, replies
// go through the outbox back to the fake, moderation through the desk.
// It runs on SQLite, and on PostgreSQL when PARLEY_TEST_DATABASE_URL is
// set.
func TestEndToEnd(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) { endToEnd(t, newParley(t, s)) })
}

func endToEnd(t *testing.T, p *parley) {
	ctx := p.ctx
	if p.inbox.ExternalID != strconv.Itoa(wpfake.DefaultUserID) || p.inbox.Credentials[wordpress.CredRoute] != wordpress.RouteQuery {
		t.Fatalf("prepared inbox %q, %v", p.inbox.ExternalID, p.inbox.Credentials)
	}
	post := p.fake.AddPost("Release notes")
	maria := p.fake.AddUser(wpfake.User{Username: "maria", Name: "Maria from Acme", Email: "maria@acme.test", Moderator: true})
	old := p.visit(wpfake.Visitor{PostID: post, Name: "Old", Email: "old@example.com", Text: "Before Parley"})
	p.poll() // the first poll starts the inbox
	start, err := p.store.InboxCursor(ctx, p.inbox.ID, poll.CursorName)
	if err != nil || start == "" {
		t.Fatalf("cursor after the first poll = %q, %v", start, err)
	}

	jane := p.visit(wpfake.Visitor{PostID: post, Name: "Jane Doe", Email: "jane@example.com", Text: "The download link is broken."})
	held := p.visit(wpfake.Visitor{PostID: post, Name: "Jane Doe", Email: "jane@example.com", Text: "Still broken?", Held: true})
	p.poll()
	if _, err := p.store.MessageByPlatformID(ctx, p.inbox.ID, old); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("a comment from before the inbox was imported: %v", err)
	}
	first := p.message(jane)
	if first.Visibility != care.Public || first.AuthorName != "Jane Doe" || first.Text != "The download link is broken." {
		t.Errorf("Jane's comment = %+v", first)
	}
	second := p.message(held)
	if second.ConversationID != first.ConversationID {
		t.Errorf("Jane's second comment is in conversation %d, want %d", second.ConversationID, first.ConversationID)
	}
	conv := first.ConversationID

	// The reply answers the newest comment, held: approved first, then
	// answered. Its answer is lost once; the retry posts nothing twice.
	p.fake.LoseNextReply()
	m, err := p.desk.Reply(ctx, p.agent, conv, desk.Reply{Text: "Sorry Jane, fixed: <see the page> & retry."})
	if err != nil {
		t.Fatal(err)
	}
	p.send()
	if m, err = p.store.Message(ctx, m.ID); err != nil {
		t.Fatal(err)
	}
	replies := p.fake.Replies()
	if len(replies) != 1 || m.Status != care.DeliverySent || m.PlatformID != strconv.Itoa(replies[0].ID) ||
		strconv.Itoa(replies[0].ParentID) != held || replies[0].Content != "Sorry Jane, fixed: &lt;see the page&gt; &amp; retry." {
		t.Fatalf("reply %+v (%s %q), posted %+v", m, m.Status, m.StatusReason, replies)
	}
	if c, _ := p.fake.Get(mustAtoi(held)); c.Status != "approved" {
		t.Errorf("the held comment is %s after the reply, want approved", c.Status)
	}
	// Parley's own comment is not read back as a customer's; the brand's
	// answer typed in wp-admin is shown as ours.
	typed := p.visit(wpfake.Visitor{PostID: post, ParentID: mustAtoi(jane), UserID: maria.ID, Text: "Also: a mirror is up."})
	p.poll()
	msgs, err := p.store.Messages(ctx, conv, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var in, out int
	for _, m := range msgs {
		if m.Direction == care.DirectionIn {
			in++
		} else {
			out++
		}
	}
	echo := p.message(typed)
	if in != 2 || out != 2 || echo.Direction != care.DirectionOut || echo.ConversationID != conv || echo.Status != care.DeliverySent {
		t.Errorf("conversation has %d in, %d out; echo %+v", in, out, echo)
	}

	// Private replies are refused before they are queued.
	if _, err := p.desk.Reply(ctx, p.agent, conv, desk.Reply{Text: "psst", Visibility: care.Private}); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("a private reply = %v, want EINVALID", err)
	}

	// Moderation reaches the site.
	if _, err := p.desk.Moderate(ctx, p.agent, first.ID, channel.Hide); err != nil {
		t.Fatalf("Moderate(hide): %v", err)
	}
	if c, _ := p.fake.Get(mustAtoi(jane)); c.Status != "hold" {
		t.Errorf("hidden comment is %s", c.Status)
	}
	if _, err := p.desk.Moderate(ctx, p.agent, first.ID, channel.Delete); err != nil {
		t.Fatalf("Moderate(delete): %v", err)
	}
	if c, _ := p.fake.Get(mustAtoi(jane)); c.Status != "trash" {
		t.Errorf("deleted comment is %s", c.Status)
	}

	// A poll repeated from the first cursor stores nothing twice, and
	// nothing from before it.
	if err := p.store.SetInboxCursor(ctx, p.inbox.ID, poll.CursorName, start, p.clock.Now()); err != nil {
		t.Fatal(err)
	}
	p.poll()
	after, _ := p.store.Messages(ctx, conv, 0, 100)
	if len(after) != len(msgs) {
		t.Errorf("a repeated poll changed the conversation from %d to %d messages", len(msgs), len(after))
	}
	if _, err := p.store.MessageByPlatformID(ctx, p.inbox.ID, old); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("the repeated poll imported the comment from before the inbox: %v", err)
	}
}

func mustAtoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
