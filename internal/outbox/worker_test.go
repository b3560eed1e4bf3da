package outbox

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/apiinbox"
)

func TestSendSuccess(t *testing.T) {
	f := newFixture(t)
	f.runOnce(1)

	reqs := f.checkRequests(1)
	if reqs[0].idempotencyKey != "parley-msg-42" {
		t.Errorf("Idempotency-Key = %q, want %q", reqs[0].idempotencyKey, "parley-msg-42")
	}
	f.checkStatus(42, care.DeliverySent, "", "ext-1")
	if _, ok := f.store.entry(1); ok {
		t.Error("outbox entry still present after a successful send")
	}
	if diff := cmp.Diff([]delivery{{42, care.DeliverySent, ""}}, f.gotDeliveries(), cmp.AllowUnexported(delivery{})); diff != "" {
		t.Errorf("OnDelivery calls mismatch (-want +got):\n%s", diff)
	}
	f.runOnce(0)
	f.checkRequests(1)
}

func TestRetryThenSuccess(t *testing.T) {
	f := newFixture(t, reply(http.StatusServiceUnavailable, "maintenance"))
	f.runOnce(1)

	wait := Backoff(0, 2*time.Second, 30*time.Minute, 0.5)
	e, ok := f.store.entry(1)
	if !ok {
		t.Fatal("outbox entry gone after a temporary failure")
	}
	if e.Attempts != 1 || !e.NextAttemptAt.Equal(t0.Add(wait)) || e.LeasedUntil != nil {
		t.Errorf("entry after 503: attempts %d, next %v, leased %v; want 1, %v, nil", e.Attempts, e.NextAttemptAt, e.LeasedUntil, t0.Add(wait))
	}
	f.checkStatus(42, care.DeliveryQueued, "retrying: 503 Service Unavailable: maintenance", "")

	// Not due yet.
	f.clock.Advance(wait - time.Nanosecond)
	f.runOnce(0)
	f.checkRequests(1)

	f.clock.Advance(time.Nanosecond)
	f.runOnce(1)
	reqs := f.checkRequests(2)
	if reqs[0].idempotencyKey == "" || reqs[1].idempotencyKey != reqs[0].idempotencyKey {
		t.Errorf("Idempotency-Keys = %q then %q, want the same non-empty key", reqs[0].idempotencyKey, reqs[1].idempotencyKey)
	}
	if reqs[1].body != reqs[0].body {
		t.Errorf("retry body differs from the first:\n%s\n%s", reqs[0].body, reqs[1].body)
	}
	f.checkStatus(42, care.DeliverySent, "", "ext-1")
	if _, ok := f.store.entry(1); ok {
		t.Error("outbox entry still present after the retry succeeded")
	}
	want := []delivery{
		{42, care.DeliveryQueued, "retrying: 503 Service Unavailable: maintenance"},
		{42, care.DeliverySent, ""},
	}
	if diff := cmp.Diff(want, f.gotDeliveries(), cmp.AllowUnexported(delivery{})); diff != "" {
		t.Errorf("OnDelivery calls mismatch (-want +got):\n%s", diff)
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	tests := []struct {
		name       string
		retryAfter string
		baseDelay  time.Duration
		rnd        float64
		want       time.Duration
	}{
		{"Retry-After longer than backoff", "7", 2 * time.Second, 0.5, 7 * time.Second},
		{"backoff longer than Retry-After", "1", 20 * time.Second, 0.5, 10 * time.Second},
		{"Retry-After as a date", "Sun, 01 Mar 2026 12:01:00 GMT", 2 * time.Second, 0, time.Minute},
		{"Retry-After capped", "86400", 2 * time.Second, 0, channel.MaxRetryAfter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, reply(http.StatusTooManyRequests, "", "Retry-After", tt.retryAfter))
			f.w.BaseDelay = tt.baseDelay
			f.w.Rand = func() float64 { return tt.rnd }
			f.runOnce(1)
			e, _ := f.store.entry(1)
			if !e.NextAttemptAt.Equal(t0.Add(tt.want)) {
				t.Errorf("next attempt at %v, want %v", e.NextAttemptAt, t0.Add(tt.want))
			}
			f.checkStatus(42, care.DeliveryQueued, "retrying: 429 Too Many Requests", "")

			f.clock.Advance(tt.want - time.Nanosecond)
			f.runOnce(0)
			f.clock.Advance(time.Nanosecond)
			f.runOnce(1)
			f.checkRequests(2)
			f.checkStatus(42, care.DeliverySent, "", "ext-1")
		})
	}
}

