package webchat_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/accounts"
	"github.com/parleyhq/parley/internal/app"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/webchat"
	"github.com/parleyhq/parley/internal/channel/webchat/webchatfake"
	"github.com/parleyhq/parley/internal/config"
)

// parley is a real Parley started with app.Start on a SQLite database in
// dir, reached over HTTP on 127.0.0.1, with an admin token and an agent,
// Dana Scully, who is online.
type parley struct {
	t      *testing.T
	app    *app.App
	base   string
	admin  string
	dana   string // Dana's token
	hc     *http.Client
	logs   *syncBuffer
	closed bool
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func startParley(t *testing.T, dir string) *parley {
	t.Helper()
	cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: dir, AdminEmail: "admin@example.com",
		LogFormat: "text", LogLevel: "debug", SessionTTL: time.Hour, ShutdownTimeout: 10 * time.Second}
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a, err := app.Start(context.Background(), cfg, log, io.Discard)
	if err != nil {
		t.Fatalf("app.Start: %v", err)
	}
	tr := &http.Transport{}
	p := &parley{t: t, app: a, base: "http://" + a.Addr, hc: &http.Client{Transport: tr, Timeout: 10 * time.Second}, logs: logs}
	t.Cleanup(func() {
		p.close()
		if t.Failed() {
			t.Logf("log of the app on %s:\n%s", dir, logs)
		}
	})
	t.Cleanup(tr.CloseIdleConnections)
	ctx := context.Background()
	wss, err := a.Store.Workspaces(ctx)
	if err != nil || len(wss) == 0 {
		t.Fatalf("workspaces = %v, %v", wss, err)
	}
	ws := wss[0].ID
	if _, p.admin, err = accounts.CreateToken(ctx, a.Store, ws, 0, "e2e", care.RoleAdmin, time.Now()); err != nil {
		t.Fatalf("admin token: %v", err)
	}
	dana, err := a.Store.UserByEmail(ctx, "dana@example.com")
	if care.ErrorCode(err) == care.ENOTFOUND {
		dana, _, err = accounts.CreateUser(ctx, a.Store, ws, "dana@example.com", "Dana Scully", care.RoleAgent, "correct horse battery", time.Now())
	}
	if err != nil {
		t.Fatalf("agent: %v", err)
	}
	if _, p.dana, err = accounts.CreateToken(ctx, a.Store, ws, dana.ID, "Dana Scully", care.RoleAgent, time.Now()); err != nil {
		t.Fatalf("agent token: %v", err)
	}
	p.callAs(p.dana, "PUT", "/api/v1/me/presence", map[string]any{"presence": "online"}, http.StatusOK, nil)
	return p
}

func (p *parley) close() {
	if p.closed {
		return
	}
	p.closed = true
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := p.app.Close(ctx); err != nil {
		p.t.Errorf("App.Close: %v", err)
	}
}

func (p *parley) call(method, path string, body any, want int, out any) {
	p.t.Helper()
	p.callAs(p.admin, method, path, body, want, out)
}

func (p *parley) callAs(token, method, path string, body any, want int, out any) {
	p.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, p.base+path, r)
	if err != nil {
		p.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := p.hc.Do(req)
	if err != nil {
		p.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		p.t.Fatalf("%s %s = %d %s, want %d", method, path, resp.StatusCode, b, want)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			p.t.Fatalf("%s %s: decode %s: %v", method, path, b, err)
		}
	}
}

// eventually polls cond until it holds, failing the test after 10s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	// Generous: CI runs every package's tests with the race detector on
	// two cores at once, and a retried email waits on several passes.
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

const shop = "https://shop.example.com"

func (p *parley) createInbox(creds map[string]string) care.Inbox {
	p.t.Helper()
	var resp struct {
		Inbox care.Inbox            `json:"inbox"`
		Setup []channel.Instruction `json:"setup"`
	}
	p.call("POST", "/api/v1/inboxes", map[string]any{"channel": "webchat", "name": "Shop chat", "credentials": creds}, http.StatusCreated, &resp)
	// The tag names Parley's public URL, which a test app leaves at its
	// configured address.
	want := fmt.Sprintf(`/chat/widget.js" data-inbox="%d" async></script>`, resp.Inbox.ID)
	if len(resp.Setup) == 0 || !strings.HasPrefix(resp.Setup[0].Value, `<script src="http://127.0.0.1:`) || !strings.HasSuffix(resp.Setup[0].Value, want) {
		p.t.Errorf("setup = %+v, want first the script tag", resp.Setup)
	}
	return resp.Inbox
}

func (p *parley) conversations(inboxID care.ID) []care.Conversation {
	p.t.Helper()
	var page care.ConversationPage
	p.call("GET", fmt.Sprintf("/api/v1/conversations?inbox=%d", inboxID), nil, http.StatusOK, &page)
	return page.Conversations
}

