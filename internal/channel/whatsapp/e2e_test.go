package whatsapp_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/whatsapp"
	"github.com/parleyhq/parley/internal/channel/whatsapp/wafake"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/outbox"
	"github.com/parleyhq/parley/internal/testdb"
	"github.com/parleyhq/parley/internal/webhook"
)

const (
	appSecret = "e2e-app-secret"
	phone     = "16505551234"
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

// parley is Parley's inbound and outbound path around one WhatsApp inbox,
// with the fake Cloud API on the other side of real HTTP.
type parley struct {
	t        *testing.T
	ctx      context.Context
	store    care.Store
	clock    *clock
	fake     *wafake.Fake
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

	p.fake = wafake.New(appSecret)
	p.fake.Now = p.clock.Now
	p.fake.AddTemplate("order_update", "en_US", "utility", 1)
	api := httptest.NewServer(p.fake.Handler())
	t.Cleanup(api.Close)

	adapter := &whatsapp.Adapter{Client: api.Client(), Now: p.clock.Now, Logger: quiet}
	adapters := &channel.Registry{}
	adapters.Register(care.ChannelWhatsApp, adapter)

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

	p.inbox = &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelWhatsApp, Name: "Support", ExternalID: wafake.DefaultPhoneNumberID,
		Credentials: map[string]string{whatsapp.CredAppSecret: appSecret, whatsapp.CredAccessToken: wafake.DefaultAccessToken,
			whatsapp.CredAPIBase: api.URL + "/v26.0"}}
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
	p.fake.WebhookURL = srv.URL + "/webhooks/" + strconv.FormatInt(p.inbox.ID, 10)

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

func (p *parley) deliver(m wafake.Message) string {
	p.t.Helper()
	if m.From == "" {
		m.From = phone
	}
	if m.Name == "" {
		m.Name = "Sheena Nelson"
	}
	id, err := p.fake.Deliver(p.ctx, m)
	if err != nil {
		p.t.Fatalf("deliver %+v: %v", m, err)
	}
	p.clock.Add(time.Second)
	return id
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

func (p *parley) advance(wantPosted int) {
	p.t.Helper()
	n, err := p.fake.Advance(p.ctx)
	if err != nil || n != wantPosted {
		p.t.Fatalf("Advance = %d, %v; want %d posted", n, err, wantPosted)
	}
	p.drain()
}

// TestEndToEnd runs a WhatsApp conversation through Parley: webhooks from
// the fake into storage and the pipeline, replies through the outbox back to
// the fake, and statuses onto the replies. It runs on SQLite, and on
// PostgreSQL when PARLEY_TEST_DATABASE_URL is set.
func TestEndToEnd(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) { endToEnd(t, newParley(t, s)) })
}

