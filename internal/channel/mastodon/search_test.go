package mastodon

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/mastodon/mastofake"
	"github.com/parleyhq/parley/internal/listen"
	"github.com/parleyhq/parley/internal/testlog"
)

var _ channel.Searcher = (*Adapter)(nil)

// recentID is a Mastodon id of the tests' now.
var recentID = strconv.FormatInt(testNow.UnixMilli()<<16, 10)

// queryShape is what a translated query may be made of: quoted phrases
// without quotes inside, -"phrases" and -#tags, separated by single
// spaces. Nothing else can reach Mastodon's parser.
var queryShape = regexp.MustCompile(`^(?:"[^"@]+"|-"[^"@]+"|-#[\p{L}\p{N}\p{M}_·・\x{200c}]+)(?: (?:"[^"@]+"|-"[^"@]+"|-#[\p{L}\p{N}\p{M}_·・\x{200c}]+))*$`)

func TestTranslateQuery(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		q           care.ListenQuery
		text        string
		tags, none  []string
		excludes    []string
		wantErr     string
		shapeChecks bool
	}{
		{name: "words and phrases", q: care.ListenQuery{Terms: []string{"acme", "acme support"}}, text: `"acme" "acme support"`},
		{name: "excluded words and tags", q: care.ListenQuery{Terms: []string{"acme"}, Exclude: []string{"refund", "#ad"}},
			text: `"acme" -"refund" -#ad`, none: []string{"ad"}, excludes: []string{"refund", "#ad"}},
		{name: "hashtags go to the timeline", q: care.ListenQuery{Terms: []string{"#acme", "#AcmeCorp", "#acme", "acme"}},
			text: `"acme"`, tags: []string{"acme", "acmecorp"}},
		{name: "hashtags alone", q: care.ListenQuery{Terms: []string{"#acme"}, Exclude: []string{"spam"}}, tags: []string{"acme"}, excludes: []string{"spam"}},
		{name: "handles lose their @", q: care.ListenQuery{Terms: []string{"@acme@mastodon.social", "@acme"}}, text: `"acme mastodon.social" "acme"`},
		{name: "a quote cannot close the phrase", q: care.ListenQuery{Terms: []string{`acme" OR from:evil -"x`}}, text: `"acme or from:evil - x"`, shapeChecks: true},
		{name: "operators and prefixes are literal", q: care.ListenQuery{Terms: []string{"-acme", "+acme", "is:local", "(acme OR rival)", "#not a tag", "c#"}},
			text: `"-acme" "+acme" "is:local" "(acme or rival)" "#not a tag" "c#"`, shapeChecks: true},
		{name: "controls and spaces", q: care.ListenQuery{Terms: []string{"\x00acme\u202e  corp\t", "\u200b"}}, text: `"acme corp"`},
		{name: "an excluded tag that is not one is a phrase", q: care.ListenQuery{Terms: []string{"acme"}, Exclude: []string{"#a-b", `"`}},
			text: `"acme" -"#a-b"`, excludes: []string{"#a-b"}},
		{name: "none[] takes four", q: care.ListenQuery{Terms: []string{"#acme"}, Exclude: []string{"#a", "#b", "#c", "#d", "#e"}},
			tags: []string{"acme"}, none: []string{"a", "b", "c", "d"}, excludes: []string{"#a", "#b", "#c", "#d", "#e"}},
		{name: "too long", q: care.ListenQuery{Terms: []string{strings.Repeat("acme ", 250)}}, wantErr: "shorten"},
		{name: "a huge term", q: care.ListenQuery{Terms: []string{strings.Repeat("a", 1<<20)}}, wantErr: "shorten"},
		{name: "too many hashtags", q: care.ListenQuery{Terms: []string{"#a", "#b", "#c", "#d", "#e", "#f"}}, wantErr: "shorten"},
		{name: "nothing to search", q: care.ListenQuery{Terms: []string{`"`, "@", " ", "#"}}, wantErr: "nothing Mastodon can search"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			lq, err := translateQuery(tt.q)
			if tt.wantErr != "" {
				var se *channel.SendError
				if !errors.As(err, &se) || !se.Permanent || !strings.Contains(se.Reason, tt.wantErr) || care.ErrorCode(err) != care.EINVALID {
					t.Fatalf("translateQuery = %+v, %v; want a permanent EINVALID error saying %q", lq, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if lq.text != tt.text || !cmp.Equal(lq.tags, tt.tags) || !cmp.Equal(lq.none, tt.none) || !cmp.Equal(lq.excludes, tt.excludes) {
				t.Errorf("translateQuery = text %s, tags %q, none %q, excludes %q; want %s, %q, %q, %q",
					lq.text, lq.tags, lq.none, lq.excludes, tt.text, tt.tags, tt.none, tt.excludes)
			}
			if lq.text != "" && !queryShape.MatchString(lq.text) {
				t.Errorf("query %s has something other than phrases and exclusions", lq.text)
			}
		})
	}
}

// FuzzTranslateQuery: whatever the terms, the query is phrases and
// exclusions only, within its bound, or a permanent error.
func FuzzTranslateQuery(f *testing.F) {
	f.Add("acme", "#acme", "refund")
	f.Add(`a" OR b`, "#x\x00", `-"`)
	f.Add("@a@b", "#", "#ad")
	f.Fuzz(func(t *testing.T, a, b, x string) {
		lq, err := translateQuery(care.ListenQuery{Terms: []string{a, b}, Exclude: []string{x}})
		if err != nil {
			var se *channel.SendError
			if !errors.As(err, &se) || !se.Permanent || care.ErrorCode(err) != care.EINVALID {
				t.Fatalf("error %v is not a permanent EINVALID *SendError", err)
			}
			return
		}
		if len(lq.text) > maxSearchQueryBytes || lq.text != "" && !queryShape.MatchString(lq.text) || !utf8.ValidString(lq.text) {
			t.Fatalf("query %q", lq.text)
		}
		for _, tag := range append(slices.Clone(lq.tags), lq.none...) {
			if _, ok := hashtagName("#" + tag); !ok {
				t.Fatalf("tag %q", tag)
			}
		}
	})
}

func TestSearchInterval(t *testing.T) {
	t.Parallel()
	a := &Adapter{}
	in := testInbox()
	if got := a.SearchInterval(in); got != 2*time.Minute {
		t.Errorf("SearchInterval = %v, want two minutes", got)
	}
	for name, creds := range map[string]map[string]string{
		"no token":    {CredAPIBase: "https://mastodon.social"},
		"no instance": {CredAccessToken: "t"},
		"not https":   {CredAccessToken: "t", CredAPIBase: "http://mastodon.social"},
	} {
		in.Credentials = creds
		if got := a.SearchInterval(in); got != 0 {
			t.Errorf("SearchInterval(%s) = %v, want 0", name, got)
		}
	}
}

func TestSearchCursor(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "0/", "/0", "113000000000000001/", "113000000000000009:113000000000000005:113000000000000001/113", "01HZX/abc_-",
		"0//1795514400", "/0/1795514400", "113000000000000009:113000000000000005:113000000000000001/113/1"} {
		c, ok := parseSearchCursor(s)
		if !ok || c.String() != s {
			t.Errorf("parseSearchCursor(%q) = %+v, %v; want it back", s, c, ok)
		}
	}
	for _, s := range []string{"5", "a b/", "1:2/", "1:2:3:4/", "9:5:0/", "9:1:5/", "5:9:1/", "/x/y", strings.Repeat("9", 65) + "/",
		"1/2/", "1/2/0", "1/2/-5", "1/2/+5", "1/2/3/4", "1/2/99999999999999999999", "1/2/1e9"} {
		if c, ok := parseSearchCursor(s); ok {
			t.Errorf("parseSearchCursor(%q) = %+v, want it refused", s, c)
		}
	}
}

