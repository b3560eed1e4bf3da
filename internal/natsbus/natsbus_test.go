package natsbus

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/testlog"
)

// EnvURL names the NATS server (with JetStream) the tests use; they skip
// without it. CI sets it to the server on 127.0.0.1:4222.
const EnvURL = "PARLEY_TEST_NATS_URL"

// localBus records what a relay hands its node.
type localBus struct {
	mu        sync.Mutex
	published []care.ID
	stale     []care.ID
	changed   chan struct{}
}

func newLocalBus() *localBus { return &localBus{changed: make(chan struct{}, 1)} }

func (b *localBus) Publish(events ...care.Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, e := range events {
		b.published = append(b.published, e.ID)
	}
}

func (b *localBus) Stale(ws care.ID) {
	b.mu.Lock()
	b.stale = append(b.stale, ws)
	b.mu.Unlock()
	select {
	case b.changed <- struct{}{}:
	default:
	}
}

// waitStale waits until every workspace in want was marked stale, and
// returns all that were, in order.
func (b *localBus) waitStale(ctx context.Context, t *testing.T, want ...care.ID) []care.ID {
	t.Helper()
	for {
		b.mu.Lock()
		seen := map[care.ID]bool{}
		for _, ws := range b.stale {
			seen[ws] = true
		}
		got := append([]care.ID(nil), b.stale...)
		b.mu.Unlock()
		all := true
		for _, ws := range want {
			all = all && seen[ws]
		}
		if all {
			return got
		}
		select {
		case <-b.changed:
		case <-ctx.Done():
			t.Fatalf("workspaces marked stale: %v; want %v among them", got, want)
		}
	}
}

// testStream connects nodes to a stream of the test's own, deleted at the
// end, on the server EnvURL names.
type testStream struct {
	url, name string
	ctx       context.Context
}

func newTestStream(t *testing.T) *testStream {
	t.Helper()
	url := os.Getenv(EnvURL)
	if url == "" {
		t.Skip(EnvURL + " is not set")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	b := make([]byte, 6)
	rand.Read(b)
	s := &testStream{url: url, name: "PARLEY_TEST_" + strings.ToUpper(hex.EncodeToString(b)), ctx: ctx}
	// Deleted once every node has closed: a stream deleted under a live
	// consumer keeps it trying to recreate itself.
	t.Cleanup(func() {
		nc, err := nats.Connect(url)
		if err != nil {
			t.Errorf("delete the test stream: %v", err)
			return
		}
		defer nc.Close()
		js, err := jetstream.New(nc)
		if err == nil {
			err = js.DeleteStream(context.Background(), s.name)
		}
		if err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
			t.Errorf("delete the test stream: %v", err)
		}
	})
	return s
}

// streamLost connects node-a, logging to what logs returns, and deletes
// its stream under it, as a NATS server restarted without its storage
// would.
func (s *testStream) streamLost(t *testing.T) (*Relay, func() string) {
	t.Helper()
	log, lines := testlog.Lines("err")
	r, err := Connect(s.ctx, Options{URL: s.url, Stream: s.name, Node: "node-a", Logger: log}, newLocalBus())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	if err := r.js.DeleteStream(s.ctx, s.name); err != nil {
		t.Fatal(err)
	}
	return r, func() string { return strings.Join(lines(), "\n") }
}