func (p *parley) messages(convID care.ID) []care.Message {
	p.t.Helper()
	var resp struct {
		Messages []care.Message `json:"messages"`
	}
	p.call("GET", fmt.Sprintf("/api/v1/conversations/%d/messages", convID), nil, http.StatusOK, &resp)
	return resp.Messages
}

func dial(t *testing.T, p *parley, inboxID care.ID, token string) *webchatfake.Visitor {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	v, err := webchatfake.Dial(ctx, p.base, inboxID, webchatfake.Options{Origin: shop, Token: token})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { v.Close() })
	return v
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// TestVisitorAndAgent follows a visitor through Parley: they write, the
// message is stored in a conversation, an agent answers through the API
// and the visitor sees the answer live; a resend is stored once; a
// restart keeps the visitor's history.
func TestVisitorAndAgent(t *testing.T) {
	dir := t.TempDir()
	p := startParley(t, dir)
	ctx := testCtx(t)
	in := p.createInbox(map[string]string{"origins": shop + ", https://*.example.org", "color": "#0A7D55", "greeting": "Hello from the shop!"})

	v := dial(t, p, in.ID, "")
	w := v.Welcome
	if w.Token == "" || w.Visitor == nil || len(w.Visitor.ID) != 32 || len(w.History) != 0 || !w.AgentsAvailable {
		t.Fatalf("welcome of a new visitor with Dana online = %+v", w)
	}
	if w.Inbox == nil || *w.Inbox != (webchat.InboxInfo{Title: "Shop chat", Greeting: "Hello from the shop!", OfflineMessage: webchat.DefaultOfflineMessage, Color: "#0a7d55"}) {
		t.Errorf("welcome.inbox = %+v", w.Inbox)
	}

	// The visitor writes: acknowledged once stored, then threaded.
	clientID, receipt, err := v.Say(ctx, "  Where is my order #1234?\r\nIt was due Monday.  ")
	if err != nil || receipt == 0 {
		t.Fatalf("Say = %d, %v", receipt, err)
	}
	own, err := v.WaitFor(ctx, func(f webchat.ServerFrame) bool { return f.Type == webchat.TypeMessage && f.ClientID == clientID })
	if err != nil || own.Direction != care.DirectionIn || own.ID == 0 {
		t.Fatalf("own message frame = %+v, %v", own, err)
	}
	convs := p.conversations(in.ID)
	if len(convs) != 1 || convs[0].Channel != care.ChannelWebChat || convs[0].Kind != care.WorkChat {
		t.Fatalf("conversations of the inbox = %+v, want one web chat", convs)
	}
	conv := convs[0]
	msgs := p.messages(conv.ID)
	if len(msgs) != 1 || msgs[0].ID != own.ID || msgs[0].Text != "Where is my order #1234?\nIt was due Monday." ||
		msgs[0].Visibility != care.Private || msgs[0].PlatformID != w.Visitor.ID+":"+clientID || msgs[0].AuthorName != "Visitor "+w.Visitor.ID[:6] {
		t.Fatalf("stored messages = %+v", msgs)
	}

	// A resend of the same client id (a widget that missed the ack) is
	// acknowledged with the same receipt and stored once.
	if err := v.Send(ctx, clientID, "Where is my order #1234?"); err != nil {
		t.Fatal(err)
	}
	ack, err := v.WaitFor(ctx, func(f webchat.ServerFrame) bool { return f.Type == webchat.TypeAck })
	if err != nil || ack.ClientID != clientID || ack.ID != receipt {
		t.Fatalf("ack of the resend = %+v, %v; want receipt %d", ack, err, receipt)
	}

	// Dana answers through the API; the visitor sees it live.
	var sent care.Message
	p.callAs(p.dana, "POST", fmt.Sprintf("/api/v1/conversations/%d/messages", conv.ID), map[string]any{"text": "It left our warehouse today."}, http.StatusCreated, &sent)
	reply, err := v.Reply(ctx)
	if err != nil {
		t.Fatalf("reply: %v", err)
	}
	if reply.ID != sent.ID || reply.Text != "It left our warehouse today." || reply.Author != "Dana" || reply.ClientID != "" {
		t.Errorf("reply frame = %+v, want message %d by Dana", reply, sent.ID)
	}
	// A note never reaches the visitor.
	p.callAs(p.dana, "POST", fmt.Sprintf("/api/v1/conversations/%d/notes", conv.ID), map[string]any{"text": "VIP, be nice"}, http.StatusCreated, nil)

	// Delivered when pushed, read when seen.
	if err := v.Seen(ctx, reply.ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the reply to be read", func() bool {
		for _, m := range p.messages(conv.ID) {
			if m.ID == sent.ID {
				return m.Status == care.DeliveryRead && m.PlatformID == webchat.OutboundPlatformID(sent.ID)
			}
		}
		return false
	})

	// Identified: later messages carry the name and email. Every frame
	// until Parley confirms is checked: the note is not among them.
	if err := v.SendRaw(ctx, []byte(`{"type":"identify","name":" Ana   Lima ","email":"Ana.Lima@Example.COM"}`)); err != nil {
		t.Fatal(err)
	}
	for {
		f, err := v.Next(ctx)
		if err != nil {
			t.Fatalf("waiting for the visitor frame: %v", err)
		}
		if f.Type == webchat.TypeMessage && f.Direction == care.DirectionOut {
			t.Errorf("the visitor was sent %q, a note", f.Text)
		}
		if f.Type == webchat.TypeVisitor {
			if *f.Visitor != (webchat.Visitor{ID: w.Visitor.ID, Name: "Ana Lima", Email: "Ana.Lima@example.com"}) {
				t.Fatalf("identified visitor = %+v", f.Visitor)
			}
			break
		}
	}
	if _, _, err := v.Say(ctx, "Thanks!"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the identity to carry the email", func() bool {
		var resp struct {
			Identities []care.Identity `json:"identities"`
		}
		p.call("GET", fmt.Sprintf("/api/v1/contacts/%d/identities", conv.ContactID), nil, http.StatusOK, &resp)
		return len(resp.Identities) == 1 && resp.Identities[0].Platform == care.ChannelWebChat &&
			resp.Identities[0].PlatformUserID == "v:"+w.Visitor.ID && resp.Identities[0].Handle == "Ana.Lima@example.com" &&
			resp.Identities[0].DisplayName == "Ana Lima"
	})
	if got := len(p.messages(conv.ID)); got != 4 {
		t.Errorf("conversation has %d messages, want 4 (the first once, the reply, the note, thanks)", got)
	}

	// While the visitor is away, Dana answers again.
	v.Close()
	p.callAs(p.dana, "POST", fmt.Sprintf("/api/v1/conversations/%d/messages", conv.ID), map[string]any{"text": "Anything else?"}, http.StatusCreated, nil)
	eventually(t, "the reply to be confirmed by the sender", func() bool {
		m := p.messages(conv.ID)
		return m[len(m)-1].Status == care.DeliverySent
	})

	// Parley restarts; the visitor comes back with their token.
	p.close()
	p = startParley(t, dir)
	v = dial(t, p, in.ID, w.Token)
	back := v.Welcome
	if back.Token != w.Token || back.Visitor.ID != w.Visitor.ID || back.Visitor.Name != "Ana Lima" || back.Visitor.Email != "Ana.Lima@example.com" {
		t.Errorf("welcome back = %+v, want the same visitor, named", back)
	}
	var texts []string
	for _, m := range back.History {
		texts = append(texts, string(m.Direction)+": "+m.Text)
	}
	want := []string{"in: Where is my order #1234?\nIt was due Monday.", "out: It left our warehouse today.", "in: Thanks!", "out: Anything else?"}
	if strings.Join(texts, "|") != strings.Join(want, "|") {
		t.Errorf("history after restart = %q, want %q (no note)", texts, want)
	}
	if back.History[0].ClientID != clientID || back.History[1].Author != "Dana" {
		t.Errorf("history = %+v, want the visitor's client id and the agent's first name", back.History)
	}
}