// FuzzSearchCursor: a cursor read back is written again as it was, and
// reads again the same.
func FuzzSearchCursor(f *testing.F) {
	for _, s := range []string{"", "0/", "113000000000000009:113000000000000005:113000000000000001/113/1795514400", "1/2/", "/0/9", "1/2/3/4", "//1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := parseSearchCursor(s)
		if !ok {
			return
		}
		again, ok := parseSearchCursor(c.String())
		if !ok || again != c || c.ran < 0 || c.ran > maxRan {
			t.Fatalf("parseSearchCursor(%q) = %+v, written %q, read again %+v, %v", s, c, c.String(), again, ok)
		}
	})
}

func TestWiden(t *testing.T) {
	t.Parallel()
	id := "113500000000000000"
	at, ok := snowflakeTime(id)
	if !ok {
		t.Fatal("a Mastodon id is not read as one")
	}
	for dir, want := range map[int]time.Duration{-1: -time.Second, 1: time.Second} {
		w, _ := snowflakeTime(widen(id, dir))
		if w.Sub(at) != want {
			t.Errorf("widen(%s, %d) moved %v, want %v", id, dir, w.Sub(at), want)
		}
	}
	for _, other := range []string{"12345", "01HZX3", "0", "99999999999999999999"} {
		if got := widen(other, -1); got != other {
			t.Errorf("widen(%q) = %q, want it as is", other, got)
		}
	}
}

