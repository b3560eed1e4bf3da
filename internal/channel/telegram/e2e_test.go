package telegram_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/telegram"
	"github.com/parleyhq/parley/internal/channel/telegram/tgfake"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/outbox"
	"github.com/parleyhq/parley/internal/poll"
	"github.com/parleyhq/parley/internal/testdb"
	"github.com/parleyhq/parley/internal/webhook"
)

// ana is the customer.
var ana = tgfake.User{ID: 1111111, FirstName: "Ana", LastName: "Silva", Username: "anas"}

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

// parley is Parley's inbound and outbound path around one Telegram inbox,
// with the fake Bot API on the other side of real HTTP.
type parley struct {
	t        *testing.T
	ctx      context.Context
	store    care.Store
	clock    *clock
	fake     *tgfake.Fake
	adapter  *telegram.Adapter
	inbox    *care.Inbox
	hookURL  string
	agent    care.Principal
	ingest   *ingest.Committer
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

	p.fake = tgfake.New()
	p.fake.Now = p.clock.Now
	api := httptest.NewServer(p.fake.Handler())
	t.Cleanup(api.Close)

	p.adapter = &telegram.Adapter{Client: api.Client(), Now: p.clock.Now, Logger: quiet}
	adapters := &channel.Registry{}
	adapters.Register(care.ChannelTelegram, p.adapter)

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

	p.inbox = &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelTelegram, Name: "Acme bot",
		Credentials: map[string]string{telegram.CredBotToken: tgfake.DefaultToken, telegram.CredBotUsername: tgfake.DefaultUsername,
			telegram.CredAPIBase: api.URL, telegram.CredMode: mode}}
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
	mux := http.NewServeMux()
	(&webhook.Handler{Store: p.store, Adapters: adapters, Ingest: p.ingest, Logger: quiet, Now: p.clock.Now}).Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	p.hookURL = srv.URL + "/webhooks/" + strconv.FormatInt(p.inbox.ID, 10)

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

// deliver has the customer write m and returns the message's platform id.
func (p *parley) deliver(m tgfake.Message) string {
	p.t.Helper()
	if m.From.ID == 0 {
		m.From = ana
	}
	id, err := p.fake.Deliver(p.ctx, m)
	if err != nil {
		p.t.Fatalf("deliver %+v: %v", m, err)
	}
	p.clock.Add(time.Second)
	chat := m.From.ID
	if m.Chat != nil {
		chat = m.Chat.ID
	}
	return telegram.MessageID(chat, id)
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

func (p *parley) reply(conv care.ID, r desk.Reply) *care.Message {
	p.t.Helper()
	m, err := p.desk.Reply(p.ctx, p.agent, conv, r)
	if err != nil {
		p.t.Fatalf("Reply(%q): %v", r.Text, err)
	}
	return p.send(m.ID)
}

// TestEndToEnd runs a Telegram conversation through Parley: the bot's
// webhook set through the fake, updates from the fake into storage and the
// pipeline, replies through the outbox back to the fake. It runs on SQLite,
// and on PostgreSQL when PARLEY_TEST_DATABASE_URL is set.
func TestEndToEnd(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) { endToEnd(t, newParley(t, s, "")) })
}

