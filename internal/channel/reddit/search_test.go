package reddit

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/reddit/redditfake"
	"github.com/parleyhq/parley/internal/listen"
	"github.com/parleyhq/parley/internal/testlog"
)

var _ channel.Searcher = (*Adapter)(nil)

// queryShape is what a translated query may be: quoted phrases without
// quotes or backslashes inside, ORed in parentheses when several, and
// NOT "phrases". Nothing else can reach Reddit's parser.
var queryShape = regexp.MustCompile(`^(?:"[^"\\]+"|\("[^"\\]+"(?: OR "[^"\\]+")+\))(?: NOT "[^"\\]+")*$`)

func TestSearchQuery(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		q       care.ListenQuery
		want    string
		wantErr string
	}{
		{name: "one term", q: care.ListenQuery{Terms: []string{"acme"}}, want: `"acme"`},
		{name: "terms and exclusions", q: care.ListenQuery{Terms: []string{"acme", "acme support", "acme"}, Exclude: []string{"giveaway", "acme"}},
			want: `("acme" OR "acme support") NOT "giveaway"`},
		{name: "hashtags and handles are words", q: care.ListenQuery{Terms: []string{"#acme", "@acme"}}, want: `("#acme" OR "@acme")`},
		{name: "a quote or backslash cannot close the phrase", q: care.ListenQuery{Terms: []string{`acme" OR author:evil "`, `acme\`, `\"x`}},
			want: `("acme or author:evil" OR "acme" OR "x")`},
		{name: "operators are words", q: care.ListenQuery{Terms: []string{"OR", "NOT acme", "-acme", "(acme", "acme*", "title:acme"}},
			want: `("or" OR "not acme" OR "-acme" OR "(acme" OR "acme*" OR "title:acme")`},
		{name: "controls and spaces", q: care.ListenQuery{Terms: []string{"\x00acme\u202e  corp\n"}}, want: `"acme corp"`},
		{name: "nothing to search", q: care.ListenQuery{Terms: []string{`"`, `\`, " ", "---"}, Exclude: []string{"x"}}, wantErr: "nothing Reddit can search"},
		{name: "too long", q: care.ListenQuery{Terms: []string{strings.Repeat("é", 300), strings.Repeat("ü", 300)}}, wantErr: "shorten"},
		{name: "a huge term", q: care.ListenQuery{Terms: []string{strings.Repeat("a", 1<<20)}}, wantErr: "shorten"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := searchQuery(tt.q)
			if tt.wantErr != "" {
				var se *channel.SendError
				if !errors.As(err, &se) || !se.Permanent || !strings.Contains(se.Reason, tt.wantErr) || care.ErrorCode(err) != care.EINVALID {
					t.Fatalf("searchQuery = %q, %v; want a permanent EINVALID error saying %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("searchQuery = %s, %v; want %s", got, err, tt.want)
			}
			if !queryShape.MatchString(got) {
				t.Errorf("query %s has something other than phrases and operators", got)
			}
		})
	}
}

// FuzzSearchQuery: whatever the terms, the query is quoted phrases and
// Parley's operators within 512 characters, or a permanent error.
func FuzzSearchQuery(f *testing.F) {
	f.Add("acme", `a" OR b`, "x\\")
	f.Add("(", "NOT", `"`)
	f.Fuzz(func(t *testing.T, a, b, x string) {
		q, err := searchQuery(care.ListenQuery{Terms: []string{a, b}, Exclude: []string{x}})
		if err != nil {
			var se *channel.SendError
			if !errors.As(err, &se) || !se.Permanent || care.ErrorCode(err) != care.EINVALID {
				t.Fatalf("error %v is not a permanent EINVALID *SendError", err)
			}
			return
		}
		if utf8.RuneCountInString(q) > maxSearchQuery || !queryShape.MatchString(q) || !utf8.ValidString(q) {
			t.Fatalf("query %q", q)
		}
	})
}

// FuzzSearchCursor: a cursor Search accepts keeps its bounds through a
// search's bookkeeping and is written back as one it accepts.
func FuzzSearchCursor(f *testing.F) {
	f.Add(`{"b":"t3_abc","t":1764000000,"s":["t3_abc"],"l":1764000000}`)
	f.Add(`{"b":"t3_abc","t":1764000000}`)
	f.Add(`{"l":-1}`)
	f.Add(`{"l":1e300,"t":"x"}`)
	f.Fuzz(func(t *testing.T, s string) {
		var c searchCursor
		if len(s) > maxSearchCursorBytes || json.Unmarshal([]byte(s), &c) != nil || !c.valid() {
			return
		}
		c.outage(testNow)
		c.ran(testNow)
		var again searchCursor
		if err := json.Unmarshal([]byte(c.String()), &again); err != nil || !again.valid() || again.Ran != c.Ran {
			t.Fatalf("cursor %q written as %q: %v", s, c.String(), err)
		}
	})
}

func TestSearchInterval(t *testing.T) {
	t.Parallel()
	a := &Adapter{Now: func() time.Time { return testNow }}
	in := testInbox()
	if got := a.SearchInterval(in); got != 5*time.Minute {
		t.Errorf("SearchInterval = %v, want five minutes", got)
	}
	for name, drop := range map[string][]string{
		"no client id":          {CredClientID},
		"no way to get a token": {CredPassword},
	} {
		in := testInbox()
		for _, k := range drop {
			delete(in.Credentials, k)
		}
		if got := a.SearchInterval(in); got != 0 {
			t.Errorf("SearchInterval(%s) = %v, want 0", name, got)
		}
	}
	bad := testInbox()
	bad.Credentials[CredAPIBase] = "http://reddit.example"
	if got := a.SearchInterval(bad); got != 0 {
		t.Errorf("SearchInterval(api_base not https) = %v, want 0", got)
	}
	// A nearly spent budget waits for the period's reset.
	a.record(in, rateLimit{used: 990, remaining: 10, reset: testNow.Add(8 * time.Minute), ok: true})
	if got := a.SearchInterval(in); got != 8*time.Minute {
		t.Errorf("SearchInterval with 10 requests left = %v, want the reset in 8 minutes", got)
	}
}

// search searches with cursor and fails the test on an error; it checks
// what the Searcher contract promises of each post.
func (e *env) search(q care.ListenQuery, cursor string) ([]care.ListenPost, string) {
	e.t.Helper()
	posts, next, err := e.a.Search(e.ctx, e.in, q, cursor)
	if err != nil {
		e.t.Fatalf("Search(%s): %v", cursor, err)
	}
	for _, p := range posts {
		checkPost(e.t, p)
	}
	return posts, next
}

func checkPost(t *testing.T, p care.ListenPost) {
	t.Helper()
	u, err := url.Parse(p.URL)
	switch {
	case p.Source != care.ChannelReddit || kindOf(p.PlatformID) != kindLink:
		t.Errorf("post %q from %q", p.PlatformID, p.Source)
	case len(p.Text) > listen.MaxMatchBytes || !utf8.ValidString(p.Text) || p.Text == "":
		t.Errorf("post %s: text of %d bytes", p.PlatformID, len(p.Text))
	case err != nil || u.Scheme != "https" || u.Host != "www.reddit.com":
		t.Errorf("post %s: url %q", p.PlatformID, p.URL)
	case p.PostedAt.IsZero() || p.Author.PlatformUserID == "" || len(p.Author.PlatformUserID) > care.MaxPlatformIDBytes ||
		len(p.Author.DisplayName) > care.MaxNameBytes || p.Author.Followers != 0 || p.Lang != "":
		t.Errorf("post %s: %+v", p.PlatformID, p)
	}
}

func postIDs(posts []care.ListenPost) []string {
	var out []string
	for _, p := range posts {
		out = append(out, p.PlatformID)
	}
	return out
}

// TestSearch: the first search reads the newest page, the next ones what
// is new, including a post the search indexed late; excluded words, the
// account's own posts and deleted ones are left out.
func TestSearch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	q := care.ListenQuery{Terms: []string{"acme", "rival co"}, Exclude: []string{"giveaway"}}
	old := e.fake.Submit(redditfake.Submission{From: "anna", Subreddit: "gadgets", Title: "Acme router review", Body: "It is **fine**."})
	e.fake.Submit(redditfake.Submission{From: "anna", Title: "Unrelated", Body: "nothing"})

	posts, cursor := e.search(q, "")
	if !cmp.Equal(postIDs(posts), []string{old}) {
		t.Fatalf("first search = %v, want %v", postIDs(posts), old)
	}
	p := posts[0]
	id := strings.TrimPrefix(old, "t3_")
	want := care.ListenPost{Source: care.ChannelReddit, PlatformID: old, URL: "https://www.reddit.com/r/gadgets/comments/" + id + "/acme_router_review/",
		Author: care.Author{PlatformUserID: "anna", Handle: "anna", DisplayName: "u/anna"}, Text: "Acme router review\n\nIt is fine.", PostedAt: testNow}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("first post (-want +got):\n%s", diff)
	}

	e.clock.Add(time.Minute)
	fresh := []string{
		e.fake.Submit(redditfake.Submission{From: "ben", Title: "Rival Co. or Acme?", Age: 30 * time.Minute}), // indexed late
		e.fake.Submit(redditfake.Submission{From: "cleo", Title: "acme support rocks"}),
	}
	e.fake.Submit(redditfake.Submission{From: "dan", Title: "acme giveaway!"})
	e.fake.Submit(redditfake.Submission{From: redditfake.Username, Title: "Acme news"})
	gone := e.fake.Submit(redditfake.Submission{From: "eve", Title: "acme"})
	e.fake.Delete(gone)
	e.fake.Submit(redditfake.Submission{From: "old_news", Title: "acme, long ago", Age: 3 * time.Hour})

	posts, next := e.search(q, cursor)
	if !cmp.Equal(postIDs(posts), fresh) {
		t.Fatalf("search = %v, want %v oldest first", postIDs(posts), fresh)
	}
	if posts, again := e.search(q, next); len(posts) != 0 || again != next {
		t.Errorf("a quiet search = %v, %s; want nothing and the same cursor %s", postIDs(posts), again, next)
	}
	for _, raw := range e.fake.SearchQueries() {
		v, _ := url.ParseQuery(raw)
		if v.Get("q") != `("acme" OR "rival co") NOT "giveaway"` || v.Get("sort") != "new" || v.Get("type") != "link" ||
			v.Get("limit") != "100" || v.Get("raw_json") != "1" {
			t.Errorf("search query %q", raw)
		}
	}
	if n := len(e.fake.SearchQueries()); n != 3 {
		t.Errorf("%d search requests, want one a call", n)
	}

	// A cursor that is not one starts from the newest.
	if _, c, err := e.a.Search(e.ctx, e.in, q, `{"b":"t1_x"}`); err != nil || c == "" || c == `{"b":"t1_x"}` {
		t.Errorf("search with a broken cursor = %s, %v", c, err)
	}
}

// TestSearchBurst: more posts than one call reads are read by the next
// calls, each once, oldest first, paging forward from the anchor.
func TestSearchBurst(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	q := care.ListenQuery{Terms: []string{"acme"}}
	e.fake.Submit(redditfake.Submission{From: "anna", Title: "acme"})
	_, cursor := e.search(q, "")
	var want []string
	for range 600 {
		want = append(want, e.fake.Submit(redditfake.Submission{From: "anna", Title: "acme burst"}))
	}
	var got []string
	for i, size := range []int{400, 200, 0} {
		posts, next := e.search(q, cursor)
		if len(posts) != size {
			t.Fatalf("search %d = %d posts, want %d", i, len(posts), size)
		}
		got = append(got, postIDs(posts)...)
		cursor = next
	}
	if !cmp.Equal(got, want) {
		t.Errorf("the searches read %d posts, not each of the %d once in order", len(got), len(want))
	}
	if n := len(e.fake.SearchQueries()); n != 1+5+4+1 {
		t.Errorf("%d requests, want 11: a first page, 5 and 4 for the burst, 1 when quiet", n)
	}
}

// TestSearchLostAnchor: when the anchor post is deleted, and so leaves the
// search, the next call reads from the newest page instead of waiting for
// ever on an empty page.
func TestSearchLostAnchor(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	q := care.ListenQuery{Terms: []string{"acme"}}
	anchor := e.fake.Submit(redditfake.Submission{From: "anna", Title: "acme"})
	_, cursor := e.search(q, "")
	e.fake.Delete(anchor)
	var want []string
	for range 120 { // more than the newest page, so the call pages from the anchor
		want = append(want, e.fake.Submit(redditfake.Submission{From: "ben", Title: "acme again"}))
	}
	posts, next := e.search(q, cursor)
	if !cmp.Equal(postIDs(posts), want[20:]) {
		t.Errorf("after a lost anchor = %d posts, want the newest page's 100", len(posts))
	}
	var c searchCursor
	if err := json.Unmarshal([]byte(next), &c); err != nil || c.Before != want[119] {
		t.Errorf("cursor %s, want it on the newest post", next)
	}
}

// TestSearchBacklogCap: after two days without a search, the backlog is
// not followed back to, and that is logged once; a cursor written before
// the time of the last search was kept goes by its newest post.
func TestSearchBacklogCap(t *testing.T) {
	t.Parallel()
	q := care.ListenQuery{Terms: []string{"acme"}}
	for _, oldCursor := range []bool{false, true} {
		e := newEnv(t)
		var logs func() []string
		e.a.Logger, logs = testlog.Warnings()
		e.fake.Submit(redditfake.Submission{From: "anna", Title: "acme"})
		_, cursor := e.search(q, "")
		if oldCursor {
			var c searchCursor
			if err := json.Unmarshal([]byte(cursor), &c); err != nil || c.Ran != testNow.Unix() {
				t.Fatalf("cursor %s does not record the search's time", cursor)
			}
			c.Ran = 0
			cursor = c.String()
		}
		e.clock.Add(48 * time.Hour)
		var want []string
		for range 150 {
			want = append(want, e.fake.Submit(redditfake.Submission{From: "ben", Title: "acme"}))
		}
		posts, next := e.search(q, cursor)
		if !cmp.Equal(postIDs(posts), want[50:]) {
			t.Errorf("after two days (old cursor %v) = %d posts, want the newest page's 100", oldCursor, len(posts))
		}
		if n := len(e.fake.SearchQueries()); n != 2 {
			t.Errorf("%d requests, want the newest page only", n)
		}
		e.clock.Add(searchInterval)
		e.search(q, next)
		if w := logs(); len(w) != 1 || !strings.Contains(w[0], "backlog older than a day") {
			t.Errorf("warnings %q, want one about the skipped backlog", w)
		}
	}
}

// TestSearchQuietThenBurst: a subject quiet for more than a day, searched
// on schedule, then busy with more than a call reads, is read in full over
// the next calls; no backlog is skipped, and quiet searches leave the
// cursor as it was for an hour at a time.
func TestSearchQuietThenBurst(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var logs func() []string
	e.a.Logger, logs = testlog.Warnings()
	q := care.ListenQuery{Terms: []string{"acme"}}
	e.fake.Submit(redditfake.Submission{From: "anna", Title: "acme"})
	_, cursor := e.search(q, "")
	changes := 0
	for range int(25 * time.Hour / searchInterval) {
		e.clock.Add(searchInterval)
		posts, next := e.search(q, cursor)
		if len(posts) != 0 {
			t.Fatalf("a quiet search found %v", postIDs(posts))
		}
		if next != cursor {
			changes++
		}
		cursor = next
	}
	if changes > 25 {
		t.Errorf("the cursor changed %d times in 25 quiet hours, want at most once an hour", changes)
	}
	e.clock.Add(time.Minute)
	var want []string
	for range 2*maxSearchPages*searchPageSize - 250 {
		want = append(want, e.fake.Submit(redditfake.Submission{From: "ben", Title: "acme burst"}))
	}
	var got []string
	for range 3 {
		e.clock.Add(searchInterval)
		posts, next := e.search(q, cursor)
		got = append(got, postIDs(posts)...)
		cursor = next
	}
	if !cmp.Equal(got, want) {
		t.Errorf("the searches read %d posts, not each of the burst's %d once in order", len(got), len(want))
	}
	if w := logs(); len(w) != 0 {
		t.Errorf("warnings %q, want none", w)
	}
}

// TestSearchLargePages: a page of long self posts larger than Reddit's
// answers may be is asked for again with fewer posts, and the call goes on
// at that size; a burst of them is read in full.
func TestSearchLargePages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	q := care.ListenQuery{Terms: []string{"acme"}}
	e.fake.Submit(redditfake.Submission{From: "anna", Title: "acme"})
	_, cursor := e.search(q, "")
	long := strings.Repeat("a ", redditfake.MaxSelfTextChars/2)
	var want []string
	for range 60 {
		want = append(want, e.fake.Submit(redditfake.Submission{From: "ben", Title: "acme essay", Body: long}))
	}
	posts, _ := e.search(q, cursor)
	if !cmp.Equal(postIDs(posts), want) {
		t.Errorf("the search read %d posts, not each of the %d once in order", len(posts), len(want))
	}
	var limits []string
	for _, raw := range e.fake.SearchQueries()[1:] {
		v, _ := url.ParseQuery(raw)
		limits = append(limits, v.Get("limit"))
	}
	if want := []string{"100", "25", "25", "25", "25"}; !cmp.Equal(limits, want) {
		t.Errorf("limits asked for %q, want %q: the page again with 25, then pages of 25", limits, want)
	}
}

// TestSearchPageTooLarge: a page too large even at the smallest size fails
// the call with a temporary error that says so, the cursor kept.
func TestSearchPageTooLarge(t *testing.T) {
	t.Parallel()
	huge := `{"kind": "Listing", "data": {"children": [], "pad": "` + strings.Repeat("x", maxResponseBytes) + `"}}`
	var mu sync.Mutex
	var limits []string
	e := newWrappedEnv(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/search" {
				mu.Lock()
				limits = append(limits, r.URL.Query().Get("limit"))
				mu.Unlock()
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(huge))
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	cursor := `{"b":"t3_abc","t":1764000000}`
	_, next, err := e.a.Search(e.ctx, e.in, care.ListenQuery{Terms: []string{"acme"}}, cursor)
	if se := sendError(t, err); se.Permanent || se.Reason != "Reddit's search answer was larger than 4 MB even for 5 posts" || !errors.Is(err, errTooLarge) || next != cursor {
		t.Errorf("Search = %+v, cursor %s; want a temporary error saying the page was too large even for 5 posts", se, next)
	}
	mu.Lock()
	defer mu.Unlock()
	if want := []string{"100", "25", "5"}; !cmp.Equal(limits, want) {
		t.Errorf("limits asked for %q, want %q", limits, want)
	}
}

// TestSearchURLs: a permalink that is not a plain path on www.reddit.com
// is not used; the post's /comments/<id> page is.
func TestSearchURLs(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	got := map[string]string{}
	want := map[string]string{}
	for _, link := range []string{"javascript:alert(1)", "//evil.example/r/x", "https://evil.example/", "/r/a b", "/r/acme/\x00"} {
		name := e.fake.Submit(redditfake.Submission{From: "anna", Title: "acme", Permalink: link})
		want[name] = "https://www.reddit.com/comments/" + strings.TrimPrefix(name, "t3_") + "/"
	}
	posts, _ := e.search(care.ListenQuery{Terms: []string{"acme"}}, "")
	for _, p := range posts {
		got[p.PlatformID] = p.URL
	}
	if !cmp.Equal(got, want) {
		t.Errorf("urls = %v, want %v", got, want)
	}
}

// TestSearchLongText: a long post is kept whole, up to listen.MaxMatchBytes,
// so that a brand named past its opening is found; it is cut to
// care.MaxListenText only when stored.
func TestSearchLongText(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.fake.Submit(redditfake.Submission{From: "anna", Title: "acme", Body: strings.Repeat("é", redditfake.MaxTextChars)})
	posts, _ := e.search(care.ListenQuery{Terms: []string{"acme"}}, "")
	if len(posts) != 1 {
		t.Fatalf("%d posts", len(posts))
	}
	if p := posts[0].Text; p != "acme\n\n"+strings.Repeat("é", redditfake.MaxTextChars) {
		t.Errorf("text of %d bytes", len(p))
	}
}

// newWrappedEnv is newEnv with the fake served through wrap.
func newWrappedEnv(t *testing.T, wrap func(http.Handler) http.Handler) *env {
	t.Helper()
	e := newEnv(t)
	srv := httptest.NewServer(wrap(e.fake.Handler()))
	t.Cleanup(srv.Close)
	e.a = &Adapter{Client: srv.Client(), Now: e.clock.Now, Logger: slog.New(slog.DiscardHandler)}
	e.in.Credentials[CredAPIBase] = srv.URL
	return e
}

func TestSearchErrors(t *testing.T) {
	t.Parallel()
	q := care.ListenQuery{Terms: []string{"acme"}}
	e := newEnv(t)
	_, cursor := e.search(q, "")

	e.fake.Throttle(1)
	_, next, err := e.a.Search(e.ctx, e.in, q, cursor)
	if se := sendError(t, err); se.Permanent || se.RetryAfter != 10*time.Minute || next != cursor || !strings.Contains(se.RateLimit, "0/1000 left") {
		t.Errorf("429: %+v, cursor %s", se, next)
	}
	e.clock.Add(10 * time.Minute)

	e.fake.FailNext(1)
	if _, _, err := e.a.Search(e.ctx, e.in, q, cursor); sendError(t, err).Permanent {
		t.Errorf("500: %v, want temporary", err)
	}

	e.fake.ForbidSearch()
	if _, next, err := e.a.Search(e.ctx, e.in, q, cursor); !sendError(t, err).Permanent || sendError(t, err).Status != http.StatusForbidden ||
		!strings.Contains(sendError(t, err).Reason, "read scope") || next != cursor {
		t.Errorf("403: %v, cursor %s", err, next)
	}

	// A 401 that a new token does not cure is permanent.
	u := newWrappedEnv(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/search" {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte(`{"message": "Unauthorized", "error": 401}`))
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	if _, _, err := u.a.Search(u.ctx, u.in, q, ""); !sendError(t, err).Permanent || sendError(t, err).Status != http.StatusUnauthorized {
		t.Errorf("401: %v, want permanent", err)
	}
	if n := u.fake.TokenRequests(); n != 2 {
		t.Errorf("%d tokens for a 401, want a second try with a new one", n)
	}
}

func TestSearchMalformed(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`{"kind": "Listing", "data": {"children": [`, `{"kind": "t3"}`, `[]`} {
		e := newWrappedEnv(t, func(h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/search" {
					w.Header().Set("Content-Type", "application/json")
					_, _ = w.Write([]byte(body))
					return
				}
				h.ServeHTTP(w, r)
			})
		})
		_, next, err := e.a.Search(e.ctx, e.in, care.ListenQuery{Terms: []string{"acme"}}, "")
		if se := sendError(t, err); se.Permanent || !strings.Contains(se.Reason, "not understood") || next != "" {
			t.Errorf("answer %s: %+v, cursor %q; want a temporary error saying it was not understood", body, se, next)
		}
	}
}

