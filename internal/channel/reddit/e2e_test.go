package reddit_test

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
	"github.com/parleyhq/parley/internal/channel/reddit"
	"github.com/parleyhq/parley/internal/channel/reddit/redditfake"
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

// parley is Parley's inbound and outbound path around one Reddit inbox,
// with the fake Reddit on the other side of real HTTP.
type parley struct {
	t        *testing.T
	ctx      context.Context
	store    care.Store
	clock    *clock
	fake     *redditfake.Fake
	adapter  *reddit.Adapter
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

	p.fake = redditfake.New()
	p.fake.Now = p.clock.Now
	api := httptest.NewServer(p.fake.Handler())
	t.Cleanup(api.Close)

	p.adapter = &reddit.Adapter{Client: api.Client(), Now: p.clock.Now, Logger: quiet, UserAgent: "server:org.parleyhq.e2e:v1"}
	adapters := &channel.Registry{}
	adapters.Register(care.ChannelReddit, p.adapter)

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

	p.inbox = &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelReddit, Name: "Acme on Reddit",
		Credentials: map[string]string{reddit.CredAPIBase: api.URL, reddit.CredClientID: redditfake.ClientID,
			reddit.CredClientSecret: redditfake.ClientSecret, reddit.CredUsername: redditfake.Username, reddit.CredPassword: redditfake.Password}}
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
	p.clock.Add(30 * time.Second)
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

// send runs the outbox once and returns m as it is stored after.
func (p *parley) send(m *care.Message) *care.Message {
	p.t.Helper()
	if _, err := p.worker.RunOnce(p.ctx); err != nil {
		p.t.Fatal(err)
	}
	m, err := p.store.Message(p.ctx, m.ID)
	if err != nil {
		p.t.Fatal(err)
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
	return p.send(m)
}

func (p *parley) lastPosted() redditfake.Posted {
	p.t.Helper()
	posted := p.fake.Posted()
	if len(posted) == 0 {
		p.t.Fatal("nothing posted")
	}
	return posted[len(posted)-1]
}

// lastOfKind is the last thing of kind the brand posted.
func (p *parley) lastOfKind(kind string) redditfake.Posted {
	p.t.Helper()
	posted := p.fake.Posted()
	for i := len(posted) - 1; i >= 0; i-- {
		if posted[i].Kind == kind {
			return posted[i]
		}
	}
	p.t.Fatalf("no %s posted", kind)
	return redditfake.Posted{}
}

// TestEndToEnd runs a Reddit conversation through Parley: the poll runner
// reads the account's inbox from the fake into storage and the pipeline,
// replies and moderation go back to the fake. It runs on SQLite, and on
// PostgreSQL when PARLEY_TEST_DATABASE_URL is set.
func TestEndToEnd(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) { endToEnd(t, newParley(t, s)) })
}