// postIDs lists the posts' platform ids.
func postIDs(posts []care.ListenPost) []string {
	var ids []string
	for _, p := range posts {
		ids = append(ids, p.PlatformID)
	}
	return ids
}

// checkPost checks what the Searcher contract promises of a post.
func checkPost(t *testing.T, p care.ListenPost) {
	t.Helper()
	u, err := url.Parse(p.URL)
	switch {
	case p.Source != care.ChannelMastodon || !validID(p.PlatformID):
		t.Errorf("post %q from %q", p.PlatformID, p.Source)
	case len(p.Text) > listen.MaxMatchBytes || !utf8.ValidString(p.Text):
		t.Errorf("post %s: text of %d bytes", p.PlatformID, len(p.Text))
	case p.URL != "" && (err != nil || u.Scheme != "https" && u.Scheme != "http" || u.Host == ""):
		t.Errorf("post %s: url %q", p.PlatformID, p.URL)
	case p.PostedAt.IsZero() || p.Author.Handle == "" || len(p.Author.Handle) > care.MaxNameBytes || len(p.Author.DisplayName) > care.MaxNameBytes:
		t.Errorf("post %s: %+v", p.PlatformID, p)
	}
}

// TestSearch: the first search reads the newest page, the next ones only
// what is newer; hashtags come from their timeline, which finds the
// unindexed too; private posts, boosts of nothing, the brand's own posts
// and excluded words are left out.
func TestSearch(t *testing.T) {
	t.Parallel()
	x := newInstance(t)
	ctx := context.Background()
	q := care.ListenQuery{Terms: []string{"acme", "rival co", "#acme"}, Exclude: []string{"giveaway"}}

	old := x.fake.Publish(mastofake.Post{From: anna, Text: "acme was fine last year", Language: "en"})
	posts, cursor, err := x.adapter.Search(ctx, x.inbox, q, "")
	if err != nil || !cmp.Equal(postIDs(posts), []string{old}) {
		t.Fatalf("first search = %v, %q, %v; want the old post", postIDs(posts), cursor, err)
	}
	p := posts[0]
	checkPost(t, p)
	if p.Lang != "en" || p.Text != "acme was fine last year" || p.Author.Handle != "@anna@example.social" || p.Author.Followers != 152 ||
		p.URL != "https://example.social/@anna/"+old || !p.PostedAt.Equal(testNow) {
		t.Errorf("first post = %+v", p)
	}
	if c, ok := parseSearchCursor(cursor); !ok || c.tags != "0" || c.ran != testNow.Unix() {
		t.Errorf("cursor %q: the hashtag timeline, unknown yet, should be searched with nothing found, now", cursor)
	}

	x.clock.Add(time.Second)
	want := []string{
		x.fake.Publish(mastofake.Post{From: zsc, Text: "Rival Co. is slower than Acme"}),
		x.fake.Publish(mastofake.Post{From: anna, Text: "new #acme phone", Unindexed: true}),
		x.fake.Publish(mastofake.Post{From: anna, Text: "talking about #AcmeCorp and #acme", Language: "de"}),
	}
	x.fake.Publish(mastofake.Post{From: anna, Text: "acme, for my followers", Visibility: "private"})
	x.fake.Publish(mastofake.Post{From: anna, Text: "acme unindexed", Unindexed: true})
	x.fake.Publish(mastofake.Post{From: x.fake.Brand, Text: "acme news from acme"})
	x.fake.Publish(mastofake.Post{From: zsc, Text: "acme giveaway!"})
	newestTag := x.fake.Publish(mastofake.Post{From: zsc, Text: "#acme giveaway!"}) // read, then excluded
	x.fake.Publish(mastofake.Post{From: zsc, Text: "nothing to see"})

	posts, next, err := x.adapter.Search(ctx, x.inbox, q, cursor)
	if err != nil || !cmp.Equal(postIDs(posts), want) {
		t.Fatalf("search = %v, %v; want %v", postIDs(posts), err, want)
	}
	for _, p := range posts {
		checkPost(t, p)
	}
	if posts[2].Lang != "de" || posts[0].Author.Handle != "@zsc@mastodon.test" || posts[0].URL != "https://mastodon.test/@zsc/"+want[0] {
		t.Errorf("posts = %+v", posts)
	}
	if posts, again, err := x.adapter.Search(ctx, x.inbox, q, next); err != nil || len(posts) != 0 || again != next {
		t.Errorf("a quiet search = %v, %q, %v; want nothing and the same cursor %q", postIDs(posts), again, err, next)
	}

	var search, tags []url.Values
	for _, r := range x.fake.ListenRequests() {
		u, _ := url.Parse(r)
		if u.Path == "/api/v2/search" {
			search = append(search, u.Query())
		} else if u.Path == "/api/v1/timelines/tag/acme" {
			tags = append(tags, u.Query())
		}
	}
	if len(search) != 3 || len(tags) != 3 {
		t.Fatalf("requests: %d searches, %d hashtag timelines; want 3 each", len(search), len(tags))
	}
	s := search[1]
	if s.Get("q") != `"acme" "rival co" -"giveaway"` || s.Get("type") != "statuses" || s.Get("resolve") != "false" || s.Get("limit") != "40" ||
		s.Get("min_id") != widen(old, -1) || search[0].Has("min_id") {
		t.Errorf("search queries %v", search)
	}
	if tags[0].Has("min_id") || tags[1].Has("min_id") || tags[2].Get("min_id") != newestTag || tags[2].Get("limit") != "40" {
		t.Errorf("hashtag queries %v", tags)
	}

	// A cursor that is not one starts from the newest.
	if _, c, err := x.adapter.Search(ctx, x.inbox, q, "garbage"); err != nil || c == "" || c == "garbage" {
		t.Errorf("search with a broken cursor = %q, %v", c, err)
	}
	// A query without hashtags forgets the timeline's cursor, and one
	// without words the search's.
	if _, c, _ := x.adapter.Search(ctx, x.inbox, care.ListenQuery{Terms: []string{"acme"}}, next); !strings.Contains(c, "//") {
		t.Errorf("cursor without hashtags = %q", c)
	}
	if _, c, _ := x.adapter.Search(ctx, x.inbox, care.ListenQuery{Terms: []string{"#acme"}}, next); !strings.HasPrefix(c, "/") {
		t.Errorf("cursor without words = %q", c)
	}
}

