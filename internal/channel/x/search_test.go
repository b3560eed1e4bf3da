package x

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/x/xfake"
	"github.com/parleyhq/parley/internal/listen"
)

func TestSearchQuery(t *testing.T) {
	tests := []struct {
		name             string
		terms, excludes  []string
		want             string
		wantErrSubstring string
	}{
		{name: "one word", terms: []string{"acme"}, want: `acme -is:retweet`},
		{name: "every kind of term",
			terms:    []string{"acme", "acme corp", "#acme", "@acme_help", "café"},
			excludes: []string{"acme bank", "#acmebank", "@acmebank"},
			want:     `(acme OR "acme corp" OR #acme OR @acme_help OR café) -"acme bank" -#acmebank -@acmebank -is:retweet`},
		{name: "duplicates written once", terms: []string{"acme", "acme", " acme "}, excludes: []string{"x", "x"}, want: `acme -x -is:retweet`},
		{name: "OR is a word", terms: []string{"OR", "or", "and"}, want: `("OR" OR "or" OR "and") -is:retweet`},
		{name: "quote cannot close the phrase", terms: []string{`a" OR from:evil "b`}, want: `"a OR from:evil b" -is:retweet`},
		{name: "backslash cannot escape", terms: []string{`acme\" corp`}, want: `"acme corp" -is:retweet`},
		{name: "minus is text", terms: []string{"-acme"}, want: `"-acme" -is:retweet`},
		{name: "parentheses are text", terms: []string{"(acme", "acme)"}, want: `("(acme" OR "acme)") -is:retweet`},
		{name: "operator is text", terms: []string{"from:evil", "is:retweet"}, excludes: []string{"lang:en"}, want: `("from:evil" OR "is:retweet") -"lang:en" -is:retweet`},
		{name: "hashtag with punctuation is a phrase", terms: []string{"#ac-me", "#acme OR", "#", "#123"}, want: `("#ac-me" OR "#acme OR" OR "#123") -is:retweet`},
		{name: "handle X would not allow is a phrase", terms: []string{"@a_handle_far_too_long", "@ac-me", "@"}, want: `("@a_handle_far_too_long" OR "@ac-me") -is:retweet`},
		{name: "emoji quoted", terms: []string{"⛺", "👍🏽"}, want: `("⛺" OR "👍🏽") -is:retweet`},
		{name: "spaces and controls collapse", terms: []string{"  acme \t\n corp  ", "ac\x00me\u202e"}, want: `("acme corp" OR "ac me") -is:retweet`},
		{name: "punctuation alone dropped", terms: []string{`"""`, "acme", "()"}, excludes: []string{"--"}, want: `acme -is:retweet`},
		{name: "nothing to search", terms: []string{`"`, " "}, excludes: []string{"acme"}, wantErrSubstring: "no term"},
		{name: "no terms", wantErrSubstring: "no term"},
		{name: "too long", terms: strings.Fields(longTerms(40)), wantErrSubstring: "shorten"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := searchQuery(care.ListenQuery{Terms: tt.terms, Exclude: tt.excludes})
			if tt.wantErrSubstring != "" {
				var se *channel.SendError
				if !errors.As(err, &se) || !se.Permanent || !strings.Contains(se.Reason, tt.wantErrSubstring) || care.ErrorCode(err) != care.EINVALID {
					t.Fatalf("searchQuery = %q, %v; want a permanent EINVALID error about %q", got, err, tt.wantErrSubstring)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("searchQuery =\n%s, %v\nwant\n%s", got, err, tt.want)
			}
		})
	}
}

// longTerms returns n distinct words of 16 characters, separated by
// spaces.
func longTerms(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "campingstove%04d ", i)
	}
	return b.String()
}

// A query's length is counted as X would at most: an emoji outside the
// Basic Multilingual Plane is two.
func TestSearchQueryLength(t *testing.T) {
	fits := strings.Repeat("👍", (maxSearchQuery-len(`"" -is:retweet`))/2)
	if _, err := searchQuery(care.ListenQuery{Terms: []string{fits}}); err != nil {
		t.Errorf("a query of %d UTF-16 units: %v", queryLength(`"`+fits+`" -is:retweet`), err)
	}
	if _, err := searchQuery(care.ListenQuery{Terms: []string{fits + "👍"}}); err == nil {
		t.Error("a query over 512 UTF-16 units was accepted")
	}
}

