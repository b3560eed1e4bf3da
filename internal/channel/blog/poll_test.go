package blog

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/blog/feedfake"
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

// site is a fake blog served over HTTP on 127.0.0.1, and an adapter
// polling it.
type site struct {
	t       *testing.T
	fake    *feedfake.Fake
	srv     *httptest.Server
	clock   *clock
	adapter *Adapter
	post    feedfake.Item
}

func newSite(t *testing.T) *site {
	t.Helper()
	s := &site{t: t, fake: feedfake.New(), clock: &clock{t: testNow}}
	s.fake.Now = s.clock.Now
	s.srv = httptest.NewServer(s.fake.Handler())
	t.Cleanup(s.srv.Close)
	s.adapter = &Adapter{Client: s.srv.Client(), Now: s.clock.Now, Logger: quiet}
	s.post = s.fake.Post(feedfake.Post{Author: "Maria", Title: "Our new blender", HTML: "<p>We tried the Acme Pro.</p>"})
	s.clock.Add(time.Minute)
	return s
}

func (s *site) url(path string) string { return s.srv.URL + path }

// poll polls the inbox from cursor and fails the test on an error.
func (s *site) poll(in care.Inbox, cursor string) ([]channel.Event, string) {
	s.t.Helper()
	evs, next, err := s.adapter.Poll(context.Background(), in, cursor)
	if err != nil {
		s.t.Fatalf("Poll: %v", err)
	}
	for _, ev := range evs {
		checkEvent(s.t, ev)
	}
	return evs, next
}

// comment has a visitor comment on the site's post.
func (s *site) comment(author, html string) feedfake.Item {
	s.clock.Add(time.Minute)
	return s.fake.Comment(feedfake.Comment{PostID: s.post.ID, Author: author, HTML: html})
}

func ids(evs []channel.Event) []string {
	var out []string
	for _, ev := range evs {
		out = append(out, ev.Inbound.PlatformID)
	}
	return out
}

func TestPollStartsNowThenImportsWhatMatches(t *testing.T) {
	t.Parallel()
	for _, path := range []string{feedfake.CommentsRSS, feedfake.CommentsAtom} {
		t.Run(strings.Trim(path, "/"), func(t *testing.T) {
			t.Parallel()
			s := newSite(t)
			in := testInbox(s.url(path))
			old := s.comment("Sam", "<p>Acme was here before the inbox.</p>")

			evs, cursor := s.poll(in, "")
			if len(evs) != 0 {
				t.Fatalf("the first poll imported %v; it must start now", ids(evs))
			}
			jane := s.comment("Jane", "<p>My <b>ACME</b> blender broke!</p>")
			s.comment("Bo", "<p>Nice recipe.</p>")
			reply := s.fake.Comment(feedfake.Comment{PostID: s.post.ID, ParentID: jane.ID, Author: "Lee", HTML: "<p>Same with my acme.</p>"})
			evs, cursor = s.poll(in, cursor)
			if got := ids(evs); len(got) != 2 || got[0] != jane.GUID || got[1] != reply.GUID {
				t.Fatalf("second poll = %v, want Jane's and Lee's comments, oldest first", got)
			}
			ev := evs[0].Inbound
			host := strings.TrimPrefix(s.srv.URL, "http://")
			if ev.Author.PlatformUserID != host+"/Jane" || ev.Author.DisplayName != "Jane" || ev.Visibility != care.Public ||
				ev.Text != "Comment on Our new blender by Jane\n\nMy ACME blender broke!" || ev.ReplyToPlatformID != s.post.GUID {
				t.Errorf("Jane's comment = %+v", ev)
			}
			if len(ev.Attachments) != 1 || ev.Attachments[0].Kind != "link" || ev.Attachments[0].URL != jane.Link {
				t.Errorf("Jane's comment's attachments = %+v, want its link", ev.Attachments)
			}
			// The Atom feed threads a reply to its parent; RSS names only
			// the post.
			wantParent := s.post.GUID
			if path == feedfake.CommentsAtom {
				wantParent = jane.GUID
			}
			if got := evs[1].Inbound.ReplyToPlatformID; got != wantParent {
				t.Errorf("Lee's reply answers %q, want %q", got, wantParent)
			}

			// Nothing new: a conditional GET, answered 304.
			evs, next := s.poll(in, cursor)
			reqs := s.fake.Requests()
			last := reqs[len(reqs)-1]
			if len(evs) != 0 || next != cursor || last.Status != http.StatusNotModified || last.IfNoneMatch == "" || last.IfModifiedSince == "" {
				t.Errorf("third poll = %v, cursor changed %v, last request %+v; want nothing, by a 304", ids(evs), next != cursor, last)
			}
			if !strings.HasPrefix(last.UserAgent, "Parley") {
				t.Errorf("User-Agent = %q", last.UserAgent)
			}
			_ = old
		})
	}
}

