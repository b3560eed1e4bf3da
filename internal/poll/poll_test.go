package poll_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/poll"
	"github.com/parleyhq/parley/internal/testdb"
)

// feed is a platform without push: numbered posts, fetched after a cursor.
type feed struct {
	mu     sync.Mutex
	posts  int
	fail   error
	panics bool // as an adapter's parser might, on a response no one foresaw
	polled []string
}

func (f *feed) Send(context.Context, channel.Outbound) (channel.Result, error) {
	return channel.Result{}, nil
}

func (f *feed) PollInterval(in care.Inbox) time.Duration {
	if in.Credentials["mode"] == "poll" {
		return time.Minute
	}
	return 0
}

func (f *feed) Poll(_ context.Context, in care.Inbox, cursor string) ([]channel.Event, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.polled = append(f.polled, cursor)
	if f.panics {
		panic("runtime error: index out of range [3] with length 3")
	}
	if f.fail != nil {
		return nil, cursor, f.fail
	}
	from, _ := strconv.Atoi(cursor)
	var evs []channel.Event
	for i := from + 1; i <= f.posts; i++ {
		evs = append(evs, channel.Event{Inbound: care.Inbound{PlatformID: fmt.Sprint("post-", i), Visibility: care.Public,
			Author: care.Author{PlatformUserID: "fan"}, Text: "mention"}})
	}
	return evs, strconv.Itoa(f.posts), nil
}

func TestOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		ws := &care.Workspace{Slug: "acme", Name: "Acme"}
		s.CreateWorkspace(ctx, ws)
		const ch care.Channel = "feed"
		in := &care.Inbox{WorkspaceID: ws.ID, Channel: ch, Name: "Feed", Credentials: map[string]string{"mode": "poll"}}
		if err := s.CreateInbox(ctx, in); err != nil {
			t.Fatal(err)
		}
		f := &feed{posts: 3}
		adapters := &channel.Registry{}
		adapters.Register(ch, f)
		c := ingest.NewCommitter(s, 64)
		go c.Run(ctx)
		defer c.Close(ctx)
		r := &poll.Runner{Store: s, Adapters: adapters, Ingest: c}

		wait, err := r.Once(ctx, in.ID)
		if err != nil || wait != time.Minute {
			t.Fatalf("Once = %v, %v", wait, err)
		}
		f.posts = 5
		if _, err := r.Once(ctx, in.ID); err != nil {
			t.Fatal(err)
		}
		if cur, _ := s.InboxCursor(ctx, in.ID, poll.CursorName); cur != "5" {
			t.Errorf("cursor = %q, want 5", cur)
		}
		if fmt.Sprint(f.polled) != "[ 3]" {
			t.Errorf("polled with cursors %q, want the saved one each time", f.polled)
		}
		pending, _ := s.PendingRaw(ctx, 100)
		if len(pending) != 5 {
			t.Errorf("%d events stored, want 5, each once", len(pending))
		}

		// The platform asks to wait: the next poll honours it, and the
		// error is on the inbox's health line.
		f.fail = &channel.SendError{RetryAfter: 10 * time.Minute, Reason: "429 Too Many Requests", RateLimit: "0/15 left"}
		wait, err = r.Once(ctx, in.ID)
		var se *channel.SendError
		if !errors.As(err, &se) || wait != 10*time.Minute {
			t.Errorf("Once on 429 = %v, %v; want to wait 10m", wait, err)
		}
		got, _ := s.Inbox(ctx, in.ID)
		if got.Health.LastError == "" || got.Health.RateLimit != "0/15 left" {
			t.Errorf("health = %+v", got.Health)
		}

		// An adapter that panics fails the round, not the process, and
		// says so on the health line.
		f.fail, f.panics = nil, true
		_, err = r.Once(ctx, in.ID)
		if !errors.As(err, &se) || se.Reason != "the channel adapter failed" {
			t.Errorf("Once with a panicking adapter = %v; want the adapter's failure", err)
		}
		if got, _ := s.Inbox(ctx, in.ID); !strings.Contains(got.Health.LastError, "the channel adapter failed") {
			t.Errorf("health after a panic = %+v", got.Health)
		}
	})
}

func TestRunStartsAndStopsLoops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	s := testdb.SQLite(t)
	ws := &care.Workspace{Slug: "acme", Name: "Acme"}
	s.CreateWorkspace(ctx, ws)
	const ch care.Channel = "feed"
	polled := &care.Inbox{WorkspaceID: ws.ID, Channel: ch, Name: "Polled", Credentials: map[string]string{"mode": "poll"}}
	pushed := &care.Inbox{WorkspaceID: ws.ID, Channel: ch, Name: "Pushed"}
	s.CreateInbox(ctx, polled)
	s.CreateInbox(ctx, pushed)
	f := &feed{posts: 2}
	adapters := &channel.Registry{}
	adapters.Register(ch, f)
	c := ingest.NewCommitter(s, 64)
	go c.Run(context.Background())
	defer c.Close(context.Background())
	r := &poll.Runner{Store: s, Adapters: adapters, Ingest: c, Rescan: time.Hour}
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if cur, _ := s.InboxCursor(ctx, polled.ID, poll.CursorName); cur == "2" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the polled inbox was never polled")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.polled) != 1 {
		t.Errorf("polled %d times, want once (only the polled inbox, once per interval)", len(f.polled))
	}
}