// FuzzSearchQuery writes hostile terms and checks that, outside its quoted
// phrases, the query holds nothing but the terms' own words, hashtags and
// handles, OR between them, parentheses around them and the exclusions.
func FuzzSearchQuery(f *testing.F) {
	f.Add("acme", "acme bank")
	f.Add(`a" OR from:evil "b`, `-(x`)
	f.Add(`\"`, "#ok")
	f.Add("@handle", "is:retweet")
	f.Add("OR", "AND")
	f.Fuzz(func(t *testing.T, term, exclude string) {
		q, err := searchQuery(care.ListenQuery{Terms: []string{term, "acme"}, Exclude: []string{exclude}})
		if err != nil {
			var se *channel.SendError
			if !errors.As(err, &se) || !se.Permanent {
				t.Fatalf("error %v is not a permanent *channel.SendError", err)
			}
			return
		}
		if !utf8.ValidString(q) || queryLength(q) > maxSearchQuery {
			t.Fatalf("query %q invalid or too long", q)
		}
		if strings.Count(q, `"`)%2 != 0 {
			t.Fatalf("unbalanced quotes in %q", q)
		}
		checkQueryShape(t, q)
	})
}

// checkQueryShape reads q as X would and fails unless it is
// "(t1 OR t2 …) -e1 … -is:retweet" with every t and e a quoted phrase, a
// word, a #hashtag or an @handle.
func checkQueryShape(t *testing.T, q string) {
	t.Helper()
	var toks []string
	for i := 0; i < len(q); {
		switch {
		case q[i] == ' ':
			i++
		case q[i] == '"' || strings.HasPrefix(q[i:], `-"`):
			start := strings.IndexByte(q[i:], '"') + i
			end := strings.IndexByte(q[start+1:], '"')
			if end < 0 {
				t.Fatalf("unterminated phrase in %q", q)
			}
			toks = append(toks, "PHRASE")
			i = start + end + 2
		case q[i] == '(' || q[i] == ')':
			toks = append(toks, q[i:i+1])
			i++
		default:
			j := strings.IndexAny(q[i:], ` ()"`)
			if j < 0 {
				j = len(q) - i
			}
			word := q[i : i+j]
			i += j
			switch bare := strings.TrimPrefix(word, "-"); {
			case word == "OR" || word == "-is:retweet":
				toks = append(toks, word)
			case isWord(bare) && !strings.EqualFold(bare, "or") && !strings.EqualFold(bare, "and"),
				isHashtag(bare), strings.HasPrefix(bare, "@") && validHandle(bare[1:]):
				toks = append(toks, "TERM")
			default:
				t.Fatalf("query %q holds %q outside quotes", q, word)
			}
		}
	}
	if toks[len(toks)-1] != "-is:retweet" || slices.Index(toks, "-is:retweet") != len(toks)-1 {
		t.Fatalf("query %q does not end with -is:retweet alone", q)
	}
	depth := 0
	for i, tok := range toks {
		switch tok {
		case "(":
			depth++
		case ")":
			depth--
		case "OR":
			if i == 0 || i+1 == len(toks) || depth != 1 || toks[i-1] == "OR" || toks[i-1] == "(" || toks[i+1] == ")" || toks[i+1] == "OR" {
				t.Fatalf("OR out of place in %q", q)
			}
		}
		if depth < 0 || depth > 1 {
			t.Fatalf("parentheses out of place in %q", q)
		}
	}
	if depth != 0 {
		t.Fatalf("unbalanced parentheses in %q", q)
	}
}

