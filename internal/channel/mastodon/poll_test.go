package mastodon

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/mastodon/mastofake"
)

func TestPollInterval(t *testing.T) {
	t.Parallel()
	a := &Adapter{}
	for mode, want := range map[string]time.Duration{"": time.Minute, ModeStream: time.Minute, ModePoll: 15 * time.Second, "webhook": 0} {
		in := testInbox()
		in.Credentials[CredMode] = mode
		if got := a.PollInterval(in); got != want {
			t.Errorf("PollInterval(mode %q) = %v, want %v", mode, got, want)
		}
	}
}

// TestPoll reads mentions as they come: the first poll the newest page, the
// next ones forward from the cursor with min_id, skipping what is not a
// mention and what the brand wrote.
func TestPoll(t *testing.T) {
	t.Parallel()
	x := newInstance(t)
	ctx := context.Background()

	events, cursor, err := x.adapter.Poll(ctx, x.inbox, "")
	if err != nil || len(events) != 0 || cursor != "0" {
		t.Fatalf("first poll of an empty account = %v, %q, %v; want nothing and cursor 0", events, cursor, err)
	}
	m1 := x.fake.Mention(mastofake.Mention{From: anna, Text: "my order is late"})
	x.fake.Notify("favourite", anna, m1.StatusID)
	m2 := x.fake.Mention(mastofake.Mention{From: zsc, Text: "@acme me too", Visibility: "direct", ReplyTo: m1.StatusID})
	x.fake.Notify("follow", zsc, "")
	// A quote without a mention (Mastodon 4.5) is a customer's post too.
	q1 := x.fake.Quote(mastofake.Mention{From: anna, Text: "still waiting on this"}, "109000000000000001")

	events, cursor, err = x.adapter.Poll(ctx, x.inbox, cursor)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := platformIDs(events), []string{m1.StatusID, m2.StatusID, q1.StatusID}; !cmp.Equal(got, want) || cursor != q1.NotificationID {
		t.Fatalf("poll = %v, cursor %q; want %v, %q", got, cursor, want, q1.NotificationID)
	}
	if q := events[2].Inbound; q.Visibility != care.Public || q.Author.PlatformUserID != "anna@example.social" ||
		!strings.HasSuffix(q.Text, "\n\nstill waiting on this") || !strings.HasPrefix(q.Text, "RE: https://") {
		t.Errorf("the quote = %+v", q)
	}
	for _, ev := range events {
		checkEvent(t, ev, ev.Raw)
	}
	second := events[1].Inbound
	if second.Visibility != care.Private || second.ReplyToPlatformID != m1.StatusID || second.Author.PlatformUserID != "zsc@mastodon.test" ||
		second.Author.Handle != "@zsc@mastodon.test" || second.Text != "@acme me too" {
		t.Errorf("the direct reply = %+v", second)
	}
	if first := events[0].Inbound; first.Author.PlatformUserID != "anna@example.social" || first.Visibility != care.Public || first.Author.Followers != 152 {
		t.Errorf("the first mention = %+v", first)
	}

	events, next, err := x.adapter.Poll(ctx, x.inbox, cursor)
	if err != nil || len(events) != 0 || next != cursor {
		t.Errorf("a quiet poll = %v, %q, %v; want nothing and the same cursor", events, next, err)
	}
	qs := x.fake.NotificationQueries()
	for i, want := range []string{"", "0", q1.NotificationID} {
		q, _ := url.ParseQuery(qs[i])
		if q.Get("min_id") != want || q.Get("limit") != "40" || !cmp.Equal(q["types[]"], []string{"mention", "quote"}) || q.Get("include_filtered") != "true" {
			t.Errorf("query %d = %q, want min_id %q, limit 40, types[] mention and quote", i, qs[i], want)
		}
	}

	// The first poll of an account with a history reads its newest page.
	for range 45 {
		x.fake.Mention(mastofake.Mention{From: anna, Text: "again"})
	}
	events, cursor, err = x.adapter.Poll(ctx, x.inbox, "")
	if err != nil || len(events) != 40 {
		t.Errorf("a first poll read %d events, %v; want the newest 40", len(events), err)
	}
	if more, _, _ := x.adapter.Poll(ctx, x.inbox, cursor); len(more) != 0 {
		t.Errorf("after the first poll, %d more", len(more))
	}

	// A cursor that is not one starts from the newest.
	if _, next, err := x.adapter.Poll(ctx, x.inbox, "not/a cursor"); err != nil || !validID(next) {
		t.Errorf("poll with a broken cursor = %q, %v", next, err)
	}
}

// TestPollBurst: more mentions than one poll reads are read by the next
// polls, each exactly once and in order.
func TestPollBurst(t *testing.T) {
	t.Parallel()
	x := newInstance(t)
	ctx := context.Background()
	_, cursor, err := x.adapter.Poll(ctx, x.inbox, "")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for range 250 {
		want = append(want, x.fake.Mention(mastofake.Mention{From: anna, Text: "burst"}).StatusID)
	}
	var got []string
	for i, size := range []int{200, 50, 0} {
		events, next, err := x.adapter.Poll(ctx, x.inbox, cursor)
		if err != nil || len(events) != size {
			t.Fatalf("poll %d = %d events, %v; want %d", i, len(events), err, size)
		}
		got = append(got, platformIDs(events)...)
		cursor = next
	}
	if !cmp.Equal(got, want) {
		t.Errorf("the polls read %d mentions, not every one once in order", len(got))
	}
}