func endToEnd(t *testing.T, p *parley) {
	ctx := p.ctx

	// The app dashboard's "Verify and save".
	if err := p.fake.Verify(ctx, p.fake.WebhookURL, p.inbox.Credentials[whatsapp.CredVerifyToken]); err != nil {
		t.Errorf("verification with the right token: %v", err)
	}
	if err := p.fake.Verify(ctx, p.fake.WebhookURL, "guess"); err == nil {
		t.Error("verification with a wrong token succeeded")
	}

	// A message of every kind becomes a message of one conversation, from
	// one contact.
	first := p.deliver(wafake.Message{Text: "Hi, my order hasn't arrived 📦"})
	kinds := []struct {
		msg         wafake.Message
		text        string
		attachments []care.Attachment
		replyTo     string
	}{
		{wafake.Message{Type: "image", Content: map[string]any{"id": "1003383421387256", "mime_type": "image/jpeg", "caption": "The box"}},
			"The box", []care.Attachment{{Kind: "image", URL: "whatsapp-media:1003383421387256", MimeType: "image/jpeg"}}, ""},
		{wafake.Message{Type: "document", Content: map[string]any{"id": "77", "mime_type": "application/pdf", "filename": "receipt.pdf"}},
			"", []care.Attachment{{Kind: "file", URL: "whatsapp-media:77", MimeType: "application/pdf", Name: "receipt.pdf"}}, ""},
		{wafake.Message{Type: "location", Content: map[string]any{"latitude": 52.37, "longitude": 4.89, "name": "Home"}},
			"Shared a location: Home (52.37,4.89)", []care.Attachment{{Kind: "location", URL: "geo:52.37,4.89", Name: "Home"}}, ""},
		{wafake.Message{Type: "interactive", Content: map[string]any{"type": "button_reply", "button_reply": map[string]string{"id": "track", "title": "Track my order"}}, ReplyTo: first},
			"Track my order", nil, first},
		{wafake.Message{Type: "contacts", Content: []any{map[string]any{"name": map[string]string{"formatted_name": "Ben Li"}, "phones": []any{map[string]string{"phone": "+44 7700 900123"}}}}},
			"Shared a contact: Ben Li, +44 7700 900123", nil, ""},
		{wafake.Message{Type: "poll_vote", Content: map[string]any{"option": 2}},
			`[A WhatsApp message of type "poll_vote" that Parley cannot show yet]`, nil, ""},
	}
	ids := []string{first}
	for _, k := range kinds {
		ids = append(ids, p.deliver(k.msg))
	}
	p.drain()

	in := p.message(first)
	if in.Text != "Hi, my order hasn't arrived 📦" || in.Direction != care.DirectionIn || in.Visibility != care.Private || in.AuthorName != "Sheena Nelson" {
		t.Errorf("first message = %+v", in)
	}
	contact, err := p.store.Contact(ctx, in.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	// Her BSUID, and her phone number beside it: what customers who wrote
	// before WhatsApp sent BSUIDs are known by, and what SMS and calls
	// from the same number are linked by.
	if len(contact.Identities) != 2 {
		t.Fatalf("contact identities = %+v, want her BSUID and her number", contact.Identities)
	}
	for i, want := range []string{wafake.BSUID(phone), phone} {
		id := contact.Identities[i]
		if contact.Name != "Sheena Nelson" || id.Platform != care.ChannelWhatsApp || id.PlatformUserID != want ||
			id.Handle != "+"+phone || id.DisplayName != "Sheena Nelson" {
			t.Errorf("contact = %+v, identity %+v; want Sheena Nelson known as %s with her number as handle", contact, id, want)
		}
	}
	for i, k := range kinds {
		m := p.message(ids[i+1])
		if m.ConversationID != in.ConversationID || m.ContactID != in.ContactID {
			t.Errorf("%s message went to conversation %d, contact %d; want %d, %d", k.msg.Type, m.ConversationID, m.ContactID, in.ConversationID, in.ContactID)
		}
		if m.Text != k.text || !sameAttachments(m.Attachments, k.attachments) || m.ReplyToPlatformID != k.replyTo {
			t.Errorf("%s message = text %q, attachments %+v, reply to %q;\nwant %q, %+v, %q", k.msg.Type, m.Text, m.Attachments, m.ReplyToPlatformID, k.text, k.attachments, k.replyTo)
		}
	}
	conv := in.ConversationID
	want := len(ids)
	if n := p.count(conv); n != want {
		t.Fatalf("conversation has %d messages, want %d", n, want)
	}

	// A reaction is shown on the message it reacts to, not as a message.
	p.deliver(wafake.Message{Type: "reaction", Content: map[string]string{"message_id": first, "emoji": "👍"}})
	p.drain()
	if n := p.count(conv); n != want {
		t.Errorf("a reaction added a message: %d, want %d", n, want)
	}
	if r := p.message(first).Reactions; len(r) != 1 || r[0].Emoji != "👍" || r[0].ContactID != in.ContactID {
		t.Errorf("reactions on the first message = %+v, want one 👍 from the customer", r)
	}

	// A delivery signed with another secret is refused and stores nothing;
	// a repeated delivery changes nothing.
	forger := wafake.New("not-the-app-secret")
	forger.WebhookURL = p.fake.WebhookURL
	if _, err := forger.Deliver(ctx, wafake.Message{From: phone, Name: "Sheena Nelson", Text: "forged"}); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("forged delivery: %v, want a 401", err)
	}
	p.deliver(wafake.Message{ID: first, Text: "Hi, my order hasn't arrived 📦"})
	p.drain()
	if pending, _ := p.store.PendingRaw(ctx, 10); len(pending) != 0 {
		t.Errorf("%d events left pending", len(pending))
	}
	if n := p.count(conv); n != want {
		t.Errorf("after a forged and a repeated delivery the conversation has %d messages, want %d", n, want)
	}

	// An agent's reply goes out through the outbox to the fake; WhatsApp's
	// statuses move it to sent, delivered and read, never back.
	reply, err := p.desk.Reply(ctx, p.agent, conv, desk.Reply{Text: "Sorry about that! It ships today."})
	if err != nil {
		t.Fatalf("Reply: %v", err)
	}
	m := p.send(reply.ID)
	sent := p.fake.Sent()
	if len(sent) != 1 || m.Status != care.DeliverySent || m.PlatformID != sent[0].ID {
		t.Fatalf("after sending: message %+v, fake accepted %+v", m, sent)
	}
	if s := sent[0]; s.To != phone || s.Recipient != wafake.BSUID(phone) || s.Text != "Sorry about that! It ships today." || s.Opaque == "" {
		t.Errorf("fake received %+v", s)
	}
	for _, status := range []care.DeliveryStatus{care.DeliverySent, care.DeliveryDelivered, care.DeliveryRead} {
		p.advance(1)
		if got := p.message(m.PlatformID); got.Status != status {
			t.Errorf("after WhatsApp's %s status the message is %s", status, got.Status)
		}
	}
	if err := p.fake.Status(ctx, m.PlatformID, "delivered"); err != nil { // late and repeated
		t.Fatal(err)
	}
	p.drain()
	if got := p.message(m.PlatformID); got.Status != care.DeliveryRead {
		t.Errorf("a late delivered status moved a read message to %s", got.Status)
	}

	// A failed status shows WhatsApp's reason on the message.
	second, err := p.desk.Reply(ctx, p.agent, conv, desk.Reply{Text: "Here is your tracking link: https://example.com/t/5521"})
	if err != nil {
		t.Fatal(err)
	}
	m2 := p.send(second.ID)
	if err := p.fake.Fail(ctx, m2.PlatformID, 131026, "Message undeliverable", "Message Undeliverable."); err != nil {
		t.Fatal(err)
	}
	p.drain()
	if got := p.message(m2.PlatformID); got.Status != care.DeliveryFailed || !strings.Contains(got.StatusReason, "could not deliver") {
		t.Errorf("failed message = %s %q", got.Status, got.StatusReason)
	}

	// A day later the window is closed: a free-form reply is refused before
	// it is queued, an approved template goes out, through a throttle.
	p.clock.Add(25 * time.Hour)
	_, err = p.desk.Reply(ctx, p.agent, conv, desk.Reply{Text: "Any news?"})
	if care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), "24-hour window closed") {
		t.Errorf("free-form reply after 25 hours = %v, want EINVALID about the window", err)
	}
	tmpl := whatsapp.Template{Name: "order_update", Language: "en_US", Body: []whatsapp.TemplateParam{{Value: "#5521"}}}
	third, err := p.desk.Reply(ctx, p.agent, conv, desk.Reply{Text: "Your order #5521 has shipped.", Attachments: []care.Attachment{tmpl.Attachment()}})
	if err != nil {
		t.Fatalf("template reply: %v", err)
	}
	p.fake.Throttle(1)
	if m := p.send(third.ID); m.Status != care.DeliveryQueued || !strings.Contains(m.StatusReason, "retrying") {
		t.Errorf("throttled template = %s %q, want queued for a retry", m.Status, m.StatusReason)
	}
	p.clock.Add(10 * time.Second)
	if m := p.send(third.ID); m.Status != care.DeliverySent {
		t.Errorf("template after the throttle = %s %q, want sent", m.Status, m.StatusReason)
	}
	if sent := p.fake.Sent(); sent[len(sent)-1].Template != "order_update" {
		t.Errorf("the fake's last message is %+v, want the template", sent[len(sent)-1])
	}
}

func sameAttachments(a, b []care.Attachment) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
