package foursquare

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/foursquare/fsqfake"
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

// pollEnv is an adapter polling a fake with two places over real HTTP.
type pollEnv struct {
	t     *testing.T
	fake  *fsqfake.Fake
	a     *Adapter
	clock *clock
	cur   string
}

func newPollEnv(t *testing.T) (*pollEnv, *httptest.Server) {
	t.Helper()
	e := &pollEnv{t: t, clock: &clock{t: testNow}}
	e.fake = fsqfake.New()
	e.fake.Now = e.clock.Now
	e.fake.AddPlace(soho, "Acme Soho")
	e.fake.AddPlace(brooklyn, "Acme Brooklyn")
	srv := httptest.NewServer(e.fake.Handler())
	t.Cleanup(srv.Close)
	e.a = &Adapter{Client: srv.Client(), Now: e.clock.Now, Logger: slog.New(slog.DiscardHandler)}
	return e, srv
}

// poll polls once, keeping the cursor as the runner does: only when the
// poll succeeded or read something.
func (e *pollEnv) poll(apiBase string) ([]channel.Event, error) {
	e.t.Helper()
	evs, next, err := e.a.Poll(context.Background(), testInbox(apiBase), e.cur)
	if err == nil || len(evs) > 0 {
		e.cur = next
	}
	for _, ev := range evs {
		checkEvent(e.t, ev)
	}
	return evs, err
}

func (e *pollEnv) tip(place, text string, at time.Time) string {
	e.t.Helper()
	id, err := e.fake.Tip(place, fsqfake.Tip{Text: text, CreatedAt: at})
	if err != nil {
		e.t.Fatal(err)
	}
	return id
}

func texts(evs []channel.Event) []string {
	var out []string
	for _, ev := range evs {
		out = append(out, ev.Inbound.Text)
	}
	return out
}

// TestPoll follows an inbox through the cases its cursor must get right.
func TestPoll(t *testing.T) {
	t.Parallel()
	e, srv := newPollEnv(t)
	base := srv.URL

	// Tips from before the inbox: the first poll reads none.
	e.tip(soho, "old tip", testNow.Add(-48*time.Hour))
	if evs, err := e.poll(base); err != nil || len(evs) != 0 {
		t.Fatalf("first poll = %v, %v; want nothing", texts(evs), err)
	}
	reqs := e.fake.Requests()
	if len(reqs) != 2 {
		t.Fatalf("first poll made %d requests, want one per place", len(reqs))
	}
	for _, r := range reqs {
		if r.Header.Get("Authorization") != "Bearer "+fsqfake.DefaultAPIKey || r.Header.Get(VersionHeader) != APIVersion ||
			r.Query.Get("sort") != "NEWEST" || r.Query.Get("limit") != "50" || r.Query.Get("fields") != tipFields || r.Status != http.StatusOK {
			t.Errorf("request %s %v %v answered %d", r.Path, r.Header, r.Query, r.Status)
		}
	}

	// New tips at both places, two in the same second: all read, oldest
	// first, each once.
	e.clock.Add(time.Hour)
	at := e.clock.Now()
	e.tip(soho, "queue too long", at.Add(-30*time.Minute))
	e.tip(brooklyn, "lovely staff", at.Add(-20*time.Minute))
	e.tip(brooklyn, "same second one", at.Add(-10*time.Minute))
	e.tip(brooklyn, "same second two", at.Add(-10*time.Minute))
	evs, err := e.poll(base)
	if err != nil || strings.Join(texts(evs), "|") != "queue too long|lovely staff|same second one|same second two" {
		t.Fatalf("second poll = %q, %v", texts(evs), err)
	}
	if evs[1].Inbound.Subject != "Foursquare tip on Acme Brooklyn" {
		t.Errorf("subject %q", evs[1].Inbound.Subject)
	}
	if evs, err := e.poll(base); err != nil || len(evs) != 0 {
		t.Fatalf("poll with nothing new = %q, %v", texts(evs), err)
	}

	// A tip reaching the API late, older than tips already read, is read;
	// one older than the inbox is not.
	e.tip(soho, "late arrival", at.Add(-45*time.Minute))
	e.tip(soho, "from before the inbox", testNow.Add(-time.Minute))
	if evs, err := e.poll(base); err != nil || strings.Join(texts(evs), "|") != "late arrival" {
		t.Fatalf("poll after a late tip = %q, %v", texts(evs), err)
	}

	// A place that fails does not stop the other; its tips come once it
	// answers again.
	e.fake.FailNext(1) // Soho, polled first
	e.clock.Add(time.Hour)
	e.tip(soho, "soho after the failure", e.clock.Now())
	e.tip(brooklyn, "brooklyn meanwhile", e.clock.Now())
	evs, err = e.poll(base)
	var se *channel.SendError
	if !errors.As(err, &se) || se.Permanent || strings.Join(texts(evs), "|") != "brooklyn meanwhile" {
		t.Fatalf("poll with Soho failing = %q, %v", texts(evs), err)
	}
	if evs, err := e.poll(base); err != nil || strings.Join(texts(evs), "|") != "soho after the failure" {
		t.Fatalf("poll after the failure = %q, %v", texts(evs), err)
	}

	// The rate limit stops the poll with Foursquare's wait; nothing is
	// lost.
	e.tip(brooklyn, "during the rate limit", e.clock.Now())
	e.fake.Throttle(1, "120")
	evs, err = e.poll(base)
	if !errors.As(err, &se) || se.Permanent || se.RetryAfter != 2*time.Minute || len(evs) != 0 || !strings.Contains(se.Reason, "429") {
		t.Fatalf("throttled poll = %q, %+v", texts(evs), err)
	}
	if evs, err := e.poll(base); err != nil || strings.Join(texts(evs), "|") != "during the rate limit" {
		t.Fatalf("poll after the rate limit = %q, %v", texts(evs), err)
	}

	// A deleted tip is simply no longer there.
	id := e.tip(soho, "to be deleted", e.clock.Now())
	e.fake.Remove(soho, id)
	if evs, err := e.poll(base); err != nil || len(evs) != 0 {
		t.Fatalf("poll after a deleted tip = %q, %v", texts(evs), err)
	}
}