// TestPollReserve: a poll stops paging when few requests are left, for
// the replies.
func TestPollReserve(t *testing.T) {
	t.Parallel()
	x := newInstance(t)
	ctx := context.Background()
	_, cursor, _ := x.adapter.Poll(ctx, x.inbox, "")
	for range 100 {
		x.fake.Mention(mastofake.Mention{From: anna, Text: "burst"})
	}
	x.fake.Spend(x.fake.Remaining() - rateReserve) // the next request leaves one fewer than the reserve
	events, _, err := x.adapter.Poll(ctx, x.inbox, cursor)
	if err != nil || len(events) != 40 {
		t.Errorf("with %d requests left a poll read %d events, %v; want one page", x.fake.Remaining(), len(events), err)
	}
}

// TestPollErrors: the instance's refusals, classified, with the cursor
// kept.
func TestPollErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	x := newInstance(t)
	x.fake.Throttle(1)
	events, next, err := x.adapter.Poll(ctx, x.inbox, "5")
	var se *channel.SendError
	if !errors.As(err, &se) || se.Permanent || se.RetryAfter != 5*time.Minute || se.RateLimit != "0/300 left, resets 10:05:00Z" || next != "5" || len(events) != 0 {
		t.Errorf("throttled poll = %v, %q, %+v; want temporary, waiting for the reset at 10:05", events, next, err)
	}

	x.clock.Add(5 * time.Minute) // a new window
	x.fake.FailNext(1)
	if _, _, err := x.adapter.Poll(ctx, x.inbox, "5"); !errors.As(err, &se) || se.Permanent || se.Status != http.StatusServiceUnavailable {
		t.Errorf("poll of a failing instance = %v, want temporary 503", err)
	}

	bad := x.inbox
	bad.Credentials = map[string]string{CredAccessToken: "revoked", CredAPIBase: x.srv.URL}
	if _, _, err := x.adapter.Poll(ctx, bad, "5"); !errors.As(err, &se) || !se.Permanent || !strings.Contains(se.Reason, "The access token is invalid") {
		t.Errorf("poll with a revoked token = %v, want permanent quoting Mastodon", err)
	}

	down := x.inbox
	down.Credentials = map[string]string{CredAccessToken: "t", CredAPIBase: "http://127.0.0.1:1"}
	if _, _, err := x.adapter.Poll(ctx, down, "5"); !errors.As(err, &se) || se.Permanent {
		t.Errorf("poll of an unreachable instance = %v, want temporary", err)
	}
}

// TestPollPartial: when a later page fails, the earlier pages' events come
// back with the cursor after them.
func TestPollPartial(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	x := newInstanceWith(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api/v1/notifications" && calls.Add(1) == 3 {
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	ctx := context.Background()
	_, cursor, _ := x.adapter.Poll(ctx, x.inbox, "")
	var ids []string
	for range 60 {
		ids = append(ids, x.fake.Mention(mastofake.Mention{From: anna, Text: "x"}).StatusID)
	}
	events, next, err := x.adapter.Poll(ctx, x.inbox, cursor)
	if err == nil || len(events) != 40 || next == cursor || !cmp.Equal(platformIDs(events), ids[:40]) {
		t.Fatalf("poll = %d events, %q, %v; want the first page, its cursor and the error", len(events), next, err)
	}
	events, _, err = x.adapter.Poll(ctx, x.inbox, next)
	if err != nil || !cmp.Equal(platformIDs(events), ids[40:]) {
		t.Errorf("the next poll = %d events, %v; want the other 20", len(events), err)
	}
}

func TestLinkID(t *testing.T) {
	t.Parallel()
	doc := `<https://mastodon.example/api/v1/notifications?max_id=34975535>; rel="next", <https://mastodon.example/api/v1/notifications?min_id=34975861>; rel="prev"`
	tests := []struct {
		link, rel, param, want string
	}{
		{doc, "prev", "min_id", "34975861"},
		{doc, "next", "max_id", "34975535"},
		{doc, "prev", "max_id", ""},
		{`<https://x/y?min_id=1&types%5B%5D=mention>; rel=prev`, "prev", "min_id", "1"},
		{`<https://x/y?min_id=1>; rel="prev next"`, "next", "min_id", "1"},
		{`<https://x/y?min_id=1%2F2>; rel="prev"`, "prev", "min_id", ""},
		{`garbage`, "prev", "min_id", ""},
		{``, "prev", "min_id", ""},
	}
	for _, tt := range tests {
		h := http.Header{}
		h.Set("Link", tt.link)
		if got := linkID(h, tt.rel, tt.param); got != tt.want {
			t.Errorf("linkID(%q, %s, %s) = %q, want %q", tt.link, tt.rel, tt.param, got, tt.want)
		}
	}
}
