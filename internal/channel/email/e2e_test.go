package email_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/email"
	"github.com/parleyhq/parley/internal/channel/email/mailtest"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/outbox"
	"github.com/parleyhq/parley/internal/poll"
	"github.com/parleyhq/parley/internal/testdb"
)

const (
	support  = "support@acme.example.com"
	customer = "jane@example.net"
	password = "e2e-password"
)

// clock is a settable time shared by every component.
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

// parley is Parley's inbound and outbound path around one email inbox:
// the poll runner reading an in-memory IMAP server, the outbox submitting
// to an in-memory SMTP server that delivers into the customer's mailbox
// on the same IMAP server, all over real connections on 127.0.0.1.
type parley struct {
	t        *testing.T
	ctx      context.Context
	store    care.Store
	clock    *clock
	imap     *mailtest.IMAP
	smtp     *mailtest.SMTP
	adapter  *email.Adapter
	inbox    *care.Inbox
	agent    care.Principal
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

	var err error
	if p.imap, err = mailtest.NewIMAP(mailtest.IMAPOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.imap.Close() })
	for _, u := range []string{support, customer} {
		if err := p.imap.AddUser(u, password); err != nil {
			t.Fatal(err)
		}
	}
	if p.smtp, err = mailtest.NewSMTP(mailtest.SMTPOptions{Username: support, Password: password, Deliver: p.imap}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.smtp.Close() })

	p.adapter = &email.Adapter{Now: p.clock.Now, Logger: quiet}
	adapters := &channel.Registry{}
	adapters.Register(care.ChannelEmail, p.adapter)

	ws := &care.Workspace{Slug: "acme", Name: "Acme"}
	if err := store.CreateWorkspace(ctx, ws); err != nil {
		t.Fatal(err)
	}
	u := &care.User{Email: "sam@acme.test", Name: "Sam"}
	if err := store.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := store.SetMember(ctx, care.Member{WorkspaceID: ws.ID, UserID: u.ID, Role: care.RoleAgent}); err != nil {
		t.Fatal(err)
	}
	p.agent = care.Principal{UserID: u.ID, WorkspaceID: ws.ID, Role: care.RoleAgent, Name: "Sam"}

	p.inbox = &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelEmail, Name: "Acme Support", Credentials: map[string]string{
		email.CredIMAPHost: p.imap.Addr, email.CredIMAPTLS: email.TLSNone, email.CredIMAPUser: support, email.CredIMAPPassword: password,
		email.CredSMTPHost: p.smtp.Addr, email.CredSMTPTLS: email.TLSNone, email.CredSMTPUser: support, email.CredSMTPPassword: password,
		email.CredFrom: "Acme Support <" + support + ">",
	}}
	if err := p.adapter.Prepare(p.inbox); err != nil {
		t.Fatal(err)
	}
	if err := store.CreateInbox(ctx, p.inbox); err != nil {
		t.Fatal(err)
	}

	committer := ingest.NewCommitter(store, 64)
	done := make(chan struct{})
	go func() { committer.Run(ctx); close(done) }()
	t.Cleanup(func() { committer.Close(context.Background()); cancel(); <-done })
	p.runner = &poll.Runner{Store: store, Adapters: adapters, Ingest: committer, Logger: quiet, Now: p.clock.Now}
	p.pipeline = &ingest.Pipeline{Store: store, Logger: quiet, Now: p.clock.Now}
	p.desk = &desk.Service{Store: store, Now: p.clock.Now, Adapters: adapters}
	p.worker = &outbox.Worker{Store: store, Senders: adapters, Now: p.clock.Now, Logger: quiet, Rand: func() float64 { return 0 }}
	return p
}

