package blog_test

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
	"github.com/parleyhq/parley/internal/channel/blog"
	"github.com/parleyhq/parley/internal/channel/blog/feedfake"
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

// parley is Parley's inbound path around one blog inbox, with the fake
// blog on the other side of real HTTP.
type parley struct {
	t        *testing.T
	ctx      context.Context
	store    care.Store
	clock    *clock
	fake     *feedfake.Fake
	srv      *httptest.Server
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

	p.fake = feedfake.New()
	p.fake.Now = p.clock.Now
	p.srv = httptest.NewServer(p.fake.Handler())
	t.Cleanup(p.srv.Close)

	adapter := &blog.Adapter{Client: p.srv.Client(), Now: p.clock.Now, Logger: quiet, FetchTimeout: 10 * time.Second}
	adapters := &channel.Registry{}
	adapters.Register(care.ChannelBlog, adapter)

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

	p.inbox = &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelBlog, Name: "Acme on blogs",
		Credentials: map[string]string{
			blog.CredFeeds:    p.srv.URL + feedfake.CommentsAtom + "\n" + p.srv.URL + feedfake.PostsRSS,
			blog.CredKeywords: "Acme",
		}}
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
	p.clock.Add(5 * time.Minute)
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

// TestEndToEnd follows a blog through Parley: the poll runner reads the
// fake's feeds into storage and the pipeline threads them; replies are
// refused with where to answer instead. It runs on SQLite, and on
// PostgreSQL when PARLEY_TEST_DATABASE_URL is set.
func TestEndToEnd(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) { endToEnd(t, newParley(t, s)) })
}

func endToEnd(t *testing.T, p *parley) {
	ctx := p.ctx
	post := p.fake.Post(feedfake.Post{Author: "Maria", Title: "Blenders compared", HTML: "<p>Acme, Brand B and Brand C.</p>"})
	early := p.fake.Comment(feedfake.Comment{PostID: post.ID, Author: "Sam", HTML: "<p>Acme's is loud.</p>"})

	// The first poll is the baseline: nothing before it is imported.
	p.poll()
	if _, err := p.store.MessageByPlatformID(ctx, p.inbox.ID, early.GUID); care.ErrorCode(err) != care.ENOTFOUND {
		t.Fatalf("a comment older than the inbox was imported: %v", err)
	}

	p.clock.Add(time.Minute)
	jane := p.fake.Comment(feedfake.Comment{PostID: post.ID, Author: "Jane", HTML: "<p>My <em>Acme</em> blender broke after a week!</p>"})
	p.clock.Add(time.Minute)
	p.fake.Comment(feedfake.Comment{PostID: post.ID, Author: "Bo", HTML: "<p>Great comparison.</p>"})
	p.clock.Add(time.Minute)
	reply := p.fake.Comment(feedfake.Comment{PostID: post.ID, ParentID: jane.ID, Author: "Lee", HTML: "<p>Mine too; acme support is slow.</p>"})
	p.clock.Add(time.Minute)
	review := p.fake.Post(feedfake.Post{Author: "Maria", Title: "Acme Pro, a month later", HTML: "<p>Better than we feared.</p>"})
	p.poll()

	first := p.message(jane.GUID)
	if first.Visibility != care.Public || first.Direction != care.DirectionIn || first.AuthorName != "Jane" ||
		first.Text != "Comment on Blenders compared by Jane\n\nMy Acme blender broke after a week!" {
		t.Errorf("Jane's comment = %+v", first)
	}
	second := p.message(reply.GUID)
	if second.ConversationID != first.ConversationID || second.ReplyToPlatformID != jane.GUID {
		t.Errorf("Lee's reply = %+v, want it in Jane's conversation, answering her", second)
	}
	if m := p.message(review.GUID); m.Text != "Acme Pro, a month later\n\nBetter than we feared." {
		t.Errorf("the new post = %+v", m)
	}
	msgs, err := p.store.Messages(ctx, first.ConversationID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if strings.Contains(m.Text, "Great comparison") {
			t.Errorf("a comment without the keyword was imported: %q", m.Text)
		}
	}
	contact, err := p.store.Contact(ctx, first.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	host := strings.TrimPrefix(p.srv.URL, "http://")
	if len(contact.Identities) != 1 || contact.Identities[0].PlatformUserID != host+"/Jane" {
		t.Errorf("Jane's identities = %+v, want %s/Jane", contact.Identities, host)
	}

	// A reply is refused before it is queued, saying where to answer:
	// under the comment answered, by default the newest.
	_, err = p.desk.Reply(ctx, p.agent, first.ConversationID, desk.Reply{Text: "Sorry Lee!", Visibility: care.Public})
	if care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), "Answer on the blog itself ("+reply.Link+")") {
		t.Errorf("Reply = %v, want EINVALID naming the comment's address", err)
	}
	_, err = p.desk.Reply(ctx, p.agent, first.ConversationID, desk.Reply{Text: "Sorry Jane!", ReplyToMessageID: first.ID})
	if care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), jane.Link) {
		t.Errorf("Reply to Jane = %v, want EINVALID naming her comment's address", err)
	}

	// A poll with nothing new stores nothing; nor does one that lost its
	// cursor, which takes a new baseline.
	before, _ := p.store.Messages(ctx, first.ConversationID, 0, 100)
	p.poll()
	if err := p.store.SetInboxCursor(ctx, p.inbox.ID, poll.CursorName, "", p.clock.Now()); err != nil {
		t.Fatal(err)
	}
	p.poll()
	after, _ := p.store.Messages(ctx, first.ConversationID, 0, 100)
	if len(after) != len(before) {
		t.Errorf("polls with nothing new changed the conversation from %d to %d messages", len(before), len(after))
	}
	// Jane writing again joins her open conversation.
	p.clock.Add(time.Minute)
	again := p.fake.Comment(feedfake.Comment{PostID: post.ID, Author: "Jane", HTML: "<p>acme, anyone?</p>"})
	p.poll()
	if m := p.message(again.GUID); m.ConversationID != first.ConversationID {
		t.Errorf("Jane's second comment is in conversation %d, want %d", m.ConversationID, first.ConversationID)
	}
}
