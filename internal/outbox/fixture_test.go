package outbox

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/apiinbox"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

const secret = "whsec_outbox"

// clock is a settable time source shared by the worker, the sender and the
// receiver, so schedules are asserted exactly and nothing sleeps.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// request is what the webhook receiver saw.
type request struct {
	idempotencyKey string
	body           string
	verified       error
}

type delivery struct {
	msg    care.ID
	status care.DeliveryStatus
	reason string
}

// fixture is one API inbox wired end to end: a fake store holding a reply, a
// worker with a real apiinbox.Sender, and a webhook receiver on 127.0.0.1
// that answers with the scripted responses in turn, then 200.
type fixture struct {
	t     *testing.T
	clock *clock
	store *fakeStore
	w     *Worker

	mu         sync.Mutex
	requests   []request
	responses  []func(http.ResponseWriter)
	deliveries []delivery
}

func newFixture(t *testing.T, responses ...func(http.ResponseWriter)) *fixture {
	t.Helper()
	f := &fixture{t: t, clock: &clock{now: t0}, store: newFakeStore(), responses: responses}
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)

	f.store.inboxes[3] = care.Inbox{
		ID: 3, WorkspaceID: 1, Channel: care.ChannelAPI, Name: "Shop", WebhookURL: srv.URL + "/hook",
		Credentials: map[string]string{apiinbox.SecretCredential: secret},
	}
	f.store.conversations[7] = care.Conversation{ID: 7, WorkspaceID: 1, InboxID: 3, Channel: care.ChannelAPI, ContactID: 11}
	f.store.contacts[11] = care.Contact{ID: 11, WorkspaceID: 1, Name: "Grace", Identities: []care.Identity{
		{ID: 21, WorkspaceID: 1, ContactID: 11, Platform: care.ChannelAPI, PlatformUserID: "user-5", DisplayName: "Grace"},
	}}
	f.addReply(42)

	senders := &channel.Registry{}
	senders.Register(care.ChannelAPI, &apiinbox.Sender{Client: srv.Client(), Now: f.clock.Now})
	f.w = &Worker{
		Store:   f.store,
		Senders: senders,
		Now:     f.clock.Now,
		Rand:    func() float64 { return 0.5 },
		OnDelivery: func(msg care.ID, status care.DeliveryStatus, reason string) {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.deliveries = append(f.deliveries, delivery{msg, status, reason})
		},
	}
	return f
}

// addReply stores an outbound reply with its outbox entry, as the app does in
// one transaction, and returns the entry's id.
func (f *fixture) addReply(id care.ID) care.ID {
	f.store.mu.Lock()
	f.store.messages[id] = care.Message{
		ID: id, WorkspaceID: 1, ConversationID: 7, InboxID: 3, Direction: care.DirectionOut,
		Visibility: care.Public, AuthorID: 9, AuthorName: "Ada", Text: "Thanks, fixed!",
		Status: care.DeliveryQueued, CreatedAt: t0,
	}
	f.store.mu.Unlock()
	return f.store.enqueue(care.OutboxEntry{
		MessageID: id, InboxID: 3, Channel: care.ChannelAPI,
		IdempotencyKey: fmt.Sprintf("parley-msg-%d", id),
		NextAttemptAt:  t0, CreatedAt: t0,
	})
}

func (f *fixture) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		f.t.Errorf("receiver: read body: %v", err)
	}
	verified := apiinbox.Verify(r.Header.Get(apiinbox.SignatureHeader), []byte(secret), body, f.clock.Now(), 0)
	f.mu.Lock()
	f.requests = append(f.requests, request{r.Header.Get("Idempotency-Key"), string(body), verified})
	var respond func(http.ResponseWriter)
	if len(f.responses) > 0 {
		respond, f.responses = f.responses[0], f.responses[1:]
	}
	f.mu.Unlock()
	if respond == nil {
		respond = reply(http.StatusOK, `{"id":"ext-1"}`)
	}
	respond(w)
}

func reply(status int, body string, header ...string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

func (f *fixture) gotRequests() []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slicesClone(f.requests)
}

func (f *fixture) gotDeliveries() []delivery {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slicesClone(f.deliveries)
}

func slicesClone[T any](s []T) []T { return append([]T(nil), s...) }

// runOnce makes one pass and checks how many entries it leased.
func (f *fixture) runOnce(want int) {
	f.t.Helper()
	n, err := f.w.RunOnce(context.Background())
	if err != nil {
		f.t.Fatalf("RunOnce: %v", err)
	}
	if n != want {
		f.t.Fatalf("RunOnce leased %d entries, want %d", n, want)
	}
}

func (f *fixture) checkStatus(id care.ID, status care.DeliveryStatus, reason, platformID string) {
	f.t.Helper()
	m := f.store.message(id)
	if m.Status != status || m.StatusReason != reason || m.PlatformID != platformID {
		f.t.Errorf("message %d: status %q, reason %q, platform id %q; want %q, %q, %q",
			id, m.Status, m.StatusReason, m.PlatformID, status, reason, platformID)
	}
}

func (f *fixture) checkRequests(want int) []request {
	f.t.Helper()
	got := f.gotRequests()
	if len(got) != want {
		f.t.Fatalf("receiver got %d requests, want %d", len(got), want)
	}
	for i, r := range got {
		if r.verified != nil {
			f.t.Errorf("request %d: signature does not verify: %v", i, r.verified)
		}
	}
	return got
}
