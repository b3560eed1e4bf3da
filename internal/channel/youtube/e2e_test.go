package youtube_test

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
	"github.com/parleyhq/parley/internal/channel/youtube"
	"github.com/parleyhq/parley/internal/channel/youtube/ytfake"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/outbox"
	"github.com/parleyhq/parley/internal/poll"
	"github.com/parleyhq/parley/internal/testdb"
)

// The viewers.
var (
	ana = ytfake.Viewer{Handle: "anasilva"}
	ben = ytfake.Viewer{Handle: "benjohnson"}
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

// parley is Parley's inbound and outbound path around one YouTube inbox,
// with the fake YouTube on the other side of real HTTP.
type parley struct {
	t        *testing.T
	ctx      context.Context
	store    care.Store
	clock    *clock
	fake     *ytfake.Fake
	adapter  *youtube.Adapter
	inbox    *care.Inbox
	agent    care.Principal
	ingest   *ingest.Committer
	runner   *poll.Runner
	pipeline *ingest.Pipeline
	desk     *desk.Service
	worker   *outbox.Worker
}

func newParley(t *testing.T, store care.Store, creds map[string]string) *parley {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	quiet := slog.New(slog.DiscardHandler)
	// 24 November 2026, 09:00 UTC: 01:00 in Pacific Time.
	p := &parley{t: t, ctx: ctx, store: store, clock: &clock{t: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}}

	p.fake = ytfake.New()
	p.fake.Now = p.clock.Now
	api := httptest.NewServer(p.fake.Handler())
	t.Cleanup(api.Close)

	p.adapter = &youtube.Adapter{Client: api.Client(), Now: p.clock.Now, Logger: quiet, State: store}
	adapters := &channel.Registry{}
	adapters.Register(care.ChannelYouTube, p.adapter)

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

	cs := p.fake.Credentials(api.URL)
	for k, v := range creds {
		cs[k] = v
	}
	p.inbox = &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelYouTube, Name: "Acme on YouTube", ExternalID: ytfake.DefaultChannelID, Credentials: cs}
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
	p.worker = &outbox.Worker{Store: p.store, Senders: adapters, Now: p.clock.Now, Logger: quiet, Rand: func() float64 { return 0 },
		OnHealth: func(id care.ID, h care.HealthUpdate) {
			if err := p.store.RecordInboxHealth(context.WithoutCancel(ctx), id, h); err != nil {
				t.Errorf("record health: %v", err)
			}
		}}
	return p
}

// poll runs the poll runner once, a minute on, and the pipeline until
// every stored event is threaded; it returns the runner's wait.
func (p *parley) poll() (time.Duration, error) {
	p.t.Helper()
	p.clock.Add(time.Minute)
	wait, err := p.runner.Once(p.ctx, p.inbox.ID)
	for {
		n, perr := p.pipeline.RunOnce(p.ctx)
		if perr != nil {
			p.t.Fatal(perr)
		}
		if n == 0 {
			return wait, err
		}
	}
}

