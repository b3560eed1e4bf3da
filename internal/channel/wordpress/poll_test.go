package wordpress

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the fake's sites live in named time zones

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/wordpress/wpfake"
)

func itoa(n int) string { return strconv.Itoa(n) }

func TestPollStartsNowThenReadsComments(t *testing.T) {
	t.Parallel()
	s := newSite(t, nil)
	old := s.visit(wpfake.Visitor{Name: "Old", Email: "old@example.com", Text: "before Parley"})
	evs, cursor := s.poll("")
	if len(evs) != 0 {
		t.Fatalf("the first poll read %v; it must start now", ids(evs))
	}
	jane := s.visit(wpfake.Visitor{Name: "Jane Doe", Email: "Jane@Example.com", Text: "The download link is broken.\n\nAny mirror?"})
	held := s.visit(wpfake.Visitor{Name: "Sam", Email: "sam@example.org", Text: "Same here", ParentID: atoi(jane), Held: true})
	bo := s.visit(wpfake.Visitor{Name: "Bo", Text: "Nice post"})
	evs, cursor = s.poll(cursor)
	if got := ids(evs); !cmp.Equal(got, []string{jane, held, bo}) {
		t.Fatalf("second poll = %v, want Jane's, Sam's (held) and Bo's, oldest first", got)
	}
	j := evs[0].Inbound
	if j.Author != (care.Author{PlatformUserID: "jane@example.com", DisplayName: "Jane Doe"}) || j.Visibility != care.Public ||
		j.Text != "The download link is broken.\n\nAny mirror?" || j.ReplyToPlatformID != "" || !j.SentAt.Equal(testNow.Add(2*time.Minute)) {
		t.Errorf("Jane's comment = %+v", j)
	}
	if h := evs[1].Inbound; h.ReplyToPlatformID != jane || !strings.Contains(h.Attachments[0].Name, "held for moderation") {
		t.Errorf("Sam's held reply = %+v", h)
	}
	if evs, next := s.poll(cursor); len(evs) != 0 || next != cursor {
		t.Errorf("a poll with nothing new = %v, cursor changed %v", ids(evs), next != cursor)
	}
	// Every list asks for approved and held comments together, in
	// context edit, after a date.
	var last wpfake.Request
	for _, r := range s.fake.Requests() {
		if r.Route == "/wp/v2/comments" && r.Method == http.MethodGet {
			last = r
		}
	}
	for _, p := range []string{"status=all", "context=edit", "orderby=date_gmt", "order=asc", "per_page=100", "after="} {
		if !strings.Contains(last.Query, p) {
			t.Errorf("list query %q lacks %s", last.Query, p)
		}
	}
	if slices.Contains(ids(evs), old) {
		t.Errorf("a comment older than the inbox was read")
	}
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

func TestPollEchoesAndSkips(t *testing.T) {
	t.Parallel()
	s := newSite(t, nil)
	maria := s.fake.AddUser(wpfake.User{Username: "maria", Name: "Maria from Acme", Email: "maria@acme.test", Moderator: true})
	buyer := s.fake.AddUser(wpfake.User{Username: "buyer", Name: "Bo Buyer", Email: "bo@example.com"})
	_, cursor := s.poll("")
	jane := s.visit(wpfake.Visitor{Name: "Jane", Email: "jane@example.com", Text: "Broken link"})
	_, cursor = s.poll(cursor)
	// Answered later, so the parent is not in the page: it is read.
	answer := s.visit(wpfake.Visitor{UserID: maria.ID, ParentID: atoi(jane), Text: "Fixed, sorry!"})
	s.visit(wpfake.Visitor{UserID: maria.ID, Text: "An update from us"})                             // top level: skipped
	s.visit(wpfake.Visitor{UserID: wpfake.DefaultUserID, ParentID: atoi(jane), Text: "From Parley"}) // our own: skipped
	buyerComment := s.visit(wpfake.Visitor{UserID: buyer.ID, Text: "Is this still sold?"})
	evs, _ := s.poll(cursor)
	if got := ids(evs); !cmp.Equal(got, []string{answer}) {
		t.Fatalf("poll = %v, want only Maria's answer", got)
	}
	if e := evs[0].Inbound; e.Kind != care.KindEcho || e.Author.PlatformUserID != "jane@example.com" || e.ReplyToPlatformID != jane {
		t.Errorf("Maria's answer = %+v, want an echo to Jane", e)
	}

	// With site_users customers, the buyer's comment is a customer's.
	s.inbox.Credentials[CredSiteUsers] = SiteUsersCustomers
	evs, _ = s.poll(cursor)
	if !slices.Contains(ids(evs), buyerComment) {
		t.Errorf("with site_users customers, poll = %v; want the registered buyer's comment", ids(evs))
	}
}

func TestPollWithoutPrettyPermalinks(t *testing.T) {
	t.Parallel()
	s := newSite(t, func(f *wpfake.Fake) { f.PrettyPermalinks = false })
	if s.inbox.Credentials[CredRoute] != RouteQuery {
		t.Fatalf("Prepare found route %q, want %q", s.inbox.Credentials[CredRoute], RouteQuery)
	}
	_, cursor := s.poll("")
	c := s.visit(wpfake.Visitor{Name: "Jane", Text: "hi"})
	if evs, _ := s.poll(cursor); len(evs) != 1 || evs[0].Inbound.PlatformID != c {
		t.Errorf("poll = %v", ids(evs))
	}
	// An inbox that says nothing about its route finds out by itself,
	// once.
	delete(s.inbox.Credentials, CredRoute)
	a := &Adapter{Client: s.srv.Client(), Now: s.clock.Now, Logger: quiet}
	before := len(s.fake.Requests())
	for range 2 {
		if _, _, err := a.Poll(context.Background(), s.inbox, cursor); err != nil {
			t.Fatal(err)
		}
	}
	reqs := s.fake.Requests()[before:]
	if len(reqs) != 2 || reqs[0].Route != "/wp/v2/comments" || reqs[0].Pretty || reqs[1].Pretty {
		t.Errorf("requests %+v; want one query-route request a poll after the first 404", reqs)
	}
}

func TestPollAcrossTheClocksGoingBack(t *testing.T) {
	t.Parallel()
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	s := newSite(t, func(f *wpfake.Fake) { f.Location = ny })
	// 1 November 2026, 05:40 UTC is 01:40 EDT; at 06:00 UTC the clocks go
	// back to 01:00 EST.
	s.clock.t = time.Date(2026, 11, 1, 5, 40, 0, 0, time.UTC)
	_, cursor := s.poll("")
	before := s.visit(wpfake.Visitor{Name: "A", Text: "01:41 EDT"})
	_, cursor = s.poll(cursor)
	s.clock.Add(30 * time.Minute) // 06:11 UTC, 01:11 EST: earlier, locally
	after := s.visit(wpfake.Visitor{Name: "B", Text: "01:12 EST"})
	evs, _ := s.poll(cursor)
	if got := ids(evs); !cmp.Equal(got, []string{after}) {
		t.Errorf("poll after the clocks went back = %v, want %v (and not %s again)", got, after, before)
	}
}

func TestPollGraceForCommentsStoredOutOfOrder(t *testing.T) {
	t.Parallel()
	s := newSite(t, nil)
	_, cursor := s.poll("")
	first := s.visit(wpfake.Visitor{Name: "A", Text: "one"})
	_, cursor = s.poll(cursor)
	// A comment dated before the newest read, as a slow request stores
	// one: still new.
	s.clock.Add(-3 * time.Minute)
	late := itoa(s.fake.Comment(wpfake.Visitor{PostID: s.post, Name: "B", Text: "two"}))
	s.clock.Add(3 * time.Minute)
	evs, cursor := s.poll(cursor)
	if got := ids(evs); !cmp.Equal(got, []string{late}) {
		t.Errorf("poll = %v, want the late comment %s (not %s again)", got, late, first)
	}
	if evs, _ := s.poll(cursor); len(evs) != 0 {
		t.Errorf("the late comment came twice: %v", ids(evs))
	}
}

func TestPollPagesThroughABurst(t *testing.T) {
	t.Parallel()
	s := newSite(t, nil)
	_, cursor := s.poll("")
	var want []string
	for i := range 250 {
		if i%20 == 0 {
			s.clock.Add(time.Second)
		}
		want = append(want, itoa(s.fake.Comment(wpfake.Visitor{PostID: s.post, Name: "N" + itoa(i), Text: "comment " + itoa(i)})))
	}
	evs, cursor := s.poll(cursor)
	if got := ids(evs); !cmp.Equal(got, want) {
		t.Fatalf("poll read %d comments, want the %d in order", len(got), len(want))
	}
	if len(cursor) > maxCursorBytes {
		t.Errorf("cursor of %d bytes", len(cursor))
	}
	if evs, _ := s.poll(cursor); len(evs) != 0 {
		t.Errorf("a second poll read %d again", len(evs))
	}
}

func TestPollErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		setup     func(s *site)
		permanent bool
		says      string
		wait      time.Duration
	}{
		{"throttled", func(s *site) { s.fake.FailNext(1, 429, 90*time.Second) }, false, "limiting requests", 90 * time.Second},
		{"unavailable", func(s *site) { s.fake.FailNext(1, 503, 0) }, false, "failed (503)", 0},
		{"password revoked", func(s *site) { s.inbox.Credentials[CredAppPassword] = "aaaa bbbb cccc dddd eeee ffff" }, true, "invalid application password", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSite(t, nil)
			_, cursor := s.poll("")
			tt.setup(s)
			evs, next, err := s.adapter.Poll(context.Background(), s.inbox, cursor)
			var se *channel.SendError
			if !errors.As(err, &se) || se.Permanent != tt.permanent || !strings.Contains(se.Reason, tt.says) || se.RetryAfter != tt.wait || len(evs) != 0 || next != cursor {
				t.Errorf("Poll = %v, %v, cursor kept %v; want a SendError (permanent %v, wait %v) saying %q", ids(evs), err, next == cursor, tt.permanent, tt.wait, tt.says)
			}
		})
	}
}

