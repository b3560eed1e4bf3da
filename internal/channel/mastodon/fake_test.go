package mastodon

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/mastodon/mastofake"
)

// Customers of the tests: one of another instance, one of the fake's own.
var (
	anna = mastofake.Account{ID: "110000000000000042", Username: "anna", Domain: "example.social", DisplayName: "Anna Müller", Followers: 152}
	zsc  = mastofake.Account{ID: "971724", Username: "zsc", DisplayName: "zsc", Followers: 89}
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

// instance is the adapter and a fake instance over real HTTP on 127.0.0.1.
type instance struct {
	fake    *mastofake.Fake
	srv     *httptest.Server
	clock   *clock
	adapter *Adapter
	inbox   care.Inbox
}

func newInstance(t *testing.T) *instance {
	return newInstanceWith(t, nil)
}

// newInstanceWith serves the fake through wrap, when not nil.
func newInstanceWith(t *testing.T, wrap func(http.Handler) http.Handler) *instance {
	t.Helper()
	c := &clock{t: testNow}
	f := mastofake.New()
	f.Now = c.Now
	var h http.Handler = f.Handler()
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		f.CutStreams()
		srv.CloseClientConnections()
		srv.Close()
	})
	a := &Adapter{Client: srv.Client(), Now: c.Now, Logger: slog.New(slog.DiscardHandler)}
	in := care.Inbox{ID: 7, WorkspaceID: 1, Channel: care.ChannelMastodon, ExternalID: mastofake.DefaultBrandID,
		Credentials: map[string]string{CredAccessToken: mastofake.DefaultToken, CredAPIBase: srv.URL, CredDomain: mastofake.DefaultDomain}}
	return &instance{fake: f, srv: srv, clock: c, adapter: a, inbox: in}
}

// platformIDs lists the events' platform ids.
func platformIDs(evs []channel.Event) []string {
	var ids []string
	for _, ev := range evs {
		ids = append(ids, ev.Inbound.PlatformID)
	}
	return ids
}