func TestPermanentFailure(t *testing.T) {
	f := newFixture(t, reply(http.StatusBadRequest, `{"error":"unknown recipient user-5"}`))
	f.runOnce(1)

	f.checkRequests(1)
	reason := `400 Bad Request: {"error":"unknown recipient user-5"}`
	f.checkStatus(42, care.DeliveryFailed, reason, "")
	if _, ok := f.store.entry(1); ok {
		t.Error("outbox entry still present after a permanent failure")
	}
	if diff := cmp.Diff([]delivery{{42, care.DeliveryFailed, reason}}, f.gotDeliveries(), cmp.AllowUnexported(delivery{})); diff != "" {
		t.Errorf("OnDelivery calls mismatch (-want +got):\n%s", diff)
	}
	f.clock.Advance(time.Hour)
	f.runOnce(0)
}

func TestGiveUpAfterMaxAttempts(t *testing.T) {
	down := reply(http.StatusBadGateway, "")
	f := newFixture(t, down, down, down, down)
	f.w.MaxAttempts = 3
	for i := 1; i <= 3; i++ {
		f.runOnce(1)
		f.clock.Advance(f.w.maxDelay())
	}
	f.checkRequests(3)
	f.checkStatus(42, care.DeliveryFailed, "gave up after 3 attempts: 502 Bad Gateway", "")
	if _, ok := f.store.entry(1); ok {
		t.Error("outbox entry still present after the last attempt")
	}
	f.runOnce(0)
}

func TestCrashSafety(t *testing.T) {
	t.Run("lease of a dead worker runs out", func(t *testing.T) {
		f := newFixture(t)
		lease := f.w.lease()
		// A worker leases the entry and dies before sending.
		if got, err := f.store.LeaseOutbox(context.Background(), t0, lease, 10); err != nil || len(got) != 1 {
			t.Fatalf("LeaseOutbox = %d entries, %v; want 1, nil", len(got), err)
		}
		f.clock.Advance(lease / 2)
		f.runOnce(0)
		f.checkRequests(0)

		f.clock.Advance(lease / 2)
		f.runOnce(1)
		f.checkRequests(1)
		f.checkStatus(42, care.DeliverySent, "", "ext-1")

		f.clock.Advance(2 * lease)
		f.runOnce(0)
		f.checkRequests(1)
	})
	t.Run("dead worker had already sent", func(t *testing.T) {
		f := newFixture(t)
		lease := f.w.lease()
		// A worker sends, records it, and dies before completing the entry.
		if _, err := f.store.LeaseOutbox(context.Background(), t0, lease, 10); err != nil {
			t.Fatal(err)
		}
		if err := f.store.SetDelivery(context.Background(), 42, care.DeliverySent, "", "ext-0"); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(lease)
		f.runOnce(1)
		f.checkRequests(0)
		f.checkStatus(42, care.DeliverySent, "", "ext-0")
		if _, ok := f.store.entry(1); ok {
			t.Error("outbox entry still present")
		}
	})
}

func TestNoSendOnExpiredLease(t *testing.T) {
	f := newFixture(t)
	// The pass stalls (a GC pause, a suspended VM) until its lease is over.
	f.store.afterLease = func() { f.clock.Advance(f.w.lease()) }
	f.runOnce(1)
	f.checkRequests(0)
	e, ok := f.store.entry(1)
	if !ok || e.Attempts != 0 {
		t.Fatalf("entry after a stale pass: %+v, present %v; want it untouched", e, ok)
	}
	f.checkStatus(42, care.DeliveryQueued, "", "")

	f.store.afterLease = nil
	f.runOnce(1)
	f.checkRequests(1)
}

