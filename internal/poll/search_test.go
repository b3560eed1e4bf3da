package poll_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/poll"
	"github.com/parleyhq/parley/internal/testdb"
)

// searchable is a platform with a search: posts numbered in order, each
// returned to a query whose first term it contains, after the cursor.
type searchable struct {
	feed
	mu2     sync.Mutex
	posts   []care.ListenPost
	queries []string // "terms|cursor"
	fail    error
	// refuse fails only the queries whose first term it is, as a
	// platform refuses a query it cannot take.
	refuse string
}

func (s *searchable) SearchInterval(in care.Inbox) time.Duration {
	if in.Credentials["search"] == "no" {
		return 0
	}
	return 5 * time.Minute
}

func (s *searchable) Search(_ context.Context, _ care.Inbox, q care.ListenQuery, cursor string) ([]care.ListenPost, string, error) {
	s.mu2.Lock()
	defer s.mu2.Unlock()
	s.queries = append(s.queries, strings.Join(q.Terms, ",")+"|"+cursor)
	if s.fail != nil {
		return nil, cursor, s.fail
	}
	if s.refuse != "" && q.Terms[0] == s.refuse {
		return nil, cursor, channel.Permanent("query too long", care.Errorf(care.EINVALID, "The query is longer than the platform takes; shorten the subject's terms."))
	}
	var from int
	fmt.Sscan(cursor, &from)
	var out []care.ListenPost
	for i, p := range s.posts {
		if i+1 > from && strings.Contains(strings.ToLower(p.Text), q.Terms[0]) {
			out = append(out, p)
		}
	}
	return out, fmt.Sprint(len(s.posts)), nil
}

func (s *searchable) add(id, text string, at time.Time) {
	s.mu2.Lock()
	defer s.mu2.Unlock()
	s.posts = append(s.posts, care.ListenPost{Source: "feed", PlatformID: id, Text: text, PostedAt: at,
		URL: "https://feed.example/" + id, Author: care.Author{PlatformUserID: "u-" + id, Handle: "fan", Followers: 10}})
}

func TestSearchOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := t.Context()
		ws := &care.Workspace{Slug: "acme", Name: "Acme"}
		if err := s.CreateWorkspace(ctx, ws); err != nil {
			t.Fatal(err)
		}
		const ch care.Channel = "feed"
		in := &care.Inbox{WorkspaceID: ws.ID, Channel: ch, Name: "Feed", ExternalID: "brand-1"}
		if err := s.CreateInbox(ctx, in); err != nil {
			t.Fatal(err)
		}
		f := &searchable{}
		reg := &channel.Registry{}
		reg.Register(ch, f)
		now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
		r := &poll.Runner{Store: s, Adapters: reg, Now: func() time.Time { return now }}

		// No subjects: nothing is searched, and the settings are read
		// again within a minute.
		if wait, err := r.SearchOnce(ctx, in.ID); err != nil || wait != time.Minute {
			t.Fatalf("SearchOnce without subjects = %v, %v; want to look again in a minute", wait, err)
		}
		if len(f.queries) != 0 {
			t.Fatalf("searched %q without subjects", f.queries)
		}

		must(t, s.SetSetting(ctx, ws.ID, "listening", []byte(`{"subjects":[
			{"name":"Acme","own":true,"terms":["acme"],"exclude":["acme anvil"]},
			{"name":"Rival","terms":["rival"]}]}`), now))
		f.add("1", "Acme lost my bag again 😡", now.Add(-time.Hour))
		f.add("2", "rival and acme both late today", now.Add(-50*time.Minute))
		f.add("3", "the Acme Anvil cartoon is back", now.Add(-40*time.Minute)) // excluded
		f.add("4", "acmeish is not a word", now.Add(-30*time.Minute))          // the platform's stemming, not ours
		f.add("5", "posted from the future: acme", now.Add(time.Hour))
		f.add("7", "Acme news from Acme itself", now.Add(-20*time.Minute))
		f.posts[len(f.posts)-1].Author.PlatformUserID = in.ExternalID // the brand's own post

		if wait, err := r.SearchOnce(ctx, in.ID); err != nil || wait != 5*time.Minute {
			t.Fatalf("SearchOnce = %v, %v", wait, err)
		}
		posts, err := s.ListenPosts(ctx, ws.ID, care.ListenFilter{From: now.Add(-24 * time.Hour), To: now.Add(time.Hour), Limit: 100})
		must(t, err)
		var got []string
		for _, p := range posts {
			got = append(got, fmt.Sprintf("%s:%s", p.PlatformID, strings.Join(p.Subjects, "+")))
			if p.InboxID != in.ID || p.WorkspaceID != ws.ID || !p.FoundAt.Equal(now) || p.PostedAt.After(now) {
				t.Errorf("post %s stamped %+v", p.PlatformID, p)
			}
		}
		// Post 2 was found by both subjects' searches and stored once.
		if want := "[5:Acme 2:Acme+Rival 1:Acme]"; fmt.Sprint(got) != want {
			t.Errorf("stored %v, want %v", got, want)
		}
		for _, p := range posts {
			if p.PlatformID == "1" && p.Sentiment >= 0 {
				t.Errorf("an angry post has sentiment %v", p.Sentiment)
			}
		}

		// The next round resumes each query from its own position, and
		// starts one subject further on.
		f.add("6", "acme fixed it, thanks!", now.Add(-time.Minute))
		f.queries = nil
		if _, err := r.SearchOnce(ctx, in.ID); err != nil {
			t.Fatal(err)
		}
		if want := "[rival|6 acme|6]"; fmt.Sprint(f.queries) != want {
			t.Errorf("second round asked %v, want %v", f.queries, want)
		}

		// A query the platform cannot take fails its own subject only.
		f.refuse, f.queries = "acme", nil
		wait, err := r.SearchOnce(ctx, in.ID)
		if care.ErrorCode(err) != care.EINVALID || wait != 5*time.Minute || len(f.queries) != 2 {
			t.Errorf("a refused query: wait %v, err %v, asked %v; want the other subject searched, the interval kept", wait, err, f.queries)
		}
		f.refuse = ""

		// A changed query starts afresh from the newest page.
		must(t, s.SetSetting(ctx, ws.ID, "listening", []byte(`{"subjects":[{"name":"Acme","own":true,"terms":["acme","acme air"]}]}`), now))
		f.queries = nil
		if _, err := r.SearchOnce(ctx, in.ID); err != nil {
			t.Fatal(err)
		}
		if want := "[acme,acme air|]"; fmt.Sprint(f.queries) != want {
			t.Errorf("after a change asked %v, want %v", f.queries, want)
		}

		// The platform asks to wait: the round stops, honours it, and
		// says so on the inbox's health line.
		f.queries = nil
		f.fail = &channel.SendError{RetryAfter: 15 * time.Minute, Reason: "429 Too Many Requests", RateLimit: "0/450 left"}
		wait, err = r.SearchOnce(ctx, in.ID)
		var se *channel.SendError
		if !errors.As(err, &se) || wait != 15*time.Minute {
			t.Errorf("SearchOnce on 429 = %v, %v; want to wait 15m", wait, err)
		}
		if got, _ := s.Inbox(ctx, in.ID); !strings.Contains(got.Health.LastError, "listening: 429") || got.Health.RateLimit != "0/450 left" {
			t.Errorf("health = %+v", got.Health)
		}
		if len(f.queries) != 1 {
			t.Errorf("after a 429 the round went on: asked %v", f.queries)
		}
		// The lease is kept through the wait: another node does not take
		// the inbox and meet the same refusal.
		if ok, _ := s.AcquireLease(ctx, fmt.Sprintf("listen:%d", in.ID), "another-node", time.Minute, now.Add(10*time.Minute)); ok {
			t.Error("another node took the inbox's search lease during the platform's wait")
		}
		f.fail = nil

		// An inbox whose account cannot search is left alone.
		in.Credentials = map[string]string{"search": "no"}
		noSearch := &care.Inbox{WorkspaceID: ws.ID, Channel: ch, Name: "Plain", Credentials: map[string]string{"search": "no"}}
		must(t, s.CreateInbox(ctx, noSearch))
		if wait, err := r.SearchOnce(ctx, noSearch.ID); wait != 0 || err != nil {
			t.Errorf("SearchOnce on an inbox that cannot search = %v, %v", wait, err)
		}
	})
}

