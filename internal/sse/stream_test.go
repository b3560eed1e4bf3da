package sse

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/inmem"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// waitFor bounds every wait in these tests; it is generous because it is
// reached only when a test is failing.
const waitFor = 10 * time.Second

// store is an in-memory event table that, like the real writer, publishes to
// the bus after each event is stored.
type store struct {
	bus *inmem.Bus

	mu     sync.Mutex
	events []care.Event
	reads  []care.ID // afterID of each EventsAfter call
	err    error
	// beforeRead, when set, runs at the start of each EventsAfter call.
	beforeRead func()
}

func newStore(bus *inmem.Bus) *store { return &store{bus: bus} }

func (s *store) append(workspaceID care.ID, typ care.EventType) care.Event {
	return s.appendData(workspaceID, typ, nil)
}

// appendData stores an event carrying data, or a small default when data is nil.
func (s *store) appendData(workspaceID care.ID, typ care.EventType, data json.RawMessage) care.Event {
	s.mu.Lock()
	id := care.ID(len(s.events) + 1)
	if data == nil {
		data = json.RawMessage(`{"n":` + strconv.FormatInt(id, 10) + `}`)
	}
	e := care.Event{
		ID:          id,
		WorkspaceID: workspaceID,
		Type:        typ,
		Data:        data,
		CreatedAt:   time.Date(2026, 3, 1, 9, 0, int(id), 0, time.UTC),
	}
	s.events = append(s.events, e)
	s.mu.Unlock()
	s.bus.Publish(e)
	return e
}

func (s *store) appendN(n int, workspaceID care.ID) {
	for range n {
		s.append(workspaceID, care.EventMessageCreated)
	}
}

func (s *store) EventsAfter(ctx context.Context, workspaceID, afterID care.ID, limit int) ([]care.Event, error) {
	if s.beforeRead != nil {
		s.beforeRead()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reads = append(s.reads, afterID)
	if s.err != nil {
		return nil, s.err
	}
	var page []care.Event
	for _, e := range s.events {
		if e.WorkspaceID == workspaceID && e.ID > afterID && len(page) < limit {
			page = append(page, e)
		}
	}
	return page, nil
}

func (s *store) LatestEventID(ctx context.Context, workspaceID care.ID) (care.ID, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.events) - 1; i >= 0; i-- {
		if s.events[i].WorkspaceID == workspaceID {
			return s.events[i].ID, nil
		}
	}
	return 0, nil
}

func (s *store) readAfter() []care.ID {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]care.ID(nil), s.reads...)
}

// withoutLatest hides store's LatestEventID.
type withoutLatest struct{ Source }