func TestSearchInterval(t *testing.T) {
	tests := []struct {
		name  string
		creds map[string]string
		want  time.Duration
	}{
		{"OAuth 2.0 token", map[string]string{CredAccessToken: "t"}, 5 * time.Minute},
		{"refresh token", map[string]string{CredRefreshToken: "r", CredClientID: "c"}, 5 * time.Minute},
		{"refresh token without client id", map[string]string{CredRefreshToken: "r"}, 0},
		{"OAuth 1.0a", map[string]string{CredAccessToken: "t", CredAccessTokenSecret: "s", CredConsumerKey: "k", CredConsumerSecret: "cs"}, 5 * time.Minute},
		{"OAuth 1.0a without consumer key", map[string]string{CredAccessToken: "t", CredAccessTokenSecret: "s", CredConsumerSecret: "cs"}, 0},
		{"no token", map[string]string{CredConsumerSecret: "cs"}, 0},
	}
	a := quietAdapter()
	for _, tt := range tests {
		if got := a.SearchInterval(care.Inbox{Channel: care.ChannelX, ExternalID: "1", Credentials: tt.creds}); got != tt.want {
			t.Errorf("%s: SearchInterval = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// searchClock is a settable time shared by the adapter and the fake.
type searchClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *searchClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *searchClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

const (
	searchBrand = "1111111111111111111"
	searchAna   = "2222222222222222222"
	searchBen   = "3333333333333333333"
)

type searchWorld struct {
	fake  *xfake.Fake
	clock *searchClock
	a     *Adapter
	inbox care.Inbox
}

func newSearchWorld(t *testing.T) *searchWorld {
	t.Helper()
	w := &searchWorld{fake: xfake.New("secret"), clock: &searchClock{now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}}
	w.fake.SetClock(w.clock.Now)
	w.fake.AddUser(xfake.User{ID: searchBrand, Username: "acme", Name: "Acme"})
	w.fake.AddUser(xfake.User{ID: searchAna, Username: "ana", Name: "Ana Lima", Followers: 1234, Verified: true})
	w.fake.AddUser(xfake.User{ID: searchBen, Username: "ben", Name: "Ben Okoro", Followers: 12})
	w.fake.Authorize("brand-token", searchBrand)
	srv := httptest.NewServer(w.fake)
	t.Cleanup(srv.Close)
	w.a = &Adapter{Client: srv.Client(), Now: w.clock.Now, Logger: slog.New(slog.DiscardHandler)}
	w.inbox = care.Inbox{ID: 1, WorkspaceID: 1, Channel: care.ChannelX, ExternalID: searchBrand,
		Credentials: map[string]string{CredAccessToken: "brand-token", CredAPIBase: srv.URL}}
	return w
}

// post adds a post by author, a second after the previous one.
func (w *searchWorld) post(author, text string) xfake.Post {
	w.clock.Advance(time.Second)
	return w.fake.AddPost(xfake.Post{AuthorID: author, Text: text})
}

func (w *searchWorld) search(t *testing.T, q care.ListenQuery, cursor string) ([]care.ListenPost, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	posts, next, err := w.a.Search(ctx, w.inbox, q, cursor)
	if err != nil {
		t.Fatalf("Search(%q): %v", cursor, err)
	}
	return posts, next
}

func ids(posts []care.ListenPost) []string {
	var out []string
	for _, p := range posts {
		out = append(out, p.PlatformID)
	}
	return out
}

var acmeQuery = care.ListenQuery{Terms: []string{"acme", "#acmetents"}, Exclude: []string{"acme bank"}}

func TestSearch(t *testing.T) {
	w := newSearchWorld(t)
	old := w.post(searchBen, "acme shipped my order late")
	loved := w.post(searchAna, "I love my new Acme tent & its poles")
	w.post(searchBen, "acme bank is down again")    // excluded
	w.post(searchBen, "nothing about the brand")    // not matched
	tagged := w.post(searchBen, "Look: #AcmeTents") // hashtag
	w.clock.Advance(time.Second)
	repost := w.fake.AddPost(xfake.Post{AuthorID: searchBen, Text: "RT @ana: I love my new Acme tent", Reposts: loved.ID})
	pt := w.fake.AddPost(xfake.Post{AuthorID: searchAna, Text: "a barraca da acme é ótima", Lang: "pt"})

	posts, cursor := w.search(t, acmeQuery, "")
	if diff := cmp.Diff([]string{old.ID, loved.ID, tagged.ID, pt.ID}, ids(posts)); diff != "" {
		t.Fatalf("first search (-want +got):\n%s", diff)
	}
	for _, p := range posts {
		if p.PlatformID == repost.ID {
			t.Error("a repost was returned")
		}
	}
	want := care.ListenPost{Source: care.ChannelX, PlatformID: loved.ID, URL: "https://x.com/ana/status/" + loved.ID,
		Author: care.Author{PlatformUserID: searchAna, DisplayName: "Ana Lima", Handle: "ana", Followers: 1234, Verified: true},
		Text:   "I love my new Acme tent & its poles", Lang: "en", PostedAt: loved.CreatedAt}
	if diff := cmp.Diff(want, posts[1]); diff != "" {
		t.Errorf("found post (-want +got):\n%s", diff)
	}
	if posts[3].Lang != "pt" {
		t.Errorf("Lang = %q, want pt", posts[3].Lang)
	}
	searches := w.fake.Searches()
	if got := searches[0].Get("query"); got != `(acme OR #acmetents) -"acme bank" -is:retweet` {
		t.Errorf("query sent = %q", got)
	}
	if searches[0].Get("since_id") != "" || searches[0].Get("max_results") != "100" || searches[0].Get("sort_order") != "recency" {
		t.Errorf("first search sent %v", searches[0])
	}

	// Nothing new: nothing returned, and only what is newer is asked for.
	posts, cursor = w.search(t, acmeQuery, cursor)
	if len(posts) != 0 {
		t.Errorf("idle search returned %v", ids(posts))
	}
	if got := w.fake.Searches()[1].Get("since_id"); got != pt.ID {
		t.Errorf("since_id = %q, want %q", got, pt.ID)
	}

	fresh := w.post(searchBen, "acme answered within the hour, nice")
	posts, cursor = w.search(t, acmeQuery, cursor)
	if diff := cmp.Diff([]string{fresh.ID}, ids(posts)); diff != "" {
		t.Errorf("search after a new post (-want +got):\n%s", diff)
	}
	if posts, _ := w.search(t, acmeQuery, cursor); len(posts) != 0 {
		t.Errorf("search after that returned %v", ids(posts))
	}
}

// The first search reads only the newest page: the inbox starts now, not a
// week back.
func TestSearchFirstPageOnly(t *testing.T) {
	w := newSearchWorld(t)
	var all []string
	for i := range 150 {
		all = append(all, w.post(searchAna, fmt.Sprintf("acme post %d", i)).ID)
	}
	posts, cursor := w.search(t, acmeQuery, "")
	if diff := cmp.Diff(all[50:], ids(posts)); diff != "" {
		t.Errorf("first search (-want +got):\n%s", diff)
	}
	if n := w.fake.Calls(xfake.SearchRecent); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
	next := w.post(searchBen, "acme again")
	if posts, _ := w.search(t, acmeQuery, cursor); !cmp.Equal(ids(posts), []string{next.ID}) {
		t.Errorf("second search = %v, want only %s", ids(posts), next.ID)
	}
}

// A burst bigger than one call reads is read over several, with X's
// next_token and the same since_id, every post once; what arrives meanwhile
// waits for the burst's end.
func TestSearchPagination(t *testing.T) {
	w := newSearchWorld(t)
	first := w.post(searchAna, "acme before")
	_, cursor := w.search(t, acmeQuery, "")
	var burst []string
	for i := range 730 {
		burst = append(burst, w.post(searchBen, fmt.Sprintf("acme burst %d", i)).ID)
	}
	seen := map[string]int{}
	posts, cursor := w.search(t, acmeQuery, cursor)
	for _, p := range posts {
		seen[p.PlatformID]++
	}
	if len(posts) != 500 || posts[len(posts)-1].PlatformID != burst[729] || posts[0].PlatformID != burst[230] {
		t.Fatalf("first call read %d posts, want the newest 500", len(posts))
	}
	later := w.post(searchAna, "acme during the burst")
	calls := len(w.fake.Searches())
	posts, cursor = w.search(t, acmeQuery, cursor)
	for _, p := range posts {
		seen[p.PlatformID]++
	}
	if len(posts) != 230 || seen[later.ID] != 0 {
		t.Errorf("second call read %d posts (want the burst's 230 older ones, not the newer one)", len(posts))
	}
	s := w.fake.Searches()[calls]
	if s.Get("next_token") == "" || s.Get("since_id") != first.ID {
		t.Errorf("continuation sent next_token %q, since_id %q (want %s)", s.Get("next_token"), s.Get("since_id"), first.ID)
	}
	posts, _ = w.search(t, acmeQuery, cursor)
	if !cmp.Equal(ids(posts), []string{later.ID}) {
		t.Errorf("third call = %d posts, want the one posted during the burst", len(posts))
	}
	for _, id := range burst {
		if seen[id] != 1 {
			t.Fatalf("post %s seen %d times", id, seen[id])
		}
	}
}

// A burst longer than searchRunPages pages is cut: its newest posts are
// read, the rest given up, and the search goes on from its top.
func TestSearchBurstCapped(t *testing.T) {
	w := newSearchWorld(t)
	w.post(searchAna, "acme before")
	_, cursor := w.search(t, acmeQuery, "")
	n := searchRunPages*searchPerPage + 250
	var burst []string
	for i := range n {
		burst = append(burst, w.post(searchBen, fmt.Sprintf("acme viral %d", i)).ID)
	}
	seen := map[string]int{}
	for range searchRunPages / searchPages {
		var posts []care.ListenPost
		posts, cursor = w.search(t, acmeQuery, cursor)
		for _, p := range posts {
			seen[p.PlatformID]++
		}
	}
	for i, id := range burst {
		want := 1
		if i < 250 {
			want = 0 // the oldest, past the cap
		}
		if seen[id] != want {
			t.Fatalf("post %d of the burst seen %d times, want %d", i, seen[id], want)
		}
	}
	after := w.post(searchAna, "acme after")
	if posts, _ := w.search(t, acmeQuery, cursor); !cmp.Equal(ids(posts), []string{after.ID}) {
		t.Errorf("after the cap: %d posts, want only the new one", len(posts))
	}
}

func TestSearchRateLimited(t *testing.T) {
	w := newSearchWorld(t)
	w.post(searchAna, "acme")
	w.fake.SetLimit(xfake.SearchRecent, 0)
	w.clock.Advance(5 * time.Minute)
	_, next, err := w.a.Search(context.Background(), w.inbox, acmeQuery, `{"n":"0"}`)
	var se *channel.SendError
	if !errors.As(err, &se) || se.Permanent || se.Status != 429 {
		t.Fatalf("Search = %v, want a temporary 429", err)
	}
	// The fake's window started with this request: X's reset is 15
	// minutes away, and a second more lands past it.
	if se.RetryAfter != 15*time.Minute+time.Second || !strings.Contains(se.RateLimit, "0/0 left") {
		t.Errorf("RetryAfter %v, RateLimit %q", se.RetryAfter, se.RateLimit)
	}
	if next != `{"n":"0"}` {
		t.Errorf("cursor after a refused search = %q, want it unchanged", next)
	}
}

func TestSearchRefused(t *testing.T) {
	tests := []struct {
		name      string
		prepare   func(w *searchWorld)
		status    int
		permanent bool
		reason    string
	}{
		{"revoked token", func(w *searchWorld) { w.inbox.Credentials[CredAccessToken] = "revoked" }, 401, true, "reconnect"},
		{"forbidden", func(w *searchWorld) { w.fake.FailNext(1, 403) }, 403, true, "recent search"},
		{"outage", func(w *searchWorld) { w.fake.FailNext(1, 503) }, 503, false, "trouble"},
		{"usage cap", func(w *searchWorld) { w.fake.CapUsage(1) }, 429, false, "monthly usage cap for the App is used up: Parley stops searching posts for listening and asks X again once a day"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newSearchWorld(t)
			tt.prepare(w)
			_, _, err := w.a.Search(context.Background(), w.inbox, acmeQuery, "")
			var se *channel.SendError
			if !errors.As(err, &se) || se.Status != tt.status || se.Permanent != tt.permanent || !strings.Contains(se.Reason, tt.reason) {
				t.Errorf("Search = %v; want status %d, permanent %v, a reason about %q", err, tt.status, tt.permanent, tt.reason)
			}
			if tt.name == "usage cap" {
				// The App's monthly cap: no search for a day, as X names
				// no reset, rather than a refused search every few
				// minutes.
				if want := 24 * time.Hour; se == nil || se.RetryAfter != want {
					t.Errorf("RetryAfter after the usage cap = %+v, want %v", se, want)
				}
			}
		})
	}

	w := newSearchWorld(t)
	w.inbox.Credentials = map[string]string{CredAPIBase: w.inbox.Credentials[CredAPIBase]}
	if _, _, err := w.a.Search(context.Background(), w.inbox, acmeQuery, ""); !isPermanent(err) {
		t.Errorf("Search without a token = %v", err)
	}
	w = newSearchWorld(t)
	if _, _, err := w.a.Search(context.Background(), w.inbox, care.ListenQuery{Terms: []string{longTerms(40)}}, ""); !isPermanent(err) || care.ErrorCode(err) != care.EINVALID {
		t.Errorf("Search with a query too long = %v, want a permanent EINVALID error", err)
	}
	long := care.ListenQuery{Terms: strings.Fields(longTerms(40))}
	if _, _, err := w.a.Search(context.Background(), w.inbox, long, ""); !isPermanent(err) || care.ErrorCode(err) != care.EINVALID || w.fake.Calls(xfake.SearchRecent) != 0 {
		t.Errorf("Search with too many terms = %v after %d requests; want a permanent EINVALID error before any", err, w.fake.Calls(xfake.SearchRecent))
	}
}

// A page of long posts larger than X's answers may be is asked for again,
// same position, with fewer posts, and the call goes on at that size; a
// burst of them is read in full, each post once.
func TestSearchLargePages(t *testing.T) {
	w := newSearchWorld(t)
	first := w.post(searchAna, "acme before")
	_, cursor := w.search(t, acmeQuery, "")
	long := "acme " + strings.Repeat("the tent pole snapped ", 1135) // 25,000 characters
	var want []string
	for range 120 {
		want = append(want, w.post(searchBen, long).ID)
	}
	calls := len(w.fake.Searches())
	posts, _ := w.search(t, acmeQuery, cursor)
	if !cmp.Equal(ids(posts), want) {
		t.Errorf("the search read %d posts, not each of the %d once in order", len(posts), len(want))
	}
	var sizes []string
	for _, s := range w.fake.Searches()[calls:] {
		sizes = append(sizes, s.Get("max_results"))
		if s.Get("since_id") != first.ID {
			t.Errorf("since_id %q, want %s", s.Get("since_id"), first.ID)
		}
	}
	if want := []string{"100", "25", "25", "25", "25", "25"}; !cmp.Equal(sizes, want) {
		t.Errorf("max_results asked for %q, want %q: the page again with 25, then pages of 25", sizes, want)
	}
}

// A page too large even for 10 posts fails the call with a temporary
// error that says so, the cursor kept.
func TestSearchPageTooLarge(t *testing.T) {
	huge := `{"data": [], "pad": "` + strings.Repeat("x", maxResponseBytes) + `"}`
	var mu sync.Mutex
	var sizes []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		sizes = append(sizes, r.URL.Query().Get("max_results"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(huge))
	}))
	t.Cleanup(srv.Close)
	a := quietAdapter()
	a.Client = srv.Client()
	in := care.Inbox{ID: 1, Channel: care.ChannelX, ExternalID: "1", Credentials: map[string]string{CredAccessToken: "t", CredAPIBase: srv.URL}}
	cursor := `{"n":"0"}`
	_, next, err := a.Search(context.Background(), in, acmeQuery, cursor)
	var se *channel.SendError
	if !errors.As(err, &se) || se.Permanent || se.Reason != "X's search answer was larger than 2 MB even for 10 posts" || next != cursor {
		t.Errorf("Search = %v, cursor %q; want a temporary error saying the page was too large even for 10 posts", err, next)
	}
	mu.Lock()
	defer mu.Unlock()
	if want := []string{"100", "25", "10"}; !cmp.Equal(sizes, want) {
		t.Errorf("max_results asked for %q, want %q", sizes, want)
	}
}

func isPermanent(err error) bool {
	var se *channel.SendError
	return errors.As(err, &se) && se.Permanent
}

// Terms that would be operators reach X as text: the fake, which refuses
// unknown operators, unbalanced parentheses and negation-only queries as X
// does, takes every one, and matches them as text.
func TestSearchHostileTerms(t *testing.T) {
	w := newSearchWorld(t)
	p := w.post(searchAna, `acme says "from:evil" is just text (really) -acme`)
	for _, term := range []string{`from:evil`, `"from:evil"`, `(really)`, `-acme`, `a" OR url:"x`, `OR`, `is:retweet`, `#ac(me`, `@a)`, `x -is:nullcast`} {
		posts, _, err := w.a.Search(context.Background(), w.inbox, care.ListenQuery{Terms: []string{term}, Exclude: []string{term + " zzz)"}}, "")
		if err != nil {
			t.Errorf("term %q: %v", term, err)
			continue
		}
		if term == "from:evil" && !cmp.Equal(ids(posts), []string{p.ID}) {
			t.Errorf("term %q matched %v, want the post holding it as text", term, ids(posts))
		}
	}
}

// Long posts come whole from note_tweet, and are kept whole (up to
// listen.MaxMatchBytes) so that a brand named past their opening is found;
// they are cut to care.MaxListenText only when stored.
func TestSearchLongText(t *testing.T) {
	w := newSearchWorld(t)
	long := "acme " + strings.Repeat("the tent pole snapped é ", 400) // over 9,000 bytes
	w.post(searchAna, long)
	posts, _ := w.search(t, acmeQuery, "")
	if len(posts) != 1 {
		t.Fatalf("%d posts", len(posts))
	}
	text := posts[0].Text
	if text != long || len(text) <= care.MaxListenText {
		t.Errorf("text of %d bytes, want the whole post of %d", len(text), len(long))
	}
	if len(text) < 280 {
		t.Errorf("text of %d bytes: note_tweet not read", len(text))
	}
}

// The URL is Parley's own, from ids; a handle X could not have given does
// not reach it.
func TestSearchURL(t *testing.T) {
	w := newSearchWorld(t)
	const odd = "4444444444444444444"
	w.fake.AddUser(xfake.User{ID: odd, Username: "javascript:alert(1)//", Name: "Odd\u202e\x00 name"})
	p := w.post(odd, "acme")
	posts, _ := w.search(t, acmeQuery, "")
	if len(posts) != 1 || posts[0].URL != "https://x.com/i/web/status/"+p.ID {
		t.Fatalf("posts = %+v", posts)
	}
	if posts[0].Author.DisplayName != "Odd name" {
		t.Errorf("DisplayName = %q", posts[0].Author.DisplayName)
	}
}

// X refuses a since_id older than seven days: after a week without
// searching none is sent, and every post X still holds is new.
func TestSearchAfterAWeek(t *testing.T) {
	w := newSearchWorld(t)
	w.post(searchAna, "acme one")
	_, cursor := w.search(t, acmeQuery, "")
	w.clock.Advance(8 * 24 * time.Hour)
	p := w.post(searchBen, "acme two")
	posts, _ := w.search(t, acmeQuery, cursor)
	if !cmp.Equal(ids(posts), []string{p.ID}) {
		t.Errorf("search after a week = %v, want %s", ids(posts), p.ID)
	}
	if s := w.fake.Searches(); s[len(s)-1].Get("since_id") != "" {
		t.Errorf("a since_id older than a week was sent")
	}
}

// When X refuses the since_id anyway (its clock and the cursor's disagree),
// the search reads from the newest once more, keeping only what is new.
func TestSearchSinceRefused(t *testing.T) {
	w := newSearchWorld(t)
	w.clock.Advance(-8 * 24 * time.Hour)
	old := w.post(searchAna, "acme long ago")
	w.clock.Advance(8 * 24 * time.Hour)
	p := w.post(searchBen, "acme now")
	cursor := fmt.Sprintf(`{"n":%q,"t":%d}`, old.ID, w.clock.Now().Unix())
	posts, next, err := w.a.Search(context.Background(), w.inbox, acmeQuery, cursor)
	if err != nil || !cmp.Equal(ids(posts), []string{p.ID}) {
		t.Fatalf("Search = %v, %v; want %s", ids(posts), err, p.ID)
	}
	s := w.fake.Searches()
	if len(s) != 2 || s[0].Get("since_id") != old.ID || s[1].Get("since_id") != "" {
		t.Errorf("requests %v", s)
	}
	if c, ok := parseSearchCursor(next); !ok || c.Newest != p.ID {
		t.Errorf("cursor %q", next)
	}
	// With the position found again, since_id is sent again.
	w.search(t, acmeQuery, next)
	if s := w.fake.Searches(); s[len(s)-1].Get("since_id") != p.ID {
		t.Errorf("since_id after the restart = %q, want %s", s[len(s)-1].Get("since_id"), p.ID)
	}
}

// An error after some pages comes with the posts read and a cursor for
// them; going on from that cursor reads the rest, each post once.
func TestSearchErrorMidBurst(t *testing.T) {
	w := newSearchWorld(t)
	w.post(searchAna, "acme before")
	_, cursor := w.search(t, acmeQuery, "")
	var burst []string
	for i := range 350 {
		burst = append(burst, w.post(searchBen, fmt.Sprintf("acme burst %d", i)).ID)
	}
	w.fake.SetLimit(xfake.SearchRecent, 3) // the first search spent one
	posts, next, err := w.a.Search(context.Background(), w.inbox, acmeQuery, cursor)
	var se *channel.SendError
	if !errors.As(err, &se) || se.Status != 429 || len(posts) != 200 || next == cursor {
		t.Fatalf("Search = %d posts, cursor %q, %v; want the two pages read, their cursor and a 429", len(posts), next, err)
	}
	seen := map[string]int{}
	for _, p := range posts {
		seen[p.PlatformID]++
	}
	w.fake.SetLimit(xfake.SearchRecent, 300)
	posts, _ = w.search(t, acmeQuery, next)
	for _, p := range posts {
		seen[p.PlatformID]++
	}
	for _, id := range burst {
		if seen[id] != 1 {
			t.Fatalf("post %s seen %d times", id, seen[id])
		}
	}
}

// A cursor Parley cannot have written counts as none.
func TestSearchForeignCursor(t *testing.T) {
	w := newSearchWorld(t)
	p := w.post(searchAna, "acme")
	for _, cursor := range []string{"not json", `{"n":"x1"}`, `{"p":"a b"}`, `{"k":-1}`, strings.Repeat("a", maxCursorBytes+1)} {
		posts, next, err := w.a.Search(context.Background(), w.inbox, acmeQuery, cursor)
		if err != nil || !cmp.Equal(ids(posts), []string{p.ID}) {
			t.Errorf("cursor %q: %v, %v", cursor, ids(posts), err)
		}
		if _, ok := parseSearchCursor(next); !ok {
			t.Errorf("cursor %q returned %q, which it cannot read", cursor, next)
		}
	}
}

// A changed query does not continue with the token of the old one.
func TestSearchQueryChanged(t *testing.T) {
	w := newSearchWorld(t)
	first := w.post(searchAna, "acme before")
	_, cursor := w.search(t, acmeQuery, "")
	for i := range 600 {
		w.post(searchBen, fmt.Sprintf("acme burst %d", i))
	}
	_, cursor = w.search(t, acmeQuery, cursor)
	if c, _ := parseSearchCursor(cursor); c.Next == "" {
		t.Fatal("no burst in progress")
	}
	calls := len(w.fake.Searches())
	w.search(t, care.ListenQuery{Terms: []string{"acme", "tents"}}, cursor)
	s := w.fake.Searches()[calls]
	if s.Get("next_token") != "" || s.Get("since_id") != first.ID {
		t.Errorf("changed query sent next_token %q and since_id %q", s.Get("next_token"), s.Get("since_id"))
	}
}

func TestSearchMalformed(t *testing.T) {
	for _, body := range []string{`{not json`, `{"data":{}}`, `[]`, `{"data":[1,2],"meta":"x"}`} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(body))
		}))
		a := quietAdapter()
		a.Client = srv.Client()
		in := care.Inbox{ID: 1, Channel: care.ChannelX, ExternalID: "1", Credentials: map[string]string{CredAccessToken: "t", CredAPIBase: srv.URL}}
		_, _, err := a.Search(context.Background(), in, acmeQuery, "")
		var se *channel.SendError
		if !errors.As(err, &se) || se.Permanent || !strings.Contains(se.Reason, "not understood") {
			t.Errorf("body %s: %v", body, err)
		}
		srv.Close()
	}
}