// TestOrigins: only the inbox's origins (and Parley's own) may open the
// socket; the refusal is a plain 403 before any upgrade.
func TestOrigins(t *testing.T) {
	p := startParley(t, t.TempDir())
	in := p.createInbox(map[string]string{"origins": shop + ", https://*.example.org"})
	bare := p.createInbox(nil)
	tests := []struct {
		name   string
		inbox  care.ID
		origin string
		status int // 0: accepted
	}{
		{"listed", in.ID, shop, 0},
		{"listed, default port spelled out", in.ID, shop + ":443", 0},
		{"subdomain of a wildcard", in.ID, "https://eu.example.org", 0},
		{"Parley's own pages", in.ID, p.base, 0},
		{"another site", in.ID, "https://evil.example.com", http.StatusForbidden},
		{"same host over http", in.ID, "http://shop.example.com", http.StatusForbidden},
		{"the wildcard's own domain", in.ID, "https://example.org", http.StatusForbidden},
		{"a suffix that is not a subdomain", in.ID, "https://evilexample.org", http.StatusForbidden},
		{"no origin", in.ID, "", http.StatusForbidden},
		{"sandboxed page", in.ID, "null", http.StatusForbidden},
		{"no origins configured: another site", bare.ID, shop, http.StatusForbidden},
		{"no origins configured: Parley's own pages", bare.ID, p.base, 0},
		{"unknown inbox", 999999, shop, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := testCtx(t)
			v, err := webchatfake.Dial(ctx, p.base, tt.inbox, webchatfake.Options{Origin: tt.origin})
			if tt.status == 0 {
				if err != nil {
					t.Fatalf("Dial from %q = %v, want accepted", tt.origin, err)
				}
				v.Close()
				return
			}
			var he *webchatfake.HandshakeError
			if !errors.As(err, &he) || he.Status != tt.status {
				if v != nil {
					v.Close()
				}
				t.Fatalf("Dial from %q = %v, want handshake refused with %d", tt.origin, err, tt.status)
			}
		})
	}
}