// serve runs st on a real HTTP server at /workspaces/{id}/events.
func serve(t *testing.T, st *Stream) *httptest.Server {
	t.Helper()
	if st.Logger == nil {
		st.Logger = slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /workspaces/{id}/events", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		st.Serve(w, r, id)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// client is a connected event stream, parsed as it arrives.
type client struct {
	resp   *http.Response
	frames chan frame
}

// connect opens path on srv. Its cleanup disconnects before srv closes,
// because srv.Close waits for the stream's handler to return.
func connect(t *testing.T, srv *httptest.Server, path, lastEventID string) *client {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, "GET", srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if lastEventID != "" {
		req.Header.Set("Last-Event-ID", lastEventID)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		cancel()
		t.Fatalf("GET %s: %v", path, err)
	}
	c := &client{resp: resp, frames: make(chan frame)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(c.frames)
		readFrames(resp.Body, func(f frame) bool {
			select {
			case c.frames <- f:
				return true
			case <-ctx.Done():
				return false
			}
		})
	}()
	t.Cleanup(func() {
		cancel()
		resp.Body.Close()
		<-done
	})
	return c
}

// next returns the next frame, comments included.
func (c *client) next(t *testing.T) frame {
	t.Helper()
	select {
	case f, ok := <-c.frames:
		if !ok {
			t.Fatal("stream ended")
		}
		return f
	case <-time.After(waitFor):
		t.Fatalf("no frame within %v", waitFor)
	}
	panic("unreachable")
}

// event returns the next event frame's data, skipping comments and retry.
func (c *client) event(t *testing.T) care.Event {
	t.Helper()
	for {
		f := c.next(t)
		if f.Data == "" {
			continue
		}
		var e care.Event
		if err := json.Unmarshal([]byte(f.Data), &e); err != nil {
			t.Fatalf("frame data %q: %v", f.Data, err)
		}
		if f.ID != strconv.FormatInt(e.ID, 10) || f.Event != string(e.Type) {
			t.Errorf("frame id %q event %q for event %d of type %q", f.ID, f.Event, e.ID, e.Type)
		}
		return e
	}
}

// ids returns the ids of the next n events.
func (c *client) ids(t *testing.T, n int) []care.ID {
	t.Helper()
	ids := make([]care.ID, n)
	for i := range ids {
		ids[i] = c.event(t).ID
	}
	return ids
}

// span returns the ids from, from+1, ..., to.
func span(from, to care.ID) []care.ID {
	var ids []care.ID
	for id := from; id <= to; id++ {
		ids = append(ids, id)
	}
	return ids
}

func TestServeBackfillThenLive(t *testing.T) {
	bus := inmem.NewBus()
	st := newStore(bus)
	st.appendN(2, 1)
	st.appendN(1, 2) // another workspace's event, id 3
	st.appendN(1, 1)
	srv := serve(t, &Stream{Source: st, Bus: bus})

	c := connect(t, srv, "/workspaces/1/events", "0")
	for _, tc := range []struct{ header, want string }{
		{"Content-Type", "text/event-stream"},
		{"Cache-Control", "no-store"},
		{"X-Accel-Buffering", "no"},
	} {
		if got := c.resp.Header.Get(tc.header); got != tc.want {
			t.Errorf("%s = %q, want %q", tc.header, got, tc.want)
		}
	}
	if f := c.next(t); f.Retry != "3000" {
		t.Errorf("first frame = %+v, want retry 3000", f)
	}

	first := c.event(t)
	st.mu.Lock()
	want := st.events[0]
	st.mu.Unlock()
	if diff := cmp.Diff(want, first); diff != "" {
		t.Errorf("first event (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]care.ID{2, 4}, c.ids(t, 2)); diff != "" {
		t.Errorf("backfilled ids (-want +got):\n%s", diff)
	}

	st.appendN(1, 2)
	st.appendN(2, 1)
	if diff := cmp.Diff([]care.ID{6, 7}, c.ids(t, 2)); diff != "" {
		t.Errorf("live ids (-want +got):\n%s", diff)
	}
}

// TestServeResume writes events while clients connect, so the backfill and
// the live tail overlap, and checks each client gets exactly what it missed.
func TestServeResume(t *testing.T) {
	for _, tc := range []struct {
		name        string
		path        string
		lastEventID string
	}{
		{"header", "/workspaces/1/events", "400"},
		{"query", "/workspaces/1/events?last_event_id=400", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bus := inmem.NewBus()
			st := newStore(bus)
			st.appendN(1200, 1) // more than two pages after the resume point
			srv := serve(t, &Stream{Source: st, Bus: bus})

			var wg sync.WaitGroup
			defer wg.Wait()
			wg.Go(func() {
				for i := range 300 {
					st.appendN(1, care.ID(1+i%2))
				}
			})
			c := connect(t, srv, tc.path, tc.lastEventID)
			// 1200 stored, then 150 of the next 300 in workspace 1, at the
			// odd positions 1201, 1203, ...
			want := span(401, 1200)
			for id := care.ID(1201); id <= 1500; id += 2 {
				want = append(want, id)
			}
			if diff := cmp.Diff(want, c.ids(t, len(want))); diff != "" {
				t.Errorf("ids after resuming at 400 (-want +got):\n%s", diff)
			}
			st.appendN(1, 1)
			if got := c.event(t).ID; got != 1501 {
				t.Errorf("next live id = %d, want 1501", got)
			}
		})
	}
}

// TestServeOverlap commits events between the stream's subscription and its
// first read, so they reach it both from the source and live, and checks each
// is sent once.
func TestServeOverlap(t *testing.T) {
	bus := inmem.NewBus()
	st := newStore(bus)
	st.appendN(2, 1)
	var once sync.Once
	st.beforeRead = func() { once.Do(func() { st.appendN(3, 1) }) }
	srv := serve(t, &Stream{Source: st, Bus: bus})

	c := connect(t, srv, "/workspaces/1/events", "1")
	st.appendN(1, 1)
	if diff := cmp.Diff(span(2, 6), c.ids(t, 5)); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
}

// TestServeStartsAtNewest covers clients with no usable position: they get
// only what happens after they connect.
func TestServeStartsAtNewest(t *testing.T) {
	for _, tc := range []struct {
		name        string
		source      func(*store) Source
		path        string
		lastEventID string
	}{
		{"no position", func(s *store) Source { return s }, "/workspaces/1/events", ""},
		{"invalid header", func(s *store) Source { return s }, "/workspaces/1/events", "abc"},
		{"invalid query", func(s *store) Source { return s }, "/workspaces/1/events?last_event_id=-1", ""},
		{"no position without Latest", func(s *store) Source { return withoutLatest{s} }, "/workspaces/1/events", ""},
		{"invalid header without Latest", func(s *store) Source { return withoutLatest{s} }, "/workspaces/1/events", "1.5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bus := inmem.NewBus()
			st := newStore(bus)
			st.appendN(3, 1)
			srv := serve(t, &Stream{Source: tc.source(st), Bus: bus})

			c := connect(t, srv, tc.path, tc.lastEventID)
			if f := c.next(t); f.Retry == "" {
				t.Fatalf("first frame = %+v, want retry", f)
			}
			st.appendN(2, 1)
			if diff := cmp.Diff([]care.ID{4, 5}, c.ids(t, 2)); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
		})
	}
}

// TestServeResetPastNewest covers a client whose position is past the
// newest event, as after the database was restored from a backup: it is
// told so, moved to the newest event, and gets what happens next.
func TestServeResetPastNewest(t *testing.T) {
	for _, tc := range []struct {
		name          string
		stored        int
		path          string
		lastEventID   string
		asked, newest care.ID
	}{
		{"header", 3, "/workspaces/1/events", "999999", 999999, 3},
		{"query", 3, "/workspaces/1/events?last_event_id=4", "", 4, 3},
		{"no event stored", 0, "/workspaces/1/events", "7", 7, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bus := inmem.NewBus()
			st := newStore(bus)
			st.appendN(tc.stored, 1)
			st.appendN(2, 2) // another workspace's newer events do not count
			srv := serve(t, &Stream{Source: st, Bus: bus})

			c := connect(t, srv, tc.path, tc.lastEventID)
			if f := c.next(t); f.Retry == "" {
				t.Fatalf("first frame = %+v, want retry", f)
			}
			f := c.next(t)
			var got resetData
			if err := json.Unmarshal([]byte(f.Data), &got); err != nil {
				t.Fatalf("reset frame data %q: %v", f.Data, err)
			}
			want := resetData{Type: EventReset, LastEventID: tc.asked, NewestID: tc.newest}
			if f.ID != strconv.FormatInt(tc.newest, 10) || f.Event != string(EventReset) || got != want {
				t.Errorf("second frame = %+v, want id %d, event reset, data %+v", f, tc.newest, want)
			}
			st.appendN(2, 1)
			next := care.ID(tc.stored + 3)
			if diff := cmp.Diff([]care.ID{next, next + 1}, c.ids(t, 2)); diff != "" {
				t.Errorf("ids after the reset (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("at the newest", func(t *testing.T) {
		bus := inmem.NewBus()
		st := newStore(bus)
		st.appendN(3, 1)
		srv := serve(t, &Stream{Source: st, Bus: bus})
		c := connect(t, srv, "/workspaces/1/events", "3")
		st.appendN(1, 1)
		// c.event fails on a reset frame: its data is not an event.
		if got := c.event(t); got.ID != 4 {
			t.Errorf("first event after resuming at the newest = %d, want 4", got.ID)
		}
	})
}

func TestServeFilter(t *testing.T) {
	bus := inmem.NewBus()
	st := newStore(bus)
	for range 3 {
		st.append(1, care.EventMessageCreated)
		st.append(1, care.EventMessageUpdated)
	}
	srv := serve(t, &Stream{Source: st, Bus: bus, Filter: func(e care.Event) bool {
		return e.Type != care.EventMessageUpdated
	}})

	c := connect(t, srv, "/workspaces/1/events", "0")
	if diff := cmp.Diff([]care.ID{1, 3, 5}, c.ids(t, 3)); diff != "" {
		t.Errorf("backfilled ids (-want +got):\n%s", diff)
	}
	st.append(1, care.EventMessageUpdated)
	st.append(1, care.EventConversationCreated)
	if e := c.event(t); e.ID != 8 {
		t.Errorf("live event = %d %s, want 8 conversation.created", e.ID, e.Type)
	}
}

// TestServeLagRecovery holds the stream inside Filter while more events are
// published than its subscription can buffer, then checks the stream fills
// the gap from the source.
func TestServeLagRecovery(t *testing.T) {
	for _, tc := range []struct {
		name   string
		source func(*store) Source
	}{
		{"with Latest", func(s *store) Source { return s }},
		{"without Latest", func(s *store) Source { return withoutLatest{s} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bus := inmem.NewBus()
			st := newStore(bus)
			entered, release := make(chan struct{}), make(chan struct{})
			var enterOnce, releaseOnce sync.Once
			srv := serve(t, &Stream{Source: tc.source(st), Bus: bus, Filter: func(care.Event) bool {
				enterOnce.Do(func() {
					close(entered)
					<-release
				})
				return true
			}})
			c := connect(t, srv, "/workspaces/1/events", "")
			t.Cleanup(func() { releaseOnce.Do(func() { close(release) }) })

			st.appendN(1, 1)
			select {
			case <-entered:
			case <-time.After(waitFor):
				t.Fatal("stream never received the first event")
			}
			n := care.ID(liveBuffer + 300)
			st.appendN(int(n-1), 1)
			releaseOnce.Do(func() { close(release) })

			if diff := cmp.Diff(span(1, n), c.ids(t, int(n))); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
			reread := false
			for _, after := range st.readAfter() {
				reread = reread || after > 0
			}
			if !reread {
				t.Errorf("source reads after ids %v, want a re-read after a lag", st.readAfter())
			}
		})
	}
}

// TestServeHostileText sends message text that imitates the stream's own
// framing, in the backfill and live, and checks each arrives as one intact
// event.
func TestServeHostileText(t *testing.T) {
	bus := inmem.NewBus()
	st := newStore(bus)
	hostile := json.RawMessage(`{"text":"hi\n\ndata: x\n\nid: 99\r\n\r\nevent: evil\n: ping"}`)
	stored := st.appendData(1, care.EventMessageCreated, hostile)
	srv := serve(t, &Stream{Source: st, Bus: bus})

	c := connect(t, srv, "/workspaces/1/events", "0")
	if diff := cmp.Diff(stored, c.event(t)); diff != "" {
		t.Errorf("backfilled event (-want +got):\n%s", diff)
	}
	live := st.appendData(1, care.EventMessageCreated, hostile)
	st.append(1, care.EventMessageUpdated)
	if diff := cmp.Diff(live, c.event(t)); diff != "" {
		t.Errorf("live event (-want +got):\n%s", diff)
	}
	// Had the text split a frame, a fragment would arrive before event 3.
	if got := c.event(t).ID; got != 3 {
		t.Errorf("event after the hostile one = %d, want 3", got)
	}
}

func TestServeHeartbeat(t *testing.T) {
	bus := inmem.NewBus()
	srv := serve(t, &Stream{Source: newStore(bus), Bus: bus, Heartbeat: 10 * time.Millisecond})
	c := connect(t, srv, "/workspaces/1/events", "")
	for {
		if f := c.next(t); f.Comment == "ping" {
			return
		} else if f.Data != "" {
			t.Fatalf("got event %+v on an idle stream", f)
		}
	}
}

func TestServeSourceError(t *testing.T) {
	bus := inmem.NewBus()
	st := newStore(bus)
	st.appendN(5, 1)
	st.err = errors.New("disk on fire")
	srv := serve(t, &Stream{Source: st, Bus: bus})

	// The frames channel closes when the stream ends.
	c := connect(t, srv, "/workspaces/1/events", "5")
	for f := range c.frames {
		if f.Data != "" {
			t.Errorf("got event %+v, want none", f)
		}
	}
}

// TestServeLatestError: a client without a position cannot be started, and
// is refused; a resuming one gets a stream that ends, like one whose read
// failed, and comes back with its Last-Event-ID.
func TestServeLatestError(t *testing.T) {
	for _, tc := range []struct {
		name        string
		lastEventID string
		status      int
	}{
		{"no position", "", http.StatusServiceUnavailable},
		{"resuming", "5", http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bus := inmem.NewBus()
			srv := serve(t, &Stream{Source: failingLatest{newStore(bus)}, Bus: bus})
			c := connect(t, srv, "/workspaces/1/events", tc.lastEventID)
			if c.resp.StatusCode != tc.status {
				t.Errorf("status = %d, want %d", c.resp.StatusCode, tc.status)
			}
			for f := range c.frames {
				if f.Data != "" {
					t.Errorf("got event %+v, want none", f)
				}
			}
		})
	}
}

type failingLatest struct{ *store }

func (failingLatest) LatestEventID(context.Context, care.ID) (care.ID, error) {
	return 0, errors.New("no connection")
}

// TestServeMaxAge: a stream ends on its own after MaxAge, having sent what
// there was, so the client reconnects and is authenticated again.
func TestServeMaxAge(t *testing.T) {
	bus := inmem.NewBus()
	st := newStore(bus)
	st.appendN(3, 1)
	srv := serve(t, &Stream{Source: st, Bus: bus, MaxAge: 50 * time.Millisecond})
	c := connect(t, srv, "/workspaces/1/events", "1")
	var ids []string
	// The frames channel closes when the stream ends; a stream without an
	// end would fail the test at its deadline instead.
	for f := range c.frames {
		if f.ID != "" {
			ids = append(ids, f.ID)
		}
	}
	if want := []string{"2", "3"}; !slices.Equal(ids, want) {
		t.Errorf("event ids before the stream ended = %v, want %v", ids, want)
	}
}

// TestServeEndsWithClient checks that Serve returns, releasing its
// subscription, when the client goes away.
func TestServeEndsWithClient(t *testing.T) {
	bus := inmem.NewBus()
	st := &Stream{Source: newStore(bus), Bus: bus, Logger: slog.New(slog.DiscardHandler)}
	returned := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(returned)
		st.Serve(w, r, 1)
	}))
	defer srv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	resp.Body.Close()
	select {
	case <-returned:
	case <-time.After(waitFor):
		t.Fatal("Serve still running after the client left")
	}

	// With the subscription closed, publishing reaches no one and cannot block.
	bus.Publish(care.Event{ID: 1, WorkspaceID: 1})
}

