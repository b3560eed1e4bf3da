package phone_test

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
	"github.com/parleyhq/parley/internal/channel/phone"
	"github.com/parleyhq/parley/internal/channel/phone/phonefake"
	"github.com/parleyhq/parley/internal/channel/sms"
	"github.com/parleyhq/parley/internal/channel/sms/twiliofake"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/testdb"
	"github.com/parleyhq/parley/internal/webhook"
)

const ana = "+14155550123"

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

// parley is Parley's inbound path around one phone inbox, with the fake
// telephony system on the other side of real HTTP.
type parley struct {
	t        *testing.T
	ctx      context.Context
	store    care.Store
	clock    *clock
	fake     *phonefake.Fake
	inbox    *care.Inbox
	hookURL  string
	agent    care.Principal
	pipeline *ingest.Pipeline
	desk     *desk.Service
}

func newParley(t *testing.T, store care.Store) *parley {
	t.Helper()
	// Bounded, so a hung request fails the test instead of stalling it.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	quiet := slog.New(slog.DiscardHandler)
	p := &parley{t: t, ctx: ctx, store: store, clock: &clock{t: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}}

	adapter := &phone.Adapter{TwilioVerify: sms.VerifySignature, Logger: quiet}
	adapters := &channel.Registry{}
	adapters.Register(care.ChannelPhone, adapter)

	ws := &care.Workspace{Slug: "acme", Name: "Acme"}
	if err := store.CreateWorkspace(ctx, ws); err != nil {
		t.Fatal(err)
	}
	u := &care.User{Email: "sam@acme.example", Name: "Sam"}
	if err := store.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := store.SetMember(ctx, care.Member{WorkspaceID: ws.ID, UserID: u.ID, Role: care.RoleAgent}); err != nil {
		t.Fatal(err)
	}
	p.agent = care.Principal{UserID: u.ID, WorkspaceID: ws.ID, Role: care.RoleAgent, Name: "Sam"}

	p.inbox = &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelPhone, Name: "Acme support line",
		Credentials: map[string]string{phone.CredTwilioAuthToken: twiliofake.DefaultAuthToken, phone.CredTwilioAccountSID: twiliofake.DefaultAccountSID}}
	if err := adapter.Prepare(p.inbox); err != nil {
		t.Fatal(err)
	}
	if err := store.CreateInbox(ctx, p.inbox); err != nil {
		t.Fatal(err)
	}

	committer := ingest.NewCommitter(store, 64)
	done := make(chan struct{})
	go func() { committer.Run(ctx); close(done) }()
	t.Cleanup(func() { committer.Close(context.Background()); cancel(); <-done })
	mux := http.NewServeMux()
	(&webhook.Handler{Store: store, Adapters: adapters, Ingest: committer, Logger: quiet, Now: p.clock.Now}).Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	p.hookURL = srv.URL + "/webhooks/" + strconv.FormatInt(p.inbox.ID, 10)

	p.fake = phonefake.New(p.hookURL, p.inbox.Credentials[phone.CredWebhookSecret])
	p.fake.Now = p.clock.Now
	p.pipeline = &ingest.Pipeline{Store: store, Logger: quiet, Now: p.clock.Now}
	p.desk = &desk.Service{Store: store, Now: p.clock.Now, Adapters: adapters}
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

func (p *parley) report(c phonefake.Call) string {
	p.t.Helper()
	id, err := p.fake.Report(p.ctx, c)
	if err != nil {
		p.t.Fatalf("report %+v: %v", c, err)
	}
	p.clock.Add(time.Minute)
	p.drain()
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

func (p *parley) messages(convID care.ID) []care.Message {
	p.t.Helper()
	msgs, err := p.store.Messages(p.ctx, convID, 0, 1000)
	if err != nil {
		p.t.Fatal(err)
	}
	return msgs
}

// TestEndToEnd runs a customer's calls through Parley: call records from
// the fake telephony system into storage and the pipeline, their
// recordings added when they are ready, Twilio's callbacks beside them,
// and replies refused with the way to call back. It runs on SQLite, and on
// PostgreSQL when PARLEY_TEST_DATABASE_URL is set.
func TestEndToEnd(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) { endToEnd(t, newParley(t, s)) })
}

