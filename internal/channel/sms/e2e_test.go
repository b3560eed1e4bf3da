package sms_test

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/sms"
	"github.com/parleyhq/parley/internal/channel/sms/twiliofake"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/outbox"
	"github.com/parleyhq/parley/internal/testdb"
	"github.com/parleyhq/parley/internal/webhook"
)

const customer = "+14155550123"

// publicBase is where Twilio knows Parley: the host of the webhook URLs it
// signs. The fake's client reaches it at the test server.
const publicBase = "http://care.example.com"

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

// parley is Parley's inbound and outbound path around one SMS inbox, with
// the fake Twilio on the other side of real HTTP.
type parley struct {
	t        *testing.T
	ctx      context.Context
	store    care.Store
	clock    *clock
	fake     *twiliofake.Fake
	toParley *http.Client
	inbox    *care.Inbox
	agent    care.Principal
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

	p.fake = twiliofake.New()
	p.fake.Now = p.clock.Now
	api := httptest.NewServer(p.fake.Handler())
	t.Cleanup(api.Close)

	adapter := &sms.Adapter{Client: api.Client(), Now: p.clock.Now, Logger: quiet, History: store,
		StatusCallback: func(in care.Inbox) string { return publicBase + "/webhooks/" + strconv.FormatInt(in.ID, 10) }}
	adapters := &channel.Registry{}
	adapters.Register(care.ChannelSMS, adapter)

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

	p.inbox = &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelSMS, Name: "Text us", Credentials: map[string]string{
		sms.CredAccountSID: twiliofake.DefaultAccountSID, sms.CredAuthToken: twiliofake.DefaultAuthToken,
		sms.CredFrom: twiliofake.DefaultNumber, sms.CredAPIBase: api.URL}}
	if err := adapter.Prepare(p.inbox); err != nil {
		t.Fatal(err)
	}
	if err := p.store.CreateInbox(ctx, p.inbox); err != nil {
		t.Fatal(err)
	}

	committer := ingest.NewCommitter(p.store, 64)
	done := make(chan struct{})
	go func() { committer.Run(ctx); close(done) }()
	t.Cleanup(func() { committer.Close(context.Background()); cancel(); <-done })
	mux := http.NewServeMux()
	(&webhook.Handler{Store: p.store, Adapters: adapters, Ingest: committer, Logger: quiet, Now: p.clock.Now}).Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	// Twilio posts to care.example.com, which resolves to the test server;
	// Parley sees that host and rebuilds the URL Twilio signed.
	p.toParley = &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, srv.Listener.Addr().String())
	}}}
	t.Cleanup(p.toParley.CloseIdleConnections)
	p.fake.Client = p.toParley
	p.fake.WebhookURL = publicBase + "/webhooks/" + strconv.FormatInt(p.inbox.ID, 10)

	p.pipeline = &ingest.Pipeline{Store: p.store, Logger: quiet, Now: p.clock.Now}
	p.desk = &desk.Service{Store: p.store, Now: p.clock.Now, Adapters: adapters}
	p.worker = &outbox.Worker{Store: p.store, Senders: adapters, Now: p.clock.Now, Logger: quiet, Rand: func() float64 { return 0 }}
	return p
}

// drain runs the pipeline until every stored event is threaded.
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

// text delivers a customer's message through the fake and threads it.
func (p *parley) text(m twiliofake.Message) string {
	p.t.Helper()
	if m.From == "" {
		m.From = customer
	}
	sid, err := p.fake.Deliver(p.ctx, m)
	if err != nil {
		p.t.Fatalf("deliver %+v: %v", m, err)
	}
	p.clock.Add(time.Second)
	p.drain()
	return sid
}

func (p *parley) message(platformID string) *care.Message {
	p.t.Helper()
	m, err := p.store.MessageByPlatformID(p.ctx, p.inbox.ID, platformID)
	if err != nil {
		p.t.Fatalf("message %s: %v", platformID, err)
	}
	return m
}

func (p *parley) count(convID care.ID) int {
	p.t.Helper()
	msgs, err := p.store.Messages(p.ctx, convID, 0, 1000)
	if err != nil {
		p.t.Fatal(err)
	}
	return len(msgs)
}

// reply queues an agent's reply and runs the outbox once.
func (p *parley) reply(conv care.ID, text string) *care.Message {
	p.t.Helper()
	m, err := p.desk.Reply(p.ctx, p.agent, conv, desk.Reply{Text: text})
	if err != nil {
		p.t.Fatalf("Reply(%q): %v", text, err)
	}
	return p.send(m.ID)
}

// send runs the outbox once and returns the message as recorded.
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

func (p *parley) advance(wantPosted int) {
	p.t.Helper()
	n, err := p.fake.Advance(p.ctx)
	if err != nil || n != wantPosted {
		p.t.Fatalf("Advance = %d, %v; want %d posted", n, err, wantPosted)
	}
	p.drain()
}