// node connects a relay named name; its Run starts only when run is true.
func (s *testStream) node(t *testing.T, name string, local Local, run bool) *Relay {
	t.Helper()
	r, err := Connect(s.ctx, Options{URL: s.url, Stream: s.name, Node: name,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, local)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	if run {
		s.run(t, r)
	}
	return r
}

func (s *testStream) run(t *testing.T, r *Relay) {
	t.Helper()
	ctx, stop := context.WithCancel(s.ctx)
	done := make(chan struct{})
	go func() { defer close(done); r.Run(ctx) }()
	t.Cleanup(func() {
		stop()
		<-done
	})
}

func event(id, ws care.ID) care.Event {
	return care.Event{ID: id, WorkspaceID: ws, Type: care.EventMessageCreated}
}

// A node's events go to its own bus as events and reach the other node as
// notices that mark their workspaces stale; no node marks itself stale.
func TestNoticesReachTheOtherNode(t *testing.T) {
	s := newTestStream(t)
	busA, busB := newLocalBus(), newLocalBus()
	a := s.node(t, "node-a", busA, true)
	b := s.node(t, "node-b", busB, true)

	a.Publish(event(3, 7), event(5, 7), event(6, 9))
	busB.waitStale(s.ctx, t, 7, 9)

	// Notices arrive in the stream's order, so once node A has seen
	// node B's later notice it has seen its own earlier ones too.
	b.Publish(event(8, 11))
	if got := busA.waitStale(s.ctx, t, 11); len(got) != 1 {
		t.Errorf("node A marked %v stale; want only workspace 11 (its own notices are not news to it)", got)
	}
	busA.mu.Lock()
	defer busA.mu.Unlock()
	if want := []care.ID{3, 5, 6}; !slices.Equal(busA.published, want) {
		t.Errorf("node A's own bus got events %v, want %v", busA.published, want)
	}
}

// Many events before a send make one notice per workspace: the stream
// holds only as many messages as there were workspaces.
func TestNoticesCoalescePerWorkspace(t *testing.T) {
	s := newTestStream(t)
	busA, busB := newLocalBus(), newLocalBus()
	a := s.node(t, "node-a", busA, false)
	s.node(t, "node-b", busB, true)

	for id := care.ID(1); id <= 200; id++ {
		a.Publish(event(id, 1+id%2))
	}
	s.run(t, a)
	busB.waitStale(s.ctx, t, 1, 2)

	st, err := a.js.Stream(s.ctx, s.name)
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(s.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != 2 {
		t.Errorf("the stream holds %d notices for 200 events in 2 workspaces, want 2", info.State.Msgs)
	}
	if info.Config.MaxMsgsPerSubject != keepPerWorkspace || info.Config.Retention != jetstream.LimitsPolicy {
		t.Errorf("stream config %+v: want %d per workspace, limits retention", info.Config, keepPerWorkspace)
	}
}

// A stream lost while nodes run (deleted, or a server restarted without
// its storage) is created again by the next node that has news, and the
// failure and the recovery are logged once each.
func TestLostStreamIsCreatedAgain(t *testing.T) {
	s := newTestStream(t)
	r, logs := s.streamLost(t)

	r.Publish(event(4, 1))
	if r.send(s.ctx) {
		t.Fatal("send reported success with no stream to take the notice")
	}
	if r.pending[1] != 4 {
		t.Errorf("queued notice for workspace 1 is at event %d, want 4", r.pending[1])
	}
	if _, err := r.js.Stream(s.ctx, s.name); err != nil {
		t.Fatalf("the stream was not created again: %v", err)
	}
	if !r.send(s.ctx) {
		t.Fatal("send failed with the stream back")
	}
	if len(r.pending) != 0 {
		t.Errorf("notices still queued after a send: %v", r.pending)
	}
	for _, want := range []string{"announcing new events to other nodes failed", "created it again", "announcing new events to other nodes recovered"} {
		if got := strings.Count(logs(), want); got != 1 {
			t.Errorf("logged %q %d times, want once:\n%s", want, got, logs())
		}
	}
}

// A notice JetStream does not take stays queued, newest id kept, and the
// failure is logged once for the outage, however often it is tried; a
// stream of the same name that is not Parley's is not taken over.
func TestUnsentNoticesStayQueued(t *testing.T) {
	s := newTestStream(t)
	r, logs := s.streamLost(t)
	// Another program's stream takes the name, for other subjects.
	if _, err := r.js.CreateStream(s.ctx, jetstream.StreamConfig{Name: s.name, Subjects: []string{"other." + s.name + ".>"}}); err != nil {
		t.Fatal(err)
	}

	r.Publish(event(4, 1))
	r.Publish(event(5, 1))
	for range 3 {
		r.repaired = time.Time{} // try to repair every time
		if r.send(s.ctx) {
			t.Fatal("send reported success with no stream to take the notice")
		}
	}
	if r.pending[1] != 5 {
		t.Errorf("queued notice for workspace 1 is at event %d, want 5", r.pending[1])
	}
	if got := strings.Count(logs(), "announcing new events to other nodes failed"); got != 1 {
		t.Errorf("logged the failure %d times in one outage, want once:\n%s", got, logs())
	}
	if !strings.Contains(logs(), "is not Parley's") {
		t.Errorf("the foreign stream is not named in the log:\n%s", logs())
	}
	st, err := r.js.Stream(s.ctx, s.name)
	if err != nil {
		t.Fatal(err)
	}
	if subs := st.CachedInfo().Config.Subjects; len(subs) != 1 || subs[0] != "other."+s.name+".>" {
		t.Errorf("the other program's stream now takes %v", subs)
	}
}

// A stream an operator made (other limits, more replicas on a cluster) is
// used as it is, not rewritten by each node that starts; one whose subjects
// are not Parley's stops the node with a clear error.
func TestConnectKeepsAnExistingStream(t *testing.T) {
	s := newTestStream(t)
	nc, err := nats.Connect(s.url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := js.CreateStream(s.ctx, jetstream.StreamConfig{Name: s.name, Subjects: []string{s.name + ".*"},
		MaxAge: time.Hour, MaxMsgsPerSubject: 2, Description: "made by the operator"}); err != nil {
		t.Fatal(err)
	}
	s.node(t, "node-a", newLocalBus(), false)
	st, err := js.Stream(s.ctx, s.name)
	if err != nil {
		t.Fatal(err)
	}
	if c := st.CachedInfo().Config; c.MaxAge != time.Hour || c.MaxMsgsPerSubject != 2 || c.Description != "made by the operator" {
		t.Errorf("the operator's stream was rewritten: %+v", c)
	}

	foreign := s.name + "_OTHER"
	if _, err := js.CreateStream(s.ctx, jetstream.StreamConfig{Name: foreign, Subjects: []string{"other." + foreign + ".>"}}); err != nil {
		t.Fatal(err)
	}
	defer js.DeleteStream(context.Background(), foreign)
	_, err = Connect(s.ctx, Options{URL: s.url, Stream: foreign, Node: "n"}, newLocalBus())
	if err == nil || !strings.Contains(err.Error(), "not Parley's") || !strings.Contains(err.Error(), "PARLEY_NATS_STREAM") {
		t.Errorf("Connect to a stream of other subjects: %v; want an error naming it and the setting", err)
	}
}

// A server that cannot be reached stops the node at start, naming the
// server without its password.
func TestConnectRefusesAnUnreachableServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := Connect(ctx, Options{URL: "nats://alice:s3cret@127.0.0.1:1", Node: "n"}, newLocalBus())
	if err == nil {
		t.Fatal("Connect to a closed port succeeded")
	}
	if msg := err.Error(); !strings.Contains(msg, "connect to nats://***@127.0.0.1:1") || strings.Contains(msg, "s3cret") {
		t.Errorf("error %q: want the server named, without its password", msg)
	}
}

func TestConnectRefusesABadStreamName(t *testing.T) {
	_, err := Connect(context.Background(), Options{URL: "nats://127.0.0.1:1", Stream: "parley.events", Node: "n"}, newLocalBus())
	if err == nil || !strings.Contains(err.Error(), "stream name") {
		t.Errorf("Connect with a dotted stream name: %v, want a stream name error", err)
	}
}

func TestParseNotice(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    notice
		wantErr string
	}{
		{in: `{"node":"a","workspace_id":4,"last_event_id":99}`, want: notice{Node: "a", Workspace: 4, LastEvent: 99}},
		{in: `{"node":"a","last_event_id":99}`, wantErr: "no workspace"},
		{in: `{"node":"a","workspace_id":-1}`, wantErr: "no workspace"},
		{in: `{"workspace_id":"4"}`, wantErr: "cannot unmarshal"},
		{in: `nope`, wantErr: "invalid character"},
		{in: `{"node":"` + strings.Repeat("x", maxNotice) + `","workspace_id":1}`, wantErr: "over 1024"},
	} {
		got, err := parseNotice([]byte(tc.in))
		switch {
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("parseNotice(%.40q) error %v, want one saying %q", tc.in, err, tc.wantErr)
		case tc.wantErr == "" && (err != nil || got != tc.want):
			t.Errorf("parseNotice(%.40q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"nats://127.0.0.1:4222":                             "nats://127.0.0.1:4222",
		"nats://alice:pw@n1:4222,nats://alice:pw@n2:4222":   "nats://***@n1:4222,nats://***@n2:4222",
		"tls://s3cr3tt0ken@nats.example.com":                "tls://***@nats.example.com",
		"nats://127.0.0.1:4222, nats://bob:pw@127.0.0.2:42": "nats://127.0.0.1:4222,nats://***@127.0.0.2:42",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParseNotice(f *testing.F) {
	f.Add([]byte(`{"node":"a","workspace_id":4,"last_event_id":99}`))
	f.Add([]byte(`{"workspace_id":1e3}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := parseNotice(data)
		if err == nil && n.Workspace <= 0 {
			t.Fatalf("accepted a notice for workspace %d", n.Workspace)
		}
		if err == nil && len(data) > maxNotice {
			t.Fatalf("accepted %d bytes", len(data))
		}
	})
}
