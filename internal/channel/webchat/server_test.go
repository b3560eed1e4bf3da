package webchat_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/webchat"
	"github.com/parleyhq/parley/internal/channel/webchat/webchatfake"
	"github.com/parleyhq/parley/internal/inmem"
	"github.com/parleyhq/parley/internal/testdb"
)

// TestTypingBothWays: an agent's typing reaches the widget by first name,
// the visitor's reaches agents, and a visitor who leaves mid-word stops.
func TestTypingBothWays(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	ctx := testCtx(t)
	v := h.dial("")
	cid, _, err := v.Say(ctx, "Hi")
	if err != nil {
		t.Fatal(err)
	}
	m := h.threaded(visitorID(v), cid)
	if _, err := v.WaitFor(ctx, func(f webchat.ServerFrame) bool { return f.Type == webchat.TypeMessage && f.ClientID == cid }); err != nil {
		t.Fatal(err)
	}

	agents, stop := h.hub.Subscribe(h.inbox.WorkspaceID, m.ConversationID)
	defer stop()
	h.hub.Publish(webchat.TypingSignal{WorkspaceID: h.inbox.WorkspaceID, ConversationID: m.ConversationID, UserID: 1, Name: "Dana Scully", On: true})
	f, err := v.WaitFor(ctx, func(f webchat.ServerFrame) bool { return f.Type == webchat.TypeTyping })
	if err != nil || !f.On || f.Name != "Dana" {
		t.Fatalf("typing frame = %+v, %v; want Dana typing", f, err)
	}
	// Another conversation's typing is not this visitor's business.
	h.hub.Publish(webchat.TypingSignal{WorkspaceID: h.inbox.WorkspaceID, ConversationID: m.ConversationID + 100, Name: "Eve", On: true})

	if err := v.Typing(ctx, true); err != nil {
		t.Fatal(err)
	}
	next := func() webchat.TypingSignal {
		t.Helper()
		for {
			select {
			case s := <-agents:
				if s.Visitor {
					return s
				}
			case <-ctx.Done():
				t.Fatal("no visitor typing signal")
			}
		}
	}
	if s := next(); !s.On || s.Name != "Visitor "+visitorID(v)[:6] || s.ConversationID != m.ConversationID {
		t.Errorf("visitor typing = %+v", s)
	}
	v.Close()
	if s := next(); s.On {
		t.Errorf("after the visitor left: %+v, want typing off", s)
	}
}

// TestOfflineForm: with nobody available the widget is told so; the
// offline form's name, email and message arrive like any other message.
func TestOfflineForm(t *testing.T) {
	h := newHarness(t, harnessOptions{server: func(s *webchat.Server) {
		s.Available = func(context.Context, care.Inbox) (bool, error) { return false, nil }
	}})
	ctx := testCtx(t)
	v := h.dial("")
	if v.Welcome.AgentsAvailable {
		t.Fatal("welcome says agents are available")
	}
	if _, err := v.Identify(ctx, "Bo", "bo@Example.com"); err != nil {
		t.Fatal(err)
	}
	cid, _, err := v.Say(ctx, "Do you ship to Norway?")
	if err != nil {
		t.Fatal(err)
	}
	m := h.threaded(visitorID(v), cid)
	ident, err := h.store.FindIdentity(ctx, h.inbox.WorkspaceID, care.ChannelWebChat, "v:"+visitorID(v))
	if err != nil || ident.DisplayName != "Bo" || ident.Handle != "bo@example.com" || m.AuthorName != "Bo" {
		t.Errorf("identity = %+v, %v; message by %q; want Bo <bo@example.com>", ident, err, m.AuthorName)
	}
}

// TestRefusedFrames: malformed, oversized and too many frames are answered
// with errors naming the message, and a socket that keeps at it is closed.
func TestRefusedFrames(t *testing.T) {
	h := newHarness(t, harnessOptions{server: func(s *webchat.Server) {
		s.Limits = webchat.Limits{Burst: 3, PerSecond: 0.001}
	}})
	ctx := testCtx(t)
	v := h.dial("")
	if err := v.SendRaw(ctx, []byte(`{"type":"message","client_id":"m1","text":"   "}`)); err != nil {
		t.Fatal(err)
	}
	if f, err := v.Next(ctx); err != nil || f.Type != webchat.TypeError || f.Code != webchat.CodeInvalid || f.ClientID != "m1" {
		t.Fatalf("blank message: %+v, %v", f, err)
	}
	if err := v.Send(ctx, "m2", strings.Repeat("x", care.MaxTextBytes+1)); err != nil {
		t.Fatal(err)
	}
	if f, err := v.Next(ctx); err != nil || f.Code != webchat.CodeTooLarge || f.ClientID != "m2" {
		t.Fatalf("long message: %+v, %v", f, err)
	}
	if err := v.SendRaw(ctx, []byte(`{"type":"hello"}`)); err != nil {
		t.Fatal(err)
	}
	if f, err := v.Next(ctx); err != nil || f.Code != webchat.CodeInvalid {
		t.Fatalf("second hello: %+v, %v", f, err)
	}
	// The bucket is empty now; a message is refused for the moment, and
	// the widget keeps it queued.
	if err := v.Send(ctx, "m3", "hello?"); err != nil {
		t.Fatal(err)
	}
	if f, err := v.Next(ctx); err != nil || f.Code != webchat.CodeRateLimited || f.ClientID != "m3" {
		t.Fatalf("over the rate: %+v, %v", f, err)
	}
	for range 25 {
		if err := v.Typing(ctx, true); err != nil {
			break
		}
	}
	_, err := v.WaitFor(ctx, func(webchat.ServerFrame) bool { return false })
	if websocket.CloseStatus(err) != websocket.StatusPolicyViolation {
		t.Errorf("after a flood: %v, want closed with policy violation", err)
	}
}

