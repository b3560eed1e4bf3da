package mastodon

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/mastodon/mastofake"
)

// sink collects what a Streamer emits.
type sink struct {
	mu      sync.Mutex
	events  []channel.Event
	cursors []string
	fail    error
}

func (s *sink) emit(evs []channel.Event, cursor string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	s.events = append(s.events, evs...)
	s.cursors = append(s.cursors, cursor)
	return nil
}

func (s *sink) snapshot() ([]channel.Event, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cursor := ""
	if len(s.cursors) > 0 {
		cursor = s.cursors[len(s.cursors)-1]
	}
	return append([]channel.Event(nil), s.events...), cursor
}

// eventually waits, polling briefly, until cond holds; it fails t after
// ten seconds, a bound for a stuck test rather than a timing assertion.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// run starts s.Run and returns a function that stops it and returns its
// error.
func run(x *instance, s *Streamer, cursor string, out *sink) func() error {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, x.inbox, cursor, out.emit) }()
	return func() error {
		cancel()
		return <-done
	}
}

func hasEvent(out *sink, match func(care.Inbound) bool) func() bool {
	return func() bool {
		evs, _ := out.snapshot()
		for _, ev := range evs {
			if match(ev.Inbound) {
				return true
			}
		}
		return false
	}
}

func platformID(id string) func(care.Inbound) bool {
	return func(in care.Inbound) bool { return in.PlatformID == id && in.Kind == "" }
}

// TestStreamer follows the stream: what was missed is caught up first,
// then mentions and deletions arrive as they happen; a cut stream is
// reopened and what it missed is caught up again.
func TestStreamer(t *testing.T) {
	t.Parallel()
	x := newInstance(t)
	before := x.fake.Mention(mastofake.Mention{From: anna, Text: "while Parley was away"})
	out := &sink{}
	s := &Streamer{Adapter: x.adapter, MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond}
	stop := run(x, s, "0", out)

	eventually(t, "the catch-up", hasEvent(out, platformID(before.StatusID)))
	eventually(t, "the stream", func() bool { return x.fake.Streams() == 1 })
	x.fake.Heartbeat()
	x.fake.Notify("favourite", anna, before.StatusID)
	live := x.fake.Mention(mastofake.Mention{From: zsc, Text: "live", Visibility: "direct"})
	eventually(t, "the streamed mention", hasEvent(out, platformID(live.StatusID)))
	x.fake.Delete(before.StatusID)
	eventually(t, "the deletion", hasEvent(out, func(in care.Inbound) bool { return in.Kind == care.KindDelete && in.PlatformID == before.StatusID }))

	// A mention the stream does not carry, then the stream is cut: the
	// reconnection catches it up.
	missed := x.fake.Mention(mastofake.Mention{From: anna, Text: "missed", Unstreamed: true})
	if n := x.fake.CutStreams(); n != 1 {
		t.Fatalf("cut %d streams, want 1", n)
	}
	eventually(t, "the missed mention", hasEvent(out, platformID(missed.StatusID)))
	eventually(t, "the reconnection", func() bool { return x.fake.Streams() == 1 && x.fake.Connections() >= 2 })
	after := x.fake.Mention(mastofake.Mention{From: anna, Text: "after"})
	eventually(t, "a mention on the new stream", hasEvent(out, platformID(after.StatusID)))

	if err := stop(); !errors.Is(err, context.Canceled) {
		t.Errorf("Run ended with %v, want context.Canceled", err)
	}
	// Only polls move the cursor: the last was the reconnection's.
	evs, cursor := out.snapshot()
	if cursor != missed.NotificationID {
		t.Errorf("last cursor %q, want %q", cursor, missed.NotificationID)
	}
	seen := map[string]int{}
	for _, ev := range evs {
		checkEvent(t, ev, ev.Raw)
		if ev.Inbound.Kind == "" {
			seen[ev.Inbound.PlatformID]++
		}
		if ev.Inbound.PlatformID == live.StatusID && ev.Inbound.Visibility != care.Private {
			t.Errorf("the direct mention is %s", ev.Inbound.Visibility)
		}
	}
	for _, id := range []string{before.StatusID, live.StatusID, missed.StatusID, after.StatusID} {
		if seen[id] == 0 {
			t.Errorf("mention %s never emitted", id)
		}
	}
	if len(seen) != 4 {
		t.Errorf("emitted mentions %v, want those four only", seen)
	}
}

// TestStreamerPolls: while the stream is open, polls bring what it does
// not carry (mentions the notification policy filtered) and move the
// cursor past what it brought.
func TestStreamerPolls(t *testing.T) {
	t.Parallel()
	x := newInstance(t)
	out := &sink{}
	s := &Streamer{Adapter: x.adapter, PollEvery: 5 * time.Millisecond}
	stop := run(x, s, "0", out)
	eventually(t, "the stream", func() bool { return x.fake.Streams() == 1 })
	filtered := x.fake.Mention(mastofake.Mention{From: anna, Text: "from a stranger", Visibility: "direct", Unstreamed: true})
	eventually(t, "the filtered mention", hasEvent(out, platformID(filtered.StatusID)))
	streamed := x.fake.Mention(mastofake.Mention{From: anna, Text: "streamed"})
	eventually(t, "the cursor past the streamed mention", func() bool {
		_, cursor := out.snapshot()
		return cursor == streamed.NotificationID
	})
	if err := stop(); !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v", err)
	}
	if x.fake.Connections() != 1 {
		t.Errorf("%d connections, want the one", x.fake.Connections())
	}
}