// documentedSearch is the response example of docs.x.com's recent search
// quickstart (x-api/posts/search/quickstart/recent-search), with fields and
// expansions.
const documentedSearch = `{
  "data": [
    {
      "id": "1234567890123456789",
      "text": "Just started learning Python and loving it!",
      "created_at": "2024-01-15T10:30:00.000Z",
      "author_id": "9876543210",
      "public_metrics": {
        "retweet_count": 5,
        "reply_count": 2,
        "like_count": 42,
        "quote_count": 1
      },
      "edit_history_tweet_ids": ["1234567890123456789"]
    }
  ],
  "includes": {
    "users": [
      {
        "id": "9876543210",
        "username": "pythondev",
        "verified": false
      }
    ]
  },
  "meta": {
    "newest_id": "1234567890123456789",
    "oldest_id": "1234567890123456789",
    "result_count": 1
  }
}`

func TestSearchDocumentedResponse(t *testing.T) {
	p, err := quietAdapter().parseSearchPage([]byte(documentedSearch), testNow)
	if err != nil {
		t.Fatal(err)
	}
	want := []care.ListenPost{{Source: care.ChannelX, PlatformID: "1234567890123456789",
		URL:      "https://x.com/pythondev/status/1234567890123456789",
		Author:   care.Author{PlatformUserID: "9876543210", Handle: "pythondev"},
		Text:     "Just started learning Python and loving it!",
		PostedAt: time.Date(2024, 1, 15, 10, 30, 0, 0, time.UTC)}}
	if diff := cmp.Diff(want, p.posts); diff != "" {
		t.Errorf("posts (-want +got):\n%s", diff)
	}
	if p.newest != "1234567890123456789" || p.next != "" || p.newestAt != want[0].PostedAt.Unix() {
		t.Errorf("newest %q at %d, next %q", p.newest, p.newestAt, p.next)
	}
}