func TestMissingSender(t *testing.T) {
	f := newFixture(t)
	f.w.Senders = &channel.Registry{}
	f.runOnce(1)
	f.checkRequests(0)
	f.checkStatus(42, care.DeliveryFailed, `no sender is configured for channel "api"`, "")
	if _, ok := f.store.entry(1); ok {
		t.Error("outbox entry still present")
	}
}

func TestNeverSendsNotesOrInbound(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*care.Message)
	}{
		{"note", func(m *care.Message) { m.Visibility = care.Note; m.Status = care.DeliveryStored }},
		{"inbound", func(m *care.Message) { m.Direction = care.DirectionIn; m.Status = care.DeliveryReceived }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			m := f.store.messages[42]
			tt.modify(&m)
			f.store.messages[42] = m
			f.runOnce(1)
			f.checkRequests(0)
			if got := f.store.message(42); got.Status != m.Status {
				t.Errorf("status = %q, want it left at %q", got.Status, m.Status)
			}
			if _, ok := f.store.entry(1); ok {
				t.Error("outbox entry still present")
			}
		})
	}
}

func TestMissingRecordFails(t *testing.T) {
	f := newFixture(t)
	delete(f.store.contacts, 11)
	f.runOnce(1)
	f.checkRequests(0)
	f.checkStatus(42, care.DeliveryFailed, "a record the reply needs no longer exists", "")
}

func TestStoreErrorLeavesEntryLeased(t *testing.T) {
	f := newFixture(t)
	f.store.errMessage = errors.New("disk I/O error")
	n, err := f.w.RunOnce(context.Background())
	if n != 1 || err == nil || !strings.Contains(err.Error(), "disk I/O error") {
		t.Fatalf("RunOnce = %d, %v; want 1 and the storage error", n, err)
	}
	f.checkRequests(0)
	e, _ := f.store.entry(1)
	if e.Attempts != 0 || e.LeasedUntil == nil {
		t.Errorf("entry = %+v, want it leased with no attempt counted", e)
	}

	f.store.errMessage = nil
	f.clock.Advance(f.w.lease())
	f.runOnce(1)
	f.checkRequests(1)
}

func TestPlatformIDConflict(t *testing.T) {
	f := newFixture(t)
	f.store.conflictOnPlatformID = true
	f.runOnce(1)
	f.checkRequests(1)
	f.checkStatus(42, care.DeliverySent, "", "")
	if _, ok := f.store.entry(1); ok {
		t.Error("outbox entry still present")
	}
}

// senderFunc adapts a function to channel.Sender for failures a real
// endpoint cannot easily produce.
// A send under way when shutdown begins finishes and is recorded: cut
// off, it may have reached the platform unrecorded and go out twice.
func TestShutdownFinishesSend(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	withSender(f, senderFunc(func(sctx context.Context, out channel.Outbound) (channel.Result, error) {
		calls++
		cancel() // shutdown begins while the platform answers
		select {
		case <-sctx.Done():
			return channel.Result{}, sctx.Err()
		case <-time.After(20 * time.Millisecond):
			return channel.Result{PlatformID: "ext-9"}, nil
		}
	}))
	if _, err := f.w.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	f.checkStatus(42, care.DeliverySent, "", "ext-9")
	f.clock.Advance(2 * f.w.lease())
	f.runOnce(0)
	if calls != 1 {
		t.Errorf("%d sends, want 1", calls)
	}
}

type senderFunc func(context.Context, channel.Outbound) (channel.Result, error)

func (f senderFunc) Send(ctx context.Context, out channel.Outbound) (channel.Result, error) {
	return f(ctx, out)
}

func withSender(f *fixture, s channel.Sender) {
	r := &channel.Registry{}
	r.Register(care.ChannelAPI, s)
	f.w.Senders = r
}