// TestHelloFirst: a socket that does not start with hello is closed.
func TestHelloFirst(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	ctx := testCtx(t)
	c, _, err := websocket.Dial(ctx, h.socketURL(), &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {shop}}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	c.Write(ctx, websocket.MessageText, []byte(`{"type":"message","client_id":"m1","text":"hi"}`))
	_, data, err := c.Read(ctx)
	var f webchat.ServerFrame
	if err != nil || json.Unmarshal(data, &f) != nil || f.Code != webchat.CodeHelloFirst {
		t.Fatalf("first frame not hello: %s, %v", data, err)
	}
	if _, _, err := c.Read(ctx); websocket.CloseStatus(err) != websocket.StatusPolicyViolation {
		t.Errorf("then %v, want closed with policy violation", err)
	}
}

// TestTabs: a visitor's message shows in their other tabs; too many tabs
// are refused.
func TestTabs(t *testing.T) {
	h := newHarness(t, harnessOptions{server: func(s *webchat.Server) { s.Limits = webchat.Limits{MaxPerVisitor: 2} }})
	ctx := testCtx(t)
	a := h.dial("")
	b := h.dial(a.Token())
	if visitorID(b) != visitorID(a) {
		t.Fatalf("second tab is visitor %s, want %s", visitorID(b), visitorID(a))
	}
	if _, err := h.tryDial(a.Token()); err == nil || !strings.Contains(err.Error(), webchat.CodeTooManySockets) {
		t.Errorf("third tab = %v, want refused", err)
	}
	stranger := h.dial("")
	cid, _, err := a.Say(ctx, "from tab a")
	if err != nil {
		t.Fatal(err)
	}
	f, err := b.WaitFor(ctx, func(f webchat.ServerFrame) bool { return f.Type == webchat.TypeMessage })
	if err != nil || f.ClientID != cid || f.Text != "from tab a" || f.Direction != care.DirectionIn {
		t.Errorf("tab b got %+v, %v", f, err)
	}
	// Another visitor sees nothing of it. Their own message comes first.
	scid, _, err := stranger.Say(ctx, "mine")
	if err != nil {
		t.Fatal(err)
	}
	if f, err := stranger.WaitFor(ctx, func(f webchat.ServerFrame) bool { return f.Type == webchat.TypeMessage }); err != nil || f.ClientID != scid {
		t.Errorf("stranger got %+v, %v; want only their own message", f, err)
	}
}

