package webchat_test

import (
	"cmp"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/webchat"
	"github.com/parleyhq/parley/internal/channel/webchat/webchatfake"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/inmem"
	"github.com/parleyhq/parley/internal/testdb"
)

// harness is a web chat Server over a real store, committer and threading
// pipeline, served by httptest on 127.0.0.1: the package's own view of a
// node, where tests reach what the app does not expose (the typing hub,
// the limits, the clock of availability).
type harness struct {
	t         *testing.T
	store     care.Store
	bus       *inmem.Bus
	hub       *webchat.TypingHub
	srv       *webchat.Server
	http      *httptest.Server
	inbox     care.Inbox
	committer *ingest.Committer
}

type harnessOptions struct {
	store care.Store
	// origins are the inbox's allowed origins; "" means shop.
	origins string
	// creds are more credentials of the inbox.
	creds  map[string]string
	server func(*webchat.Server)
	// http adjusts the HTTP server before it starts.
	http func(*http.Server)
	// publisher is where the pipeline announces events; nil means the
	// harness bus. Another bus plays another node.
	publisher ingest.Publisher
}

func newHarness(t *testing.T, opt harnessOptions) *harness {
	t.Helper()
	store := opt.store
	if store == nil {
		store = testdb.SQLite(t)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ws := &care.Workspace{Slug: "acme", Name: "Acme", CreatedAt: time.Now()}
	if err := store.CreateWorkspace(ctx, ws); err != nil {
		t.Fatal(err)
	}
	in := &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelWebChat, Name: "Acme chat", CreatedAt: time.Now(),
		Credentials: map[string]string{webchat.CredOrigins: cmp.Or(opt.origins, shop)}}
	for k, v := range opt.creds {
		in.Credentials[k] = v
	}
	if err := (&webchat.Adapter{}).Prepare(in); err != nil {
		t.Fatal(err)
	}
	if err := store.CreateInbox(ctx, in); err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, store: store, bus: inmem.NewBus(), hub: webchat.NewTypingHub(), inbox: *in}

	wake := make(chan struct{}, 1)
	committer := ingest.NewCommitter(store, 64)
	h.committer = committer
	committer.Committed = func([]care.AppendResult) {
		select {
		case wake <- struct{}{}:
		default:
		}
	}
	var pub ingest.Publisher = h.bus
	if opt.publisher != nil {
		pub = opt.publisher
	}
	pipeline := &ingest.Pipeline{Store: store, Publisher: pub, Wake: wake, Poll: 50 * time.Millisecond}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); committer.Run(ctx) }()
	go func() { defer wg.Done(); pipeline.Run(ctx) }()

	h.srv = &webchat.Server{Store: store, Ingest: committer, Bus: h.bus, Typing: h.hub, Logger: slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	if opt.server != nil {
		opt.server(h.srv)
	}
	mux := http.NewServeMux()
	h.srv.Routes(mux)
	h.http = httptest.NewUnstartedServer(mux)
	if opt.http != nil {
		opt.http(h.http.Config)
	}
	h.http.Start()
	t.Cleanup(func() {
		cctx, ccancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer ccancel()
		if err := h.srv.Close(cctx); err != nil {
			t.Errorf("Server.Close: %v", err)
		}
		h.http.Close()
		committer.Close(cctx)
		cancel()
		wg.Wait()
	})
	return h
}

func (h *harness) dial(token string) *webchatfake.Visitor {
	h.t.Helper()
	v, err := h.tryDial(token)
	if err != nil {
		h.t.Fatalf("dial: %v", err)
	}
	return v
}

func (h *harness) tryDial(token string) (*webchatfake.Visitor, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	v, err := webchatfake.Dial(ctx, h.http.URL, h.inbox.ID, webchatfake.Options{Origin: shop, Token: token})
	if err == nil {
		h.t.Cleanup(func() { v.Close() })
	}
	return v, err
}

// socketURL is the inbox's WebSocket URL on the harness.
func (h *harness) socketURL() string {
	u, _ := webchatfake.SocketURL(h.http.URL, h.inbox.ID)
	return u
}

// threaded waits for the visitor's message to be threaded and returns it.
func (h *harness) threaded(visitorID, clientID string) *care.Message {
	h.t.Helper()
	var m *care.Message
	eventually(h.t, "message "+clientID+" to be threaded", func() bool {
		var err error
		m, err = h.store.MessageByPlatformID(context.Background(), h.inbox.ID, visitorID+":"+clientID)
		return err == nil
	})
	return m
}

// reply stores an agent's reply in conv as desk.Reply would (queued, with
// its event) and announces it on publish (nil: not announced, as when
// another node stored it).
func (h *harness) reply(conv care.ID, author string, text string, publish *inmem.Bus) *care.Message {
	h.t.Helper()
	c, err := h.store.Conversation(context.Background(), conv)
	if err != nil {
		h.t.Fatal(err)
	}
	m := &care.Message{WorkspaceID: c.WorkspaceID, ConversationID: c.ID, InboxID: c.InboxID, Direction: care.DirectionOut,
		Visibility: care.Private, AuthorID: 1, AuthorName: author, Text: text, Status: care.DeliveryQueued, CreatedAt: time.Now(), SentAt: time.Now()}
	h.change(publish, func(q care.Queries) (care.EventType, *care.Message, error) {
		return care.EventMessageCreated, m, q.CreateMessage(context.Background(), m)
	})
	return m
}

// sent records what the outbox does once Send confirms a reply.
func (h *harness) sent(m *care.Message) {
	h.t.Helper()
	h.change(h.bus, func(q care.Queries) (care.EventType, *care.Message, error) {
		ctx := context.Background()
		if err := q.SetDelivery(ctx, m.ID, care.DeliverySent, "", webchat.OutboundPlatformID(m.ID)); err != nil {
			return "", nil, err
		}
		got, err := q.Message(ctx, m.ID)
		return care.EventMessageUpdated, got, err
	})
}

func (h *harness) change(publish *inmem.Bus, fn func(q care.Queries) (care.EventType, *care.Message, error)) {
	h.t.Helper()
	var ev care.Event
	err := h.store.Update(context.Background(), func(q care.Queries) error {
		typ, m, err := fn(q)
		if err != nil {
			return err
		}
		ev = ingest.NewEvent(typ, m.WorkspaceID, m.ConversationID, m.ID, m.InboxID, m, time.Now())
		return q.AppendEvent(context.Background(), &ev)
	})
	if err != nil {
		h.t.Fatal(err)
	}
	if publish != nil {
		publish.Publish(ev)
	}
}

func (h *harness) status(id care.ID) care.DeliveryStatus {
	m, err := h.store.Message(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return m.Status
}

func visitorID(v *webchatfake.Visitor) string { return v.Welcome.Visitor.ID }

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