// searchSample is a search Listing as GET /search?sort=new&type=link
// answers it (fields of the "Submission" schema,
// github.com/Pyprohly/reddit-api-doc-notes), with a self post, a link post
// by a deleted account, a removed post and a comment that has no place
// in it.
const searchSample = `{"kind": "Listing", "data": {"after": "t3_1gvq1zz", "dist": 4, "modhash": null, "geo_filter": "", "before": null, "children": [
 {"kind": "t3", "data": {"id": "1gvq2ab", "name": "t3_1gvq2ab", "title": "Acme router: firmware 2.1 & wifi drops", "selftext": "Anyone else? **Since** the update [details](https://example.com/a).",
  "author": "some_customer", "author_fullname": "t2_abc12", "subreddit": "HomeNetworking", "permalink": "/r/HomeNetworking/comments/1gvq2ab/acme_router_firmware_21_wifi_drops/",
  "url": "https://www.reddit.com/r/HomeNetworking/comments/1gvq2ab/acme_router_firmware_21_wifi_drops/", "created_utc": 1764000000.0, "is_self": true, "over_18": false, "removed_by_category": null, "score": 12, "num_comments": 4}},
 {"kind": "t3", "data": {"id": "1gvq1zz", "name": "t3_1gvq1zz", "title": "Acme vs Rival", "selftext": "", "author": "[deleted]", "subreddit": "gadgets",
  "permalink": "/r/gadgets/comments/1gvq1zz/acme_vs_rival/", "url": "https://example.com/review", "created_utc": 1763990000, "is_self": false}},
 {"kind": "t3", "data": {"id": "1gvq1yy", "name": "t3_1gvq1yy", "title": "acme sucks", "selftext": "[removed]", "author": "troll", "removed_by_category": "moderator", "created_utc": 1763980000}},
 {"kind": "t1", "data": {"id": "kx9z8y7", "name": "t1_kx9z8y7", "body": "acme", "author": "x", "created_utc": 1763970000}}
]}}`