func endToEnd(t *testing.T, p *parley) {
	ctx := p.ctx

	// The admin sets the webhook; a browser visit to it is told how.
	if err := p.adapter.SetWebhook(ctx, *p.inbox, p.hookURL); err != nil {
		t.Fatalf("SetWebhook: %v", err)
	}
	if wh := p.fake.Webhook(); wh.URL != p.hookURL || wh.SecretToken != p.inbox.Credentials[telegram.CredSecretToken] {
		t.Fatalf("webhook = %+v", wh)
	}
	if resp, err := http.Get(p.hookURL); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET of the webhook = %v, %v; want 405", resp, err)
	} else {
		resp.Body.Close()
	}

	// Messages of several kinds become messages of one conversation, from
	// one contact.
	first := p.deliver(tgfake.Message{Text: "Hi, my order hasn't arrived 📦"})
	kinds := []struct {
		msg         tgfake.Message
		text        string
		attachments []care.Attachment
		replyTo     string
	}{
		{tgfake.Message{Content: map[string]any{"caption": "The box", "photo": []any{
			map[string]any{"file_id": "AgAC-small", "file_unique_id": "s", "width": 90, "height": 90, "file_size": 1000},
			map[string]any{"file_id": "AgAC-large", "file_unique_id": "l", "width": 1280, "height": 1280, "file_size": 90000}}}},
			"The box", []care.Attachment{{Kind: "image", URL: "telegram-file:AgAC-large", Size: 90000}}, ""},
		{tgfake.Message{Content: map[string]any{"document": map[string]any{"file_id": "BQAC-doc", "file_unique_id": "d", "file_name": "receipt.pdf", "mime_type": "application/pdf"}}},
			"", []care.Attachment{{Kind: "file", URL: "telegram-file:BQAC-doc", MimeType: "application/pdf", Name: "receipt.pdf"}}, ""},
		{tgfake.Message{Content: map[string]any{"location": map[string]any{"latitude": 52.37, "longitude": 4.89}}},
			"Shared a location (52.37,4.89)", []care.Attachment{{Kind: "location", URL: "geo:52.37,4.89"}}, ""},
		{tgfake.Message{Text: "It's order 5521", ReplyTo: 1}, "It's order 5521", nil, first},
	}
	ids := []string{first}
	for _, k := range kinds {
		ids = append(ids, p.deliver(k.msg))
	}
	p.drain()

	in := p.message(first)
	if in.Text != "Hi, my order hasn't arrived 📦" || in.Direction != care.DirectionIn || in.Visibility != care.Private || in.AuthorName != "Ana Silva" {
		t.Errorf("first message = %+v", in)
	}
	contact, err := p.store.Contact(ctx, in.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	if len(contact.Identities) != 1 {
		t.Fatalf("contact identities = %+v, want one", contact.Identities)
	}
	if id := contact.Identities[0]; id.Platform != care.ChannelTelegram || id.PlatformUserID != "1111111" || id.Handle != "anas" || id.DisplayName != "Ana Silva" {
		t.Errorf("identity = %+v, want Ana by her user id with her username as handle", id)
	}
	conv := in.ConversationID
	for i, k := range kinds {
		m := p.message(ids[i+1])
		if m.ConversationID != conv || m.ContactID != in.ContactID {
			t.Errorf("message %s went to conversation %d, contact %d", ids[i+1], m.ConversationID, m.ContactID)
		}
		if m.Text != k.text || !slices.Equal(m.Attachments, k.attachments) || m.ReplyToPlatformID != k.replyTo {
			t.Errorf("message %s = text %q, attachments %+v, reply to %q;\nwant %q, %+v, %q", ids[i+1], m.Text, m.Attachments, m.ReplyToPlatformID, k.text, k.attachments, k.replyTo)
		}
	}
	want := len(ids)
	if n := p.count(conv); n != want {
		t.Fatalf("conversation has %d messages, want %d", n, want)
	}

	// Updates without the secret, or with another, are refused and store
	// nothing; a repeated update changes nothing.
	for _, secret := range []string{"", "guessed-secret"} {
		forger := tgfake.New()
		forger.SetWebhook(tgfake.WebhookInfo{URL: p.hookURL, SecretToken: secret})
		if _, err := forger.Deliver(ctx, tgfake.Message{From: ana, Text: "forged"}); err == nil || !strings.Contains(err.Error(), "401") {
			t.Errorf("update with secret %q: %v, want a 401", secret, err)
		}
	}
	repeat := fmt.Sprintf(`{"update_id":100001,"message":{"message_id":1,"from":{"id":1111111,"is_bot":false,"first_name":"Ana"},"chat":{"id":1111111,"type":"private"},"date":%d,"text":"Hi, my order hasn't arrived 📦"}}`, p.clock.Now().Unix())
	if status, err := p.fake.Post(ctx, []byte(repeat)); err != nil || status != http.StatusOK {
		t.Errorf("repeated update: %d, %v", status, err)
	}
	p.drain()
	if pending, _ := p.store.PendingRaw(ctx, 10); len(pending) != 0 {
		t.Errorf("%d events left pending", len(pending))
	}
	if n := p.count(conv); n != want {
		t.Errorf("after forged and repeated updates the conversation has %d messages, want %d", n, want)
	}

	// An edit is a message of its own, answering the one it changes.
	if err := p.fake.Edit(ctx, ana, ana.ID, 5, "It's order 5512, sorry"); err != nil {
		t.Fatal(err)
	}
	p.drain()
	want++
	if n := p.count(conv); n != want {
		t.Errorf("after an edit the conversation has %d messages, want %d", n, want)
	}

	// An agent's reply to a particular message goes out as plain text,
	// quoting it; the customer's reaction shows on the reply.
	last := p.message(ids[4])
	m := p.reply(conv, desk.Reply{Text: "Thanks Ana! *5512* ships <today>.", ReplyToMessageID: last.ID})
	sent := p.fake.Sent()
	if len(sent) != 1 || m.Status != care.DeliverySent || m.PlatformID != telegram.MessageID(ana.ID, sent[0].MessageID) {
		t.Fatalf("after sending: message %+v, fake sent %+v", m, sent)
	}
	if s := sent[0]; s.ChatID != ana.ID || s.Text != "Thanks Ana! *5512* ships <today>." || s.ParseMode != "" || s.ReplyTo != 5 {
		t.Errorf("fake received %+v", s)
	}
	if err := p.fake.React(ctx, ana, ana.ID, sent[0].MessageID, "👍", ""); err != nil {
		t.Fatal(err)
	}
	p.drain()
	if r := p.message(m.PlatformID).Reactions; len(r) != 1 || r[0].Emoji != "👍" || r[0].ContactID != in.ContactID {
		t.Errorf("reactions on the reply = %+v, want Ana's 👍", r)
	}
	if n := p.count(conv); n != want+1 {
		t.Errorf("a reaction added a message: %d, want %d", n, want+1)
	}

	// Ana reacts to two of her own messages. Telegram (and so the fake)
	// then sends each again as an edited_message: the one she never
	// edited without edit_date, the one she edited with that edit's date.
	// Neither is a new edit: the reactions show, and no "[Edited]" message
	// is added.
	for _, msg := range []int64{1, 5} {
		if err := p.fake.React(ctx, ana, ana.ID, msg, "🙏", ""); err != nil {
			t.Fatal(err)
		}
	}
	p.drain()
	if n := p.count(conv); n != want+1 {
		t.Errorf("after reactions to Ana's own messages the conversation has %d messages, want %d", n, want+1)
	}
	for _, id := range []string{ids[0], ids[4]} {
		if r := p.message(id).Reactions; len(r) != 1 || r[0].Emoji != "🙏" {
			t.Errorf("reactions on %s = %+v, want Ana's 🙏", id, r)
		}
	}

	// Too long for Telegram: refused before it is queued.
	_, err = p.desk.Reply(ctx, p.agent, conv, desk.Reply{Text: strings.Repeat("ü", telegram.MaxTextChars+1)})
	if care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), "4096") {
		t.Errorf("reply of 4097 characters = %v, want EINVALID", err)
	}

	// Flood control: queued, retried after Telegram's retry_after.
	p.fake.Throttle(1, 30)
	m2, err := p.desk.Reply(ctx, p.agent, conv, desk.Reply{Text: "One more thing…"})
	if err != nil {
		t.Fatal(err)
	}
	if m := p.send(m2.ID); m.Status != care.DeliveryQueued || !strings.Contains(m.StatusReason, "flood control") {
		t.Errorf("throttled reply = %s %q, want queued for a retry", m.Status, m.StatusReason)
	}
	p.clock.Add(10 * time.Second)
	if m := p.send(m2.ID); m.Status != care.DeliveryQueued {
		t.Errorf("reply 10s into a 30s wait = %s, want still queued", m.Status)
	}
	p.clock.Add(21 * time.Second)
	if m := p.send(m2.ID); m.Status != care.DeliverySent {
		t.Errorf("reply after the wait = %s %q, want sent", m.Status, m.StatusReason)
	}

	// In a group, a mention of the bot is public and answered there.
	group := &tgfake.Chat{ID: -1001987654321, Type: "supergroup", Title: "Acme Users"}
	p.deliver(tgfake.Message{Chat: group, Text: "chatter"})
	mention := p.deliver(tgfake.Message{Chat: group, Text: "@parley_fake_bot is the shop open?",
		Entities: []map[string]any{{"type": "mention", "offset": 0, "length": 16}}})
	p.drain()
	if _, err := p.store.MessageByPlatformID(ctx, p.inbox.ID, "-1001987654321:1"); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("group chatter was stored: %v", err)
	}
	pub := p.message(mention)
	if pub.Visibility != care.Public || pub.ContactID != in.ContactID {
		t.Errorf("mention = %+v, want a public message of Ana's", pub)
	}
	m3 := p.reply(pub.ConversationID, desk.Reply{Text: "Yes, until 18:00!", Visibility: care.Public, ReplyToMessageID: pub.ID})
	sent = p.fake.Sent()
	if s := sent[len(sent)-1]; m3.Status != care.DeliverySent || s.ChatID != group.ID || s.ReplyTo != 2 || m3.PlatformID != telegram.MessageID(group.ID, s.MessageID) {
		t.Errorf("public reply = %+v, fake sent %+v", m3, s)
	}

	// The customer blocks the bot: the reply fails for good, saying why.
	p.fake.Block(ana.ID)
	m4, err := p.desk.Reply(ctx, p.agent, conv, desk.Reply{Text: "Are you still there?", Visibility: care.Private})
	if err != nil {
		t.Fatal(err)
	}
	if m := p.send(m4.ID); m.Status != care.DeliveryFailed || !strings.Contains(m.StatusReason, "blocked the bot") {
		t.Errorf("reply to a blocked bot = %s %q, want failed", m.Status, m.StatusReason)
	}
}

