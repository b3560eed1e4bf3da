package bluesky_test

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
	"github.com/parleyhq/parley/internal/channel/bluesky"
	"github.com/parleyhq/parley/internal/channel/bluesky/bskyfake"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/outbox"
	"github.com/parleyhq/parley/internal/poll"
	"github.com/parleyhq/parley/internal/testdb"
)

const (
	brand     = "did:plc:u5cwb2mwiv2bfq53cjufe6yn"
	brandPass = "abcd-efgh-ijkl-mnop"
	ana       = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
	ben       = "did:plc:44ybard66vv44zksje25o7dz"
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

// parley is Parley's polling, pipeline, desk and outbox around one Bluesky
// inbox, with the fake Bluesky on the other side of real HTTP.
type parley struct {
	t        *testing.T
	ctx      context.Context
	store    care.Store
	clock    *clock
	fake     *bskyfake.Fake
	inbox    *care.Inbox
	agent    care.Principal
	runner   *poll.Runner
	pipeline *ingest.Pipeline
	desk     *desk.Service
	worker   *outbox.Worker
}

func newParley(t *testing.T) *parley {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	quiet := slog.New(slog.DiscardHandler)
	p := &parley{t: t, ctx: ctx, store: testdb.SQLite(t), clock: &clock{t: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}}

	p.fake = bskyfake.New()
	p.fake.SetClock(p.clock.Now)
	p.fake.AddAccount(bskyfake.Account{DID: brand, Handle: "acme.example.com", DisplayName: "Acme", AppPassword: brandPass, Followers: 5000})
	p.fake.AddAccount(bskyfake.Account{DID: ana, Handle: "ana.bsky.social", DisplayName: "Ana Lima", Followers: 1234, Verified: true})
	p.fake.AddAccount(bskyfake.Account{DID: ben, Handle: "ben.example.net", DisplayName: "Ben", Followers: 12})
	api := httptest.NewServer(p.fake)
	t.Cleanup(api.Close)

	adapter := &bluesky.Adapter{Client: api.Client(), Now: p.clock.Now, Logger: quiet}
	adapters := &channel.Registry{}
	adapters.Register(care.ChannelBluesky, adapter)

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

	p.inbox = &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelBluesky, Name: "Acme on Bluesky",
		Credentials: map[string]string{bluesky.CredIdentifier: "@acme.example.com", bluesky.CredAppPassword: brandPass,
			bluesky.CredAPIBase: api.URL}}
	setup, ok := adapters.Setup(care.ChannelBluesky)
	if !ok {
		t.Fatal("the adapter has no Setup")
	}
	if err := setup.Prepare(p.inbox); err != nil {
		t.Fatal(err)
	}
	if err := p.store.CreateInbox(ctx, p.inbox); err != nil {
		t.Fatal(err)
	}

	committer := ingest.NewCommitter(p.store, 64)
	done := make(chan struct{})
	go func() { committer.Run(ctx); close(done) }()
	t.Cleanup(func() { committer.Close(context.Background()); cancel(); <-done })
	p.runner = &poll.Runner{Store: p.store, Adapters: adapters, Ingest: committer, Now: p.clock.Now, Logger: quiet}
	p.pipeline = &ingest.Pipeline{Store: p.store, Logger: quiet, Now: p.clock.Now}
	p.desk = &desk.Service{Store: p.store, Now: p.clock.Now, Adapters: adapters}
	p.worker = &outbox.Worker{Store: p.store, Senders: adapters, Now: p.clock.Now, Logger: quiet, Rand: func() float64 { return 0 }}
	return p
}

