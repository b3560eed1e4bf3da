package reddit

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/reddit/redditfake"
)

// clock is a settable time shared by the adapter and the fake.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is the adapter and a fake Reddit over HTTP on 127.0.0.1.
type env struct {
	t     *testing.T
	ctx   context.Context
	clock *clock
	fake  *redditfake.Fake
	srv   *httptest.Server
	a     *Adapter
	in    care.Inbox
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	e := &env{t: t, ctx: ctx, clock: &clock{t: testNow}, fake: redditfake.New()}
	e.fake.Now = e.clock.Now
	e.srv = httptest.NewServer(e.fake.Handler())
	t.Cleanup(e.srv.Close)
	e.a = &Adapter{Client: e.srv.Client(), Now: e.clock.Now, Logger: slog.New(slog.DiscardHandler)}
	e.in = testInbox()
	e.in.Credentials[CredAPIBase] = e.srv.URL
	return e
}

// poll polls with cursor and fails the test on an error.
func (e *env) poll(cursor string) ([]channel.Event, string) {
	e.t.Helper()
	evs, next, err := e.a.Poll(e.ctx, e.in, cursor)
	if err != nil {
		e.t.Fatalf("Poll(%s): %v", cursor, err)
	}
	for _, ev := range evs {
		in := ev.Inbound
		in.InboxID, in.Channel = e.in.ID, care.ChannelReddit
		if err := in.Validate(); err != nil {
			e.t.Errorf("event %+v does not validate: %v", ev.Inbound, err)
		}
	}
	return evs, next
}

// ids are the platform ids of events.
func ids(evs []channel.Event) []string {
	var out []string
	for _, ev := range evs {
		out = append(out, ev.Inbound.PlatformID)
	}
	return out
}

// outbound is a reply of the given visibility answering replyTo.
func outbound(in care.Inbox, vis care.Visibility, text, replyTo string) channel.Outbound {
	return channel.Outbound{
		Inbox:          in,
		Message:        care.Message{ID: 42, Direction: care.DirectionOut, Visibility: vis, Text: text, ReplyToPlatformID: replyTo},
		Conversation:   care.Conversation{ID: 3, Subject: "Router issues after firmware 2.1"},
		Contact:        care.Contact{ID: 5, Identities: []care.Identity{{ID: 9, Platform: care.ChannelReddit, PlatformUserID: "some_customer", Handle: "some_customer"}}},
		IdempotencyKey: "parley-message-42",
	}
}

// sendError returns err as a *channel.SendError, failing the test when it
// is not one.
func sendError(t *testing.T, err error) *channel.SendError {
	t.Helper()
	se, ok := err.(*channel.SendError)
	if !ok {
		t.Fatalf("error %v (%T) is not a *channel.SendError", err, err)
	}
	return se
}

// lostAnswers is a transport that carries requests to the server but,
// while armed, loses the answers of those whose path has the prefix.
type lostAnswers struct {
	next   http.RoundTripper
	mu     sync.Mutex
	prefix string
	skip   int
	n      int
}

// lose loses the answers of the next n requests to paths with prefix,
// after letting skip of them through.
func (l *lostAnswers) lose(prefix string, n int) { l.loseAfter(prefix, 0, n) }

func (l *lostAnswers) loseAfter(prefix string, skip, n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.prefix, l.skip, l.n = prefix, skip, n
}

func (l *lostAnswers) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := l.next.RoundTrip(r)
	l.mu.Lock()
	defer l.mu.Unlock()
	if err == nil && l.n > 0 && strings.HasPrefix(r.URL.Path, l.prefix) {
		if l.skip > 0 {
			l.skip--
			return resp, nil
		}
		l.n--
		resp.Body.Close()
		return nil, context.DeadlineExceeded
	}
	return resp, err
}