// receive puts raw into the support mailbox, as the customer's mail
// server would, and lets a minute pass.
func (p *parley) receive(raw []byte) {
	p.t.Helper()
	raw = bytes.ReplaceAll(bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n"))
	if _, err := p.imap.Append(support, "INBOX", raw, p.clock.Now()); err != nil {
		p.t.Fatal(err)
	}
	p.clock.Add(time.Minute)
}

// poll runs one poll of the inbox and threads what it stored.
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

func (p *parley) count(convID care.ID) int {
	p.t.Helper()
	msgs, err := p.store.Messages(p.ctx, convID, 0, 1000)
	if err != nil {
		p.t.Fatal(err)
	}
	return len(msgs)
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

// inbox returns the customer's mailbox.
func (p *parley) customerMail() []mailtest.StoredMessage {
	p.t.Helper()
	msgs, err := p.imap.Messages(customer, "INBOX")
	if err != nil {
		p.t.Fatal(err)
	}
	return msgs
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "mail", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestEndToEnd runs an email conversation through Parley: IMAP into
// storage and the pipeline, a reply through the outbox and SMTP into the
// customer's mailbox, the customer's answer threaded back, a bounce onto
// the reply. It runs on SQLite, and on PostgreSQL when
// PARLEY_TEST_DATABASE_URL is set.
func TestEndToEnd(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) { endToEnd(t, newParley(t, s)) })
}

func endToEnd(t *testing.T, p *parley) {
	ctx := p.ctx

	// Jane writes; the poll finds her message and threads it.
	const first = "CAF=abc123.customer@mail.example.net"
	p.receive(fixture(t, "01_customer_original.eml"))
	p.poll()
	in := p.message(first)
	if in.Text != "Hi, my order #123 has not arrived yet." || in.Direction != care.DirectionIn || in.Visibility != care.Private || in.AuthorName != "Jane Doe" {
		t.Errorf("first message = %+v", in)
	}
	conv, err := p.store.Conversation(ctx, in.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	if conv.Subject != "Order #123 not delivered" {
		t.Errorf("conversation subject %q", conv.Subject)
	}
	contact, err := p.store.Contact(ctx, in.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	if len(contact.Identities) != 1 || contact.Identities[0].PlatformUserID != customer || contact.Name != "Jane Doe" {
		t.Errorf("contact = %+v, want Jane by her address", contact)
	}

	// Her autoresponder and a newsletter are not conversations; a repeated
	// delivery of her message changes nothing.
	p.receive(fixture(t, "auto_replied.eml"))
	p.receive(fixture(t, "list.eml"))
	p.receive(fixture(t, "01_customer_original.eml"))
	p.poll()
	if n := p.count(conv.ID); n != 1 {
		t.Errorf("after an auto-reply, a list post and a repeat the conversation has %d messages, want 1", n)
	}
	if convs, _ := p.store.Conversations(ctx, care.ConversationFilter{WorkspaceID: p.inbox.WorkspaceID}); len(convs.Conversations) != 1 {
		t.Errorf("%d conversations, want 1", len(convs.Conversations))
	}

	// Sam answers; the reply reaches Jane's mailbox, threaded under her
	// message.
	reply, err := p.desk.Reply(ctx, p.agent, conv.ID, desk.Reply{Text: "Sorry about that, Jane! It ships today."})
	if err != nil {
		t.Fatalf("Reply: %v", err)
	}
	sent := p.send(reply.ID)
	if sent.Status != care.DeliverySent || !strings.HasPrefix(sent.PlatformID, "parley.") || !strings.HasSuffix(sent.PlatformID, "@acme.example.com") {
		t.Fatalf("after sending: %+v", sent)
	}
	box := p.customerMail()
	if len(box) != 1 {
		t.Fatalf("Jane's mailbox holds %d messages, want the reply", len(box))
	}
	h := header(t, box[0].Raw)
	if subj, _ := h.Subject(); subj != "Re: Order #123 not delivered" || h.Get("In-Reply-To") != "<"+first+">" || h.Get("Message-Id") != "<"+sent.PlatformID+">" {
		t.Errorf("the reply Jane got: Subject %q, In-Reply-To %q, Message-ID %q", subj, h.Get("In-Reply-To"), h.Get("Message-Id"))
	}

	// Jane answers from her mail client, quoting us; her answer joins the
	// conversation, without the quote.
	answer := fmt.Sprintf("From: Jane Doe <%s>\nTo: Acme Support <%s>\nSubject: Re: Order #123 not delivered\n"+
		"Date: Tue, 24 Nov 2026 09:30:00 +0000\nMessage-ID: <answer.1@mail.example.net>\nIn-Reply-To: <%s>\nReferences: <%s> <%s>\n\n"+
		"Great, thanks!\n\nOn Tue, 24 Nov 2026 at 09:05, Acme Support <%s> wrote:\n> Sorry about that, Jane! It ships today.\n",
		customer, support, sent.PlatformID, first, sent.PlatformID, support)
	p.receive([]byte(answer))
	p.poll()
	got := p.message("answer.1@mail.example.net")
	if got.ConversationID != conv.ID || got.Text != "Great, thanks!" || got.ReplyToPlatformID != sent.PlatformID {
		t.Errorf("Jane's answer = conversation %d, text %q, reply to %q; want %d, %q, %q", got.ConversationID, got.Text, got.ReplyToPlatformID, conv.ID, "Great, thanks!", sent.PlatformID)
	}

	// Resolved, then answered again by In-Reply-To: the same conversation
	// reopens.
	resolved := care.StatusResolved
	if _, err := p.desk.Update(ctx, p.agent, conv.ID, care.ConversationUpdate{Status: &resolved}); err != nil {
		t.Fatal(err)
	}
	p.receive([]byte(strings.NewReplacer("answer.1@", "answer.2@", "Great, thanks!", "Actually, it has not come.").Replace(answer)))
	p.poll()
	again := p.message("answer.2@mail.example.net")
	reopened, err := p.store.Conversation(ctx, again.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	if again.ConversationID != conv.ID || reopened.Status != care.StatusOpen {
		t.Errorf("the answer to a resolved conversation went to %d (%s), want %d reopened", again.ConversationID, reopened.Status, conv.ID)
	}

	// A second reply, to an address that bounces: the DSN marks it failed
	// with the remote server's reason. Our own copy coming back is skipped.
	second, err := p.desk.Reply(ctx, p.agent, conv.ID, desk.Reply{Text: "Let me check with the courier."})
	if err != nil {
		t.Fatal(err)
	}
	m2 := p.send(second.ID)
	p.receive(bytes.ReplaceAll(fixture(t, "dsn_bounce.eml"), []byte("parley.2c1a0c3f86aa2c52a1c0b0e6f7d8e9a1@acme.example.com"), []byte(m2.PlatformID)))
	p.receive(p.smtp.Messages()[1].Data)
	before := p.count(conv.ID)
	p.poll()
	if got := p.message(m2.PlatformID); got.Status != care.DeliveryFailed || !strings.Contains(got.StatusReason, "550 5.1.1") {
		t.Errorf("bounced reply = %s %q, want failed with the 550", got.Status, got.StatusReason)
	}
	if n := p.count(conv.ID); n != before {
		t.Errorf("the bounce or our own copy added messages: %d, want %d", n, before)
	}

	// A new email from Jane without In-Reply-To, on another subject,
	// joins her open conversation: threading falls back to the contact,
	// not the subject.
	p.receive([]byte("From: Jane Doe <" + customer + ">\nTo: " + support + "\nSubject: Another question\nMessage-ID: <new.topic@mail.example.net>\n\nDo you ship to Norway?\n"))
	p.poll()
	if got := p.message("new.topic@mail.example.net"); got.ConversationID != conv.ID {
		t.Errorf("a new subject went to conversation %d, want the open one %d", got.ConversationID, conv.ID)
	}
	if pending, _ := p.store.PendingRaw(ctx, 10); len(pending) != 0 {
		t.Errorf("%d events left pending", len(pending))
	}
}

func header(t *testing.T, raw []byte) mail.Header {
	t.Helper()
	r, err := mail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	return r.Header
}

// TestIdleWakesThePoll shows how an Idler is wired to the poll runner:
// wake asks for a poll, which runs elsewhere, so new mail is in Parley
// within moments instead of at the next minute.
func TestIdleWakesThePoll(t *testing.T) {
	p := newParley(t, testdb.SQLite(t))
	ctx, cancel := context.WithCancel(p.ctx)
	defer cancel()
	polls := make(chan struct{}, 1)
	idler := &email.Idler{Adapter: p.adapter}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		_ = idler.Run(ctx, *p.inbox, func() {
			select {
			case polls <- struct{}{}:
			default: // a poll is already due
			}
		})
	}()
	go func() {
		defer wg.Done()
		for {
			select {
			case <-ctx.Done():
				return
			case <-polls:
				_, _ = p.runner.Once(ctx, p.inbox.ID)
			}
		}
	}()
	defer wg.Wait()
	defer cancel()

	p.receive(fixture(t, "01_customer_original.eml"))
	deadline := time.Now().Add(10 * time.Second)
	for {
		if pending, _ := p.store.PendingRaw(ctx, 10); len(pending) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the new message was not polled within 10 s of arriving")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
