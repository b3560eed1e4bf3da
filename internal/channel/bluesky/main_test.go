package bluesky

import (
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/bluesky/bskyfake"
)

// quiet discards the adapters' logs.
var quiet = slog.New(slog.DiscardHandler)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// testNow is the tests' clock: 24 November 2026, 10:00 UTC.
var testNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// The accounts of the tests: the brand (the DID of Bluesky's documentation
// samples) and two customers.
const (
	brandDID    = "did:plc:u5cwb2mwiv2bfq53cjufe6yn"
	brandHandle = "acme.example.com"
	brandPass   = "abcd-efgh-ijkl-mnop"
	anaDID      = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
	benDID      = "did:plc:44ybard66vv44zksje25o7dz"
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

// world is an adapter and a fake Bluesky over real HTTP on 127.0.0.1.
type world struct {
	clock *clock
	fake  *bskyfake.Fake
	a     *Adapter
	in    care.Inbox
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{clock: &clock{t: testNow}, fake: bskyfake.New()}
	w.fake.SetClock(w.clock.Now)
	w.fake.AddAccount(bskyfake.Account{DID: brandDID, Handle: brandHandle, DisplayName: "Acme", Email: "support@acme.example.com",
		AppPassword: brandPass, Followers: 5000})
	w.fake.AddAccount(bskyfake.Account{DID: anaDID, Handle: "ana.bsky.social", DisplayName: "Ana Lima", Followers: 1234, Verified: true})
	w.fake.AddAccount(bskyfake.Account{DID: benDID, Handle: "ben.example.net", DisplayName: "Ben", Followers: 12, AllowIncoming: "following"})
	srv := httptest.NewServer(w.fake)
	t.Cleanup(srv.Close)
	w.a = &Adapter{Client: srv.Client(), Now: w.clock.Now, Logger: quiet}
	w.in = care.Inbox{ID: 7, WorkspaceID: 1, Channel: care.ChannelBluesky,
		Credentials: map[string]string{CredIdentifier: brandHandle, CredAppPassword: brandPass, CredAPIBase: srv.URL}}
	return w
}

// publish has author write a post on the fake, failing the test on error.
func (w *world) publish(t *testing.T, author string, in bskyfake.PostInput) bskyfake.Post {
	t.Helper()
	p, err := w.fake.Publish(author, in)
	if err != nil {
		t.Fatal(err)
	}
	w.clock.Add(time.Second)
	return p
}