// TestEndToEnd runs an SMS conversation through Parley: signed webhooks
// from the fake into storage and the pipeline, replies through the outbox
// back to the fake's Messages resource, statuses onto the replies, and a
// customer opting out and back in. It runs on SQLite, and on PostgreSQL
// when PARLEY_TEST_DATABASE_URL is set.
func TestEndToEnd(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) { endToEnd(t, newParley(t, s)) })
}

func endToEnd(t *testing.T, p *parley) {
	ctx := p.ctx

	// An SMS and an MMS become one conversation with one contact, known by
	// their number.
	first := p.text(twiliofake.Message{Body: "Hi, my order #123 hasn't arrived"})
	photo := "https://api.twilio.com/2010-04-01/Accounts/" + twiliofake.DefaultAccountSID + "/Messages/x/Media/ME1"
	mms := p.text(twiliofake.Message{Body: "This is the box 📦", Media: []twiliofake.Media{{URL: photo, ContentType: "image/jpeg"}}})
	in := p.message(first)
	if in.Text != "Hi, my order #123 hasn't arrived" || in.Direction != care.DirectionIn || in.Visibility != care.Private {
		t.Errorf("first message = %+v", in)
	}
	if m := p.message(mms); m.ConversationID != in.ConversationID || len(m.Attachments) != 1 ||
		m.Attachments[0] != (care.Attachment{Kind: "image", URL: sms.MediaScheme + photo, MimeType: "image/jpeg"}) {
		t.Errorf("MMS = %+v, want the photo in the first message's conversation", m)
	}
	contact, err := p.store.Contact(ctx, in.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	if len(contact.Identities) != 1 || contact.Identities[0].PlatformUserID != customer || contact.Identities[0].Handle != customer {
		t.Errorf("contact identities = %+v, want one keyed by %s", contact.Identities, customer)
	}
	conv := in.ConversationID

	// Forged deliveries are refused and store nothing; a repeated one
	// changes nothing.
	forger := twiliofake.New()
	forger.AuthToken, forger.WebhookURL, forger.Client = "not-the-auth-token", p.fake.WebhookURL, p.toParley
	if _, err := forger.Deliver(ctx, twiliofake.Message{From: customer, Body: "forged"}); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("delivery signed with another token: %v, want a 401", err)
	}
	other := twiliofake.New()
	other.AccountSID, other.WebhookURL, other.Client = "ACffffffffffffffffffffffffffffffff", p.fake.WebhookURL, p.toParley
	if _, err := other.Deliver(ctx, twiliofake.Message{From: customer, Body: "another account"}); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("delivery for another account: %v, want a 401", err)
	}
	p.text(twiliofake.Message{SID: first, Body: "Hi, my order #123 hasn't arrived"})
	if n := p.count(conv); n != 2 {
		t.Errorf("after forged and repeated deliveries the conversation has %d messages, want 2", n)
	}

	// A reply goes out through the outbox; Twilio's statuses, posted to
	// the StatusCallback Parley gave, move it to sent and delivered.
	m := p.reply(conv, "Sorry about that! It ships today.")
	sent := p.fake.Sent()
	if len(sent) != 1 || m.Status != care.DeliverySent || m.PlatformID != sent[0].SID {
		t.Fatalf("after sending: message %+v, fake accepted %+v", m, sent)
	}
	if s := sent[0]; s.To != customer || s.From != twiliofake.DefaultNumber || s.Body != "Sorry about that! It ships today." ||
		s.StatusCallback != p.fake.WebhookURL {
		t.Errorf("fake received %+v", s)
	}
	p.advance(1)
	if got := p.message(m.PlatformID); got.Status != care.DeliverySent {
		t.Errorf("after Twilio's sent status the message is %s", got.Status)
	}
	p.advance(1)
	if got := p.message(m.PlatformID); got.Status != care.DeliveryDelivered {
		t.Errorf("after Twilio's delivered status the message is %s", got.Status)
	}

	// An undelivered status shows the carrier's reason.
	m2 := p.reply(conv, "Tracking: https://example.com/t/5521")
	if err := p.fake.Status(ctx, m2.PlatformID, "undelivered", 30007); err != nil {
		t.Fatal(err)
	}
	p.drain()
	if got := p.message(m2.PlatformID); got.Status != care.DeliveryFailed || !strings.Contains(got.StatusReason, "carrier filtered") {
		t.Errorf("undelivered message = %s %q", got.Status, got.StatusReason)
	}

	// STOP: the reply is refused before it is queued.
	stop := p.text(twiliofake.Message{Body: "STOP"})
	if got := p.message(stop); !strings.HasPrefix(got.Text, "STOP\n\n[The customer opted out") {
		t.Errorf("the STOP message reads %q", got.Text)
	}
	_, err = p.desk.Reply(ctx, p.agent, conv, desk.Reply{Text: "Sorry to see you go"})
	if care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), "text START") {
		t.Errorf("reply after STOP = %v, want EINVALID telling the customer must text START", err)
	}
	// The customer writes again without opting in: their newest keyword
	// is still STOP, so the composer still refuses.
	p.text(twiliofake.Message{Body: "why did I get texts"})
	if _, err := p.desk.Reply(ctx, p.agent, conv, desk.Reply{Text: "You signed up at checkout."}); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("reply after STOP and another message = %v, want EINVALID", err)
	}
	// START opts them back in.
	p.text(twiliofake.Message{Body: "start"})
	// A reply queued before a STOP arrives fails without reaching Twilio,
	// and the agent sees why.
	queued, err := p.desk.Reply(ctx, p.agent, conv, desk.Reply{Text: "Welcome back!"})
	if err != nil {
		t.Fatal(err)
	}
	p.text(twiliofake.Message{Body: "Stop"})
	before := len(p.fake.Sent())
	if got := p.send(queued.ID); got.Status != care.DeliveryFailed || !strings.Contains(got.StatusReason, "replied STOP") {
		t.Errorf("reply queued before a STOP = %s %q, want failed because they replied STOP", got.Status, got.StatusReason)
	}
	if n := len(p.fake.Sent()); n != before {
		t.Errorf("the fake accepted %d messages for an opted-out number", n-before)
	}
	p.text(twiliofake.Message{Body: "START"})
	if m4 := p.reply(conv, "Welcome back!"); m4.Status != care.DeliverySent {
		t.Errorf("reply after START = %s %q, want sent", m4.Status, m4.StatusReason)
	}

	// A throttled send waits for Twilio's Retry-After.
	p.fake.Throttle(1, "7")
	m5, err := p.desk.Reply(ctx, p.agent, conv, desk.Reply{Text: "One more thing…"})
	if err != nil {
		t.Fatal(err)
	}
	if got := p.send(m5.ID); got.Status != care.DeliveryQueued || !strings.Contains(got.StatusReason, "retrying") {
		t.Errorf("throttled reply = %s %q, want queued for a retry", got.Status, got.StatusReason)
	}
	p.clock.Add(5 * time.Second)
	if got := p.send(m5.ID); got.Status != care.DeliveryQueued {
		t.Errorf("5 s into a 7 s Retry-After the reply is %s", got.Status)
	}
	p.clock.Add(3 * time.Second)
	if got := p.send(m5.ID); got.Status != care.DeliverySent {
		t.Errorf("after the Retry-After the reply is %s %q, want sent", got.Status, got.StatusReason)
	}

	// Twilio sometimes signs the URL with its default port.
	p.fake.SignWithPort = true
	late := p.text(twiliofake.Message{Body: "Got it, thanks"})
	if got := p.message(late); got.ConversationID != conv {
		t.Errorf("message signed with :80 went to conversation %d", got.ConversationID)
	}
	if pending, _ := p.store.PendingRaw(ctx, 10); len(pending) != 0 {
		t.Errorf("%d events left pending", len(pending))
	}
}