// stream is a platform that pushes over a long-lived connection: it emits
// two batches, the second with the cursor unchanged, then fails.
type stream struct{ feed }

func (*stream) Streaming(in care.Inbox) bool { return in.Credentials["mode"] == "stream" }

func (*stream) Stream(ctx context.Context, in care.Inbox, cursor string, emit func([]channel.Event, string) error) error {
	ev := func(id string) channel.Event {
		return channel.Event{Inbound: care.Inbound{PlatformID: id, Visibility: care.Public, Author: care.Author{PlatformUserID: "fan"}, Text: "live"}}
	}
	if err := emit([]channel.Event{ev("s-1"), ev("s-2")}, "7"); err != nil {
		return err
	}
	if err := emit([]channel.Event{ev("s-3")}, "7"); err != nil {
		return err
	}
	return &channel.SendError{Permanent: true, Reason: "the token was revoked"}
}

func TestStreamOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := t.Context()
		ws := &care.Workspace{Slug: "acme", Name: "Acme"}
		if err := s.CreateWorkspace(ctx, ws); err != nil {
			t.Fatal(err)
		}
		const ch care.Channel = "live"
		in := &care.Inbox{WorkspaceID: ws.ID, Channel: ch, Name: "Live", Credentials: map[string]string{"mode": "stream"}}
		if err := s.CreateInbox(ctx, in); err != nil {
			t.Fatal(err)
		}
		reg := &channel.Registry{}
		reg.Register(ch, &stream{})
		c := ingest.NewCommitter(s, 16)
		go c.Run(ctx)
		defer c.Close(ctx)
		r := &poll.Runner{Store: s, Adapters: reg, Ingest: c}
		err := r.StreamOnce(ctx, in.ID)
		var se *channel.SendError
		if !errors.As(err, &se) || !se.Permanent {
			t.Fatalf("StreamOnce = %v, want the stream's permanent error", err)
		}
		pending, err := s.PendingRaw(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(pending) != 3 {
			t.Errorf("%d events stored, want 3", len(pending))
		}
		if cur, _ := s.InboxCursor(ctx, in.ID, poll.CursorName); cur != "7" {
			t.Errorf("cursor = %q, want 7", cur)
		}
		got, err := s.Inbox(ctx, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Health.LastError == "" {
			t.Errorf("health = %+v, want the stream's error", got.Health)
		}
	})
}