// TestWidgetScript: the script is served with the stylesheet inside, to
// any page, and revalidated by ETag.
func TestWidgetScript(t *testing.T) {
	p := startParley(t, t.TempDir())
	resp, err := p.hc.Get(p.base + webchat.WidgetPath)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	h := resp.Header
	if resp.StatusCode != http.StatusOK || h.Get("Content-Type") != "text/javascript; charset=utf-8" ||
		h.Get("Cross-Origin-Resource-Policy") != "cross-origin" || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("ETag") == "" {
		t.Fatalf("GET %s = %d %v", webchat.WidgetPath, resp.StatusCode, h)
	}
	if !bytes.Equal(body, webchat.WidgetScript()) || bytes.Contains(body, []byte("__PARLEY_WIDGET_CSS__")) || !bytes.Contains(body, []byte("prefers-reduced-motion")) {
		t.Errorf("widget script does not carry its stylesheet")
	}
	if bytes.Contains(body, []byte("innerHTML")) || bytes.Contains(body, []byte("insertAdjacentHTML")) || bytes.Contains(body, []byte("eval(")) {
		t.Errorf("widget script uses HTML parsing or eval")
	}
	req, _ := http.NewRequest("GET", p.base+webchat.WidgetPath, nil)
	req.Header.Set("If-None-Match", h.Get("ETag"))
	resp, err = p.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation = %d, want 304", resp.StatusCode)
	}
}

// Typing crosses over: the visitor typing shows among the agents' viewers
// of the conversation, and an agent typing a reply in the browser (never a
// note) shows in the widget.
func TestTypingBetweenVisitorAndAgent(t *testing.T) {
	p := startParley(t, t.TempDir())
	ctx := testCtx(t)
	in := p.createInbox(map[string]string{"origins": shop})
	v := dial(t, p, in.ID, "")
	if _, _, err := v.Say(ctx, "Hello?"); err != nil {
		t.Fatal(err)
	}
	var conv care.ID
	eventually(t, "the conversation", func() bool {
		if cs := p.conversations(in.ID); len(cs) == 1 {
			conv = cs[0].ID
		}
		return conv != 0
	})
	eventually(t, "the visitor's typing among the viewers", func() bool {
		if err := v.Typing(ctx, true); err != nil {
			t.Fatal(err)
		}
		for _, vw := range p.app.Presence.Viewers(conv) {
			if vw.Typing && strings.HasSuffix(vw.Name, "(customer)") {
				return true
			}
		}
		return false
	})

	// Dana, signed in to the browser interface, types a note, then a reply.
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	body := strings.NewReader(`{"email":"dana@example.com","password":"correct horse battery"}`)
	res, err := hc.Post(p.base+"/api/v1/session", "application/json", body)
	if err != nil || res.StatusCode != http.StatusCreated {
		t.Fatalf("sign in: %v %v", res, err)
	}
	var sess struct {
		CSRF string `json:"csrf_token"`
	}
	json.NewDecoder(res.Body).Decode(&sess)
	res.Body.Close()
	touch := func(box string) {
		req, _ := http.NewRequest("POST", fmt.Sprintf("%s/c/%d/presence", p.base, conv), strings.NewReader("typing=1&box="+box))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-CSRF-Token", sess.CSRF)
		res, err := hc.Do(req)
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("presence touch: %v %v", res, err)
		}
		res.Body.Close()
	}
	touch("note")
	short, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	f, err := v.WaitFor(short, func(f webchat.ServerFrame) bool { return f.Type == webchat.TypeTyping })
	cancel()
	if err == nil {
		t.Fatalf("typing a note reached the visitor: %+v", f)
	}
	touch("reply")
	f, err = v.WaitFor(ctx, func(f webchat.ServerFrame) bool { return f.Type == webchat.TypeTyping })
	if err != nil || !f.On || f.Name != "Dana" {
		t.Fatalf("typing frame = %+v, %v; want Dana typing, and nothing for the note", f, err)
	}
}