// TestSearchBurst: a burst longer than one call is read over the next
// calls, each post once, the text search's gap and the hashtag timeline's
// forward paging alike.
func TestSearchBurst(t *testing.T) {
	t.Parallel()
	x := newInstance(t)
	ctx := context.Background()
	q := care.ListenQuery{Terms: []string{"acme", "#acme"}}
	for range 45 {
		x.fake.Publish(mastofake.Post{From: anna, Text: "acme #acme before"})
	}
	posts, cursor, err := x.adapter.Search(ctx, x.inbox, q, "")
	if err != nil || len(posts) != 40 {
		t.Fatalf("first search = %d posts, %v; want the newest page, 40", len(posts), err)
	}

	var want []string
	for i := range 250 {
		x.clock.Add(time.Second)
		text := "acme burst"
		if i%5 == 0 {
			text = "#acme burst" // the hashtag timeline's, 50 of them
		}
		want = append(want, x.fake.Publish(mastofake.Post{From: anna, Text: text}))
	}
	var got []string
	var cursors []string
	for i := range 3 {
		if i == 1 {
			x.clock.Add(time.Second)
			want = append(want, x.fake.Publish(mastofake.Post{From: zsc, Text: "acme meanwhile"}))
		}
		posts, next, err := x.adapter.Search(ctx, x.inbox, q, cursor)
		if err != nil {
			t.Fatalf("search %d: %v", i, err)
		}
		for _, p := range posts {
			checkPost(t, p)
		}
		got = append(got, postIDs(posts)...)
		cursors = append(cursors, next)
		cursor = next
	}
	// The hashtag timeline may return a post the text search reads again
	// from its gap later: harmless, the store keeps one.
	slices.Sort(want)
	slices.Sort(got)
	if got = slices.Compact(got); !cmp.Equal(got, want) {
		t.Errorf("the searches read %d posts, want each of the %d", len(got), len(want))
	}
	if !strings.Contains(cursors[0], ":") || strings.Contains(cursors[2], ":") {
		t.Errorf("cursors %q: want a gap after the first call, none after the last", cursors)
	}
}