func TestSearchSample(t *testing.T) {
	t.Parallel()
	a := &Adapter{Logger: slog.New(slog.DiscardHandler)}
	p, err := a.parseSearch(testInbox(), []byte(searchSample), testNow)
	if err != nil || p.count != 4 {
		t.Fatalf("parseSearch = %+v, %v", p, err)
	}
	var names []string
	var posts []care.ListenPost
	for _, f := range p.posts {
		names = append(names, f.name)
		if f.post != nil {
			checkPost(t, *f.post)
			posts = append(posts, *f.post)
		}
	}
	if !cmp.Equal(names, []string{"t3_1gvq2ab", "t3_1gvq1zz", "t3_1gvq1yy"}) {
		t.Errorf("names read = %v", names)
	}
	want := []care.ListenPost{
		{Source: care.ChannelReddit, PlatformID: "t3_1gvq2ab", URL: "https://www.reddit.com/r/HomeNetworking/comments/1gvq2ab/acme_router_firmware_21_wifi_drops/",
			Author: care.Author{PlatformUserID: "some_customer", Handle: "some_customer", DisplayName: "u/some_customer"},
			Text:   "Acme router: firmware 2.1 & wifi drops\n\nAnyone else? Since the update details (https://example.com/a).", PostedAt: time.Unix(1764000000, 0).UTC()},
		{Source: care.ChannelReddit, PlatformID: "t3_1gvq1zz", URL: "https://www.reddit.com/r/gadgets/comments/1gvq1zz/acme_vs_rival/",
			Author: care.Author{PlatformUserID: "[deleted]/t3_1gvq1zz", DisplayName: "[deleted]"}, Text: "Acme vs Rival", PostedAt: time.Unix(1763990000, 0).UTC()},
	}
	if diff := cmp.Diff(want, posts); diff != "" {
		t.Errorf("posts (-want +got):\n%s", diff)
	}
}

