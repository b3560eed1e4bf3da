package youtube

import (
	"flag"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/youtube/ytfake"
)

var updateGolden = flag.Bool("update", false, "rewrite golden files in testdata")

// testNow is the tests' clock: 24 November 2026, 10:00 UTC, 02:00 in
// Pacific Time (PST): the quota resets at 08:00 UTC on the 25th.
var testNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// testChannel is the channel of the sample payloads in testdata.
const testChannel = "UC_x5XG1OV2P6uZZ5FSM9Ttw"

// testInbox is an inbox for the channel of the sample payloads, not
// connected to anything.
func testInbox() care.Inbox {
	return care.Inbox{ID: 7, WorkspaceID: 1, Channel: care.ChannelYouTube, ExternalID: testChannel,
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

// rig is an adapter and a fake YouTube over HTTP on 127.0.0.1.
type rig struct {
	fake    *ytfake.Fake
	adapter *Adapter
	clock   *clock
	inbox   care.Inbox
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{fake: ytfake.New(), clock: &clock{t: testNow}}
	r.fake.Now = r.clock.Now
	srv := httptest.NewServer(r.fake.Handler())
	t.Cleanup(srv.Close)
	r.adapter = &Adapter{Client: srv.Client(), Now: r.clock.Now, Logger: slog.New(slog.DiscardHandler)}
	r.inbox = care.Inbox{ID: 9, WorkspaceID: 1, Channel: care.ChannelYouTube, ExternalID: ytfake.DefaultChannelID,
		Credentials: r.fake.Credentials(srv.URL)}
	return r
}