func TestPostLang(t *testing.T) {
	for in, want := range map[string]string{"en": "en", "pt": "pt", "zh-TW": "zh-TW", "hi-Latn": "hi-Latn", "ckb": "ckb",
		"und": "", "zxx": "", "qme": "", "qht": "", "": "", "e": "", "en-": "", "e1": "", "en us": "", "<b>": "", strings.Repeat("a", 40): ""} {
		if got := postLang(in); got != want {
			t.Errorf("postLang(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzSearchResponse feeds the search page parser whatever X might answer:
// every post it keeps must be one Parley can store.
func FuzzSearchResponse(f *testing.F) {
	f.Add([]byte(documentedSearch))
	f.Add([]byte(`{"meta":{"result_count":0}}`))
	f.Add([]byte(`{"data":[{"id":"7","text":"&amp; hi","author_id":"9","lang":"und","note_tweet":{"text":"long"},"referenced_tweets":[{"type":"retweeted","id":"6"}]}],"includes":{"users":[{"id":"9","username":"u v","name":"\u202e"}]},"meta":{"newest_id":"8","next_token":"b26v89c19zqg8o3fo7gesq314yb9l2l4ptqy"}}`))
	f.Add([]byte(`{"data":[{"id":7,"created_at":"9999-01-01T00:00:00Z","author_id":{"x":1}}],"includes":{"users":[{"id":"9","name":5}]}}`))
	f.Add([]byte(`{"data":[{"id":"1","text":"\xff\xfe"}],"meta":{"next_token":"a\nb"}}`))
	a := quietAdapter()
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := a.parseSearchPage(body, testNow)
		if err != nil {
			return
		}
		if p.newest != "" && !validID(p.newest) || !validToken(p.next) {
			t.Fatalf("newest %q, next %q", p.newest, p.next)
		}
		for _, lp := range p.posts {
			switch {
			case !validID(lp.PlatformID), lp.Source != care.ChannelX:
				t.Fatalf("post %+v", lp)
			case len(lp.Text) > listen.MaxMatchBytes || !utf8.ValidString(lp.Text):
				t.Fatalf("text of %d bytes, valid %v", len(lp.Text), utf8.ValidString(lp.Text))
			case !strings.HasPrefix(lp.URL, "https://x.com/") || !strings.HasSuffix(lp.URL, "/status/"+lp.PlatformID) || strings.ContainsAny(lp.URL, " \t\r\n\"<>"):
				t.Fatalf("URL %q", lp.URL)
			case len(lp.Author.DisplayName) > care.MaxNameBytes || len(lp.Author.Handle) > care.MaxNameBytes ||
				!utf8.ValidString(lp.Author.DisplayName) || !utf8.ValidString(lp.Author.Handle):
				t.Fatalf("author %+v", lp.Author)
			case lp.Author.PlatformUserID != "" && !validID(lp.Author.PlatformUserID):
				t.Fatalf("author id %q", lp.Author.PlatformUserID)
			case lp.Lang != postLang(lp.Lang) || len(lp.Lang) > 35:
				t.Fatalf("lang %q", lp.Lang)
			case lp.PostedAt.IsZero() || lp.PostedAt.After(testNow.Add(24*time.Hour)):
				t.Fatalf("PostedAt %v", lp.PostedAt)
			}
		}
	})
}