// FuzzSearchResponse: any answer parses to posts that keep the Searcher's
// promises, or to an error; never a panic.
func FuzzSearchResponse(f *testing.F) {
	f.Add([]byte(searchSample))
	f.Add([]byte(`{"kind":"Listing","data":{"children":[{"kind":"t3","data":{"id":"a","title":"\u202e\u0000x","selftext":null,"author":"AcmeSupport","permalink":"//x","created_utc":"9e12"}}]}}`))
	f.Add([]byte(`{"kind":"Listing","data":{"children":[{"kind":"t3","data":{"name":"t3_b","author":"a b","created_utc":-1}},7,null]}}`))
	a := &Adapter{Logger: slog.New(slog.DiscardHandler)}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := a.parseSearch(testInbox(), b, testNow)
		if err != nil {
			return
		}
		if len(p.posts) > p.count {
			t.Fatalf("%d posts of %d children", len(p.posts), p.count)
		}
		for _, fp := range p.posts {
			if kindOf(fp.name) != kindLink {
				t.Fatalf("name %q", fp.name)
			}
			if fp.post == nil {
				continue
			}
			checkPost(t, *fp.post)
			if fp.post.PostedAt.After(testNow.Add(maxFuture)) || slices.Contains([]string{"acmesupport"}, fp.post.Author.PlatformUserID) {
				t.Fatalf("post %+v", *fp.post)
			}
		}
	})
}