func TestCursor(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"x", `{"v":2,"t":""}`, `{"v":1,"t":"yesterday"}`, `{"v":1,"t":"","w":"x"}`, strings.Repeat(" ", maxCursorBytes+1)} {
		if _, ok := decodeCursor(s); ok {
			t.Errorf("decodeCursor(%.20q) ok", s)
		}
	}
	var c pollCursor
	c.V = cursorVersion
	base := testNow
	for i := range maxKnown + 50 {
		c.add(int64(i+1), base.Add(time.Duration(i)*time.Second))
	}
	if len(c.Known) != maxKnown || c.W == "" {
		t.Fatalf("after %d comments in the grace: %d known, window %q", maxKnown+50, len(c.Known), c.W)
	}
	if c.isNew(1, base) || c.isNew(50, base.Add(49*time.Second)) || !c.isNew(9999, base.Add(time.Hour)) ||
		c.isNew(int64(maxKnown+50), base.Add(time.Duration(maxKnown+49)*time.Second)) {
		t.Error("isNew is wrong about the oldest, a new or the newest comment")
	}
	back, ok := decodeCursor(c.encode())
	if !ok || !cmp.Equal(back, c) {
		t.Errorf("round trip: %+v, %v", back, ok)
	}
	// Once the grace has passed the window, it goes.
	c.add(9999, base.Add(time.Hour))
	if c.W != "" || len(c.Known) != 1 {
		t.Errorf("an hour later: window %q, %d known", c.W, len(c.Known))
	}
}