// TestSearchBacklogCap: in a cursor without the time of its last search,
// a gap older than maxBacklog is dropped rather than read back to, as
// before that time was kept.
func TestSearchBacklogCap(t *testing.T) {
	t.Parallel()
	x := newInstance(t)
	ctx := context.Background()
	q := care.ListenQuery{Terms: []string{"acme"}}
	floor := x.fake.Publish(mastofake.Post{From: anna, Text: "acme", At: testNow.Add(-50 * time.Hour)})
	x.fake.Publish(mastofake.Post{From: anna, Text: "acme", At: testNow.Add(-49 * time.Hour)}) // in the gap, lost
	top := x.fake.Publish(mastofake.Post{From: anna, Text: "acme", At: testNow.Add(-48 * time.Hour)})
	high := x.fake.Publish(mastofake.Post{From: anna, Text: "acme", At: testNow.Add(-time.Hour)})
	fresh := x.fake.Publish(mastofake.Post{From: anna, Text: "acme"})
	posts, next, err := x.adapter.Search(ctx, x.inbox, q, high+":"+top+":"+floor+"/")
	if want := fresh + "//" + strconv.FormatInt(testNow.Unix(), 10); err != nil || !cmp.Equal(postIDs(posts), []string{fresh}) || next != want {
		t.Errorf("search with a two-day-old gap = %v, %q, %v; want the fresh post, no gap, and %q", postIDs(posts), next, err, want)
	}
}

// TestSearchOutage: after two days without a search, neither source
// follows its cursor back: each reads its newest page, the skip logged
// once. Whatever the age of the posts, a gap is not dropped without one.
func TestSearchOutage(t *testing.T) {
	t.Parallel()
	x := newInstance(t)
	var logs func() []string
	x.adapter.Logger, logs = testlog.Warnings()
	ctx := context.Background()
	q := care.ListenQuery{Terms: []string{"rival", "#acme"}}
	x.fake.Publish(mastofake.Post{From: anna, Text: "rival #acme"})
	_, cursor, err := x.adapter.Search(ctx, x.inbox, q, "")
	if err != nil {
		t.Fatal(err)
	}
	x.clock.Add(48 * time.Hour)
	var text, tags []string
	for i := range 100 {
		x.clock.Add(time.Second)
		if i%2 == 0 {
			tags = append(tags, x.fake.Publish(mastofake.Post{From: anna, Text: "#acme again"}))
		} else {
			text = append(text, x.fake.Publish(mastofake.Post{From: anna, Text: "rival again"}))
		}
	}
	posts, next, err := x.adapter.Search(ctx, x.inbox, q, cursor)
	got := postIDs(posts)
	want := append(slices.Clone(text[10:]), tags[10:]...)
	slices.Sort(want)
	if err != nil || !cmp.Equal(got, want) {
		t.Errorf("search after two days = %d posts, %v; want the newest page of each source, %d", len(got), err, len(want))
	}
	x.clock.Add(searchInterval)
	if posts, _, err := x.adapter.Search(ctx, x.inbox, q, next); err != nil || len(posts) != 0 {
		t.Errorf("next search = %v, %v; want nothing", postIDs(posts), err)
	}
	if w := logs(); len(w) != 2 || !strings.Contains(w[0], "backlog older than a day") || !strings.Contains(w[1], "hashtag backlog older than a day") {
		t.Errorf("warnings %q, want one for each source", w)
	}

	// A gap whose floor is two days old, in a cursor searched an hour
	// ago, is read.
	floor := x.fake.Publish(mastofake.Post{From: anna, Text: "gadget", At: x.clock.Now().Add(-50 * time.Hour)})
	inGap := x.fake.Publish(mastofake.Post{From: anna, Text: "gadget", At: x.clock.Now().Add(-2 * time.Hour)})
	top := x.fake.Publish(mastofake.Post{From: anna, Text: "gadget", At: x.clock.Now().Add(-90 * time.Minute)})
	high := x.fake.Publish(mastofake.Post{From: anna, Text: "gadget", At: x.clock.Now().Add(-time.Hour)})
	ran := strconv.FormatInt(x.clock.Now().Add(-time.Hour).Unix(), 10)
	posts, next, err = x.adapter.Search(ctx, x.inbox, care.ListenQuery{Terms: []string{"gadget"}}, high+":"+top+":"+floor+"//"+ran)
	if err != nil || !cmp.Equal(postIDs(posts), []string{inGap}) || strings.Contains(next, ":") {
		t.Errorf("search with an old gap = %v, %q, %v; want the post in the gap, and the gap closed", postIDs(posts), next, err)
	}
}

