package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/telegram/tgfake"
)

func TestPollInterval(t *testing.T) {
	t.Parallel()
	in := testInbox()
	if d := (&Adapter{}).PollInterval(in); d != 0 {
		t.Errorf("PollInterval(webhook) = %v, want 0", d)
	}
	in.Credentials[CredMode] = ModePolling
	if d := (&Adapter{}).PollInterval(in); d != 3*time.Second {
		t.Errorf("PollInterval(polling) = %v, want 3s", d)
	}
}

func pollWorld(t *testing.T) (*tgfake.Fake, *Adapter, care.Inbox) {
	t.Helper()
	f := tgfake.New()
	f.Now = func() time.Time { return testNow }
	srv := httptest.NewServer(f.Handler())
	t.Cleanup(srv.Close)
	in := testInbox()
	in.Credentials[CredAPIBase] = srv.URL
	in.Credentials[CredMode] = ModePolling
	return f, &Adapter{Client: srv.Client(), Now: func() time.Time { return testNow }, Logger: slog.New(slog.DiscardHandler)}, in
}

func TestPoll(t *testing.T) {
	t.Parallel()
	f, a, in := pollWorld(t)
	ctx := context.Background()
	ana := tgfake.User{ID: 1111111, FirstName: "Ana", Username: "ana"}

	events, cursor, err := a.Poll(ctx, in, "")
	if err != nil || len(events) != 0 || cursor != "" {
		t.Fatalf("Poll(nothing) = %v, %q, %v", events, cursor, err)
	}
	first, _ := f.Deliver(ctx, tgfake.Message{From: ana, Text: "Hi"})
	f.Deliver(ctx, tgfake.Message{From: ana, Text: "Anyone there?", ReplyTo: first})
	// A reaction is asked for in allowed_updates; a group's chatter is
	// fetched and skipped.
	f.Deliver(ctx, tgfake.Message{From: tgfake.User{ID: 5, FirstName: "Bo"}, Chat: &tgfake.Chat{ID: -100123, Type: "group", Title: "G"}, Text: "lol"})

	events, cursor, err = a.Poll(ctx, in, "")
	if err != nil {
		t.Fatalf("Poll: %v", err)
	}
	var got []string
	for _, ev := range events {
		got = append(got, ev.Inbound.PlatformID+" "+ev.Inbound.Text)
		if !json.Valid(ev.Raw) || !strings.Contains(string(ev.Raw), `"update_id"`) {
			t.Errorf("event %s: raw %s is not its update", ev.Inbound.PlatformID, ev.Raw)
		}
	}
	if diff := cmp.Diff([]string{"1111111:1 Hi", "1111111:2 Anyone there?"}, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if want := "100004:" + strs(testNow.Unix()); cursor != want {
		t.Errorf("cursor = %q, want %q", cursor, want)
	}
	if events[1].Inbound.ReplyToPlatformID != "1111111:1" {
		t.Errorf("reply to %q", events[1].Inbound.ReplyToPlatformID)
	}

	// Until the cursor is used the updates stay unconfirmed: a poll from
	// the old cursor (a crash before saving) sees them again.
	if again, _, _ := a.Poll(ctx, in, ""); len(again) != 2 {
		t.Errorf("a poll from the old cursor got %d events, want the same 2", len(again))
	}
	events, next, err := a.Poll(ctx, in, cursor)
	if err != nil || len(events) != 0 || next != cursor || f.Pending() != 0 {
		t.Errorf("Poll(cursor) = %v, %q, %v with %d pending; want nothing new and the updates confirmed", events, next, err, f.Pending())
	}

	if err := f.React(ctx, ana, 1111111, first, "❤", ""); err != nil {
		t.Fatal(err)
	}
	events, _, err = a.Poll(ctx, in, cursor)
	if err != nil || len(events) != 1 || events[0].Inbound.Kind != care.KindReaction || events[0].Inbound.Text != "❤" {
		t.Errorf("Poll after a reaction = %+v, %v", events, err)
	}
}

func strs(n int64) string { b, _ := json.Marshal(n); return string(b) }

// TestPollIdle checks that after six quiet days the offset is left out:
// Telegram may then number updates afresh, below the saved offset.
func TestPollIdle(t *testing.T) {
	t.Parallel()
	f, a, in := pollWorld(t)
	ctx := context.Background()
	f.Queue([]byte(`{"update_id":5,"message":{"message_id":1,"from":{"id":9,"is_bot":false,"first_name":"Cy"},"chat":{"id":9,"type":"private"},"date":1790000000,"text":"back again"}}`))
	old := "900000:" + strs(testNow.Add(-7*24*time.Hour).Unix())
	events, cursor, err := a.Poll(ctx, in, old)
	if err != nil || len(events) != 1 || cursor != "6:"+strs(testNow.Unix()) {
		t.Errorf("Poll(week-old cursor) = %d events, %q, %v; want the update and cursor 6", len(events), cursor, err)
	}
	recent := "900000:" + strs(testNow.Add(-time.Hour).Unix())
	if events, cursor, err := a.Poll(ctx, in, recent); err != nil || len(events) != 0 || cursor != recent {
		t.Errorf("Poll(recent cursor) = %d events, %q, %v; want nothing below its offset", len(events), cursor, err)
	}
	for _, bad := range []string{"garbage", "-5:1", "5", ":", "5:x", strings.Repeat("9", 50) + ":1"} {
		if _, _, ok := parseCursor(bad); ok {
			t.Errorf("parseCursor(%q) accepted it", bad)
		}
	}
	f.Queue([]byte(`{"update_id":3,"message":{"message_id":2,"from":{"id":9,"is_bot":false,"first_name":"Cy"},"chat":{"id":9,"type":"private"},"date":1790000000,"text":"renumbered"}}`))
	events, _, err = a.Poll(ctx, in, "garbage")
	if err != nil || len(events) != 1 {
		t.Errorf("Poll(garbage cursor) = %d events, %v; want every unconfirmed update", len(events), err)
	}
}

func TestPollErrors(t *testing.T) {
	t.Parallel()
	f, a, in := pollWorld(t)
	ctx := context.Background()
	f.SetWebhook(tgfake.WebhookInfo{URL: "https://parley.example.com/webhooks/7", SecretToken: testSecret})
	_, cursor, err := a.Poll(ctx, in, "12:1790000000")
	var se *channel.SendError
	if !errors.As(err, &se) || se.Permanent || se.RetryAfter != time.Minute || !strings.Contains(se.Reason, "webhook") || cursor != "12:1790000000" {
		t.Errorf("Poll with a webhook set = %v, cursor %q; want a temporary error about the webhook, the cursor kept", err, cursor)
	}

	_, srv := newStub(t, http.StatusConflict, `{"ok":false,"error_code":409,"description":"Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}`)
	in2 := testInbox()
	in2.Credentials[CredAPIBase] = srv.URL
	_, _, err = (&Adapter{Client: srv.Client()}).Poll(ctx, in2, "")
	if !errors.As(err, &se) || se.RetryAfter != time.Minute || !strings.Contains(se.Reason, "another program") {
		t.Errorf("Poll with another poller = %v", err)
	}

	_, srv = newStub(t, http.StatusTooManyRequests, `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5","parameters":{"retry_after":5}}`)
	in2.Credentials[CredAPIBase] = srv.URL
	_, _, err = (&Adapter{Client: srv.Client()}).Poll(ctx, in2, "")
	if !errors.As(err, &se) || se.Permanent || se.RetryAfter != 5*time.Second {
		t.Errorf("Poll under flood control = %v", err)
	}

	_, srv = newStub(t, http.StatusOK, `{"ok":true,"result":{"not":"a list"}}`)
	in2.Credentials[CredAPIBase] = srv.URL
	if _, _, err = (&Adapter{Client: srv.Client()}).Poll(ctx, in2, ""); !errors.As(err, &se) || se.Permanent {
		t.Errorf("Poll of a non-list = %v, want a temporary error", err)
	}
}

// TestPollLargePage checks that a page over the size bound is fetched
// again one update at a time.
func TestPollLargePage(t *testing.T) {
	t.Parallel()
	one := `{"update_id":7,"message":{"message_id":1,"from":{"id":9,"is_bot":false,"first_name":"Cy"},"chat":{"id":9,"type":"private"},"date":1790000000,"text":"hi"}}`
	var mu sync.Mutex
	var limits []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req getUpdatesRequest
		json.NewDecoder(r.Body).Decode(&req)
		mu.Lock()
		limits = append(limits, strs(int64(req.Limit)))
		mu.Unlock()
		if req.Limit > 1 {
			w.Write([]byte(`{"ok":true,"result":[` + one + `,` + strings.Repeat(" ", maxUpdatesBytes) + one + `]}`))
			return
		}
		w.Write([]byte(`{"ok":true,"result":[` + one + `]}`))
	}))
	t.Cleanup(srv.Close)
	in := testInbox()
	in.Credentials[CredAPIBase] = srv.URL
	events, cursor, err := (&Adapter{Client: srv.Client(), Now: func() time.Time { return testNow }}).Poll(context.Background(), in, "")
	if err != nil || len(events) != 1 || !strings.HasPrefix(cursor, "8:") {
		t.Errorf("Poll = %d events, %q, %v", len(events), cursor, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if diff := cmp.Diff([]string{"100", "1"}, limits); diff != "" {
		t.Errorf("limits asked (-want +got):\n%s", diff)
	}
}