func (p *parley) mustPoll() {
	p.t.Helper()
	if _, err := p.poll(); err != nil {
		p.t.Fatalf("poll: %v", err)
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

func (p *parley) messages(conv care.ID) []care.Message {
	p.t.Helper()
	ms, err := p.store.Messages(p.ctx, conv, 0, 1000)
	if err != nil {
		p.t.Fatal(err)
	}
	return ms
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

func (p *parley) lastPosted() ytfake.Posted {
	p.t.Helper()
	posted := p.fake.Replies()
	if len(posted) == 0 {
		p.t.Fatal("nothing posted")
	}
	return posted[len(posted)-1]
}

func (p *parley) health() care.InboxHealth {
	p.t.Helper()
	in, err := p.store.Inbox(p.ctx, p.inbox.ID)
	if err != nil {
		p.t.Fatal(err)
	}
	return in.Health
}

// TestEndToEnd runs YouTube comment threads through Parley: the poll
// runner reads them from the fake into storage and the pipeline, replies
// and moderation go through the outbox and the desk back to the fake. It
// runs on SQLite, and on PostgreSQL when PARLEY_TEST_DATABASE_URL is set.
func TestEndToEnd(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) { endToEnd(t, newParley(t, s, nil)) })
}

func endToEnd(t *testing.T, p *parley) {
	ctx := p.ctx

	// What was there before the inbox is not imported.
	p.fake.Comment(ben, ytfake.DefaultVideoID, "An old comment")
	if wait, err := p.poll(); err != nil || wait != time.Minute {
		t.Fatalf("first poll = %v, %v; want a minute's wait", wait, err)
	}
	if pending, _ := p.store.PendingRaw(ctx, 10); len(pending) != 0 {
		t.Errorf("the first poll stored %d events", len(pending))
	}

	// A comment and a reply in its thread: one conversation.
	top := p.fake.Comment(ana, ytfake.DefaultVideoID, "My order #5521 never arrived 📦")
	p.clock.Add(time.Second)
	benReply, _ := p.fake.Reply(ben, top, "Same here, order 5530")
	p.mustPoll()
	in := p.message(top)
	if in.Visibility != care.Public || in.Direction != care.DirectionIn || in.Text != "My order #5521 never arrived 📦" || in.AuthorName != "@anasilva" {
		t.Errorf("comment = %+v", in)
	}
	conv := in.ConversationID
	if m := p.message(benReply); m.ConversationID != conv || m.ReplyToPlatformID != top || m.ContactID == in.ContactID {
		t.Errorf("Ben's reply = %+v, want it in Ana's thread's conversation, from Ben", m)
	}
	contact, err := p.store.Contact(ctx, in.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	if ids := contact.Identities; len(ids) != 1 || ids[0].Platform != care.ChannelYouTube || !strings.HasPrefix(ids[0].PlatformUserID, "UC") || ids[0].Handle != "anasilva" {
		t.Errorf("identities = %+v, want Ana's channel with her handle", ids)
	}

	// An answer to Ana's comment goes into its thread.
	m := p.reply(conv, desk.Reply{Text: "Sorry Ana! It ships today.", ReplyToMessageID: in.ID})
	posted := p.lastPosted()
	if m.Status != care.DeliverySent || m.PlatformID != posted.ID || posted.ParentID != top || posted.Text != "Sorry Ana! It ships today." {
		t.Fatalf("reply = %+v; posted %+v", m, posted)
	}
	if h := p.health(); h.RateLimit != "52/10000 units today (polling 2/6000), resets 08:00Z" {
		t.Errorf("health rate limit = %q", h.RateLimit)
	}
	// An answer to Ben's reply goes to the same thread, naming him.
	p.reply(conv, desk.Reply{Text: "Ben, yours too.", ReplyToMessageID: p.message(benReply).ID})
	if posted := p.lastPosted(); posted.ParentID != top || posted.Text != "@benjohnson Ben, yours too." {
		t.Errorf("reply to a reply posted %+v", posted)
	}
	// Parley's own replies come back with the next poll and are known;
	// one written in YouTube Studio is shown as sent outside Parley.
	n := len(p.messages(conv))
	studio, _ := p.fake.OwnerReply(top, "Answered from YouTube Studio")
	p.mustPoll()
	if got := len(p.messages(conv)); got != n+1 {
		t.Errorf("after the poll the conversation has %d messages, want %d", got, n+1)
	}
	if e := p.message(studio); e.Direction != care.DirectionOut || !strings.Contains(e.AuthorName, "outside Parley") || e.ConversationID != conv {
		t.Errorf("reply from YouTube Studio = %+v", e)
	}

	// What YouTube does not take is refused before it is queued.
	if _, err := p.desk.Reply(ctx, p.agent, conv, desk.Reply{Text: "psst", Visibility: care.Private}); care.ErrorCode(err) != care.EINVALID ||
		!strings.Contains(care.ErrorMessage(err), "no private messages") {
		t.Errorf("private reply = %v, want EINVALID", err)
	}
	if _, err := p.desk.Reply(ctx, p.agent, conv, desk.Reply{Text: strings.Repeat("ü", youtube.MaxTextChars+1)}); care.ErrorCode(err) != care.EINVALID ||
		!strings.Contains(care.ErrorMessage(err), "10,000") {
		t.Errorf("reply of 10,001 characters = %v, want EINVALID", err)
	}

	// An edit is a message of its own, answering the comment it changes.
	p.fake.Edit(top, "My order #5521 never arrived 📦 (it did, sorry!)")
	p.mustPoll()
	edit := p.message(youtube.EditID(top, p.clock.Now().Add(-time.Minute)))
	if edit.Text != "[Edited] My order #5521 never arrived 📦 (it did, sorry!)" || edit.ReplyToPlatformID != top || edit.ConversationID != conv {
		t.Errorf("edit = %+v", edit)
	}

	// Hiding a comment holds it for review on YouTube; deleting rejects it.
	if _, err := p.desk.Moderate(ctx, p.agent, p.message(benReply).ID, channel.Hide); err != nil {
		t.Fatal(err)
	}
	if c, _ := p.fake.Get(benReply); c.ModerationStatus != ytfake.HeldForReview {
		t.Errorf("hidden comment is %s", c.ModerationStatus)
	}
	if _, err := p.desk.Moderate(ctx, p.agent, p.message(benReply).ID, channel.Delete); err != nil {
		t.Fatal(err)
	}
	if c, _ := p.fake.Get(benReply); c.ModerationStatus != ytfake.Rejected || p.message(benReply).DeletedAt == nil {
		t.Errorf("deleted comment is %s", c.ModerationStatus)
	}

	// A reply whose answer is lost is retried, and posted once.
	p.fake.DropInsertResponses(1)
	lost, err := p.desk.Reply(ctx, p.agent, conv, desk.Reply{Text: "Anything else?", ReplyToMessageID: in.ID})
	if err != nil {
		t.Fatal(err)
	}
	if m := p.send(lost.ID); m.Status != care.DeliveryQueued {
		t.Fatalf("reply with its answer lost = %s %q, want queued", m.Status, m.StatusReason)
	}
	before := len(p.fake.Replies())
	p.clock.Add(time.Hour)
	if m := p.send(lost.ID); m.Status != care.DeliverySent || m.PlatformID != p.lastPosted().ID || len(p.fake.Replies()) != before {
		t.Errorf("retried reply = %s %q; %d replies posted, want %d", m.Status, m.PlatformID, len(p.fake.Replies()), before)
	}

	// The project's quota spent: the reply waits for the Pacific midnight
	// reset, and goes then.
	p.fake.SpendQuota(ytfake.DefaultDailyQuota)
	late, err := p.desk.Reply(ctx, p.agent, conv, desk.Reply{Text: "One more thing", ReplyToMessageID: in.ID})
	if err != nil {
		t.Fatal(err)
	}
	if m := p.send(late.ID); m.Status != care.DeliveryQueued || !strings.Contains(m.StatusReason, "quotaExceeded") || !strings.Contains(m.StatusReason, "midnight Pacific Time") {
		t.Errorf("reply past the quota = %s %q", m.Status, m.StatusReason)
	}
	if wait, err := p.poll(); err == nil || wait < time.Hour || !strings.Contains(p.health().LastError, "polling resumes after midnight Pacific Time") {
		t.Errorf("poll past the quota = %v, %v; health %q", wait, err, p.health().LastError)
	}
	// 01:00 PST plus the hours above: midnight Pacific is 08:00 UTC on the 25th.
	p.clock.Add(time.Date(2026, 11, 25, 8, 0, 1, 0, time.UTC).Sub(p.clock.Now()))
	if m := p.send(late.ID); m.Status != care.DeliverySent {
		t.Errorf("reply after the reset = %s %q, want sent", m.Status, m.StatusReason)
	}
	p.mustPoll()
}

// TestEndToEndPollingBudget polls an inbox with a small quota: polling
// stops when its share is spent, says so on the inbox's health line, and
// leaves the reserve to replies.
func TestEndToEndPollingBudget(t *testing.T) {
	p := newParley(t, testdb.SQLite(t), map[string]string{youtube.CredDailyQuota: "104", youtube.CredWriteShare: "50"})
	p.mustPoll()
	top := p.fake.Comment(ana, ytfake.DefaultVideoID, "Is the shop open on Sunday?")
	polls := 1
	for {
		wait, err := p.poll()
		if err != nil {
			if wait < time.Hour {
				t.Errorf("wait after the budget is spent = %v, want until the reset", wait)
			}
			break
		}
		if polls++; polls > 60 {
			t.Fatal("polling never stopped")
		}
	}
	if polls != 52 {
		t.Errorf("%d polls, want 52: 104 units less half kept for replies", polls)
	}
	if h := p.health(); !strings.Contains(h.LastError, "polling budget for today is spent") || !strings.Contains(h.RateLimit, "52/104 units today (polling 52/52)") {
		t.Errorf("health = %+v", h)
	}
	// The reserve still pays for a reply.
	in := p.message(top)
	if m := p.reply(in.ConversationID, desk.Reply{Text: "Yes, 10 to 4.", ReplyToMessageID: in.ID}); m.Status != care.DeliverySent {
		t.Errorf("reply = %s %q, want sent", m.Status, m.StatusReason)
	}
	if q := p.fake.QuotaUsed(); q != 102 {
		t.Errorf("the fake charged %d units, want 102", q)
	}
}

// TestEndToEndNoChannel runs the comments of an account without a
// channel through Parley: they are a contact named as YouTube shows them,
// one conversation with the channel's answer, and answered in the thread.
func TestEndToEndNoChannel(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		p := newParley(t, s, nil)
		p.mustPoll()
		jane := ytfake.Viewer{DisplayName: "Jane Doe", NoChannel: true}
		top := p.fake.Comment(jane, ytfake.DefaultVideoID, "My order never arrived")
		p.clock.Add(time.Second)
		reply, _ := p.fake.Reply(jane, top, "Order 5521, still nothing")
		p.mustPoll()

		in, again := p.message(top), p.message(reply)
		if in.ContactID == 0 || again.ContactID != in.ContactID || again.ConversationID != in.ConversationID {
			t.Fatalf("comment %+v and reply %+v, want one contact's, in one conversation", in, again)
		}
		contact, err := p.store.Contact(p.ctx, in.ContactID)
		if err != nil {
			t.Fatal(err)
		}
		if contact.Name != "Jane Doe" || len(contact.Identities) != 1 || !strings.HasPrefix(contact.Identities[0].PlatformUserID, "nochannel:") {
			t.Errorf("contact = %q %+v, want Jane Doe under an identity without a channel", contact.Name, contact.Identities)
		}
		m := p.reply(in.ConversationID, desk.Reply{Text: "Sorry Jane, it ships today.", ReplyToMessageID: again.ID})
		if posted := p.lastPosted(); m.Status != care.DeliverySent || posted.ParentID != top || posted.Text != "Sorry Jane, it ships today." {
			t.Errorf("reply = %s %q; posted %+v", m.Status, m.StatusReason, posted)
		}
	})
}