func TestPollWithoutKeywordsImportsEverything(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	in := testInbox(s.url(feedfake.CommentsRSS))
	delete(in.Credentials, CredKeywords)
	_, cursor := s.poll(in, "")
	a := s.comment("Bo", "<p>Nice recipe.</p>")
	b := s.comment("Ann", "<p>Thanks!</p>")
	if evs, _ := s.poll(in, cursor); len(evs) != 2 || evs[0].Inbound.PlatformID != a.GUID || evs[1].Inbound.PlatformID != b.GUID {
		t.Errorf("poll = %v, want both comments", ids(evs))
	}
}

func TestPollRemembersBeyondWhatAFeedHolds(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	s.fake.Items = 150 // more than maxSeen
	in := testInbox(s.url(feedfake.CommentsRSS))
	for i := range 140 {
		s.comment("Visitor", "<p>acme comment "+strings.Repeat("!", i)+"</p>")
	}
	_, cursor := s.poll(in, "")
	st, ok := decodeCursor(cursor)
	if f := st.Feeds[in.Credentials[CredFeeds][:len(in.Credentials[CredFeeds])-1]]; !ok || f == nil || len(f.Seen) != maxSeen || f.Floor == 0 {
		t.Fatalf("cursor %s: want %d items known and a floor", cursor, maxSeen)
	}
	if len(cursor) > maxCursorBytes/MaxFeeds {
		t.Errorf("cursor of one feed is %d bytes; %d feeds would not fit in %d", len(cursor), MaxFeeds, maxCursorBytes)
	}
	fresh := s.comment("Jane", "<p>acme, again</p>")
	evs, cursor := s.poll(in, cursor)
	if got := ids(evs); len(got) != 1 || got[0] != fresh.GUID {
		t.Fatalf("poll = %v, want only the new comment", got)
	}
	if evs, _ := s.poll(in, cursor); len(evs) != 0 {
		t.Errorf("a poll with nothing new imported %v", ids(evs))
	}
}

func TestPollFollowsRedirects(t *testing.T) {
	t.Parallel()
	for _, permanent := range []bool{true, false} {
		s := newSite(t)
		s.fake.Move("/old-feed", feedfake.CommentsRSS, permanent)
		in := testInbox(s.url("/old-feed"))
		_, cursor := s.poll(in, "")
		c := s.comment("Jane", "<p>acme?</p>")
		evs, _ := s.poll(in, cursor)
		if len(evs) != 1 || evs[0].Inbound.PlatformID != c.GUID {
			t.Errorf("permanent %v: poll = %v, want the comment through the redirect", permanent, ids(evs))
		}
		old := 0
		for _, r := range s.fake.Requests() {
			if r.Path == "/old-feed" {
				old++
			}
		}
		st, _ := decodeCursor(cursor)
		moved := st.Feeds[s.url("/old-feed")].Moved
		switch {
		case permanent && (old != 1 || moved != s.url(feedfake.CommentsRSS)):
			t.Errorf("after a 301 the old address was asked %d times, moved = %q; want once, and the new address remembered", old, moved)
		case !permanent && (old != 2 || moved != ""):
			t.Errorf("after a 302 the old address was asked %d times, moved = %q; want every time, and no move", old, moved)
		}
	}
}

func TestPollFeedErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		setup     func(s *site)
		permanent bool
		reason    string
		wait      time.Duration
	}{
		{"gone", func(s *site) { s.fake.Gone(feedfake.CommentsRSS) }, true, "is gone (410)", 0},
		{"not found", func(s *site) { s.fake.Move(feedfake.CommentsRSS, "/nowhere", false) }, true, "404", 0},
		{"throttled", func(s *site) { s.fake.Fail(feedfake.CommentsRSS, 5, http.StatusTooManyRequests, 2*time.Minute) }, false, "429", 2 * time.Minute},
		{"unavailable", func(s *site) { s.fake.Fail(feedfake.CommentsRSS, 5, http.StatusServiceUnavailable, 0) }, false, "503", 0},
		{"not a feed", func(s *site) { s.fake.Serve(feedfake.CommentsRSS, "text/html", []byte("<!doctype html><p>Hello")) }, true, "is not an RSS, Atom or JSON feed", 0},
		{"too large", func(s *site) {
			s.fake.Serve(feedfake.CommentsRSS, "application/rss+xml", []byte("<rss>"+strings.Repeat(" ", maxFeedBytes)+"</rss>"))
		}, true, "larger than 5 MiB", 0},
		{"redirect loop", func(s *site) { s.fake.Move(feedfake.CommentsRSS, feedfake.CommentsRSS, false) }, true, "redirects more than", 0},
		{"redirect elsewhere", func(s *site) { s.fake.Move(feedfake.CommentsRSS, "ftp://files.example/feed", false) }, true, "not a web one", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSite(t)
			in := testInbox(s.url(feedfake.CommentsRSS))
			_, cursor := s.poll(in, "")
			tt.setup(s)
			if tt.name == "gone" {
				// The feed is stopped in the cursor, which the runner keeps
				// only without an error: the next poll reports it.
				evs, next, err := s.adapter.Poll(context.Background(), in, cursor)
				if st, _ := decodeCursor(next); err != nil || len(evs) != 0 || !st.Feeds[s.url(feedfake.CommentsRSS)].Gone {
					t.Fatalf("Poll after 410 = %v, %v, cursor %s; want the feed stopped", ids(evs), err, next)
				}
				cursor = next
			}
			evs, next, err := s.adapter.Poll(context.Background(), in, cursor)
			var se *channel.SendError
			if !errors.As(err, &se) || se.Permanent != tt.permanent || !strings.Contains(se.Reason, tt.reason) || se.RetryAfter != tt.wait || len(evs) != 0 {
				t.Fatalf("Poll = %v, %v; want a SendError (permanent %v, retry after %v) saying %q", ids(evs), err, tt.permanent, tt.wait, tt.reason)
			}
			if !strings.Contains(se.Reason, "feed "+s.url(feedfake.CommentsRSS)) {
				t.Errorf("reason %q does not name the feed", se.Reason)
			}
			if tt.name == "gone" {
				// Stopped for good: not asked again, still reported.
				before := len(s.fake.Requests())
				if _, _, err := s.adapter.Poll(context.Background(), in, next); err == nil || len(s.fake.Requests()) != before {
					t.Errorf("a gone feed was fetched again (%d requests) or not reported (%v)", len(s.fake.Requests())-before, err)
				}
			}
		})
	}
}