// TestSearchQuietThenBurst: a subject quiet for more than a day, searched
// on schedule, then busy with more than a call reads, is read in full over
// the next calls by both sources; no backlog is skipped, and quiet
// searches leave the cursor as it was for an hour at a time.
func TestSearchQuietThenBurst(t *testing.T) {
	t.Parallel()
	x := newInstance(t)
	var logs func() []string
	x.adapter.Logger, logs = testlog.Warnings()
	ctx := context.Background()
	q := care.ListenQuery{Terms: []string{"acme", "#acme"}}
	x.fake.Publish(mastofake.Post{From: anna, Text: "acme #acme before"})
	x.fake.Publish(mastofake.Post{From: anna, Text: "acme before"})
	_, cursor, err := x.adapter.Search(ctx, x.inbox, q, "")
	if err != nil {
		t.Fatal(err)
	}
	changes := 0
	for range int(25 * time.Hour / searchInterval) {
		x.clock.Add(searchInterval)
		posts, next, err := x.adapter.Search(ctx, x.inbox, q, cursor)
		if err != nil || len(posts) != 0 {
			t.Fatalf("a quiet search = %v, %v", postIDs(posts), err)
		}
		if next != cursor {
			changes++
		}
		cursor = next
	}
	if changes > 25 {
		t.Errorf("the cursor changed %d times in 25 quiet hours, want at most once an hour", changes)
	}

	var want []string
	for i := range searchMaxPages*searchPageLimit + 100 {
		x.clock.Add(100 * time.Millisecond)
		text := "acme burst"
		if i%5 == 0 {
			text = "#acme burst" // the hashtag timeline's, 60 of them
		}
		want = append(want, x.fake.Publish(mastofake.Post{From: anna, Text: text}))
	}
	var got []string
	for range 3 {
		x.clock.Add(searchInterval)
		posts, next, err := x.adapter.Search(ctx, x.inbox, q, cursor)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, postIDs(posts)...)
		cursor = next
	}
	slices.Sort(got)
	if got = slices.Compact(got); !cmp.Equal(got, want) {
		t.Errorf("the searches read %d posts, want each of the burst's %d", len(got), len(want))
	}
	if w := logs(); len(w) != 0 {
		t.Errorf("warnings %q, want none", w)
	}
}

