package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/accounts"
	"github.com/parleyhq/parley/internal/app"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/apiinbox"
	"github.com/parleyhq/parley/internal/config"
	"github.com/parleyhq/parley/internal/netguard"
)

// testApp is a Parley started in-process with app.Start on a SQLite
// database in a temporary directory, with an admin API token.
type testApp struct {
	t      *testing.T
	app    *app.App
	c      *apiClient
	logs   *syncBuffer // the app's log
	closed bool
}

// startApp starts Parley on dir and closes it at the end of the test. Its
// log is shown if the test fails.
func startApp(t *testing.T, dir string) *testApp {
	t.Helper()
	return startAppWith(t, testConfig(dir))
}

// testConfig is the configuration startApp uses for dir.
func testConfig(dir string) *config.Config {
	return &config.Config{Addr: "127.0.0.1:0", DataDir: dir, AdminEmail: "admin@example.com",
		LogFormat: "text", LogLevel: "debug", SessionTTL: time.Hour, ShutdownTimeout: 10 * time.Second,
		// The platforms are fakes on 127.0.0.1.
		AllowHosts: netguard.Loopback}
}

// startAppWith is startApp with a configuration of the test's own.
func startAppWith(t *testing.T, cfg *config.Config) *testApp {
	t.Helper()
	dir := cfg.DataDir
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a, err := app.Start(context.Background(), cfg, log, io.Discard)
	if err != nil {
		t.Fatalf("app.Start: %v", err)
	}
	ta := &testApp{t: t, app: a, logs: logs}
	t.Cleanup(func() {
		if err := ta.close(); err != nil {
			t.Errorf("App.Close: %v", err)
		}
		if t.Failed() {
			t.Logf("log of the app on %s:\n%s", dir, logs)
		}
	})
	ctx := context.Background()
	wss, err := a.Store.Workspaces(ctx)
	if err != nil || len(wss) == 0 {
		t.Fatalf("workspaces = %v, %v; want the default one", wss, err)
	}
	_, token, err := accounts.CreateToken(ctx, a.Store, wss[0].ID, 0, "e2e", care.RoleAdmin, time.Now())
	if err != nil {
		t.Fatalf("create token: %v", err)
	}
	ta.c = newAPIClient(t, "http://"+a.Addr, token)
	return ta
}