// TestEndToEndPolling runs a bot without a webhook: the poll runner reads
// updates with getUpdates, and says what to do when a webhook is set.
func TestEndToEndPolling(t *testing.T) {
	p := newParley(t, testdb.SQLite(t), telegram.ModePolling)
	ctx := p.ctx
	adapters := &channel.Registry{}
	adapters.Register(care.ChannelTelegram, p.adapter)
	runner := &poll.Runner{Store: p.store, Adapters: adapters, Ingest: p.ingest, Now: p.clock.Now, Logger: slog.New(slog.DiscardHandler)}

	first := p.deliver(tgfake.Message{Text: "Hello from a polled bot"})
	second := p.deliver(tgfake.Message{Text: "Still there?", ReplyTo: 1})
	if wait, err := runner.Once(ctx, p.inbox.ID); err != nil || wait != 3*time.Second {
		t.Fatalf("Once = %v, %v", wait, err)
	}
	p.drain()
	if m := p.message(second); m.ReplyToPlatformID != first || m.ConversationID != p.message(first).ConversationID {
		t.Errorf("second message = %+v", m)
	}
	cursor, err := p.store.InboxCursor(ctx, p.inbox.ID, poll.CursorName)
	if err != nil || !strings.HasPrefix(cursor, "100003:") {
		t.Errorf("cursor = %q, %v", cursor, err)
	}
	if _, err := runner.Once(ctx, p.inbox.ID); err != nil || p.fake.Pending() != 0 {
		t.Errorf("second poll = %v, %d pending; want the updates confirmed", err, p.fake.Pending())
	}

	// A webhook set elsewhere stops getUpdates; the inbox's health says so.
	p.fake.SetWebhook(tgfake.WebhookInfo{URL: "https://elsewhere.example.com/hook"})
	wait, err := runner.Once(ctx, p.inbox.ID)
	if err == nil || wait != time.Minute {
		t.Errorf("Once with a webhook = %v, %v; want an error and a minute's wait", wait, err)
	}
	in, err := p.store.Inbox(ctx, p.inbox.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(in.Health.LastError, "deleteWebhook") {
		t.Errorf("inbox health = %q, want the webhook explained", in.Health.LastError)
	}
}