// Two nodes polling the same inbox: the lease lets one of them poll.
func TestOneNodePolls(t *testing.T) {
	s := testdb.SQLite(t)
	ctx := t.Context()
	ws := &care.Workspace{Slug: "acme", Name: "Acme"}
	if err := s.CreateWorkspace(ctx, ws); err != nil {
		t.Fatal(err)
	}
	const ch care.Channel = "feed"
	in := &care.Inbox{WorkspaceID: ws.ID, Channel: ch, Name: "Feed", Credentials: map[string]string{"mode": "poll"}}
	if err := s.CreateInbox(ctx, in); err != nil {
		t.Fatal(err)
	}
	f := &feed{posts: 2}
	reg := &channel.Registry{}
	reg.Register(ch, f)
	c := ingest.NewCommitter(s, 16)
	go c.Run(ctx)
	defer c.Close(ctx)
	a := &poll.Runner{Store: s, Adapters: reg, Ingest: c, Holder: "node-a"}
	b := &poll.Runner{Store: s, Adapters: reg, Ingest: c, Holder: "node-b"}
	for range 3 {
		for _, r := range []*poll.Runner{a, b} {
			if _, err := r.Once(ctx, in.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(f.polled) != 3 {
		t.Errorf("the platform was polled %d times in three rounds of two nodes, want 3", len(f.polled))
	}
}

// A node the platform asks to wait longer than the lease lasts (a spent
// monthly cap, a daily quota) keeps the inbox through the wait: another
// node would only be refused in turn, and say so again on the health line.
func TestOneNodeWaitsOutALongRetry(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := t.Context()
		ws := &care.Workspace{Slug: "acme", Name: "Acme"}
		if err := s.CreateWorkspace(ctx, ws); err != nil {
			t.Fatal(err)
		}
		const ch care.Channel = "feed"
		in := &care.Inbox{WorkspaceID: ws.ID, Channel: ch, Name: "Feed", Credentials: map[string]string{"mode": "poll"}}
		if err := s.CreateInbox(ctx, in); err != nil {
			t.Fatal(err)
		}
		f := &feed{posts: 2, fail: &channel.SendError{RetryAfter: 30 * 24 * time.Hour, Reason: "the monthly cap is spent"}}
		reg := &channel.Registry{}
		reg.Register(ch, f)
		now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
		clock := func() time.Time { return now }
		a := &poll.Runner{Store: s, Adapters: reg, Holder: "node-a", Now: clock}
		b := &poll.Runner{Store: s, Adapters: reg, Holder: "node-b", Now: clock}
		if wait, err := a.Once(ctx, in.ID); err == nil || wait != 30*24*time.Hour {
			t.Fatalf("Once = %v, %v; want to wait 30 days", wait, err)
		}
		now = now.Add(29 * 24 * time.Hour)
		if _, err := b.Once(ctx, in.ID); err != nil {
			t.Fatal(err)
		}
		if len(f.polled) != 1 {
			t.Errorf("the platform was polled %d times, want once: the other node waits too", len(f.polled))
		}
		// Past the wait, the lease lapses like any other.
		now = now.Add(2 * 24 * time.Hour)
		if _, err := b.Once(ctx, in.ID); err == nil || len(f.polled) != 2 {
			t.Errorf("after the wait: Once = %v, polled %d times; want the other node to poll", err, len(f.polled))
		}
	})
}

// notifying is a polled platform that also says when something arrived.
type notifying struct{ feed }

func (n *notifying) Notify(ctx context.Context, in care.Inbox, wake func()) error {
	select {
	case <-time.After(100 * time.Millisecond):
		n.mu.Lock()
		n.posts++
		n.mu.Unlock()
		wake()
	case <-ctx.Done():
		return nil
	}
	<-ctx.Done()
	return nil
}

// A notification polls at once, not at the next interval (a minute here).
func TestNotifyWakesThePoll(t *testing.T) {
	s := testdb.SQLite(t)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	ws := &care.Workspace{Slug: "acme", Name: "Acme"}
	if err := s.CreateWorkspace(ctx, ws); err != nil {
		t.Fatal(err)
	}
	const ch care.Channel = "mail"
	in := &care.Inbox{WorkspaceID: ws.ID, Channel: ch, Name: "Mail", Credentials: map[string]string{"mode": "poll"}}
	if err := s.CreateInbox(ctx, in); err != nil {
		t.Fatal(err)
	}
	n := &notifying{feed{posts: 1}}
	reg := &channel.Registry{}
	reg.Register(ch, n)
	c := ingest.NewCommitter(s, 16)
	go c.Run(ctx)
	defer c.Close(context.Background())
	r := &poll.Runner{Store: s, Adapters: reg, Ingest: c}
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	for {
		n.mu.Lock()
		polls := len(n.polled)
		n.mu.Unlock()
		if polls >= 2 {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("polled %d times; the notification did not wake the poll", polls)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
}

// holding is a notifier that counts the connections it holds at once.
type holding struct {
	feed
	mu2       sync.Mutex
	now, most int
}

func (h *holding) Notify(ctx context.Context, in care.Inbox, wake func()) error {
	h.mu2.Lock()
	h.now++
	h.most = max(h.most, h.now)
	h.mu2.Unlock()
	<-ctx.Done()
	h.mu2.Lock()
	h.now--
	h.mu2.Unlock()
	return nil
}

// Two nodes, one IMAP IDLE: the notification connection is held under a
// lease, like a stream.
func TestOneNodeNotifies(t *testing.T) {
	s := testdb.SQLite(t)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	ws := &care.Workspace{Slug: "acme", Name: "Acme"}
	if err := s.CreateWorkspace(ctx, ws); err != nil {
		t.Fatal(err)
	}
	const ch care.Channel = "mail"
	in := &care.Inbox{WorkspaceID: ws.ID, Channel: ch, Name: "Mail", Credentials: map[string]string{"mode": "poll"}}
	if err := s.CreateInbox(ctx, in); err != nil {
		t.Fatal(err)
	}
	h := &holding{}
	reg := &channel.Registry{}
	reg.Register(ch, h)
	c := ingest.NewCommitter(s, 16)
	go c.Run(ctx)
	defer c.Close(context.Background())
	var wg sync.WaitGroup
	for _, holder := range []string{"node-a", "node-b"} {
		r := &poll.Runner{Store: s, Adapters: reg, Ingest: c, Holder: holder}
		wg.Go(func() { r.Run(ctx) })
	}
	for {
		h.mu2.Lock()
		now := h.now
		h.mu2.Unlock()
		if now == 1 {
			break
		}
		if ctx.Err() != nil {
			t.Fatal("no node held the notification connection")
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond) // time for a second node to (wrongly) connect
	cancel()
	wg.Wait()
	if h.most != 1 {
		t.Errorf("%d nodes held the notification connection at once, want 1", h.most)
	}
}