func endToEnd(t *testing.T, p *parley) {
	ctx := p.ctx
	if p.inbox.ExternalID != redditfake.Username {
		t.Fatalf("prepared inbox %q", p.inbox.ExternalID)
	}
	const customer = "Some_Customer"
	post := p.fake.Post(customer, "Router issues after firmware 2.1", "It reboots every hour.")
	p.fake.Comment(redditfake.Comment{From: customer, Parent: post, Body: "u/AcmeSupport is this known?"})

	// The first poll starts the inbox: what came before is history.
	p.poll()
	first, err := p.store.InboxCursor(ctx, p.inbox.ID, poll.CursorName)
	if err != nil || first == "" {
		t.Fatalf("first cursor %q, %v", first, err)
	}
	mention := p.fake.Comment(redditfake.Comment{From: customer, Parent: post, Body: "u/AcmeSupport **still** rebooting, see [log](https://paste.example/1)"})
	p.poll()
	in := p.message(mention)
	if in.Visibility != care.Public || in.Direction != care.DirectionIn || in.Text != "u/AcmeSupport still rebooting, see log (https://paste.example/1)" ||
		len(in.Attachments) != 1 || !strings.HasPrefix(in.Attachments[0].URL, "https://www.reddit.com/r/acme/comments/") {
		t.Errorf("mention = %+v", in)
	}
	conv, err := p.store.Conversation(ctx, in.ConversationID)
	if err != nil || conv.Subject != "Router issues after firmware 2.1" {
		t.Fatalf("conversation %+v, %v", conv, err)
	}
	contact, err := p.store.Contact(ctx, in.ContactID)
	if err != nil || len(contact.Identities) != 1 || contact.Identities[0].PlatformUserID != "some_customer" || contact.Identities[0].Handle != customer {
		t.Errorf("contact = %+v, %v", contact, err)
	}

	// A public reply is a comment under the mention.
	m := p.reply(conv.ID, desk.Reply{Text: "Sorry! Firmware 2.1.1 fixes it.", Visibility: care.Public})
	posted := p.lastPosted()
	if m.Status != care.DeliverySent || m.PlatformID != posted.Name || posted.Kind != "comment" || posted.ThingID != mention ||
		posted.UserAgent != "server:org.parleyhq.e2e:v1 (by /u/AcmeSupport)" {
		t.Errorf("public reply: message %+v, posted %+v", m, posted)
	}

	// The customer answers the brand's comment: the same conversation.
	answer := p.fake.Comment(redditfake.Comment{From: customer, Parent: posted.Name, Body: "Installed it, thanks"})
	p.poll()
	if got := p.message(answer); got.ConversationID != conv.ID || got.ReplyToPlatformID != posted.Name {
		t.Errorf("answer to the brand's comment = %+v", got)
	}

	// Taking it private: a new message, titled after the thread, found by
	// its id when the customer answers it.
	pair, err := p.desk.TakePrivate(ctx, p.agent, conv.ID, desk.TakePrivate{MessageID: p.message(answer).ID,
		PublicText: "Glad it works! We sent you a message.", PrivateText: "Could you share your serial number?"})
	if err != nil {
		t.Fatal(err)
	}
	if pub := p.send(&pair[0]); pub.Status != care.DeliverySent || pub.PlatformID != p.lastOfKind("comment").Name {
		t.Errorf("public acknowledgement = %+v", pub)
	}
	priv := p.send(&pair[1])
	composed := p.lastOfKind("compose")
	if priv.Status != care.DeliverySent || composed.Kind != "compose" || composed.To != customer ||
		composed.Subject != "Re: Router issues after firmware 2.1" || priv.PlatformID != composed.Name {
		t.Errorf("private reply: message %+v, posted %+v", priv, composed)
	}
	pm := p.fake.Message(redditfake.Message{From: customer, Body: "Sure: SN-123", ReplyTo: composed.Name})
	p.poll()
	if got := p.message(pm); got.ConversationID != conv.ID || got.Visibility != care.Private || got.ReplyToPlatformID != composed.Name {
		t.Errorf("answer to the message = %+v", got)
	}
	m = p.reply(conv.ID, desk.Reply{Text: "Thanks, noted.", Visibility: care.Private})
	if posted := p.lastPosted(); m.Status != care.DeliverySent || posted.Kind != "reply" || posted.ThingID != pm {
		t.Errorf("reply in the thread: message %+v, posted %+v", m, posted)
	}

	// What Reddit would refuse is refused before it is queued.
	_, err = p.desk.Reply(ctx, p.agent, conv.ID, desk.Reply{Text: strings.Repeat("long ", 2001), Visibility: care.Private})
	if care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), "10000 characters") {
		t.Errorf("a long reply = %v, want EINVALID about the limit", err)
	}
	_, err = p.desk.Reply(ctx, p.agent, conv.ID, desk.Reply{Text: "Public now", Visibility: care.Public, ReplyToMessageID: p.message(pm).ID})
	if care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), "reply privately") {
		t.Errorf("a public answer to a message = %v, want EINVALID", err)
	}

	// RATELIMIT holds a reply back for the wait Reddit names.
	p.fake.SlowDown("you are doing that too much. try again in 5 minutes.")
	queued, err := p.desk.Reply(ctx, p.agent, conv.ID, desk.Reply{Text: "One more thing.", Visibility: care.Public, ReplyToMessageID: in.ID})
	if err != nil {
		t.Fatal(err)
	}
	if m := p.send(queued); m.Status != care.DeliveryQueued || !strings.Contains(m.StatusReason, "slow down") {
		t.Errorf("rate-limited reply = %s %q, want queued", m.Status, m.StatusReason)
	}
	p.clock.Add(2 * time.Minute)
	if m := p.send(queued); m.Status != care.DeliveryQueued {
		t.Errorf("reply before the wait = %s", m.Status)
	}
	p.clock.Add(4 * time.Minute)
	if m := p.send(queued); m.Status != care.DeliverySent || p.lastPosted().Text != "One more thing." {
		t.Errorf("reply after the wait = %s %q", m.Status, m.StatusReason)
	}

	// A locked thread fails the reply for good, saying why.
	p.fake.Lock(post)
	m = p.reply(conv.ID, desk.Reply{Text: "Anyone else?", Visibility: care.Public, ReplyToMessageID: in.ID})
	if m.Status != care.DeliveryFailed || !strings.Contains(m.StatusReason, "locked") {
		t.Errorf("reply in a locked thread = %s %q", m.Status, m.StatusReason)
	}

	// The brand moderates r/acme: hiding removes the comment.
	if _, err := p.desk.Moderate(ctx, p.agent, in.ID, channel.Hide); err != nil || !p.fake.Removed(mention) {
		t.Errorf("hide: %v, removed %v", err, p.fake.Removed(mention))
	}

	// A repeated poll from the first cursor reads everything again and
	// stores nothing twice.
	if err := p.store.SetInboxCursor(ctx, p.inbox.ID, poll.CursorName, first, p.clock.Now()); err != nil {
		t.Fatal(err)
	}
	before, _ := p.store.Messages(ctx, conv.ID, 0, 1000)
	queries := len(p.fake.InboxQueries())
	p.poll()
	after, _ := p.store.Messages(ctx, conv.ID, 0, 1000)
	if len(after) != len(before) || len(p.fake.InboxQueries()) == queries {
		t.Errorf("a repeated poll changed the conversation from %d to %d messages", len(before), len(after))
	}
	if next, _ := p.store.InboxCursor(ctx, p.inbox.ID, poll.CursorName); next == first {
		t.Errorf("the repeated poll did not move the cursor")
	}
}