// TestOptOutAcrossConversations checks that a STOP holds for the number,
// not the conversation: a reply in another conversation with the same
// customer (one an agent opened) is refused and nothing reaches Twilio
// until they text START.
func TestOptOutAcrossConversations(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) { optOutAcrossConversations(t, newParley(t, s)) })
}

func optOutAcrossConversations(t *testing.T, p *parley) {
	ctx := p.ctx
	first := p.message(p.text(twiliofake.Message{Body: "Where is my refund?"}))
	p.text(twiliofake.Message{Body: "STOP"})
	resolved := care.StatusResolved
	if _, err := p.store.UpdateConversation(ctx, first.ConversationID, care.ConversationUpdate{Status: &resolved}, p.clock.Now()); err != nil {
		t.Fatal(err)
	}
	// An agent opens another conversation with the customer: nothing in it
	// shows the STOP.
	other := &care.Conversation{WorkspaceID: p.inbox.WorkspaceID, InboxID: p.inbox.ID, Channel: care.ChannelSMS,
		ContactID: first.ContactID, Status: care.StatusOpen, CreatedAt: p.clock.Now(), LastActivityAt: p.clock.Now()}
	if err := p.store.CreateConversation(ctx, other); err != nil {
		t.Fatal(err)
	}
	// The composer refuses it: the STOP holds for the number. (A reply
	// queued before the STOP fails when sent: TestEndToEnd.)
	_, err := p.desk.Reply(ctx, p.agent, other.ID, desk.Reply{Text: "Your refund went out today."})
	if care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), "another conversation") {
		t.Errorf("reply in another conversation after STOP = %v, want EINVALID naming the other conversation", err)
	}
	if sent := p.fake.Sent(); len(sent) != 0 {
		t.Errorf("the fake accepted %+v for an opted-out number", sent)
	}

	// START, wherever it lands, opts them back in for every conversation.
	start := p.message(p.text(twiliofake.Message{Body: "START"}))
	if start.ConversationID != other.ID {
		t.Errorf("START went to conversation %d, want the open one %d", start.ConversationID, other.ID)
	}
	if m := p.reply(other.ID, "Your refund went out today."); m.Status != care.DeliverySent {
		t.Errorf("reply after START = %s %q, want sent", m.Status, m.StatusReason)
	}
	if sent := p.fake.Sent(); len(sent) != 1 || sent[0].To != customer {
		t.Errorf("the fake accepted %+v, want one message to %s", sent, customer)
	}
}