// TestSearchLongPost: a long post that names the brand only after its
// first kilobytes, as a long X post or a Reddit self-post may, is about
// the brand; it is matched whole and cut only to be stored.
func TestSearchLongPost(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := t.Context()
		ws := &care.Workspace{Slug: "acme", Name: "Acme"}
		must(t, s.CreateWorkspace(ctx, ws))
		const ch care.Channel = "feed"
		in := &care.Inbox{WorkspaceID: ws.ID, Channel: ch, Name: "Feed"}
		must(t, s.CreateInbox(ctx, in))
		f := &searchable{}
		reg := &channel.Registry{}
		reg.Register(ch, f)
		now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
		r := &poll.Runner{Store: s, Adapters: reg, Now: func() time.Time { return now }}
		must(t, s.SetSetting(ctx, ws.ID, "listening", []byte(`{"subjects":[{"name":"Vodafone","terms":["vodafone"]}]}`), now))

		end := " Anyway: Vodafone, never again."
		long := strings.Repeat("My phone line went dead for a week and nobody could tell me why. ", 72)[:4650-len(end)] + end
		if len(long) != 4650 {
			t.Fatalf("the post is %d bytes", len(long))
		}
		f.add("long", long, now.Add(-time.Hour))
		if _, err := r.SearchOnce(ctx, in.ID); err != nil {
			t.Fatal(err)
		}
		posts, err := s.ListenPosts(ctx, ws.ID, care.ListenFilter{From: now.Add(-24 * time.Hour), To: now, Limit: 10})
		must(t, err)
		if len(posts) != 1 || fmt.Sprint(posts[0].Subjects) != "[Vodafone]" {
			t.Fatalf("stored %d posts (%+v), want the long post about Vodafone", len(posts), posts)
		}
		if p := posts[0].Text; len(p) > care.MaxListenText || !strings.HasSuffix(p, "…") || !strings.HasPrefix(long, strings.TrimSuffix(p, "…")) {
			t.Errorf("stored text of %d bytes, want the post's start cut to %d", len(p), care.MaxListenText)
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// flaky fails its first inbox read, as a busy database does.
type flaky struct {
	care.Store
	failed bool
}

func (f *flaky) Inbox(ctx context.Context, id care.ID) (*care.Inbox, error) {
	if !f.failed {
		f.failed = true
		return nil, errors.New("database is locked")
	}
	return f.Store.Inbox(ctx, id)
}

// TestLoopsOutliveABusyDatabase: a loop whose inbox cannot be read for a
// moment waits and tries again; nothing would start it again if it ended.
func TestLoopsOutliveABusyDatabase(t *testing.T) {
	s := testdb.SQLite(t)
	ctx := t.Context()
	r := &poll.Runner{Store: &flaky{Store: s}, Adapters: &channel.Registry{}}
	if wait, err := r.SearchOnce(ctx, 1); wait != time.Minute || err == nil {
		t.Errorf("SearchOnce on a locked database = %v, %v; want to try again in a minute", wait, err)
	}
	r = &poll.Runner{Store: &flaky{Store: s}, Adapters: &channel.Registry{}}
	if wait, err := r.Once(ctx, 1); wait != time.Minute || err == nil {
		t.Errorf("Once on a locked database = %v, %v; want to try again in a minute", wait, err)
	}
	if wait, err := r.SearchOnce(ctx, 999); wait != 0 || care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("SearchOnce of a removed inbox = %v, %v; want the loop to end", wait, err)
	}
}

// TestRunPrunesFoundPosts: found posts past their retention are deleted
// as the runner starts, and those within it kept.
func TestRunPrunesFoundPosts(t *testing.T) {
	s := testdb.SQLite(t)
	ctx, cancel := context.WithCancel(t.Context())
	ws := &care.Workspace{Slug: "acme", Name: "Acme"}
	must(t, s.CreateWorkspace(ctx, ws))
	now := time.Now()
	post := func(id string, age time.Duration) care.ListenPost {
		return care.ListenPost{WorkspaceID: ws.ID, Source: care.ChannelX, PlatformID: id, Text: "acme", PostedAt: now.Add(-age),
			FoundAt: now.Add(-age), Subjects: []string{"Acme"}, Author: care.Author{PlatformUserID: "u"}}
	}
	if _, err := s.AddListenPosts(ctx, []care.ListenPost{post("old", care.ListenRetention+time.Hour), post("recent", 24*time.Hour)}); err != nil {
		t.Fatal(err)
	}
	r := &poll.Runner{Store: s, Adapters: &channel.Registry{}, Rescan: time.Hour}
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		posts, err := s.ListenPosts(ctx, ws.ID, care.ListenFilter{From: now.Add(-2 * care.ListenRetention), To: now, Limit: 10})
		must(t, err)
		if len(posts) == 1 {
			if posts[0].PlatformID != "recent" {
				t.Errorf("kept %q, want the recent post", posts[0].PlatformID)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d posts after the runner started, want the old one deleted", len(posts))
		}
		time.Sleep(10 * time.Millisecond)
	}
}