// TestPollErrors: refusals are classified, and say what to do.
func TestPollErrors(t *testing.T) {
	t.Parallel()
	e, srv := newPollEnv(t)
	in := testInbox(srv.URL)
	for _, tt := range []struct {
		name      string
		edit      func(creds map[string]string)
		permanent bool
		reason    string
		requests  int
	}{
		{"wrong key", func(c map[string]string) { c[CredAPIKey] = "another-key-0123456789" }, true, "Service API Key", 1},
		{"no key", func(c map[string]string) { delete(c, CredAPIKey) }, true, "no api_key", 0},
		{"unknown place", func(c map[string]string) { c[CredVenues] = "0123456789abcdef01234567" }, true, "check credentials.venues", 1},
		{"no venues", func(c map[string]string) { c[CredVenues] = "" }, true, "venues is required", 0},
		{"unreachable", func(c map[string]string) { c[CredAPIBase] = "http://127.0.0.1:1" }, false, "could not be reached", 0},
	} {
		creds := map[string]string{}
		for k, v := range in.Credentials {
			creds[k] = v
		}
		tt.edit(creds)
		in := in
		in.Credentials = creds
		before := len(e.fake.Requests())
		_, _, err := e.a.Poll(context.Background(), in, "")
		var se *channel.SendError
		if !errors.As(err, &se) || se.Permanent != tt.permanent || !strings.Contains(se.Reason, tt.reason) {
			t.Errorf("%s: Poll = %v; want permanent %v, reason with %q", tt.name, err, tt.permanent, tt.reason)
		}
		if n := len(e.fake.Requests()) - before; n != tt.requests {
			t.Errorf("%s: %d requests, want %d (a shared refusal stops the poll)", tt.name, n, tt.requests)
		}
	}
}

func TestCursor(t *testing.T) {
	t.Parallel()
	c := cursor{V: cursorVersion, Venues: map[string]venueCursor{soho: {Since: 1795500000, Seen: []string{"a", "b"}}}}
	got, ok := parseCursor(c.String())
	if !ok || got.Venues[soho].Since != 1795500000 || len(got.Venues[soho].Seen) != 2 {
		t.Errorf("parseCursor(%s) = %+v, %v", c, got, ok)
	}
	for _, bad := range []string{"", "{}", "42", `{"v":2,"venues":{}}`, `{"v":1,"venues":{"../x":{"since":1}}}`,
		`{"v":1,"venues":{"` + soho + `":{"since":0}}}`, `{"v":1}`} {
		if _, ok := parseCursor(bad); ok {
			t.Errorf("parseCursor(%s) accepted", bad)
		}
	}
	// An unreadable cursor starts over: nothing is read on that poll.
	e, srv := newPollEnv(t)
	e.tip(soho, "while the cursor was lost", testNow.Add(-time.Minute))
	e.cur = "garbage"
	if evs, err := e.poll(srv.URL); err != nil || len(evs) != 0 {
		t.Errorf("poll with a lost cursor = %q, %v", texts(evs), err)
	}
	if _, ok := parseCursor(e.cur); !ok {
		t.Errorf("the cursor after it is %q", e.cur)
	}
}

func TestPollInterval(t *testing.T) {
	t.Parallel()
	in := testInbox("")
	a := &Adapter{}
	if d := a.PollInterval(in); d != time.Hour {
		t.Errorf("default interval %v", d)
	}
	in.Credentials[CredPollMinutes] = "15"
	if d := a.PollInterval(in); d != 15*time.Minute {
		t.Errorf("15 minutes: %v", d)
	}
	in.Credentials[CredPollMinutes] = "1"
	if d := a.PollInterval(in); d != time.Hour {
		t.Errorf("1 minute, below the floor: %v, want the default", d)
	}
}