// TestSearchURLs: a url or uri that is not http(s) is not kept; without
// either, the post's page on the inbox's instance is.
func TestSearchURLs(t *testing.T) {
	t.Parallel()
	x := newInstance(t)
	ctx := context.Background()
	uri := x.fake.Publish(mastofake.Post{From: anna, Text: "acme one", URL: "javascript:alert(1)", URI: "https://example.social/users/anna/statuses/9"})
	built := x.fake.Publish(mastofake.Post{From: anna, Text: "acme two", URL: "data:text/html,x", URI: "ftp://example.social/9"})
	local := x.fake.Publish(mastofake.Post{From: zsc, Text: "acme three", URL: "//no-scheme", URI: " "})
	posts, _, err := x.adapter.Search(ctx, x.inbox, care.ListenQuery{Terms: []string{"acme"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range posts {
		checkPost(t, p)
		got[p.PlatformID] = p.URL
	}
	want := map[string]string{
		uri:   "https://example.social/users/anna/statuses/9",
		built: x.srv.URL + "/@anna@example.social/" + built,
		local: x.srv.URL + "/@zsc/" + local,
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
	x := newInstance(t)
	x.fake.Publish(mastofake.Post{From: anna, Text: "acme " + strings.Repeat("é", 10000)})
	posts, _, err := x.adapter.Search(context.Background(), x.inbox, care.ListenQuery{Terms: []string{"acme"}}, "")
	if err != nil || len(posts) != 1 {
		t.Fatalf("search = %d posts, %v", len(posts), err)
	}
	if p := posts[0].Text; p != "acme "+strings.Repeat("é", 10000) {
		t.Errorf("text of %d bytes ending %q", len(p), p[max(len(p)-8, 0):])
	}
}

// TestSearchErrors: the instance's refusals, classified, with the cursor
// kept.
func TestSearchErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	q := care.ListenQuery{Terms: []string{"acme", "#acme"}}
	cursor := recentID + "/" + recentID
	var se *channel.SendError

	x := newInstance(t)
	x.fake.Throttle(1)
	posts, next, err := x.adapter.Search(ctx, x.inbox, q, cursor)
	if !errors.As(err, &se) || se.Permanent || se.RetryAfter != 5*time.Minute || se.RateLimit != "0/300 left, resets 10:05:00Z" || next != cursor || len(posts) != 0 {
		t.Errorf("throttled search = %v, %q, %+v; want temporary, waiting for the reset at 10:05", posts, next, err)
	}

	x.clock.Add(5 * time.Minute)
	x.fake.NoSearchScope = true
	if _, next, err := x.adapter.Search(ctx, x.inbox, q, cursor); !errors.As(err, &se) || !se.Permanent || se.Status != http.StatusForbidden ||
		!strings.Contains(se.Reason, "read:search") || next != cursor {
		t.Errorf("search without the scope = %q, %v; want permanent, naming read:search", next, err)
	}

	bad := x.inbox
	bad.Credentials = map[string]string{CredAccessToken: "revoked", CredAPIBase: x.srv.URL}
	if _, _, err := x.adapter.Search(ctx, bad, q, cursor); !errors.As(err, &se) || !se.Permanent || se.Status != http.StatusUnauthorized {
		t.Errorf("search with a revoked token = %v, want permanent 401", err)
	}

	many := care.ListenQuery{Terms: []string{"#a", "#b", "#c", "#d", "#e", "#f"}}
	if _, next, err := x.adapter.Search(ctx, x.inbox, many, cursor); !errors.As(err, &se) || !se.Permanent || care.ErrorCode(err) != care.EINVALID || next != cursor {
		t.Errorf("search with too many hashtags = %q, %v; want a permanent EINVALID error", next, err)
	}

	down := x.inbox
	down.Credentials = map[string]string{CredAccessToken: "t", CredAPIBase: "http://127.0.0.1:1"}
	if _, _, err := x.adapter.Search(ctx, down, q, cursor); !errors.As(err, &se) || se.Permanent {
		t.Errorf("search of an unreachable instance = %v, want temporary", err)
	}
}

// TestSearchMalformed: an answer that is not the documented JSON is a
// temporary error that says so; the cursor stays.
func TestSearchMalformed(t *testing.T) {
	t.Parallel()
	for path, body := range map[string]string{
		"/api/v2/search":             `{"statuses": [`,
		"/api/v1/timelines/tag/acme": `{"error": "not a list"}`,
	} {
		x := newInstanceWith(t, func(h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == path {
					w.Header().Set("Content-Type", "application/json")
					_, _ = w.Write([]byte(body))
					return
				}
				h.ServeHTTP(w, r)
			})
		})
		cursor := recentID + "/" + recentID
		_, next, err := x.adapter.Search(context.Background(), x.inbox, care.ListenQuery{Terms: []string{"acme", "#acme"}}, cursor)
		var se *channel.SendError
		if !errors.As(err, &se) || se.Permanent || !strings.Contains(se.Reason, "not understood") || next != cursor {
			t.Errorf("%s answering %s: search = %q, %v; want a temporary error saying it was not understood", path, body, next, err)
		}
	}
}

// searchDocSample is the example of docs.joinmastodon.org/methods/search#v2
// ("cats", limit=2), its elided parts filled from
// docs.joinmastodon.org/entities/Status and …/Account.
const searchDocSample = `{
  "accounts": [{"id": "180744", "username": "catstar", "acct": "catstar@catgram.jp", "display_name": "catstar"}],
  "statuses": [
    {"id": "103085519055545958", "created_at": "2019-11-05T13:23:09.000Z", "in_reply_to_id": null, "sensitive": false,
     "spoiler_text": "", "visibility": "public", "language": "en",
     "uri": "https://mastodon.social/users/Gargron/statuses/103085519055545958",
     "url": "https://mastodon.social/@Gargron/103085519055545958", "content": "<p>cats<br>cats never change</p>",
     "reblog": null, "account": {"id": "1", "username": "Gargron", "acct": "Gargron", "display_name": "Eugen 💀",
     "url": "https://mastodon.social/@Gargron", "followers_count": 322930}, "media_attachments": [], "tags": []},
    {"id": "101068121469614510", "created_at": "2018-11-14T06:31:48.000Z", "spoiler_text": "Cats", "visibility": "public",
     "language": null, "uri": "https://mspsocial.net/users/ambassadorks/statuses/101068121361419488",
     "url": "https://mspsocial.net/@ambassadorks/101068121361419488",
     "content": "<p>Cats are inherently good at self-care. </p><p><a href=\"https://mspsocial.net/tags/cats\" class=\"mention hashtag\" rel=\"nofollow noopener noreferrer\" target=\"_blank\">#<span>cats</span></a></p>",
     "account": {"id": "1040", "username": "ambassadorks", "acct": "ambassadorks@mspsocial.net", "display_name": "",
     "followers_count": 11}, "tags": [{"name": "cats", "url": "https://mastodon.social/tags/cats"}]}
  ],
  "hashtags": [{"name": "cats", "url": "https://mastodon.social/tags/cats", "history": [{"day": "1574553600", "uses": "10", "accounts": "9"}]}]
}`

// TestSearchDocSample maps the documentation's example.
func TestSearchDocSample(t *testing.T) {
	t.Parallel()
	raws, err := statusList([]byte(searchDocSample), true)
	if err != nil || len(raws) != 2 {
		t.Fatalf("statusList = %d, %v", len(raws), err)
	}
	var posts []care.ListenPost
	for _, raw := range raws {
		f, err := mapFound(testInbox(), raw, testNow)
		if err != nil || f.skipped != "" {
			t.Fatalf("mapFound = %+v, %v", f, err)
		}
		checkPost(t, f.post)
		posts = append(posts, f.post)
	}
	want := []care.ListenPost{
		{Source: care.ChannelMastodon, PlatformID: "103085519055545958", URL: "https://mastodon.social/@Gargron/103085519055545958",
			Author: care.Author{PlatformUserID: "gargron@mastodon.social", Handle: "@Gargron@mastodon.social", DisplayName: "Eugen 💀", Followers: 322930},
			Text:   "cats\ncats never change", Lang: "en", PostedAt: time.Date(2019, 11, 5, 13, 23, 9, 0, time.UTC)},
		{Source: care.ChannelMastodon, PlatformID: "101068121469614510", URL: "https://mspsocial.net/@ambassadorks/101068121361419488",
			Author: care.Author{PlatformUserID: "ambassadorks@mspsocial.net", Handle: "@ambassadorks@mspsocial.net", Followers: 11},
			Text:   "[CW: Cats] Cats are inherently good at self-care.\n\n#cats", PostedAt: time.Date(2018, 11, 14, 6, 31, 48, 0, time.UTC)},
	}
	if diff := cmp.Diff(want, posts); diff != "" {
		t.Errorf("posts (-want +got):\n%s", diff)
	}
}

// FuzzSearchResponse: any answer of either endpoint maps to posts that
// keep the Searcher's promises, or to an error; never a panic.
func FuzzSearchResponse(f *testing.F) {
	f.Add([]byte(searchDocSample), true)
	f.Add([]byte(`{"statuses":[{"id":"1","visibility":"public","content":"<p>x","account":{"acct":"a@b"},"url":"javascript:x"}]}`), true)
	f.Add([]byte(`[{"id":12,"visibility":"public","created_at":"9999-01-01T00:00:00Z","account":{"acct":"\u202ea@b"},"language":"en-US"}]`), false)
	f.Add([]byte(`{"statuses":null}`), true)
	files, _ := filepath.Glob("testdata/notifications/*.json")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		var n struct {
			Status json.RawMessage `json:"status"`
		}
		if json.Unmarshal(b, &n) == nil && len(n.Status) > 0 {
			f.Add([]byte(`{"accounts":[],"statuses":[`+string(n.Status)+`],"hashtags":[]}`), true)
			f.Add([]byte(`[`+string(n.Status)+`]`), false)
		}
	}
	f.Fuzz(func(t *testing.T, body []byte, search bool) {
		raws, err := statusList(body, search)
		if err != nil {
			return
		}
		for _, raw := range raws {
			fd, err := mapFound(testInbox(), raw, testNow)
			if err != nil || fd.id == "" || fd.skipped != "" {
				continue
			}
			p := fd.post
			checkPost(t, p)
			if p.PostedAt.After(testNow.Add(maxFuture)) || len(p.Lang) > 16 || len(p.Author.PlatformUserID) > care.MaxPlatformIDBytes {
				t.Fatalf("post %+v", p)
			}
		}
	})
}

func TestContainsWord(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s, w string
		want bool
	}{
		{"a giveaway!", "giveaway", true},
		{"giveaways", "giveaway", false},
		{"regiveaway", "giveaway", false},
		{"free #ad here", "#ad", true},
		{"free #adverts", "#ad", false},
		{"héllo wörld", "wörld", true},
		{"wörldé", "wörld", false},
		{"x", "", false},
		{"big sale, big sale", "big sale", true},
	}
	for _, tt := range tests {
		if got := containsWord(tt.s, tt.w); got != tt.want {
			t.Errorf("containsWord(%q, %q) = %v", tt.s, tt.w, got)
		}
	}
}