// TestStreamerIdle: a stream that goes silent is taken for dead and
// reopened.
func TestStreamerIdle(t *testing.T) {
	t.Parallel()
	x := newInstance(t)
	out := &sink{}
	s := &Streamer{Adapter: x.adapter, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond, IdleTimeout: 20 * time.Millisecond}
	stop := run(x, s, "0", out)
	eventually(t, "a second connection", func() bool { return x.fake.Connections() >= 2 })
	if err := stop(); !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v", err)
	}
}

// TestStreamerWithoutStreaming: when the streaming API is not there, the
// catch-up polls keep mentions coming.
func TestStreamerWithoutStreaming(t *testing.T) {
	t.Parallel()
	x := newInstanceWith(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/api/v1/streaming") {
				http.NotFound(w, r)
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	out := &sink{}
	s := &Streamer{Adapter: x.adapter, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}
	stop := run(x, s, "0", out)
	m := x.fake.Mention(mastofake.Mention{From: anna, Text: "anyone?"})
	eventually(t, "the polled mention", hasEvent(out, platformID(m.StatusID)))
	if err := stop(); !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v", err)
	}
}

// TestStreamerStops: a refused token and a failing emit end Run.
func TestStreamerStops(t *testing.T) {
	t.Parallel()
	x := newInstance(t)
	s := &Streamer{Adapter: x.adapter, MinBackoff: time.Millisecond}

	revoked := x.inbox
	revoked.Credentials = map[string]string{CredAccessToken: "revoked", CredAPIBase: x.srv.URL}
	err := s.Run(context.Background(), revoked, "0", (&sink{}).emit)
	var se *channel.SendError
	if !errors.As(err, &se) || !se.Permanent || se.Status != http.StatusUnauthorized {
		t.Errorf("Run with a revoked token = %v, want a permanent 401", err)
	}

	x.fake.Mention(mastofake.Mention{From: anna, Text: "hi"})
	broken := errors.New("disk full")
	if err := s.Run(context.Background(), x.inbox, "0", (&sink{fail: broken}).emit); !errors.Is(err, broken) {
		t.Errorf("Run with a failing emit = %v, want its error", err)
	}

	// A failing emit on a streamed event ends Run too.
	out := &sink{}
	stop := run(x, s, "", out)
	eventually(t, "the stream", func() bool { return x.fake.Streams() == 1 })
	out.mu.Lock()
	out.fail = broken
	out.mu.Unlock()
	x.fake.Mention(mastofake.Mention{From: anna, Text: "again"})
	if err := stop(); !errors.Is(err, broken) && !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v", err)
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	s := &Streamer{Rand: func() float64 { return 0 }}
	for _, tt := range []struct {
		failures     int
		asked, retry time.Duration
		want         time.Duration
	}{
		{1, 0, 0, time.Second},
		{2, 0, 0, 2 * time.Second},
		{5, 0, 0, 16 * time.Second},
		{20, 0, 0, 5 * time.Minute},
		{1, 0, 2500 * time.Millisecond, 2500 * time.Millisecond},
		{1, 3 * time.Minute, 0, 3 * time.Minute},
		{9, 0, time.Second, 4*time.Minute + 16*time.Second},
	} {
		if got := s.backoff(tt.failures, tt.asked, tt.retry); got != tt.want {
			t.Errorf("backoff(%d, %v, %v) = %v, want %v", tt.failures, tt.asked, tt.retry, got, tt.want)
		}
	}
	s.Rand = func() float64 { return 0.999 }
	if got := s.backoff(1, 0, 0); got < time.Second || got >= 1200*time.Millisecond {
		t.Errorf("jittered backoff %v, want within a fifth above a second", got)
	}
}

// TestStreamRetryHint: the stream's retry field sets the least wait.
func TestStreamRetryHint(t *testing.T) {
	t.Parallel()
	x := newInstance(t)
	x.fake.StreamRetry = 2500 * time.Millisecond
	s := &Streamer{Adapter: x.adapter}
	c, err := s.connect(context.Background(), x.inbox)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = c.sse.Next() // reads the opening, then waits
	}()
	eventually(t, "the retry field", func() bool { return x.fake.Streams() == 1 })
	x.fake.PushRaw("event: delete\ndata: 1\n\n")
	<-done
	if c.sse.Retry != 2500*time.Millisecond {
		t.Errorf("retry = %v, want 2.5s", c.sse.Retry)
	}
	if got := s.backoff(1, 0, c.sse.Retry); got < 2500*time.Millisecond {
		t.Errorf("backoff after the hint = %v", got)
	}
}

// TestCatchUpReserve: a catch-up that nears the rate limit stops and asks
// to wait for the reset.
func TestCatchUpReserve(t *testing.T) {
	t.Parallel()
	x := newInstance(t)
	_, cursor, _ := x.adapter.Poll(context.Background(), x.inbox, "")
	for range 100 {
		x.fake.Mention(mastofake.Mention{From: anna, Text: "burst"})
	}
	x.fake.Spend(x.fake.Remaining() - rateReserve)
	out := &sink{}
	s := &Streamer{Adapter: x.adapter}
	next, err := s.catchUp(context.Background(), x.inbox, cursor, out.emit)
	var se *channel.SendError
	if !errors.As(err, &se) || se.Permanent || se.RetryAfter != 5*time.Minute {
		t.Errorf("catchUp near the limit = %v, want temporary until the reset", err)
	}
	if evs, last := out.snapshot(); len(evs) != 40 || last != next || next == cursor {
		t.Errorf("catchUp emitted %d events up to %q, returned %q; want one page", len(evs), last, next)
	}
}