func TestPollIntervalIsAMinute(t *testing.T) {
	t.Parallel()
	if got := (&Adapter{}).PollInterval(testInbox()); got != time.Minute {
		t.Errorf("PollInterval = %v", got)
	}
}

// TestPollBusySite checks that a site with more comments in the poll's
// window (an hour's margin and the grace) than one poll reads, maxPages of
// perPage, is read to the end: List Comments pages by page and per_page
// and filters by after
// (https://developer.wordpress.org/rest-api/reference/comments/#list-comments),
// so without moving its after a poll would read the same thousand known
// comments for ever.
func TestPollBusySite(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		every time.Duration // between two comments
		n     int           // comments per poll
		polls int
	}{
		{name: "a quiet site", every: time.Minute, n: 5, polls: 4},
		{name: "twenty a minute, polled every quarter hour", every: 3 * time.Second, n: 300, polls: 8},
		{name: "more than a poll reads between two polls", every: time.Second, n: 1500, polls: 4},
		{name: "a burst held for moderation", every: 100 * time.Millisecond, n: 2500, polls: 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSite(t, nil)
			_, cursor := s.poll("")
			var want, got []string
			for p := 0; p < tt.polls; p++ {
				for i := 0; i < tt.n; i++ {
					s.clock.Add(tt.every)
					want = append(want, itoa(s.fake.Comment(wpfake.Visitor{PostID: s.post, Name: "V", Email: "v" + itoa(i) + "@example.com",
						Text: "comment " + itoa(p) + "." + itoa(i), Held: tt.every < time.Second})))
				}
				evs, next := s.poll(cursor)
				got, cursor = append(got, ids(evs)...), next
			}
			// Then the site calms down; the polls catch up.
			for range 4 {
				s.clock.Add(time.Minute)
				evs, next := s.poll(cursor)
				got, cursor = append(got, ids(evs)...), next
			}
			if !cmp.Equal(got, want) {
				t.Errorf("read %d comments, want %d, each once in order", len(got), len(want))
			}
			late := itoa(s.fake.Comment(wpfake.Visitor{PostID: s.post, Name: "Late", Text: "still read"}))
			s.clock.Add(time.Minute)
			if evs, _ := s.poll(cursor); !cmp.Equal(ids(evs), []string{late}) {
				t.Errorf("after the burst a poll read %v, want [%s]", ids(evs), late)
			}
		})
	}
}
