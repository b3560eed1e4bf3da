package foursquare_test

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
	"github.com/parleyhq/parley/internal/channel/foursquare"
	"github.com/parleyhq/parley/internal/channel/foursquare/fsqfake"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/poll"
	"github.com/parleyhq/parley/internal/testdb"
)

const brooklyn = "4e577535d22d61e8f339cf36"

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

// TestEndToEnd polls the fake Places API through Parley's poll runner:
// tips become public messages of their own conversations, a poll with
// nothing new stores nothing, failures show on the inbox's health, and
// replies are refused. It runs on SQLite, and on PostgreSQL when
// PARLEY_TEST_DATABASE_URL is set.
func TestEndToEnd(t *testing.T) {
	testdb.Each(t, endToEnd)
}

func endToEnd(t *testing.T, store care.Store) {
	// Bounded, so a hung request fails the test instead of stalling it.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	quiet := slog.New(slog.DiscardHandler)
	clk := &clock{t: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}

	fake := fsqfake.New()
	fake.Now = clk.Now
	fake.AddPlace(fsqfake.DefaultPlace, "Acme Soho")
	fake.AddPlace(brooklyn, "Acme Brooklyn")
	api := httptest.NewServer(fake.Handler())
	defer api.Close()

	adapter := &foursquare.Adapter{Client: api.Client(), Now: clk.Now, Logger: quiet}
	adapters := &channel.Registry{}
	adapters.Register(care.ChannelFoursquare, adapter)

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
	agent := care.Principal{UserID: u.ID, WorkspaceID: ws.ID, Role: care.RoleAgent, Name: "Sam"}
	inbox := &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelFoursquare, Name: "Acme on Foursquare",
		Credentials: map[string]string{foursquare.CredAPIKey: fsqfake.DefaultAPIKey, foursquare.CredAPIBase: api.URL,
			foursquare.CredVenues: fsqfake.DefaultPlace + "=Acme Soho, " + brooklyn + "=Acme Brooklyn", foursquare.CredPollMinutes: "15"}}
	if err := adapter.Prepare(inbox); err != nil {
		t.Fatal(err)
	}
	if err := store.CreateInbox(ctx, inbox); err != nil {
		t.Fatal(err)
	}

	committer := ingest.NewCommitter(store, 64)
	done := make(chan struct{})
	go func() { committer.Run(ctx); close(done) }()
	defer func() { committer.Close(context.Background()); cancel(); <-done }()
	runner := &poll.Runner{Store: store, Adapters: adapters, Ingest: committer, Now: clk.Now, Logger: quiet}
	pipeline := &ingest.Pipeline{Store: store, Logger: quiet, Now: clk.Now}
	drain := func() {
		t.Helper()
		for {
			n, err := pipeline.RunOnce(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				return
			}
		}
	}
	once := func() time.Duration {
		t.Helper()
		wait, err := runner.Once(ctx, inbox.ID)
		if err != nil {
			t.Fatalf("poll: %v", err)
		}
		drain()
		return wait
	}

	// An old tip, from before the inbox: the first poll starts now.
	old, err := fake.Tip(fsqfake.DefaultPlace, fsqfake.Tip{Text: "Old news", CreatedAt: clk.Now().Add(-72 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if wait := once(); wait != 15*time.Minute {
		t.Errorf("poll interval %v, want the inbox's 15 minutes", wait)
	}

	// Two customers leave tips; the next poll brings them in, each a
	// public message of a conversation of its own.
	clk.Add(15 * time.Minute)
	queue, _ := fake.Tip(fsqfake.DefaultPlace, fsqfake.Tip{Text: "20 minutes in the queue at 8am, and the card reader failed.",
		Agree: 3, PhotoPrefix: "https://fastly.4sqi.net/img/general/", PhotoSuffix: "/1_queue.jpg"})
	staff, _ := fake.Tip(brooklyn, fsqfake.Tip{Text: "Lovely staff, great flat white."})
	once()
	m, err := store.MessageByPlatformID(ctx, inbox.ID, queue)
	if err != nil {
		t.Fatalf("the tip was not stored: %v", err)
	}
	if m.Visibility != care.Public || m.Direction != care.DirectionIn || m.AuthorName != "Foursquare user" ||
		m.Text != "20 minutes in the queue at 8am, and the card reader failed." || len(m.Attachments) != 1 ||
		m.Attachments[0].URL != "https://fastly.4sqi.net/img/general/original/1_queue.jpg" {
		t.Errorf("tip message = %+v", m)
	}
	conv, err := store.Conversation(ctx, m.ConversationID)
	if err != nil || conv.Subject != "Foursquare tip on Acme Soho" || conv.Channel != care.ChannelFoursquare {
		t.Errorf("conversation = %+v, %v", conv, err)
	}
	m2, err := store.MessageByPlatformID(ctx, inbox.ID, staff)
	if err != nil || m2.ConversationID == m.ConversationID || m2.ContactID == m.ContactID {
		t.Errorf("second tip = %+v, %v; want a conversation and contact of its own", m2, err)
	}
	if _, err := store.MessageByPlatformID(ctx, inbox.ID, old); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("the tip from before the inbox was stored: %v", err)
	}
	msgs, err := store.Messages(ctx, m.ConversationID, 0, 100)
	if err != nil || len(msgs) != 1 {
		t.Errorf("the Soho conversation has %d messages, %v; want the tip alone (the old one was not read)", len(msgs), err)
	}

	// A poll with nothing new stores nothing and keeps the cursor.
	before, _ := store.InboxCursor(ctx, inbox.ID, poll.CursorName)
	clk.Add(15 * time.Minute)
	once()
	if after, _ := store.InboxCursor(ctx, inbox.ID, poll.CursorName); after != before || !strings.Contains(after, queue) {
		t.Errorf("cursor moved from %s to %s", before, after)
	}
	if pending, _ := store.PendingRaw(ctx, 10); len(pending) != 0 {
		t.Errorf("%d events left pending", len(pending))
	}

	// Foursquare throttles: the poll waits as asked, the health says why,
	// and the next poll catches up.
	late, _ := fake.Tip(brooklyn, fsqfake.Tip{Text: "Closed early on Sunday."})
	fake.Throttle(1, "1800")
	wait, err := runner.Once(ctx, inbox.ID)
	if err == nil || wait != 30*time.Minute {
		t.Errorf("throttled poll = %v, %v; want Foursquare's 30 minutes", wait, err)
	}
	if in, err := store.Inbox(ctx, inbox.ID); err != nil || !strings.Contains(in.Health.LastError, "rate limit") {
		t.Errorf("inbox health = %+v, %v", in.Health, err)
	}
	once()
	if _, err := store.MessageByPlatformID(ctx, inbox.ID, late); err != nil {
		t.Errorf("the tip left during the rate limit was not read: %v", err)
	}

	// Replies are refused, saying why.
	_, err = (&desk.Service{Store: store, Now: clk.Now, Adapters: adapters}).Reply(ctx, agent, m.ConversationID, desk.Reply{Text: "Sorry!", Visibility: care.Public})
	if care.ErrorCode(err) != care.EINVALID || care.ErrorMessage(err) != foursquare.NoReply {
		t.Errorf("reply = %v, want EINVALID %q", err, foursquare.NoReply)
	}
}