func TestSendTimeout(t *testing.T) {
	f := newFixture(t)
	f.w.SendTimeout = time.Millisecond
	withSender(f, senderFunc(func(ctx context.Context, _ channel.Outbound) (channel.Result, error) {
		<-ctx.Done()
		return channel.Result{}, ctx.Err()
	}))
	f.runOnce(1)
	f.checkStatus(42, care.DeliveryQueued, "retrying: the platform did not answer in time", "")
	if e, _ := f.store.entry(1); e.Attempts != 1 {
		t.Errorf("attempts = %d, want 1", e.Attempts)
	}
}

func TestSendTimeoutOverHTTP(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)

	f := newFixture(t)
	in := f.store.inboxes[3]
	in.WebhookURL = srv.URL
	f.store.inboxes[3] = in
	f.w.SendTimeout = 20 * time.Millisecond
	withSender(f, &apiinbox.Sender{Client: srv.Client(), Now: f.clock.Now})
	f.runOnce(1)
	f.checkStatus(42, care.DeliveryQueued, "retrying: the webhook did not answer in time", "")
}

func TestPanickingSender(t *testing.T) {
	f := newFixture(t)
	withSender(f, senderFunc(func(context.Context, channel.Outbound) (channel.Result, error) {
		panic("nil map")
	}))
	f.runOnce(1)
	f.checkStatus(42, care.DeliveryFailed, "the channel adapter failed", "")
}

func TestDeliveredSynchronously(t *testing.T) {
	f := newFixture(t)
	withSender(f, senderFunc(func(context.Context, channel.Outbound) (channel.Result, error) {
		return channel.Result{PlatformID: "wamid.1", Status: care.DeliveryDelivered}, nil
	}))
	f.runOnce(1)
	f.checkStatus(42, care.DeliveryDelivered, "", "wamid.1")
}

func TestConcurrencyBounded(t *testing.T) {
	f := newFixture(t)
	for id := care.ID(43); id < 53; id++ {
		f.addReply(id)
	}
	f.w.Concurrency = 3
	var mu sync.Mutex
	inFlight, most := 0, 0
	api, _ := f.w.Senders.Sender(care.ChannelAPI)
	withSender(f, senderFunc(func(ctx context.Context, out channel.Outbound) (channel.Result, error) {
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		mu.Unlock()
		defer func() {
			mu.Lock()
			inFlight--
			mu.Unlock()
		}()
		return api.Send(ctx, out)
	}))
	f.runOnce(11)
	reqs := f.checkRequests(11)
	if most > 3 {
		t.Errorf("%d sends in flight at once, want at most 3", most)
	}
	keys := map[string]bool{}
	for _, r := range reqs {
		keys[r.idempotencyKey+r.body] = true
	}
	if len(keys) != 11 {
		t.Errorf("%d distinct requests, want 11", len(keys))
	}
	for id := care.ID(42); id < 53; id++ {
		f.checkStatus(id, care.DeliverySent, "", "ext-1")
	}
}

func TestRun(t *testing.T) {
	f := newFixture(t)
	wake := make(chan struct{})
	sent := make(chan care.ID, 10)
	f.w.Wake = wake
	f.w.PollInterval = time.Hour // only Wake may start a second pass
	f.w.OnDelivery = func(msg care.ID, status care.DeliveryStatus, _ string) {
		if status == care.DeliverySent {
			sent <- msg
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- f.w.Run(ctx) }()

	if got := <-sent; got != 42 {
		t.Fatalf("first pass sent message %d, want 42", got)
	}
	f.addReply(43)
	wake <- struct{}{} // received only once the worker is idle
	if got := <-sent; got != 43 {
		t.Fatalf("woken pass sent message %d, want 43", got)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil after cancel", err)
	}
	f.checkRequests(2)
}

func TestRunWithoutStore(t *testing.T) {
	if err := (&Worker{}).Run(context.Background()); err == nil {
		t.Error("Run without a store = nil, want an error")
	}
	if _, err := (&Worker{}).RunOnce(context.Background()); err == nil {
		t.Error("RunOnce without a store = nil, want an error")
	}
}