// TestReceipts: a reply seen before the outbox confirmed it is reported
// read once it has its platform id; delivered comes first, when pushed.
func TestReceipts(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	ctx := testCtx(t)
	v := h.dial("")
	cid, _, err := v.Say(ctx, "Hi")
	if err != nil {
		t.Fatal(err)
	}
	m := h.threaded(visitorID(v), cid)
	r := h.reply(m.ConversationID, "Dana Scully", "Hello!", h.bus)
	got, err := v.Reply(ctx)
	if err != nil || got.ID != r.ID || got.Author != "Dana" {
		t.Fatalf("reply = %+v, %v", got, err)
	}
	if err := v.Seen(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	// Nothing can be recorded yet: the reply has no platform id.
	if st := h.status(r.ID); st != care.DeliveryQueued {
		t.Fatalf("status before Send = %s", st)
	}
	h.sent(r)
	eventually(t, "the reply to be read", func() bool { return h.status(r.ID) == care.DeliveryRead })
}

// TestHistoryIsTheVisitors: after a merge put another identity's messages
// in the conversation, the visitor sees only their own and the replies.
func TestHistoryIsTheVisitors(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	ctx := testCtx(t)
	v := h.dial("")
	cid, _, err := v.Say(ctx, "Mine")
	if err != nil {
		t.Fatal(err)
	}
	m := h.threaded(visitorID(v), cid)
	other := &care.Message{WorkspaceID: m.WorkspaceID, ConversationID: m.ConversationID, InboxID: m.InboxID, Direction: care.DirectionIn,
		Visibility: care.Private, ContactID: m.ContactID, Text: "from another device", PlatformID: webchat.NewVisitorID() + ":x1",
		Status: care.DeliveryReceived, CreatedAt: time.Now(), SentAt: time.Now()}
	h.change(h.bus, func(q care.Queries) (care.EventType, *care.Message, error) {
		return care.EventMessageCreated, other, q.CreateMessage(ctx, other)
	})
	r := h.reply(m.ConversationID, "Dana", "Answer", h.bus)
	if got, err := v.WaitFor(ctx, func(f webchat.ServerFrame) bool { return f.Type == webchat.TypeMessage && f.ClientID != cid }); err != nil || got.ID != r.ID {
		t.Fatalf("next message after own = %+v, %v; want the reply, not the other identity's", got, err)
	}
	v.Close()
	back := h.dial(v.Token())
	var texts []string
	for _, hm := range back.Welcome.History {
		texts = append(texts, hm.Text)
	}
	if strings.Join(texts, "|") != "Mine|Answer" {
		t.Errorf("history = %q, want Mine|Answer", texts)
	}
}

// TestOtherNode: a reply stored by another node (no signal on this node's
// bus) reaches the visitor by polling, on every engine.
func TestOtherNode(t *testing.T) {
	testdb.Each(t, func(t *testing.T, store care.Store) {
		elsewhere := inmem.NewBus()
		h := newHarness(t, harnessOptions{store: store, publisher: elsewhere, server: func(s *webchat.Server) { s.Poll = 50 * time.Millisecond }})
		ctx := testCtx(t)
		v := h.dial("")
		cid, _, err := v.Say(ctx, "Hi")
		if err != nil {
			t.Fatal(err)
		}
		m := h.threaded(visitorID(v), cid)
		r := h.reply(m.ConversationID, "Dana", "From another node", nil)
		if got, err := v.Reply(ctx); err != nil || got.ID != r.ID {
			t.Errorf("reply = %+v, %v", got, err)
		}
	})
}

// TestShutdown: Close tells widgets Parley is going away, so they
// reconnect elsewhere.
func TestShutdown(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	v := h.dial("")
	ctx := testCtx(t)
	if err := h.srv.Close(ctx); err != nil {
		t.Fatal(err)
	}
	_, err := v.Next(ctx)
	if websocket.CloseStatus(err) != websocket.StatusGoingAway {
		t.Errorf("after Close: %v, want going away", err)
	}
	if _, err := h.tryDial(""); err == nil {
		t.Error("a socket opened after Close")
	}
}

// TestLongLivedSocket: the HTTP server's read timeout, meant for requests,
// does not cut a socket; keepalive pings do not either.
func TestLongLivedSocket(t *testing.T) {
	h := newHarness(t, harnessOptions{
		http:   func(s *http.Server) { s.ReadTimeout = 100 * time.Millisecond },
		server: func(s *webchat.Server) { s.Limits = webchat.Limits{PingInterval: 30 * time.Millisecond} },
	})
	ctx := testCtx(t)
	v := h.dial("")
	time.Sleep(300 * time.Millisecond)
	if _, _, err := v.Say(ctx, "still here"); err != nil {
		t.Errorf("after the read timeout: %v", err)
	}
}

// TestDeadPeer: a client that stops answering pings is dropped.
func TestDeadPeer(t *testing.T) {
	h := newHarness(t, harnessOptions{server: func(s *webchat.Server) {
		s.Limits = webchat.Limits{PingInterval: 30 * time.Millisecond, PongTimeout: 30 * time.Millisecond, MaxPerVisitor: 1}
	}})
	ctx := testCtx(t)
	c, _, err := websocket.Dial(ctx, h.socketURL(), &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {shop}}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	c.Write(ctx, websocket.MessageText, []byte(`{"type":"hello"}`))
	// The client never reads again, so it answers no ping; the server
	// drops it and the visitor's one socket is free again.
	time.Sleep(50 * time.Millisecond)
	_, data, err := c.Read(ctx) // the welcome, read once to learn the token
	if err != nil {
		t.Fatal(err)
	}
	var w webchat.ServerFrame
	json.Unmarshal(data, &w)
	eventually(t, "the dead socket to be dropped", func() bool {
		v, err := h.tryDial(w.Token)
		if err == nil {
			v.Close()
		}
		return err == nil
	})
}

// TestPerAddressLimit: one address may hold only so many sockets.
func TestPerAddressLimit(t *testing.T) {
	h := newHarness(t, harnessOptions{server: func(s *webchat.Server) {
		s.Limits = webchat.Limits{MaxPerIP: 2}
		s.ClientIP = func(*http.Request) string { return "203.0.113.5" }
	}})
	a := h.dial("")
	h.dial("")
	_, err := h.tryDial("")
	var he *webchatfake.HandshakeError
	if !errors.As(err, &he) || he.Status != http.StatusTooManyRequests {
		t.Fatalf("third socket from one address = %v, want 429", err)
	}
	a.Close()
	eventually(t, "the address to have room again", func() bool {
		v, err := h.tryDial("")
		if err == nil {
			v.Close()
		}
		return err == nil
	})
}