// Signals arrive as frames without an id, between stored events, and do
// not move the client's position.
func TestServeSignals(t *testing.T) {
	bus := inmem.NewBus()
	st := newStore(bus)
	sigs := make(chan Signal, 4)
	var asked care.ID
	srv := serve(t, &Stream{Source: st, Bus: bus, Signals: func(ws care.ID) (<-chan Signal, func()) {
		asked = ws
		return sigs, func() {}
	}})
	c := connect(t, srv, "/workspaces/3/events", "")
	first := st.append(3, care.EventMessageCreated)
	if e := c.event(t); e.ID != first.ID {
		t.Fatalf("event %d, want %d", e.ID, first.ID)
	}
	sigs <- Signal{Type: "presence", Data: []byte(`{"conversation_id":9,"viewers":[]}`)}
	sigs <- Signal{Type: "presence", Data: []byte("{\"split\":\n\"frame\"}")} // never sent: it would split the frame
	sigs <- Signal{Type: "presence", Data: []byte(`{"conversation_id":9}`)}
	for _, want := range []string{`{"conversation_id":9,"viewers":[]}`, `{"conversation_id":9}`} {
		f := c.next(t)
		for f.Data == "" {
			f = c.next(t)
		}
		if f.ID != "" || f.Event != "presence" || f.Data != want {
			t.Errorf("signal frame = %+v, want event presence, no id, data %s", f, want)
		}
	}
	if asked != 3 {
		t.Errorf("Signals asked for workspace %d, want 3", asked)
	}
	second := st.append(3, care.EventMessageCreated)
	if e := c.event(t); e.ID != second.ID {
		t.Errorf("after signals, event %d, want %d", e.ID, second.ID)
	}
}
