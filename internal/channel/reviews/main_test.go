package reviews

import (
	"flag"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/reviews/gbpfake"
)

var updateGolden = flag.Bool("update", false, "rewrite golden files in testdata")

// testNow is the tests' clock: 24 November 2026, 10:00 UTC.
var testNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// testLocation is the location of the channel samples' reviews.
const testLocation = "accounts/123456789/locations/222222222"

func testInbox() care.Inbox {
	return care.Inbox{ID: 7, WorkspaceID: 1, Channel: care.ChannelReviews, ExternalID: testLocation,
		Credentials: map[string]string{CredClientID: "client", CredClientSecret: "secret", CredRefreshToken: "refresh"}}
}

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

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

// google is an adapter and an inbox connected to a gbpfake over real HTTP.
type google struct {
	fake    *gbpfake.Fake
	srv     *httptest.Server
	adapter *Adapter
	inbox   care.Inbox
	clock   *clock
}

func newGoogle(t *testing.T) *google {
	t.Helper()
	g := &google{fake: gbpfake.New(), clock: &clock{t: testNow}}
	g.fake.Now = g.clock.Now
	g.srv = httptest.NewServer(g.fake.Handler())
	t.Cleanup(g.srv.Close)
	g.adapter = &Adapter{Client: g.srv.Client(), Now: g.clock.Now, Logger: slog.New(slog.DiscardHandler)}
	g.inbox = care.Inbox{ID: 9, WorkspaceID: 1, Channel: care.ChannelReviews, ExternalID: g.fake.Location,
		Credentials: map[string]string{CredClientID: gbpfake.DefaultClientID, CredClientSecret: gbpfake.DefaultClientSecret,
			CredRefreshToken: gbpfake.DefaultRefreshToken, CredAPIBase: g.srv.URL, CredTokenURL: g.srv.URL + "/token"}}
	return g
}