func TestPollOneFeedFailingDoesNotHoldTheOthers(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	in := testInbox(s.url(feedfake.CommentsRSS), s.url("/missing/feed/"))
	// The first poll establishes one baseline and fails the other: the
	// baseline must be kept, so the failure waits for the next poll.
	evs, cursor, err := s.adapter.Poll(context.Background(), in, "")
	if err != nil || len(evs) != 0 {
		t.Fatalf("first poll = %v, %v; want no events and no error yet", ids(evs), err)
	}
	if st, _ := decodeCursor(cursor); st.Feeds[s.url(feedfake.CommentsRSS)] == nil || !st.Feeds[s.url(feedfake.CommentsRSS)].Base {
		t.Fatalf("cursor %s lost the working feed's baseline", cursor)
	}
	// Nothing to lose now: the failure is reported, without a wait for
	// the feed that works.
	_, _, err = s.adapter.Poll(context.Background(), in, cursor)
	var se *channel.SendError
	if !errors.As(err, &se) || !strings.Contains(se.Reason, "/missing/feed/") || se.RetryAfter != 0 {
		t.Fatalf("second poll error = %v, want the missing feed's", err)
	}
	// New items of the working feed arrive with the error.
	c := s.comment("Jane", "<p>acme</p>")
	evs, _, err = s.adapter.Poll(context.Background(), in, cursor)
	if err == nil || len(evs) != 1 || evs[0].Inbound.PlatformID != c.GUID {
		t.Errorf("third poll = %v, %v; want the comment and the error", ids(evs), err)
	}
	// Throttling one feed does not make the others wait.
	in = testInbox(s.url(feedfake.CommentsRSS), s.url(feedfake.PostsRSS))
	_, cursor = s.poll(in, "")
	s.fake.Fail(feedfake.CommentsRSS, 1, http.StatusTooManyRequests, time.Hour)
	_, _, err = s.adapter.Poll(context.Background(), in, cursor)
	if !errors.As(err, &se) || se.RetryAfter != 0 || se.Permanent {
		t.Errorf("poll with one feed of two throttled = %v; want a temporary error and no wait imposed on both", err)
	}
}

func TestPollUnreadableCursorStartsAgain(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	in := testInbox(s.url(feedfake.CommentsRSS))
	s.comment("Jane", "<p>acme</p>")
	for _, cursor := range []string{"garbage", `{"v":99}`, strings.Repeat("x", maxCursorBytes+1)} {
		evs, next := s.poll(in, cursor)
		if st, ok := decodeCursor(next); len(evs) != 0 || !ok || !st.Feeds[s.url(feedfake.CommentsRSS)].Base {
			t.Errorf("Poll(%.10q) = %v, cursor %s; want a fresh baseline", cursor, ids(evs), next)
		}
	}
}

func TestPollRefusesBadCredentials(t *testing.T) {
	t.Parallel()
	a := &Adapter{Logger: quiet}
	for _, feeds := range []string{"", "ftp://x.example/feed", "https://user:pw@x.example/feed", func() string {
		var b strings.Builder
		for i := range MaxFeeds + 1 {
			b.WriteString("https://x.example/f" + strings.Repeat("x", i) + "\n")
		}
		return b.String()
	}()} {
		in := testInbox()
		in.Credentials[CredFeeds] = feeds
		var se *channel.SendError
		if _, next, err := a.Poll(context.Background(), in, "c"); !errors.As(err, &se) || !se.Permanent || next != "c" {
			t.Errorf("Poll with feeds %.30q = %v, cursor %q; want a permanent error and the cursor kept", feeds, err, next)
		}
	}
}

func TestPollJSONFeedWithoutValidators(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	in := testInbox(s.url("/feed.json"))
	doc := func(ids ...string) []byte {
		var items []string
		for _, id := range ids {
			items = append(items, `{"id":"`+id+`","content_text":"Acme item `+id+`"}`)
		}
		return []byte(`{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[` + strings.Join(items, ",") + `]}`)
	}
	s.fake.Serve("/feed.json", "application/feed+json", doc("1", "2"))
	_, cursor := s.poll(in, "")
	s.fake.Serve("/feed.json", "application/feed+json", doc("3", "1", "2"))
	evs, _ := s.poll(in, cursor)
	if got := ids(evs); len(got) != 1 || got[0] != strings.TrimPrefix(s.srv.URL, "http://")+"#3" {
		t.Errorf("poll = %v, want the undated item 3 alone", got)
	}
}

func TestPollIntervalIsFiveMinutes(t *testing.T) {
	t.Parallel()
	if got := (&Adapter{}).PollInterval(testInbox()); got != 5*time.Minute {
		t.Errorf("PollInterval = %v", got)
	}
}