func endToEnd(t *testing.T, p *parley) {
	ctx := p.ctx

	// A browser visit to the webhook is told how records arrive.
	if resp, err := http.Get(p.hookURL); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET of the webhook = %v, %v; want 405", resp, err)
	} else {
		resp.Body.Close()
	}

	// Ana calls; Sam answers. The call is her message, summarised.
	call := p.report(phonefake.Call{Customer: ana, CallerName: "Ana Silva", Duration: 4*time.Minute + 12*time.Second,
		Agent: "sam@acme.example", Notes: "Refund approved.", Queue: "Billing"})
	in := p.message(call)
	if in.Direction != care.DirectionIn || in.Visibility != care.Private || in.AuthorName != "Ana Silva" ||
		in.Text != "Inbound call, answered, 4 min 12 s. Queue: Billing. Agent: sam@acme.example.\n\nNotes: Refund approved." {
		t.Errorf("call message = %+v", in)
	}
	contact, err := p.store.Contact(ctx, in.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	if len(contact.Identities) != 1 || contact.Identities[0].Platform != care.ChannelPhone || contact.Identities[0].PlatformUserID != ana {
		t.Errorf("identities = %+v, want Ana by her number", contact.Identities)
	}
	conv := in.ConversationID

	// The same record again changes nothing; once its recording is ready,
	// the record sent again adds exactly the recording, answering the call.
	p.report(phonefake.Call{ID: call, Customer: ana, CallerName: "Ana Silva", Duration: 252 * time.Second})
	if n := len(p.messages(conv)); n != 1 {
		t.Fatalf("after a repeated record the conversation has %d messages, want 1", n)
	}
	const recording = "https://pbx.example.com/recordings/call-1.mp3"
	for range 2 {
		p.report(phonefake.Call{ID: call, Customer: ana, CallerName: "Ana Silva", Duration: 252 * time.Second, RecordingURL: recording})
	}
	rec := p.message(call + phone.RecordingSuffix)
	if rec.ConversationID != conv || rec.ReplyToPlatformID != call || len(rec.Attachments) != 1 ||
		rec.Attachments[0] != (care.Attachment{Kind: "audio", URL: recording, MimeType: "audio/mpeg", Name: "Call recording"}) {
		t.Errorf("recording = %+v", rec)
	}
	if n := len(p.messages(conv)); n != 2 {
		t.Fatalf("after the recording the conversation has %d messages, want 2", n)
	}

	// Forged, unsigned, replayed and malformed records store nothing.
	forger := phonefake.New(p.hookURL, "whsec_guessed-secret-0123456789abcdef")
	if _, err := forger.Report(ctx, phonefake.Call{Customer: ana}); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("record signed with another secret: %v, want a 401", err)
	}
	body := []byte(`{"call_id":"x1","direction":"inbound","from":"` + ana + `","started_at":"2026-11-24T09:00:00Z","outcome":"missed"}`)
	if status, _ := p.fake.PostSigned(ctx, body, ""); status != http.StatusUnauthorized {
		t.Errorf("unsigned record: %d, want 401", status)
	}
	replay := phonefake.New(p.hookURL, p.inbox.Credentials[phone.CredWebhookSecret])
	replay.Now = func() time.Time { return p.clock.Now().Add(-time.Hour) }
	if status, _ := replay.Post(ctx, body); status != http.StatusUnauthorized {
		t.Errorf("record signed an hour ago: %d, want 401", status)
	}
	bad := []byte(`{"call_id":"x2","direction":"inbound","from":"4155550123","started_at":"2026-11-24T09:00:00Z","outcome":"missed"}`)
	if status, err := p.fake.Post(ctx, bad); status != http.StatusBadRequest || !strings.Contains(err.Error(), "E.164") {
		t.Errorf("record with a national number: %d, %v; want 400 naming E.164", status, err)
	}
	p.drain()
	if pending, _ := p.store.PendingRaw(ctx, 10); len(pending) != 0 {
		t.Errorf("%d events left pending", len(pending))
	}
	for _, id := range []string{"x1", "x2"} {
		if _, err := p.store.MessageByPlatformID(ctx, p.inbox.ID, id); care.ErrorCode(err) != care.ENOTFOUND {
			t.Errorf("refused record %s was stored: %v", id, err)
		}
	}

	// Replies are refused with the way to call back instead.
	_, err = p.desk.Reply(ctx, p.agent, conv, desk.Reply{Text: "We'll call you back"})
	if care.ErrorCode(err) != care.EINVALID || care.ErrorMessage(err) != phone.ReplyRefusal {
		t.Errorf("reply = %v, want EINVALID %q", err, phone.ReplyRefusal)
	}
	if link := phone.CallLink(contact.Identities[0].PlatformUserID); link != "tel:"+ana {
		t.Errorf("call link = %q", link)
	}

	// Sam calls Ana back from the desk phone: the brand's answer, in her
	// conversation.
	back := p.report(phonefake.Call{Outbound: true, Customer: ana, Duration: 90 * time.Second, Agent: "sam@acme.example"})
	out := p.message(back)
	if out.Direction != care.DirectionOut || out.ConversationID != conv || out.Text != "Outbound call, answered, 1 min 30 s. Agent: sam@acme.example." {
		t.Errorf("outbound call = %+v", out)
	}
	if c, err := p.store.Conversation(ctx, conv); err != nil || c.WaitingSince != nil {
		t.Errorf("after the call back the conversation = %+v, %v; want nobody waiting", c, err)
	}

	// A voicemail, its recording and transcript: three messages, the last
	// one the customer's words.
	vm := p.report(phonefake.Call{Customer: ana, Outcome: "voicemail", Duration: 40 * time.Second,
		RecordingURL: "https://pbx.example.com/vm/1.wav", Transcript: "Hi, it's Ana again, the label never came."})
	if m := p.message(vm + phone.TranscriptSuffix); m.Direction != care.DirectionIn || m.ConversationID != conv ||
		m.Text != "Voicemail transcript: Hi, it's Ana again, the label never came." {
		t.Errorf("transcript = %+v", m)
	}
	if m := p.message(vm + phone.RecordingSuffix); m.Text != "Voicemail (40 s)" || m.Attachments[0].MimeType != "audio/wav" {
		t.Errorf("voicemail = %+v", m)
	}

	// Twilio reports a missed call of Ana's: same customer, same
	// conversation. A callback signed with another token is refused.
	sid, err := p.fake.TwilioCallback(ctx, phonefake.TwilioCall{From: ana, Status: "no-answer"})
	if err != nil {
		t.Fatal(err)
	}
	p.drain()
	if m := p.message(sid); m.Text != "Inbound call, missed." || m.ContactID != in.ContactID || m.ConversationID != conv {
		t.Errorf("Twilio's missed call = %+v", m)
	}
	if _, err := p.fake.TwilioCallback(ctx, phonefake.TwilioCall{From: ana, Status: "ringing"}); err != nil {
		t.Errorf("a ringing callback was not acknowledged: %v", err)
	}
	twForger := phonefake.New(p.hookURL, "")
	twForger.Twilio.AuthToken = strings.Repeat("f", 32)
	if _, err := twForger.TwilioCallback(ctx, phonefake.TwilioCall{From: ana}); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("Twilio callback signed with another token: %v, want a 401", err)
	}

	// A withheld caller is a contact of their own.
	hidden := p.report(phonefake.Call{Outcome: "missed"})
	if m := p.message(hidden); m.ContactID == in.ContactID || m.Text != "Inbound call from a withheld number, missed." {
		t.Errorf("withheld call = %+v", m)
	}

	// The fake kept Parley's answers: every good delivery was a 200.
	var ok int
	for _, d := range p.fake.Deliveries() {
		if d.Status == http.StatusOK {
			ok++
		}
	}
	if ok < 8 {
		t.Errorf("%d deliveries answered 200, want at least 8", ok)
	}
}
