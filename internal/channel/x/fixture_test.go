package x_test

import (
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/x"
	"github.com/parleyhq/parley/internal/channel/x/xfake"
)

const (
	secret     = "test_consumer_secret"
	brandID    = "1111111111111111111"
	anaID      = "2222222222222222222"
	benID      = "3333333333333333333"
	brandToken = "brand-token"
)

var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// clock is a settable time source shared by the adapter and the fake.
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

// world is a fake X on 127.0.0.1 with a brand and two customers, and an
// adapter whose inbox points at it.
type world struct {
	fake  *xfake.Fake
	srv   *httptest.Server
	clock *clock
	a     *x.Adapter
	inbox care.Inbox
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{fake: xfake.New(secret), clock: &clock{now: t0}}
	w.fake.SetClock(w.clock.Now)
	w.fake.AddUser(xfake.User{ID: brandID, Username: "acme", Name: "Acme Support", Followers: 50000, Verified: true})
	w.fake.AddUser(xfake.User{ID: anaID, Username: "ana", Name: "Ana Lima", Followers: 1234, Verified: true})
	w.fake.AddUser(xfake.User{ID: benID, Username: "ben", Name: "Ben Okoro", Followers: 12})
	w.fake.Authorize(brandToken, brandID)
	w.srv = httptest.NewServer(w.fake)
	t.Cleanup(w.srv.Close)
	w.a = &x.Adapter{Client: w.srv.Client(), Now: w.clock.Now, Logger: slog.New(slog.DiscardHandler)}
	w.inbox = care.Inbox{ID: 1, WorkspaceID: 1, Channel: care.ChannelX, Name: "Acme on X", ExternalID: brandID,
		Credentials: map[string]string{x.CredConsumerSecret: secret, x.CredAccessToken: brandToken, x.CredAPIBase: w.srv.URL}}
	return w
}

// reply is an outbound public reply to post, or a DM when post is "".
func (w *world) reply(key, text, post, recipient string) channel.Outbound {
	vis := care.Private
	if post != "" {
		vis = care.Public
	}
	return channel.Outbound{
		Message:        care.Message{ID: 42, Direction: care.DirectionOut, Visibility: vis, Text: text, ReplyToPlatformID: post},
		Inbox:          w.inbox,
		Contact:        care.Contact{ID: 5, Identities: []care.Identity{{ID: 9, Platform: care.ChannelX, PlatformUserID: recipient}}},
		IdempotencyKey: key,
	}
}
