package wordpress

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/wordpress/wpfake"
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

// site is a fake WordPress served over HTTP on 127.0.0.1, an adapter and
// a prepared inbox for it.
type site struct {
	t       *testing.T
	fake    *wpfake.Fake
	srv     *httptest.Server
	clock   *clock
	adapter *Adapter
	inbox   care.Inbox
	post    int
}

func newSite(t *testing.T, setup func(f *wpfake.Fake)) *site {
	t.Helper()
	s := &site{t: t, fake: wpfake.New(), clock: &clock{t: testNow}}
	s.fake.Now = s.clock.Now
	if setup != nil {
		setup(s.fake)
	}
	s.srv = httptest.NewServer(s.fake.Handler())
	t.Cleanup(s.srv.Close)
	s.adapter = &Adapter{Client: s.srv.Client(), Now: s.clock.Now, Logger: quiet}
	s.inbox = care.Inbox{ID: 7, WorkspaceID: 1, Channel: care.ChannelWordPress, Credentials: map[string]string{
		CredSiteURL: s.srv.URL, CredUsername: wpfake.DefaultUsername, CredAppPassword: wpfake.DefaultAppPassword}}
	if err := s.adapter.Prepare(&s.inbox); err != nil {
		t.Fatalf("Prepare: %v", err)
	}
	s.post = s.fake.AddPost("Release notes")
	return s
}

// visit has a visitor comment, a minute after the last thing.
func (s *site) visit(v wpfake.Visitor) string {
	s.clock.Add(time.Minute)
	if v.PostID == 0 {
		v.PostID = s.post
	}
	return itoa(s.fake.Comment(v))
}

// poll polls from cursor and fails the test on an error.
func (s *site) poll(cursor string) ([]channel.Event, string) {
	s.t.Helper()
	evs, next, err := s.adapter.Poll(context.Background(), s.inbox, cursor)
	if err != nil {
		s.t.Fatalf("Poll: %v", err)
	}
	for _, ev := range evs {
		checkEvent(s.t, ev, nil)
	}
	return evs, next
}

func ids(evs []channel.Event) []string {
	var out []string
	for _, ev := range evs {
		out = append(out, ev.Inbound.PlatformID)
	}
	return out
}
