package bluesky

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/bluesky/bskyfake"
	"github.com/parleyhq/parley/internal/listen"
)

// palomarFilters returns the tokens of q that Bluesky's search service
// takes as filters rather than text (indigo search/parse_query.go): a
// term that turned into one would change what is searched.
func palomarFilters(q string) []string {
	quoted := false
	parts := strings.FieldsFunc(q, func(r rune) bool {
		if r == '"' {
			quoted = !quoted
		}
		return r == ' ' && !quoted
	})
	var filters []string
	for _, p := range parts {
		if strings.HasPrefix(p, `"`) {
			continue
		}
		if (strings.HasPrefix(p, "#") || strings.HasPrefix(p, "@")) && len(p) > 1 {
			filters = append(filters, p)
			continue
		}
		if key, _, ok := strings.Cut(p, ":"); ok {
			switch key {
			case "did", "from", "to", "mentions", "http", "https", "domain", "lang", "since", "until":
				filters = append(filters, p)
			}
		}
	}
	return filters
}

func TestSearchQuery(t *testing.T) {
	t.Parallel()
	long := make([]string, 60)
	for i := range long {
		long[i] = "competitor product number " + strconv.Itoa(i)
	}
	tests := []struct {
		name    string
		q       care.ListenQuery
		want    string
		wantErr string
	}{
		{"one word", care.ListenQuery{Terms: []string{"acme"}}, `"acme"`, ""},
		{"terms are alternatives", care.ListenQuery{Terms: []string{"acme", "acme corp", "#acmefail", "@acme.example.com"}},
			`("acme" | "acme corp" | "#acmefail" | "@acme.example.com")`, ""},
		{"exclusions", care.ListenQuery{Terms: []string{"acme"}, Exclude: []string{"jobs", "hiring now"}}, `"acme" -"jobs" -"hiring now"`, ""},
		{"a quote cannot close the phrase", care.ListenQuery{Terms: []string{`acme" from:evil.example "x`}}, `"acme from:evil.example x"`, ""},
		{"OR is a word", care.ListenQuery{Terms: []string{"acme OR 1"}}, `"acme or 1"`, ""},
		{"operators stay inside", care.ListenQuery{Terms: []string{"-acme", "(acme)", "a | b", "+c*"}}, `("-acme" | "(acme)" | "a | b" | "+c*")`, ""},
		{"backslashes go", care.ListenQuery{Terms: []string{`acme\`, `\"acme`}}, `"acme"`, ""},
		{"white space and controls", care.ListenQuery{Terms: []string{" acme\t\n corp\x00\u200b "}}, `"acme corp"`, ""},
		{"bad UTF-8", care.ListenQuery{Terms: []string{"acme\xff\xfecorp"}}, `"acme corp"`, ""},
		{"duplicates and wordless terms go", care.ListenQuery{Terms: []string{"Acme", "acme", "#", `"`, "-"}, Exclude: []string{"", "!!"}}, `"acme"`, ""},
		{"filters stay text", care.ListenQuery{Terms: []string{"from:acme.example.com", "lang:en"}, Exclude: []string{"since:2024-01-01"}},
			`("from:acme.example.com" | "lang:en") -"since:2024-01-01"`, ""},
		{"no terms", care.ListenQuery{Exclude: []string{"acme"}}, "", "letter or digit"},
		{"only punctuation", care.ListenQuery{Terms: []string{"#", "@", `""`}}, "", "letter or digit"},
		{"too long", care.ListenQuery{Terms: long}, "", "shorten the subject's terms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := searchQuery(tt.q)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || care.ErrorCode(err) != care.EINVALID {
					t.Fatalf("searchQuery = %q, %v; want EINVALID saying %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("searchQuery = %q, %v; want %q", got, err, tt.want)
			}
			if f := palomarFilters(got); len(f) > 0 {
				t.Errorf("%q has filter tokens %q", got, f)
			}
		})
	}
}

// FuzzSearchQuery checks that no term, however written, leaves its phrase
// or becomes a filter.
func FuzzSearchQuery(f *testing.F) {
	for _, s := range []string{"acme", `a" from:x "b`, "#tag", "@h.example", `\"`, "a\x00b", "(x|y)", "-z"} {
		f.Add(s, "jobs")
	}
	f.Fuzz(func(t *testing.T, term, exclude string) {
		q, err := searchQuery(care.ListenQuery{Terms: []string{term, "acme"}, Exclude: []string{exclude}})
		if err != nil {
			if len(term)+len(exclude) < maxQueryBytes/2 {
				t.Fatalf("searchQuery(%q, %q): %v", term, exclude, err)
			}
			return
		}
		if len(q) > maxQueryBytes || !utf8.ValidString(q) || strings.Count(q, `"`)%2 != 0 || strings.Contains(q, `\`) {
			t.Fatalf("searchQuery(%q, %q) = %q", term, exclude, q)
		}
		if fs := palomarFilters(q); len(fs) > 0 {
			t.Fatalf("searchQuery(%q, %q) = %q has filters %q", term, exclude, q, fs)
		}
	})
}

// searchSample is a searchPosts answer shaped as the lexicon's postView
// (app.bsky.feed.defs), with the fields Bluesky sends.
const searchSample = `{"cursor":"100","hitsTotal":2,"posts":[
{"uri":"at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3lbq5cu4d2k2y","cid":"bafyreihwgwozmvqxcxrhbr65agcaa4v357p27ccrhzkjf3mz5xiozjvzfa",
 "author":{"did":"did:plc:ewvi7nxzyoun6zhxrhs64oiz","handle":"ana.bsky.social","displayName":"Ana Lima","labels":[],"createdAt":"2023-04-12T04:53:57.057Z",
  "verification":{"verifications":[],"verifiedStatus":"valid","trustedVerifierStatus":"none"}},
 "record":{"$type":"app.bsky.feed.post","text":"Loving my new Acme widget","createdAt":"2026-11-24T09:58:11.512Z","langs":["en"],
  "embed":{"$type":"app.bsky.embed.external","external":{"uri":"https://acme.example/w","title":"W","description":""}}},
 "replyCount":0,"repostCount":1,"likeCount":3,"quoteCount":0,"indexedAt":"2026-11-24T09:58:12.000Z","labels":[]},
{"uri":"at://did:plc:44ybard66vv44zksje25o7dz/app.bsky.feed.post/3lbq5f7aaaa2y","cid":"bafyreib2rxk3rybk3aobmv5cjuql3bm2twh4jo5uxgf5xqnihesvpb6nzu",
 "author":{"did":"did:plc:44ybard66vv44zksje25o7dz","handle":"ben.example.net"},
 "record":{"$type":"app.bsky.feed.post","text":"@acme.example.com hello","createdAt":"2026-11-24T09:57:00.000Z",
  "facets":[{"index":{"byteStart":0,"byteEnd":17},"features":[{"$type":"app.bsky.richtext.facet#mention","did":"did:plc:u5cwb2mwiv2bfq53cjufe6yn"}]}]},
 "indexedAt":"2026-11-24T09:57:01.000Z"}]}`

func TestParseSearchPost(t *testing.T) {
	t.Parallel()
	page, err := parseSearchPage([]byte(searchSample))
	if err != nil || len(page.posts) != 2 || page.cursor != "100" {
		t.Fatalf("parseSearchPage = %+v, %v", page, err)
	}
	it := parseSearchPost(page.posts[0], brandDID, testNow)
	p := it.post
	created := time.Date(2023, 4, 12, 4, 53, 57, 57e6, time.UTC)
	switch {
	case it.why != "",
		p.Source != care.ChannelBluesky,
		p.PlatformID != "at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3lbq5cu4d2k2y",
		p.URL != "https://bsky.app/profile/did:plc:ewvi7nxzyoun6zhxrhs64oiz/post/3lbq5cu4d2k2y",
		p.Author.PlatformUserID != anaDID || p.Author.Handle != "@ana.bsky.social" || p.Author.DisplayName != "Ana Lima" || !p.Author.Verified,
		p.Author.AccountCreated == nil || !p.Author.AccountCreated.Equal(created),
		p.Text != "Loving my new Acme widget\nhttps://acme.example/w",
		p.Lang != "en",
		!p.PostedAt.Equal(time.Date(2026, 11, 24, 9, 58, 11, 512e6, time.UTC)),
		!it.at.Equal(p.PostedAt):
		t.Errorf("first post = %+v", it)
	}
	// A mention of the brand is someone else's voice: kept, as X keeps it.
	if it := parseSearchPost(page.posts[1], brandDID, testNow); it.why != "" || it.at.IsZero() {
		t.Errorf("a mention of the brand = %+v, want kept with its time", it)
	}

	post := func(author, uri, record string) []byte {
		return []byte(`{"uri":"` + uri + `","author":{"did":"` + author + `","handle":"ana.bsky.social"},"record":` + record + `,"indexedAt":"2026-11-24T09:00:00.000Z"}`)
	}
	anaPost := "at://" + anaDID + "/app.bsky.feed.post/3lbq5cu4d2k2y"
	brandPost := "at://" + brandDID + "/app.bsky.feed.post/3k4duaz5vfs2b"
	ref := `{"uri":"` + brandPost + `","cid":"bafyreibjifzpqj6o6wcq3hejh7y4z4z2vmiklkvykc57tw3pcbx3kxifpm"}`
	tests := []struct {
		name, raw, why string
	}{
		{"the brand's own", string(post(brandDID, brandPost, `{"text":"acme"}`)), whyBrand},
		{"a reply to the brand", string(post(anaDID, anaPost, `{"text":"acme","langs":["pt-BR"],"reply":{"root":`+ref+`,"parent":`+ref+`}}`)), ""},
		{"a quote of the brand", string(post(anaDID, anaPost, `{"text":"acme","langs":["pt-BR"],"embed":{"$type":"app.bsky.embed.record","record":`+ref+`}}`)), ""},
		{"someone else's post", string(post(benDID, anaPost, `{"text":"acme"}`)), "not a post of its author"},
		{"an invalid DID", string(post("did:x", "at://did:x/app.bsky.feed.post/1", `{"text":"acme"}`)), "author without a valid DID"},
		{"a like, not a post", string(post(anaDID, "at://"+anaDID+"/app.bsky.feed.like/3lbq5cu4d2k2y", `{"text":"acme"}`)), "not a post of its author"},
		{"another record type", string(post(anaDID, anaPost, `{"$type":"app.bsky.feed.repost","text":"acme"}`)), "record is not a post"},
		{"text that is not a string", string(post(anaDID, anaPost, `{"text":7}`)), "record is not a post"},
		{"not an object", `[1,2]`, "not a post view"},
		{"odd facets and langs are ignored", string(post(anaDID, anaPost, `{"text":"acme","langs":[1,"x y","pt-BR"],"facets":[7,{"features":"no"}]}`)), ""},
	}
	for _, tt := range tests {
		it := parseSearchPost([]byte(tt.raw), brandDID, testNow)
		if it.why != tt.why {
			t.Errorf("%s: why = %q, want %q", tt.name, it.why, tt.why)
		}
		if tt.why == "" && it.post.Lang != "pt-BR" {
			t.Errorf("%s: lang = %q", tt.name, it.post.Lang)
		}
	}

	hostile := post(anaDID, anaPost, `{"text":"`+strings.Repeat("acmé ", 2000)+`\u0000\u202e","createdAt":"not a time",
		"embed":{"$type":"app.bsky.embed.external","external":{"uri":"javascript:alert(1)"}}}`)
	hostile = []byte(strings.Replace(string(hostile), `"handle":"ana.bsky.social"`, `"handle":"javascript:x","displayName":"Ana\u202e\u0007 `+strings.Repeat("x", 600)+`"`, 1))
	it = parseSearchPost(hostile, brandDID, testNow)
	p = it.post
	switch {
	case it.why != "",
		len(p.Text) > listen.MaxMatchBytes || !utf8.ValidString(p.Text) || strings.Contains(p.Text, "javascript"),
		p.Author.Handle != "",
		len(p.Author.DisplayName) > care.MaxNameBytes || strings.ContainsAny(p.Author.DisplayName, "\u202e\a"),
		!p.PostedAt.Equal(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)),
		!strings.HasPrefix(p.URL, "https://bsky.app/profile/"):
		t.Errorf("hostile post = %+v", it)
	}
}

// FuzzSearchResponse feeds the answer parser whatever searchPosts might
// answer: it must not panic, and every post it keeps must be one the store
// takes.
func FuzzSearchResponse(f *testing.F) {
	f.Add([]byte(searchSample))
	f.Add([]byte(`{"posts":[]}`))
	f.Add([]byte(`{"posts":null,"cursor":7}`))
	f.Add([]byte(`{"posts":[{"uri":"at://did:plc:a/app.bsky.feed.post/b","author":{"did":"did:plc:a"},"record":{"text":"\u0000"},"indexedAt":"9999-12-31T23:59:59Z"}],"cursor":"\u00e9"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		page, err := parseSearchPage(body)
		if err != nil {
			return
		}
		if len(page.cursor) > maxSearchCursor || !printable(page.cursor) {
			t.Fatalf("cursor %q", page.cursor)
		}
		for _, raw := range page.posts {
			it := parseSearchPost(raw, brandDID, testNow)
			if it.at.After(testNow) || it.late.After(testNow) || it.late.Before(it.at) || it.at.IsZero() != it.late.IsZero() {
				t.Fatalf("sortAt %v, later time %v", it.at, it.late)
			}
			if it.why != "" {
				continue
			}
			p := it.post
			u, ok := parsePostURI(p.PlatformID)
			switch {
			case !ok || u.DID != p.Author.PlatformUserID || len(p.PlatformID) > maxListenIDBytes,
				p.URL != u.webURL(),
				len(p.Text) > listen.MaxMatchBytes || !utf8.ValidString(p.Text) || strings.IndexByte(p.Text, 0) >= 0,
				len(p.Author.Handle) > care.MaxNameBytes || len(p.Author.DisplayName) > care.MaxNameBytes,
				!utf8.ValidString(p.Author.Handle) || !utf8.ValidString(p.Author.DisplayName),
				len(p.Lang) > 35 || !validLang(p.Lang) && p.Lang != "",
				p.PostedAt.IsZero(),
				p.Author.PlatformUserID == brandDID:
				t.Fatalf("kept %+v", p)
			}
		}
	})
}

func TestSearchMark(t *testing.T) {
	t.Parallel()
	m := searchMark{since: testNow, top: testNow.Add(time.Hour), until: testNow.Add(time.Minute)}
	if got, ok := decodeSearchMark(m.encode()); !ok || got != m {
		t.Errorf("round trip = %+v, %v", got, ok)
	}
	for _, c := range []string{"", "{}", "[]", `{"s":"yesterday"}`, `{"s":"2026-11-24T10:00:00Z","t":"2026-11-24T11:00:00Z"}`,
		`{"s":"2026-11-24T10:00:00Z","t":"x","u":"2026-11-24T10:30:00Z"}`,
		`{"s":"2026-11-24T10:00:00Z","t":"2026-11-24T11:00:00Z","u":"2026-11-24T09:00:00Z"}`,
		`{"s":"2026-11-24T10:00:00Z","u":"2026-11-24T10:30:00Z"}`, strings.Repeat("x", maxCursorBytes+1)} {
		if _, ok := decodeSearchMark(c); ok {
			t.Errorf("cursor %q was accepted", c)
		}
	}
}

func TestSearchInterval(t *testing.T) {
	t.Parallel()
	a := &Adapter{}
	in := care.Inbox{Channel: care.ChannelBluesky, Credentials: map[string]string{CredIdentifier: brandHandle, CredAppPassword: brandPass}}
	if got := a.SearchInterval(in); got != 2*time.Minute {
		t.Errorf("SearchInterval = %v, want 2m", got)
	}
	for _, creds := range []map[string]string{
		{CredIdentifier: brandHandle},
		{CredAppPassword: brandPass},
		{CredIdentifier: brandHandle, CredAppPassword: brandPass, CredAPIBase: "ftp://x"},
	} {
		if got := a.SearchInterval(care.Inbox{Credentials: creds}); got != 0 {
			t.Errorf("SearchInterval(%v) = %v, want 0", creds, got)
		}
	}
}

// search runs one search on w, failing the test on error.
func (w *world) search(t *testing.T, q care.ListenQuery, cursor string) ([]care.ListenPost, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	posts, next, err := w.a.Search(ctx, w.in, q, cursor)
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	for _, p := range posts {
		if !utf8.ValidString(p.Text) || len(p.Text) > listen.MaxMatchBytes || p.PostedAt.IsZero() || !strings.HasPrefix(p.URL, "https://bsky.app/profile/") {
			t.Fatalf("post %+v", p)
		}
	}
	return posts, next
}

func texts(posts []care.ListenPost) []string {
	out := make([]string, len(posts))
	for i, p := range posts {
		out[i] = p.Text
	}
	return out
}

// markOf reads a cursor, failing the test when it cannot.
func markOf(t *testing.T, cursor string) searchMark {
	t.Helper()
	m, ok := decodeSearchMark(cursor)
	if !ok {
		t.Fatalf("cursor %q", cursor)
	}
	return m
}

// TestSearchAgainstFake runs searches against the fake over HTTP: the
// newest page first, then only what is new, the brand's own posts left
// out, authors completed.
func TestSearchAgainstFake(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	q := care.ListenQuery{Terms: []string{"acme", "#acmefail"}, Exclude: []string{"hiring"}}
	widget := w.publish(t, anaDID, bskyfake.PostInput{Text: "Loving my new Acme widget"})
	w.publish(t, benDID, bskyfake.PostInput{Text: "acme corp is hiring"})
	w.publish(t, anaDID, bskyfake.PostInput{Text: "nothing to see"})
	w.publish(t, brandDID, bskyfake.PostInput{Text: "Acme news: a new widget"})
	mention := w.publish(t, benDID, bskyfake.PostInput{Text: "@acme.example.com where is my acme order"})
	fail := w.publish(t, benDID, bskyfake.PostInput{Text: "#AcmeFail the box was empty"})
	w.clock.Add(5 * time.Minute)

	posts, next := w.search(t, q, "")
	if got := texts(posts); len(got) != 3 || got[0] != widget.Text || got[1] != mention.Text || got[2] != fail.Text {
		t.Fatalf("first search = %q", got)
	}
	p := posts[0]
	if p.PlatformID != widget.URI || p.URL != "https://bsky.app/profile/"+anaDID+"/post/"+widget.RKey || p.Source != care.ChannelBluesky ||
		p.Author.PlatformUserID != anaDID || p.Author.Handle != "@ana.bsky.social" || p.Author.DisplayName != "Ana Lima" ||
		p.Author.Followers != 1234 || !p.Author.Verified || p.Lang != "en" || !p.PostedAt.Equal(testNow) {
		t.Errorf("found post = %+v", p)
	}
	if posts[2].Author.Followers != 12 {
		t.Errorf("second author = %+v, want Ben's 12 followers", posts[1].Author)
	}
	if m := markOf(t, next); m.gap() || !m.since.Equal(w.clock.Now().Add(-searchOverlap)) {
		t.Errorf("first cursor = %+v", m)
	}

	again := w.publish(t, anaDID, bskyfake.PostInput{Text: "acme again"})
	rocks := w.publish(t, benDID, bskyfake.PostInput{Text: "ACME rocks"})
	w.clock.Add(3 * time.Minute)
	profiles := w.fake.Calls(bskyfake.GetProfiles)
	posts, next2 := w.search(t, q, next)
	if got := texts(posts); len(got) != 2 || got[0] != again.Text || got[1] != rocks.Text {
		t.Fatalf("second search = %q, want only the new posts", got)
	}
	if w.fake.Calls(bskyfake.GetProfiles) != profiles {
		t.Error("known authors were looked up again")
	}
	if markOf(t, next2).since.Before(markOf(t, next).since) {
		t.Errorf("cursor went back: %s after %s", next2, next)
	}

	w.clock.Add(3 * time.Minute)
	posts, next3 := w.search(t, q, next2)
	if len(posts) != 0 || !markOf(t, next3).since.After(markOf(t, next2).since) {
		t.Errorf("quiet search = %q, %s", texts(posts), next3)
	}
}

// TestSearchPages checks that a call follows pages, and that a burst larger
// than one call reads is read by the next calls, none skipped.
func TestSearchPages(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	q := care.ListenQuery{Terms: []string{"acme"}}
	_, cursor := w.search(t, q, "")

	for i := range 250 {
		w.publish(t, anaDID, bskyfake.PostInput{Text: "acme burst " + strconv.Itoa(i)})
	}
	w.clock.Add(3 * time.Minute)
	calls := w.fake.Calls(bskyfake.SearchPosts)
	posts, cursor := w.search(t, q, cursor)
	if len(posts) != 250 || w.fake.Calls(bskyfake.SearchPosts)-calls != 3 {
		t.Fatalf("burst of 250 = %d posts in %d calls, want 250 in 3 pages", len(posts), w.fake.Calls(bskyfake.SearchPosts)-calls)
	}
	if posts[0].Text != "acme burst 0" || posts[249].Text != "acme burst 249" {
		t.Errorf("posts not oldest first: %q … %q", posts[0].Text, posts[249].Text)
	}

	want := map[string]bool{}
	for i := range 720 {
		p := w.publish(t, benDID, bskyfake.PostInput{Text: "acme flood " + strconv.Itoa(i)})
		want[p.URI] = true
	}
	w.clock.Add(3 * time.Minute)
	calls = w.fake.Calls(bskyfake.SearchPosts)
	posts, next := w.search(t, q, cursor)
	if len(posts) != searchPages*searchLimit || w.fake.Calls(bskyfake.SearchPosts)-calls != searchPages {
		t.Fatalf("flood of 720 = %d posts in %d calls, want %d in %d", len(posts), w.fake.Calls(bskyfake.SearchPosts)-calls,
			searchPages*searchLimit, searchPages)
	}
	if m := markOf(t, next); !m.gap() || m.since.Before(markOf(t, cursor).since) {
		t.Errorf("cursor after a bounded call = %+v, want a gap", m)
	}
	for _, p := range posts {
		delete(want, p.PlatformID)
	}
	late := w.publish(t, anaDID, bskyfake.PostInput{Text: "acme during the flood"})
	w.clock.Add(3 * time.Minute)
	posts, next2 := w.search(t, q, next)
	for _, p := range posts {
		delete(want, p.PlatformID)
	}
	if len(want) != 0 {
		t.Errorf("%d posts of the flood were never found", len(want))
	}
	if len(posts) == 0 || posts[len(posts)-1].PlatformID != late.URI {
		t.Errorf("the post written during the flood was not found after it")
	}
	if m := markOf(t, next2); m.gap() || m.since.Before(markOf(t, next).since) {
		t.Errorf("cursor after the gap = %+v", m)
	}
}

// TestSearchBacklogCap checks that a cursor a week old reads one day.
func TestSearchBacklogCap(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	q := care.ListenQuery{Terms: []string{"acme"}}
	old := w.publish(t, anaDID, bskyfake.PostInput{Text: "acme old"})
	_, cursor := w.search(t, q, "")
	w.clock.Add(7 * 24 * time.Hour)
	recent := w.publish(t, anaDID, bskyfake.PostInput{Text: "acme recent"})
	m := markOf(t, cursor)
	m.since = old.IndexedAt.Add(-time.Minute) // as if the first search had been then
	posts, next := w.search(t, q, m.encode())
	if len(posts) != 1 || posts[0].PlatformID != recent.URI {
		t.Errorf("after a week = %q, want the recent post only", texts(posts))
	}
	if got := markOf(t, next).since; got.Before(w.clock.Now().Add(-maxSearchBacklog)) {
		t.Errorf("mark %v left older than a day", got)
	}
}

// TestSearchErrors checks how Bluesky's refusals and odd answers come back.
func TestSearchErrors(t *testing.T) {
	t.Parallel()
	q := care.ListenQuery{Terms: []string{"acme"}}
	cursor := searchMark{since: testNow.Add(-time.Minute)}.encode()
	tests := []struct {
		name      string
		fail      func(f *bskyfake.Fake)
		permanent bool
		retry     time.Duration
		reason    string
	}{
		{"rate limited", func(f *bskyfake.Fake) { f.FailNext(bskyfake.SearchPosts, 1, http.StatusTooManyRequests) }, false, 61 * time.Second, "rate limit"},
		{"session refused twice", func(f *bskyfake.Fake) { f.FailNext(bskyfake.SearchPosts, 2, http.StatusUnauthorized) }, true, 0, "refused the inbox's session"},
		{"forbidden", func(f *bskyfake.Fake) { f.FailNext(bskyfake.SearchPosts, 1, http.StatusForbidden) }, true, 0, "refused searching posts"},
		{"server error", func(f *bskyfake.Fake) { f.FailNext(bskyfake.SearchPosts, 1, http.StatusBadGateway) }, false, 0, "having trouble"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			tt.fail(w.fake)
			posts, next, err := w.a.Search(context.Background(), w.in, q, cursor)
			var se *channel.SendError
			if !errors.As(err, &se) || se.Permanent != tt.permanent || se.RetryAfter != tt.retry || !strings.Contains(se.Reason, tt.reason) {
				t.Fatalf("Search = %v (%+v), want permanent %v, retry %v, reason with %q", err, se, tt.permanent, tt.retry, tt.reason)
			}
			if posts != nil || next != cursor {
				t.Errorf("Search = %v, %q on an error; want nothing and the cursor kept", posts, next)
			}
			if tt.name == "rate limited" && !strings.HasPrefix(se.RateLimit, "0/3000 left") {
				t.Errorf("RateLimit = %q", se.RateLimit)
			}
		})
	}

	t.Run("too long", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t)
		long := care.ListenQuery{Terms: []string{strings.Repeat("acme ", 300)}}
		_, next, err := w.a.Search(context.Background(), w.in, long, cursor)
		var se *channel.SendError
		if !errors.As(err, &se) || !se.Permanent || !strings.Contains(err.Error(), "shorten the subject's terms") || care.ErrorCode(err) != care.EINVALID || next != cursor {
			t.Fatalf("Search = %v; want a permanent EINVALID error", err)
		}
		if w.fake.Calls(bskyfake.SearchPosts) != 0 {
			t.Error("a query too long was sent")
		}
	})
}

// TestSearchOddAnswers serves the search from a stand-in that answers what
// Bluesky should not: the error must say so, and a hostile post must come
// back bounded.
func TestSearchOddAnswers(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	var answer atomic.Value // string
	answer.Store("")
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if body := answer.Load().(string); strings.HasSuffix(r.URL.Path, "/"+searchNSID) && body != "" {
			rw.Header().Set("Content-Type", "application/json")
			rw.Write([]byte(body))
			return
		}
		w.fake.ServeHTTP(rw, r)
	}))
	t.Cleanup(srv.Close)
	w.in.Credentials[CredAPIBase] = srv.URL
	q := care.ListenQuery{Terms: []string{"acme"}}

	for _, body := range []string{`{"posts":[`, `{"cursor":"25"}`, `<html>503</html>`} {
		answer.Store(body)
		_, _, err := w.a.Search(context.Background(), w.in, q, "")
		var se *channel.SendError
		if !errors.As(err, &se) || se.Permanent || !strings.Contains(se.Reason, "search answer was not understood") {
			t.Errorf("answer %q: Search = %v", body, err)
		}
	}

	answer.Store("")
	big := `{"$type":"app.bsky.feed.post","text":"acme ` + strings.Repeat("é", 5000) + `","createdAt":"2026-11-24T09:59:00Z","langs":["pt-BR"],` +
		`"embed":{"$type":"app.bsky.embed.external","external":{"uri":"javascript:alert(1)"}}}`
	if _, err := w.fake.PublishRecord(anaDID, json.RawMessage(big)); err != nil {
		t.Fatal(err)
	}
	posts, _ := w.search(t, q, "")
	if len(posts) != 1 {
		t.Fatalf("found %d posts", len(posts))
	}
	p := posts[0]
	if len(p.Text) > listen.MaxMatchBytes || strings.Contains(p.Text, "javascript") ||
		p.Lang != "pt-BR" || !strings.HasPrefix(p.URL, "https://bsky.app/profile/"+anaDID+"/post/") {
		t.Errorf("hostile post = %q (%d bytes), lang %q, url %q", channel.Cut(p.Text, 40), len(p.Text), p.Lang, p.URL)
	}
}

// BenchmarkSearchPage measures reading a full page of results.
func BenchmarkSearchPage(b *testing.B) {
	var sample struct {
		Posts []json.RawMessage `json:"posts"`
	}
	if err := json.Unmarshal([]byte(searchSample), &sample); err != nil {
		b.Fatal(err)
	}
	posts := make([]json.RawMessage, searchLimit)
	for i := range posts {
		posts[i] = sample.Posts[i%2]
	}
	body, _ := json.Marshal(map[string]any{"cursor": "100", "posts": posts})
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		page, err := parseSearchPage(body)
		if err != nil {
			b.Fatal(err)
		}
		for _, raw := range page.posts {
			parseSearchPost(raw, brandDID, testNow)
		}
	}
}