// close shuts the app down gracefully, once.
func (ta *testApp) close() error {
	if ta.closed {
		return nil
	}
	ta.closed = true
	if ta.c != nil {
		ta.c.tr.CloseIdleConnections()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return ta.app.Close(ctx)
}

func customer(id, author, text string) apiinbox.Message {
	return apiinbox.Message{ID: id, Author: apiinbox.Author{ID: author, Name: strings.ToUpper(author[:1]) + author[1:]}, Text: text}
}

func TestThreading(t *testing.T) {
	ta := startApp(t, t.TempDir())
	c := ta.c
	web := c.createInbox("Web form", "")
	mobile := c.createInbox("Mobile app", "")

	c.mustPost(web, customer("a1", "ana", "My order is late"))
	c.mustPost(web, customer("a2", "ana", "It was due Monday"))
	c.mustPost(web, customer("b1", "ben", "Love the new app"))
	a1, a2, b1 := c.inboundMessage(web.ID, "a1"), c.inboundMessage(web.ID, "a2"), c.inboundMessage(web.ID, "b1")

	convA := c.conversation(a1.ConversationID)
	if a2.ConversationID != convA.ID {
		t.Errorf("a2 is in conversation %d, want a1's %d: same author, same inbox", a2.ConversationID, convA.ID)
	}
	if convA.ContactID != a1.ContactID || a2.ContactID != a1.ContactID {
		t.Errorf("conversation contact %d, a1 contact %d, a2 contact %d; want one contact", convA.ContactID, a1.ContactID, a2.ContactID)
	}
	if convA.InboxID != web.ID || convA.Channel != care.ChannelAPI || convA.Status != care.StatusOpen {
		t.Errorf("conversation = inbox %d, channel %s, status %s; want inbox %d, api, open", convA.InboxID, convA.Channel, convA.Status, web.ID)
	}
	if a1.AuthorName != "Ana" || a1.Text != "My order is late" || a1.Direction != care.DirectionIn {
		t.Errorf("a1 = %+v, want Ana's inbound text", a1)
	}
	var ana care.Contact
	c.call("GET", "/api/v1/contacts/"+itoa(a1.ContactID), nil, http.StatusOK, &ana)
	var idents struct {
		Identities []care.Identity `json:"identities"`
	}
	c.call("GET", "/api/v1/contacts/"+itoa(a1.ContactID)+"/identities", nil, http.StatusOK, &idents)
	if len(idents.Identities) != 1 || idents.Identities[0].Platform != care.ChannelAPI ||
		idents.Identities[0].PlatformUserID != "ana" || idents.Identities[0].DisplayName != "Ana" {
		t.Errorf("contact %d (%q) identities = %+v, want api:ana named Ana", ana.ID, ana.Name, idents.Identities)
	}

	if b1.ConversationID == convA.ID || b1.ContactID == a1.ContactID {
		t.Errorf("b1 is in conversation %d of contact %d, want another than a1's (%d, %d)", b1.ConversationID, b1.ContactID, convA.ID, a1.ContactID)
	}

	// A reply to a known message joins its conversation, even resolved.
	resolved := care.StatusResolved
	c.call("PATCH", "/api/v1/conversations/"+itoa(convA.ID), map[string]any{"status": resolved}, http.StatusOK, nil)
	reply := customer("a3", "ana", "Any news?")
	reply.ReplyToID = "a1"
	c.mustPost(web, reply)
	if a3 := c.inboundMessage(web.ID, "a3"); a3.ConversationID != convA.ID {
		t.Errorf("a3, a reply to a1, is in conversation %d, want a1's %d", a3.ConversationID, convA.ID)
	}
	if got := c.conversation(convA.ID).Status; got != care.StatusOpen {
		t.Errorf("after a reply to it, resolved conversation is %s, want reopened", got)
	}

	// Without reply_to_id, a resolved conversation stays closed.
	c.call("PATCH", "/api/v1/conversations/"+itoa(convA.ID), map[string]any{"status": resolved}, http.StatusOK, nil)
	c.mustPost(web, customer("a4", "ana", "New question"))
	a4 := c.inboundMessage(web.ID, "a4")
	if a4.ConversationID == convA.ID || a4.ContactID != a1.ContactID {
		t.Errorf("a4 is in conversation %d of contact %d, want a new conversation of contact %d", a4.ConversationID, a4.ContactID, a1.ContactID)
	}
	if got := c.conversation(convA.ID).Status; got != care.StatusResolved {
		t.Errorf("resolved conversation is %s after a new message, want still resolved", got)
	}

	// The same author in another inbox: another conversation, same contact.
	c.mustPost(mobile, customer("a1", "ana", "Writing from the app"))
	m1 := c.inboundMessage(mobile.ID, "a1")
	if m1.ConversationID == convA.ID || m1.ConversationID == a4.ConversationID || m1.ContactID != a1.ContactID {
		t.Errorf("ana's message in a second inbox is in conversation %d of contact %d, want a new conversation of contact %d",
			m1.ConversationID, m1.ContactID, a1.ContactID)
	}
	if conv := c.conversation(m1.ConversationID); conv.InboxID != mobile.ID {
		t.Errorf("conversation %d is in inbox %d, want %d", conv.ID, conv.InboxID, mobile.ID)
	}

	// A redelivery is acknowledged as such and stored once.
	if a := c.mustPost(web, customer("a2", "ana", "It was due Monday")); !a.Duplicate || a.ID == 0 {
		t.Errorf("redelivery of a2 = %+v, want duplicate:true and the stored id", a)
	}
	var n int
	for _, m := range c.messages(convA.ID) {
		if m.PlatformID == "a2" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("a2 is stored %d times, want 1", n)
	}
}

func TestEventStream(t *testing.T) {
	ta := startApp(t, t.TempDir())
	c := ta.c
	in := c.createInbox("Web form", "")

	live := c.openEvents("")
	c.mustPost(in, customer("e1", "eve", "Hello"))
	first := live.until(func(f sseFrame) bool { return isMessage(t, f, "e1") })
	e1 := c.inboundMessage(in.ID, "e1")
	if diff := cmp.Diff([]string{"conversation.created", "message.created"}, frameTypes(first)); diff != "" {
		t.Errorf("live events for a new customer (-want +got):\n%s", diff)
	}
	for _, f := range first {
		if f.Event.ConversationID != e1.ConversationID {
			t.Errorf("event %d (%s) is about conversation %d, want %d", f.ID, f.Type, f.Event.ConversationID, e1.ConversationID)
		}
	}
	live.close()

	// Events while nobody listens are delivered on reconnection.
	c.mustPost(in, customer("e2", "eve", "Still there?"))
	c.mustPost(in, customer("f1", "fay", "Hi"))
	resumed := c.openEvents(itoa(first[len(first)-1].ID))
	second := resumed.until(func(f sseFrame) bool { return isMessage(t, f, "f1") })
	c.mustPost(in, customer("f2", "fay", "Hi again"))
	second = append(second, resumed.until(func(f sseFrame) bool { return isMessage(t, f, "f2") })...)
	resumed.close()
	wantTypes := []string{
		"conversation.updated", "message.created", // e2
		"conversation.created", "message.created", // f1
		"conversation.updated", "message.created", // f2
	}
	if diff := cmp.Diff(wantTypes, frameTypes(second)); diff != "" {
		t.Errorf("events after resuming (-want +got):\n%s", diff)
	}

	// The two connections together saw exactly what the store holds from
	// the first connection on: no gap, no duplicate.
	last := second[len(second)-1].ID
	all := c.openEvents("0").until(func(f sseFrame) bool { return f.ID >= last })
	var want []care.ID
	for _, f := range all {
		if f.ID >= first[0].ID {
			want = append(want, f.ID)
		}
	}
	if diff := cmp.Diff(want, frameIDs(append(first, second...))); diff != "" {
		t.Errorf("event ids seen live and after resuming, against the stored ones (-want +got):\n%s", diff)
	}
}

// TestEventStreamConcurrentWriters has the pipeline and agents write events
// at once, so their commits and publications interleave; a live stream must
// still see every event the store holds, once, in order.
func TestEventStreamConcurrentWriters(t *testing.T) {
	ta := startApp(t, t.TempDir())
	c := ta.c
	in := c.createInbox("Web form", "")
	c.mustPost(in, customer("start", "sam", "Hello"))
	conv := c.inboundMessage(in.ID, "start").ConversationID
	before := c.openEvents("0").until(func(f sseFrame) bool { return isMessage(t, f, "start") })
	base := before[len(before)-1].ID // the newest event before the live stream starts

	// More threads than cores, so that a publisher is more often
	// preempted between its commit and its publication.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(8))
	live := c.openEvents("")
	const posters, noters, n = 4, 8, 40
	var wg sync.WaitGroup
	errs := make(chan error, (posters+noters)*n)
	for w := range posters {
		wg.Go(func() {
			for i := range n {
				if _, err := c.postMessage(in, customer(fmt.Sprintf("c%d-%d", w, i), fmt.Sprintf("cust%d", i%7), "Hi")); err != nil {
					errs <- err
				}
			}
		})
	}
	for w := range noters {
		wg.Go(func() {
			for i := range n {
				if status, b, err := c.send("POST", fmt.Sprintf("/api/v1/conversations/%d/notes", conv), c.token,
					map[string]string{"text": fmt.Sprintf("note %d-%d", w, i)}); err != nil || status != http.StatusCreated {
					errs <- fmt.Errorf("note: %d %s %v", status, b, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	// Everything above is committed; the marker is threaded after it.
	c.mustPost(in, customer("end", "sam", "Bye"))
	got := live.until(func(f sseFrame) bool { return isMessage(t, f, "end") })
	all := c.openEvents("0").until(func(f sseFrame) bool { return isMessage(t, f, "end") })
	var want []care.ID
	for _, f := range all {
		if f.ID > base {
			want = append(want, f.ID)
		}
	}
	if diff := cmp.Diff(want, frameIDs(got)); diff != "" {
		t.Errorf("event ids seen live, against the stored ones (-want +got):\n%s", diff)
	}
	// Two events per customer message, one per note, two for the marker.
	if wantN := 2*posters*n + noters*n + 2; len(got) < wantN {
		t.Errorf("live stream saw %d events, want at least %d", len(got), wantN)
	}
}

func frameTypes(fs []sseFrame) []string {
	ts := make([]string, len(fs))
	for i, f := range fs {
		ts[i] = f.Type
	}
	return ts
}

// delivery is one webhook request as the receiver got it.
type delivery struct {
	Path, Key, Event, Signature string
	Body                        []byte
}

// webhookReceiver is a customer's system behind an API inbox, over real
// HTTP. By path: /ok accepts and names the reply; /flaky answers 503 to the
// first attempt of each reply, then accepts; /reject answers 400 until
// accepting is set.
type webhookReceiver struct {
	srv       *httptest.Server
	accepting atomic.Bool
	mu        sync.Mutex
	got       []delivery
}

func newWebhookReceiver(t *testing.T) *webhookReceiver {
	r := &webhookReceiver{}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	// Registered before the app, so closed after it: no send is in flight.
	t.Cleanup(r.srv.Close)
	return r
}

func (r *webhookReceiver) serve(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		http.Error(w, "read failed", http.StatusBadRequest)
		return
	}
	d := delivery{Path: req.URL.Path, Key: req.Header.Get("Idempotency-Key"), Event: req.Header.Get("Parley-Event"),
		Signature: req.Header.Get(apiinbox.SignatureHeader), Body: body}
	r.mu.Lock()
	attempts := 0
	for _, g := range r.got {
		if g.Key == d.Key {
			attempts++
		}
	}
	n := len(r.got)
	r.got = append(r.got, d)
	r.mu.Unlock()
	switch {
	case d.Path == "/flaky" && attempts == 0:
		http.Error(w, "try again", http.StatusServiceUnavailable)
	case d.Path == "/reject" && !r.accepting.Load():
		http.Error(w, "recipient blocked", http.StatusBadRequest)
	default:
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id":"ext-%d"}`, n)
	}
}

// deliveries returns what the receiver got for one path.
func (r *webhookReceiver) deliveries(path string) []delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ds []delivery
	for _, d := range r.got {
		if d.Path == path {
			ds = append(ds, d)
		}
	}
	return ds
}

// replyFixture is a conversation in an API inbox whose webhook is the
// receiver's path, with an agent's reply to it.
func replyFixture(t *testing.T, c *apiClient, recv *webhookReceiver, path string) (apiInbox, care.Message) {
	t.Helper()
	in := c.createInbox("Inbox "+path, recv.srv.URL+path)
	c.mustPost(in, customer("q1", "gus", "Can I change my address?"))
	q := c.inboundMessage(in.ID, "q1")
	var reply care.Message
	c.call("POST", fmt.Sprintf("/api/v1/conversations/%d/messages", q.ConversationID),
		map[string]any{"text": "Yes, <here> is how."}, http.StatusCreated, &reply)
	if reply.Direction != care.DirectionOut || reply.Status != care.DeliveryQueued {
		t.Fatalf("reply = %+v, want an outbound message, queued", reply)
	}
	return in, reply
}

// waitStatus waits until the message's delivery status is want.
func waitStatus(t *testing.T, c *apiClient, m care.Message, want care.DeliveryStatus) care.Message {
	t.Helper()
	var got care.Message
	waitFor(t, 10*time.Second, fmt.Sprintf("message %d to be %s", m.ID, want), func() bool {
		got = c.message(m.ConversationID, m.ID)
		return got.Status == want
	})
	return got
}

// checkDeliveries checks that every attempt carries the same idempotency
// key, a valid signature, and the reply.
func checkDeliveries(t *testing.T, in apiInbox, reply care.Message, ds []delivery, attempts int) {
	t.Helper()
	if len(ds) != attempts {
		t.Fatalf("receiver got %d requests, want %d", len(ds), attempts)
	}
	for i, d := range ds {
		if d.Key == "" || d.Key != ds[0].Key {
			t.Errorf("attempt %d has Idempotency-Key %q, want the first attempt's %q, not empty", i+1, d.Key, ds[0].Key)
		}
		if err := apiinbox.Verify(d.Signature, []byte(in.WebhookSecret), d.Body, time.Now(), 0); err != nil {
			t.Errorf("attempt %d: Verify(%q) = %v", i+1, d.Signature, err)
		}
		if d.Event != "message.created" {
			t.Errorf("attempt %d: Parley-Event %q, want message.created", i+1, d.Event)
		}
		var body struct {
			Event   string `json:"event"`
			Message struct {
				ID   care.ID `json:"id"`
				Text string  `json:"text"`
			} `json:"message"`
			Conversation struct {
				ID care.ID `json:"id"`
			} `json:"conversation"`
			Recipient struct {
				PlatformUserID string `json:"platform_user_id"`
			} `json:"recipient"`
		}
		if err := json.Unmarshal(d.Body, &body); err != nil {
			t.Fatalf("attempt %d: body %s: %v", i+1, d.Body, err)
		}
		if body.Event != "message.created" || body.Message.ID != reply.ID || body.Message.Text != reply.Text ||
			body.Conversation.ID != reply.ConversationID || body.Recipient.PlatformUserID != "gus" {
			t.Errorf("attempt %d: body %s, want message %d %q of conversation %d to gus", i+1, d.Body, reply.ID, reply.Text, reply.ConversationID)
		}
	}
}

func TestReplyDelivery(t *testing.T) {
	recv := newWebhookReceiver(t)
	ta := startApp(t, t.TempDir())
	c := ta.c

	t.Run("accepted", func(t *testing.T) {
		in, reply := replyFixture(t, c, recv, "/ok")
		sent := waitStatus(t, c, reply, care.DeliverySent)
		checkDeliveries(t, in, reply, recv.deliveries("/ok"), 1)
		if !strings.HasPrefix(sent.PlatformID, "ext-") {
			t.Errorf("sent reply has platform id %q, want the receiver's ext-…", sent.PlatformID)
		}
	})

	t.Run("retried after 503", func(t *testing.T) {
		in, reply := replyFixture(t, c, recv, "/flaky")
		waitStatus(t, c, reply, care.DeliverySent)
		checkDeliveries(t, in, reply, recv.deliveries("/flaky"), 2)
	})

	t.Run("rejected, then retried by an agent", func(t *testing.T) {
		in, reply := replyFixture(t, c, recv, "/reject")
		failed := waitStatus(t, c, reply, care.DeliveryFailed)
		if !strings.Contains(failed.StatusReason, "400") || !strings.Contains(failed.StatusReason, "recipient blocked") {
			t.Errorf("failed reply's reason = %q, want the status and the receiver's answer", failed.StatusReason)
		}
		checkDeliveries(t, in, reply, recv.deliveries("/reject"), 1)

		recv.accepting.Store(true)
		var retried care.Message
		c.call("POST", fmt.Sprintf("/api/v1/messages/%d/retry", reply.ID), nil, http.StatusOK, &retried)
		if retried.Status != care.DeliveryQueued || retried.StatusReason != "" {
			t.Errorf("retry = status %q reason %q, want queued without reason", retried.Status, retried.StatusReason)
		}
		waitStatus(t, c, reply, care.DeliverySent)
		checkDeliveries(t, in, reply, recv.deliveries("/reject"), 2)

		// Only a failed reply can be retried.
		status, _, err := c.send("POST", fmt.Sprintf("/api/v1/messages/%d/retry", reply.ID), c.token, nil)
		if err != nil || status != http.StatusBadRequest {
			t.Errorf("retry of a sent reply = %d, %v; want 400", status, err)
		}
	})
}

// TestCloseKeepsAcknowledgedMessages closes the app while customers post:
// Close returns, and every acknowledged message is stored, which a restart
// on the same data directory shows.
func TestCloseKeepsAcknowledgedMessages(t *testing.T) {
	dir := t.TempDir()
	ta := startApp(t, dir)
	in := ta.c.createInbox("Web form", "")

	var mu sync.Mutex
	var acked []string
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 2000 {
				id := fmt.Sprintf("g%d-%d", w, i)
				if _, err := ta.c.postMessage(in, customer(id, fmt.Sprintf("cust%d", i%5), "Hi")); err != nil {
					return // shut down
				}
				mu.Lock()
				acked = append(acked, id)
				mu.Unlock()
			}
		})
	}
	waitFor(t, 10*time.Second, "some messages to be acknowledged", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(acked) >= 100
	})
	if err := ta.close(); err != nil {
		t.Fatalf("App.Close while customers post: %v", err)
	}
	wg.Wait()

	again := startApp(t, dir)
	want := map[string]bool{}
	for _, id := range acked {
		want[id] = true
	}
	waitFor(t, 20*time.Second, fmt.Sprintf("%d acknowledged messages to be threaded", len(acked)), func() bool {
		stored := map[string]int{}
		for _, m := range again.c.allMessages() {
			stored[m.PlatformID]++
		}
		for id := range want {
			if stored[id] != 1 {
				return false
			}
		}
		return true
	})
}

// TestCloseWithOpenEventStream closes the app while a client is connected
// to the event stream, as a browser tab always is: Close must end the
// stream rather than wait for it.
func TestCloseWithOpenEventStream(t *testing.T) {
	ta := startApp(t, t.TempDir())
	s := ta.c.openEvents("")
	ta.closed = true
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := ta.app.Close(ctx); err != nil {
		t.Errorf("App.Close with an event stream open: %v", err)
	}
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		t.Error("event stream still open 10s after Close")
	}
}