// poll runs one poll of the inbox and the pipeline after it.
func (p *parley) poll() {
	p.t.Helper()
	wait, err := p.runner.Once(p.ctx, p.inbox.ID)
	if err != nil || wait != 25*time.Second {
		p.t.Fatalf("poll = %v, %v; want a 25-second interval", wait, err)
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

func (p *parley) publish(author string, in bskyfake.PostInput) bskyfake.Post {
	p.t.Helper()
	post, err := p.fake.Publish(author, in)
	if err != nil {
		p.t.Fatal(err)
	}
	p.clock.Add(time.Second)
	return post
}

func (p *parley) message(platformID string) *care.Message {
	p.t.Helper()
	m, err := p.store.MessageByPlatformID(p.ctx, p.inbox.ID, platformID)
	if err != nil {
		p.t.Fatalf("message %s: %v", platformID, err)
	}
	return m
}

func (p *parley) count(conv care.ID) int {
	p.t.Helper()
	msgs, err := p.store.Messages(p.ctx, conv, 0, 1000)
	if err != nil {
		p.t.Fatal(err)
	}
	return len(msgs)
}

// reply has the agent answer and runs the outbox once.
func (p *parley) reply(conv care.ID, r desk.Reply) *care.Message {
	p.t.Helper()
	m, err := p.desk.Reply(p.ctx, p.agent, conv, r)
	if err != nil {
		p.t.Fatalf("Reply(%q): %v", r.Text, err)
	}
	return p.send(m.ID)
}

func (p *parley) send(id care.ID) *care.Message {
	p.t.Helper()
	if _, err := p.worker.RunOnce(p.ctx); err != nil {
		p.t.Fatal(err)
	}
	m, err := p.store.Message(p.ctx, id)
	if err != nil {
		p.t.Fatal(err)
	}
	return m
}

// TestEndToEnd runs Bluesky conversations through Parley: the poll runner
// reads notifications and the chat log from the fake into storage and the
// pipeline; the desk's replies go out through the outbox as reply posts
// and DMs.
func TestEndToEnd(t *testing.T) {
	p := newParley(t)
	ctx := p.ctx
	if p.inbox.ExternalID != "" || p.inbox.Credentials[bluesky.CredIdentifier] != "acme.example.com" {
		t.Errorf("prepared inbox: external id %q, identifier %q", p.inbox.ExternalID, p.inbox.Credentials[bluesky.CredIdentifier])
	}
	sale := p.publish(brand, bskyfake.PostInput{Text: "Our winter sale starts today ❄️"})
	p.poll() // the inbox starts: nothing yet

	// Ana answers the brand's post and follows up on her own reply; Ben
	// writes a DM.
	first := p.publish(ana, bskyfake.PostInput{Text: "@acme.example.com my order 881 never arrived", ReplyTo: sale.URI})
	follow := p.publish(ana, bskyfake.PostInput{Text: "Two weeks now 😞", ReplyTo: first.URI, Images: []string{"empty mailbox"}})
	if _, err := p.fake.SendDM(ben, brand, "Hi, can I change my delivery address?"); err != nil {
		t.Fatal(err)
	}
	p.poll()

	m1, m2 := p.message(first.URI), p.message(follow.URI)
	if m1.Visibility != care.Public || m1.Direction != care.DirectionIn || m1.ReplyToPlatformID != sale.URI || m1.AuthorName != "Ana Lima" {
		t.Errorf("Ana's first post = %+v", m1)
	}
	if m2.ConversationID != m1.ConversationID || m2.ReplyToPlatformID != first.URI || len(m2.Attachments) != 1 || m2.Attachments[0].Kind != "image" {
		t.Errorf("Ana's follow-up = %+v, want it in her conversation, answering her post, with the image", m2)
	}
	contact, err := p.store.Contact(ctx, m1.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	if id := contact.Identities[0]; len(contact.Identities) != 1 || id.Platform != care.ChannelBluesky || id.PlatformUserID != ana ||
		id.Handle != "@ana.bsky.social" || id.DisplayName != "Ana Lima" || id.Followers != 1234 || !id.Verified {
		t.Errorf("Ana's identities = %+v", contact.Identities)
	}
	dms := p.fake.Messages()
	benMsg := p.message(dms[0].ConvoID + ":" + dms[0].ID)
	if benMsg.Visibility != care.Private || benMsg.Text != "Hi, can I change my delivery address?" {
		t.Errorf("Ben's DM = %+v", benMsg)
	}
	benContact, err := p.store.Contact(ctx, benMsg.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	if id := benContact.Identities[0]; id.PlatformUserID != ben || id.Handle != "@ben.example.net" || id.Followers != 12 || id.Verified {
		t.Errorf("Ben's identity = %+v", id)
	}

	// The agent answers Ana in public: a reply to her follow-up, in the
	// thread of the brand's post, mentioning her.
	conv := m1.ConversationID
	r1 := p.reply(conv, desk.Reply{Text: "So sorry @ana.bsky.social 🙏 it ships today: https://acme.example.com/track/881"})
	post, ok := p.fake.Post(r1.PlatformID)
	if r1.Status != care.DeliverySent || !ok {
		t.Fatalf("public reply = %s %q, on the fake: %v", r1.Status, r1.StatusReason, ok)
	}
	if post.Author != brand || post.Root.URI != sale.URI || post.Parent.URI != follow.URI || post.Parent.CID != follow.CID {
		t.Errorf("reply post = %+v; want the brand's, rooted at the sale post, answering the follow-up", post)
	}
	if !strings.Contains(string(post.Record), `"did":"`+ana+`"`) || !strings.Contains(string(post.Record), `"byteStart":9`) {
		t.Errorf("reply record = %s, want a mention facet of Ana at byte 9", post.Record)
	}

	// And Ben in private.
	benConv := benMsg.ConversationID
	r2 := p.reply(benConv, desk.Reply{Text: "Yes: send the new address here."})
	dms = p.fake.Messages()
	if last := dms[len(dms)-1]; r2.Status != care.DeliverySent || r2.PlatformID != last.ConvoID+":"+last.ID || last.Sender != brand {
		t.Errorf("DM reply = %+v, fake's last DM %+v", r2, last)
	}
	// A public answer to Ben, who only wrote a DM, is refused before it
	// is queued; so is a post over 300 characters.
	if _, err := p.desk.Reply(ctx, p.agent, benConv, desk.Reply{Text: "Hi Ben", Visibility: care.Public}); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("public reply to a DM: %v, want EINVALID", err)
	}
	if _, err := p.desk.Reply(ctx, p.agent, conv, desk.Reply{Text: strings.Repeat("🙂", 301)}); care.ErrorCode(err) != care.EINVALID ||
		!strings.Contains(care.ErrorMessage(err), "300") {
		t.Errorf("reply of 301 emoji: %v, want EINVALID naming 300", err)
	}

	// The access token expires; Ana answers the brand's reply, Ben writes
	// again. The brand's own DM in the log is not a new message.
	p.fake.ExpireAccessTokens()
	p.clock.Add(time.Minute)
	thanks := p.publish(ana, bskyfake.PostInput{Text: "Thank you!", ReplyTo: r1.PlatformID})
	if _, err := p.fake.SendDM(ben, brand, "Flat 2, 10 High St"); err != nil {
		t.Fatal(err)
	}
	before := p.count(conv)
	p.poll()
	if m := p.message(thanks.URI); m.ConversationID != conv || m.ReplyToPlatformID != r1.PlatformID {
		t.Errorf("Ana's thanks = %+v, want it in her conversation answering the brand's reply", m)
	}
	if n := p.count(conv); n != before+1 {
		t.Errorf("Ana's conversation has %d messages, want %d", n, before+1)
	}
	if n := p.count(benConv); n != 3 {
		t.Errorf("Ben's conversation has %d messages, want 3 (his two and the brand's one)", n)
	}
	if n := p.fake.Calls(bskyfake.CreateSession); n != 1 {
		t.Errorf("createSession calls = %d, want 1: the session is refreshed, not recreated", n)
	}

	// A reply whose answer is lost is retried and posted once.
	p.fake.LoseNext(bskyfake.CreateRecord, 1)
	m, err := p.desk.Reply(ctx, p.agent, conv, desk.Reply{Text: "You're welcome!"})
	if err != nil {
		t.Fatal(err)
	}
	if got := p.send(m.ID); got.Status != care.DeliveryQueued {
		t.Fatalf("reply with a lost answer = %s %q, want queued for a retry", got.Status, got.StatusReason)
	}
	p.clock.Add(time.Minute)
	got := p.send(m.ID)
	if got.Status != care.DeliverySent {
		t.Fatalf("retried reply = %s %q, want sent", got.Status, got.StatusReason)
	}
	n := 0
	for _, post := range p.fake.Posts() {
		if post.Text == "You're welcome!" {
			n++
			if post.URI != got.PlatformID {
				t.Errorf("posted %s, recorded %s", post.URI, got.PlatformID)
			}
		}
	}
	if n != 1 {
		t.Errorf("the reply was posted %d times, want once", n)
	}
}

// A login refused by Bluesky's limit shows on the inbox's health and waits
// for the reset, without calling createSession on every poll.
func TestEndToEndLoginLimited(t *testing.T) {
	p := newParley(t)
	p.fake.SetLimit(bskyfake.CreateSession, 0)
	wait, err := p.runner.Once(p.ctx, p.inbox.ID)
	if err == nil || wait < 4*time.Minute {
		t.Fatalf("poll = %v, %v; want an error and a wait until the limit resets", wait, err)
	}
	in, err := p.store.Inbox(p.ctx, p.inbox.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(in.Health.LastError, "limits logins") {
		t.Errorf("inbox health = %q, want the login limit explained", in.Health.LastError)
	}
	for range 3 {
		p.clock.Add(25 * time.Second)
		if _, err := p.runner.Once(p.ctx, p.inbox.ID); err == nil {
			t.Fatal("poll succeeded while logins are limited")
		}
	}
	if n := p.fake.Calls(bskyfake.CreateSession); n != 1 {
		t.Errorf("createSession calls = %d, want 1", n)
	}
}
