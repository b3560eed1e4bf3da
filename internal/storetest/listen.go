package storetest

import (
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// newListenPost returns a found post with every field set, posted at
// posted and found a minute later.
func newListenPost(ws *care.Workspace, source care.Channel, platformID string, posted time.Time, subjects ...string) care.ListenPost {
	return care.ListenPost{
		WorkspaceID: ws.ID, InboxID: 7, Source: source, PlatformID: platformID,
		URL:    "https://example.com/p/" + platformID,
		Author: care.Author{PlatformUserID: "u-" + platformID, DisplayName: "Ada", Handle: "ada", Followers: 12},
		Text:   "about " + platformID, Lang: "en", PostedAt: posted, FoundAt: posted.Add(time.Minute),
		Subjects: subjects, Sentiment: 0.25,
	}
}

func mustAddListen(t *testing.T, q care.Queries, posts []care.ListenPost, want int) {
	t.Helper()
	n, err := q.AddListenPosts(t.Context(), posts)
	must(t, err, "AddListenPosts")
	if n != want {
		t.Fatalf("AddListenPosts() added %d, want %d", n, want)
	}
}

// allListen reads every post of a workspace in [from, to) a page of limit
// at a time, following the cursor, and fails on a repeated post.
func allListen(t *testing.T, s care.Store, wsID care.ID, f care.ListenFilter) []care.ListenPost {
	t.Helper()
	var out []care.ListenPost
	seen := map[care.ID]bool{}
	for range 1000 {
		page, err := s.ListenPosts(t.Context(), wsID, f)
		must(t, err, "ListenPosts(%+v)", f)
		for _, p := range page {
			if seen[p.ID] {
				t.Fatalf("post %d came twice, the second time after cursor (%v, %d)", p.ID, f.Before, f.BeforeID)
			}
			seen[p.ID] = true
		}
		out = append(out, page...)
		if len(page) < f.Limit {
			return out
		}
		last := page[len(page)-1]
		f.Before, f.BeforeID = last.PostedAt, last.ID
	}
	t.Fatal("ListenPosts never reached a short page")
	return nil
}

func listenIDs(posts []care.ListenPost) []care.ID {
	out := make([]care.ID, len(posts))
	for i, p := range posts {
		out[i] = p.ID
	}
	return out
}

// newestFirst returns the ids of posts ordered as a page lists them.
func newestFirst(posts ...care.ListenPost) []care.ID {
	ps := slices.Clone(posts)
	slices.SortFunc(ps, func(a, b care.ListenPost) int {
		if c := b.PostedAt.Compare(a.PostedAt); c != 0 {
			return c
		}
		return int(b.ID - a.ID)
	})
	return listenIDs(ps)
}

// wideOpen is a filter over every time a test uses.
func wideOpen(limit int) care.ListenFilter {
	return care.ListenFilter{From: at(-1000 * time.Hour), To: at(1000 * time.Hour), Limit: limit}
}

func testListen(t *testing.T, open opener) {
	t.Run("AddSkipsPostsFoundAgain", func(t *testing.T) {
		s := open(t)
		ws, other := mustWorkspace(t, s, "acme"), mustWorkspace(t, s, "other")
		batch := []care.ListenPost{
			newListenPost(ws, care.ChannelX, "1", at(0)),
			newListenPost(ws, care.ChannelX, "2", at(time.Minute)),
			newListenPost(ws, care.ChannelX, "1", at(2*time.Minute)), // twice in one call
		}
		batch[2].ID = 99 // a stale id is not kept
		mustAddListen(t, s, batch, 2)
		if batch[0].ID == 0 || batch[1].ID == 0 || batch[0].ID == batch[1].ID {
			t.Errorf("ids of added posts = %d, %d; want two distinct ids", batch[0].ID, batch[1].ID)
		}
		if batch[2].ID != 0 {
			t.Errorf("id of a repeat in the same call = %d, want 0", batch[2].ID)
		}

		again := []care.ListenPost{
			newListenPost(ws, care.ChannelX, "2", at(time.Minute)),
			newListenPost(ws, care.ChannelX, "3", at(3*time.Minute)),
			newListenPost(ws, care.ChannelMastodon, "1", at(4*time.Minute)), // another platform's "1"
			newListenPost(other, care.ChannelX, "1", at(5*time.Minute)),     // another workspace's "1"
		}
		mustAddListen(t, s, again, 3)
		if again[0].ID != 0 || again[1].ID == 0 || again[2].ID == 0 || again[3].ID == 0 {
			t.Errorf("ids after a second call = %v, want 0 for the repeat only", listenIDs(again))
		}
		mustAddListen(t, s, nil, 0)
		mustAddListen(t, s, slices.Clone(again), 0)

		got := allListen(t, s, ws.ID, wideOpen(100))
		if d := diff(newestFirst(batch[0], batch[1], again[1], again[2]), listenIDs(got)); d != "" {
			t.Errorf("posts of the workspace (-want +got):\n%s", d)
		}
		if got := allListen(t, s, other.ID, wideOpen(100)); len(got) != 1 || got[0].ID != again[3].ID {
			t.Errorf("posts of the other workspace = %v, want [%d]", listenIDs(got), again[3].ID)
		}
	})

	t.Run("AddManyInChunks", func(t *testing.T) {
		s := open(t)
		ws := mustWorkspace(t, s, "acme")
		var posts []care.ListenPost
		for i := range 300 {
			posts = append(posts, newListenPost(ws, care.ChannelX, fmt.Sprint(i%250), at(time.Duration(i)*time.Second)))
		}
		mustAddListen(t, s, posts, 250)
		mustAddListen(t, s, posts[:130], 0)
		if got := allListen(t, s, ws.ID, wideOpen(care.MaxListenPage)); len(got) != 250 {
			t.Errorf("ListenPosts() = %d posts, want 250", len(got))
		}
	})

	t.Run("RoundTrip", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws := mustWorkspace(t, s, "acme")
		long := strings.Repeat("é", care.MaxListenText/2)
		posts := []care.ListenPost{{
			WorkspaceID: ws.ID, InboxID: missingID, Source: care.ChannelReddit, PlatformID: "t3_abc/κ",
			URL: "https://www.reddit.com/r/x/comments/abc/?q=%22a%22&b=<i>",
			Author: care.Author{PlatformUserID: "t2_9", DisplayName: "Zoë <b>\"O'Brien\"</b>", Handle: "@zoe@example.social",
				Followers: 1 << 40, Verified: true},
			Text: "🙂👨‍👩‍👧 <script>alert(1)</script> '; DROP TABLE listen_posts; -- \x01\x07\x1b[31m\x7f\t\r\n مرحبا \u202e e\u0301",
			Lang: "pt-BR", PostedAt: at(-time.Hour), FoundAt: at(0),
			Subjects: []string{"Acme", "100% _off_", "Zoë & Co"}, Sentiment: -0.875,
			// Each as it was, however many digits it takes.
			SubjectSentiments: []float64{-1, 0.1 + 0.2, 0.6201736729460423},
		}, {
			WorkspaceID: ws.ID, Source: "a-platform-we-do-not-know", PlatformID: strings.Repeat("9", care.MaxPlatformIDBytes),
			Text: long, PostedAt: at(-2 * time.Hour), FoundAt: at(-2 * time.Hour), Sentiment: 1,
		}}
		want := slices.Clone(posts)
		mustAddListen(t, s, posts, 2)
		for i := range want {
			want[i].ID = posts[i].ID
			want[i].PostedAt, want[i].FoundAt = micro(want[i].PostedAt), micro(want[i].FoundAt)
		}
		got, err := s.ListenPosts(ctx, ws.ID, wideOpen(10))
		must(t, err, "ListenPosts")
		if d := diff(want, got); d != "" {
			t.Errorf("ListenPosts() (-want +got):\n%s", d)
		}
		for i, p := range got {
			checkUTC(t, fmt.Sprintf("post %d times", i), p.PostedAt, p.FoundAt)
			sameText(t, fmt.Sprintf("post %d text", i), want[i].Text, p.Text)
		}
		if d := diff(want, posts); d != "" {
			t.Errorf("the caller's posts after AddListenPosts (-want +got):\n%s", d)
		}
	})

	t.Run("MissingTimes", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws := mustWorkspace(t, s, "acme")
		p := newListenPost(ws, care.ChannelX, "1", time.Time{})
		p.FoundAt = at(0)
		posts := []care.ListenPost{p}
		mustAddListen(t, s, posts, 1)
		if !posts[0].PostedAt.Equal(micro(at(0))) {
			t.Errorf("PostedAt of a post without one = %v, want when it was found, %v", posts[0].PostedAt, micro(at(0)))
		}
		got, err := s.ListenPosts(ctx, ws.ID, wideOpen(10))
		must(t, err, "ListenPosts")
		if len(got) != 1 || !got[0].PostedAt.Equal(micro(at(0))) {
			t.Errorf("ListenPosts() = %+v, want the post, posted when found", got)
		}
	})

	t.Run("Subject", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws := mustWorkspace(t, s, "acme")
		posts := []care.ListenPost{
			newListenPost(ws, care.ChannelX, "acme", at(1*time.Minute), "Acme"),
			newListenPost(ws, care.ChannelX, "acme-air", at(2*time.Minute), "Acme Air"),
			newListenPost(ws, care.ChannelX, "both", at(3*time.Minute), "Acme Air", "Acme"),
			newListenPost(ws, care.ChannelX, "percent", at(4*time.Minute), "100%_off"),
			newListenPost(ws, care.ChannelX, "lookalike", at(5*time.Minute), "100x-off", "100%_of"),
			newListenPost(ws, care.ChannelX, "none", at(6*time.Minute)),
			newListenPost(ws, care.ChannelX, "middle", at(7*time.Minute), "Zeta", "Acme", "Beta"),
		}
		mustAddListen(t, s, posts, len(posts))
		id := func(is ...int) []care.ID {
			var ps []care.ListenPost
			for _, i := range is {
				ps = append(ps, posts[i])
			}
			return newestFirst(ps...)
		}
		tests := []struct {
			subject string
			want    []care.ID
		}{
			{"", id(0, 1, 2, 3, 4, 5, 6)},
			{"Acme", id(0, 2, 6)},
			{"Acme Air", id(1, 2)},
			{"acme", nil},
			{"Air", nil},
			{"Acm", nil},
			{"100%_off", id(3)},
			{"100%_of", id(4)},
			{"100%", nil},
			{"%", nil},
			{"_", nil},
			{"100__off", nil},
			{"Zeta", id(6)},
			{"Beta", id(6)},
		}
		for _, tt := range tests {
			t.Run(tt.subject, func(t *testing.T) {
				f := wideOpen(100)
				f.Subject = tt.subject
				got, err := s.ListenPosts(ctx, ws.ID, f)
				must(t, err, "ListenPosts(subject %q)", tt.subject)
				if d := diff(tt.want, listenIDs(got)); d != "" {
					t.Errorf("ListenPosts(subject %q) (-want +got):\n%s", tt.subject, d)
				}
			})
		}
	})

	t.Run("Source", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws := mustWorkspace(t, s, "acme")
		x := newListenPost(ws, care.ChannelX, "1", at(time.Minute), "Acme")
		m := newListenPost(ws, care.ChannelMastodon, "1", at(2*time.Minute), "Acme")
		r := newListenPost(ws, care.ChannelReddit, "2", at(3*time.Minute), "Rival")
		posts := []care.ListenPost{x, m, r}
		mustAddListen(t, s, posts, 3)
		tests := []struct {
			source  care.Channel
			subject string
			want    []care.ID
		}{
			{care.ChannelX, "", []care.ID{posts[0].ID}},
			{care.ChannelMastodon, "Acme", []care.ID{posts[1].ID}},
			{care.ChannelReddit, "Acme", nil},
			{care.ChannelFacebook, "", nil},
		}
		for _, tt := range tests {
			f := wideOpen(100)
			f.Source, f.Subject = tt.source, tt.subject
			got, err := s.ListenPosts(ctx, ws.ID, f)
			must(t, err, "ListenPosts(%q, %q)", tt.source, tt.subject)
			if d := diff(tt.want, listenIDs(got)); d != "" {
				t.Errorf("ListenPosts(source %q, subject %q) (-want +got):\n%s", tt.source, tt.subject, d)
			}
		}
	})

	t.Run("Pages", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws := mustWorkspace(t, s, "acme")
		// Five posts at each of five instants, stored out of time order,
		// so ids and times disagree and equal times are common.
		var posts []care.ListenPost
		for i := range 25 {
			posts = append(posts, newListenPost(ws, care.ChannelX, fmt.Sprint(i), at(time.Duration((i*3)%5)*time.Minute), "Acme"))
		}
		for i := range posts {
			mustAddListen(t, s, posts[i:i+1], 1)
		}
		all := newestFirst(posts...)
		for _, limit := range []int{1, 2, 3, 5, 7, 24, 25, 26, care.MaxListenPage} {
			t.Run(fmt.Sprint(limit), func(t *testing.T) {
				if d := diff(all, listenIDs(allListen(t, s, ws.ID, wideOpen(limit)))); d != "" {
					t.Errorf("posts read %d at a time (-want +got):\n%s", limit, d)
				}
			})
		}

		// [From, To) bounds the pages too.
		f := care.ListenFilter{From: at(time.Minute), To: at(3 * time.Minute), Limit: 4}
		var want []care.ListenPost
		for _, p := range posts {
			if !p.PostedAt.Before(micro(f.From)) && p.PostedAt.Before(micro(f.To)) {
				want = append(want, p)
			}
		}
		if d := diff(newestFirst(want...), listenIDs(allListen(t, s, ws.ID, f))); d != "" {
			t.Errorf("posts in [1m, 3m) (-want +got):\n%s", d)
		}

		// A post found after the first page was read does not shift the
		// pages after it: the cursor is a position, not an offset.
		f = wideOpen(6)
		first, err := s.ListenPosts(ctx, ws.ID, f)
		must(t, err, "ListenPosts")
		mustAddListen(t, s, []care.ListenPost{newListenPost(ws, care.ChannelX, "late", at(10*time.Minute))}, 1)
		f.Before, f.BeforeID = first[len(first)-1].PostedAt, first[len(first)-1].ID
		rest := allListen(t, s, ws.ID, f)
		if d := diff(all, append(listenIDs(first), listenIDs(rest)...)); d != "" {
			t.Errorf("pages around a post found meanwhile (-want +got):\n%s", d)
		}

		// A cursor with no id continues before its time.
		f = wideOpen(100)
		f.Before = at(2 * time.Minute)
		got, err := s.ListenPosts(ctx, ws.ID, f)
		must(t, err, "ListenPosts")
		for _, p := range got {
			if !p.PostedAt.Before(micro(at(2 * time.Minute))) {
				t.Errorf("post at %v after a cursor at %v with no id", p.PostedAt, micro(at(2*time.Minute)))
			}
		}
		if len(got) != 10 {
			t.Errorf("posts before 2m = %d, want 10", len(got))
		}
	})

	t.Run("InvalidPosts", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws := mustWorkspace(t, s, "acme")
		tests := []struct {
			name string
			edit func(p *care.ListenPost)
		}{
			{"NoWorkspace", func(p *care.ListenPost) { p.WorkspaceID = 0 }},
			{"NoSource", func(p *care.ListenPost) { p.Source = "" }},
			{"LongSource", func(p *care.ListenPost) { p.Source = care.Channel(strings.Repeat("x", care.MaxPlatformIDBytes+1)) }},
			{"NoPlatformID", func(p *care.ListenPost) { p.PlatformID = "" }},
			{"LongPlatformID", func(p *care.ListenPost) { p.PlatformID = strings.Repeat("9", care.MaxPlatformIDBytes+1) }},
			{"PlatformIDNotUTF8", func(p *care.ListenPost) { p.PlatformID = "\xff" }},
			{"LongText", func(p *care.ListenPost) { p.Text = strings.Repeat("a", care.MaxListenText+1) }},
			{"TextNotUTF8", func(p *care.ListenPost) { p.Text = "caf\xc3" }},
			{"TextWithNUL", func(p *care.ListenPost) { p.Text = "a\x00b" }},
			{"LongURL", func(p *care.ListenPost) { p.URL = "https://example.com/" + strings.Repeat("a", 2048) }},
			{"ScriptURL", func(p *care.ListenPost) { p.URL = "javascript:alert(1)//https://" }},
			{"RelativeURL", func(p *care.ListenPost) { p.URL = "/r/x" }},
			{"AuthorNameNotUTF8", func(p *care.ListenPost) { p.Author.DisplayName = "\xfe" }},
			{"LongHandle", func(p *care.ListenPost) { p.Author.Handle = strings.Repeat("h", care.MaxNameBytes+1) }},
			{"NegativeFollowers", func(p *care.ListenPost) { p.Author.Followers = -1 }},
			{"LongLang", func(p *care.ListenPost) { p.Lang = strings.Repeat("x", 65) }},
			{"SentimentNaN", func(p *care.ListenPost) { p.Sentiment = math.NaN() }},
			{"SentimentAboveOne", func(p *care.ListenPost) { p.Sentiment = 1.5 }},
			{"SentimentInfinite", func(p *care.ListenPost) { p.Sentiment = math.Inf(-1) }},
			{"EmptySubject", func(p *care.ListenPost) { p.Subjects = []string{"Acme", ""} }},
			{"SubjectWithNewline", func(p *care.ListenPost) { p.Subjects = []string{"Acme\nAir"} }},
			{"SubjectWithControl", func(p *care.ListenPost) { p.Subjects = []string{"Acme\x1b"} }},
			{"ManySubjects", func(p *care.ListenPost) { p.Subjects = slices.Repeat([]string{"Acme"}, 101) }},
			{"SubjectSentimentsNotParallel", func(p *care.ListenPost) {
				p.Subjects, p.SubjectSentiments = []string{"Acme", "Rival"}, []float64{0.5}
			}},
			{"SubjectSentimentsWithoutSubjects", func(p *care.ListenPost) { p.Subjects, p.SubjectSentiments = nil, []float64{0.5} }},
			{"SubjectSentimentNaN", func(p *care.ListenPost) { p.Subjects, p.SubjectSentiments = []string{"Acme"}, []float64{math.NaN()} }},
			{"SubjectSentimentBelowMinusOne", func(p *care.ListenPost) { p.Subjects, p.SubjectSentiments = []string{"Acme"}, []float64{-1.5} }},
			{"SubjectSentimentInfinite", func(p *care.ListenPost) { p.Subjects, p.SubjectSentiments = []string{"Acme"}, []float64{math.Inf(1)} }},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				bad := newListenPost(ws, care.ChannelX, "bad", at(0))
				tt.edit(&bad)
				// A valid post before the bad one is not stored either.
				posts := []care.ListenPost{newListenPost(ws, care.ChannelX, "good", at(0)), bad}
				n, err := s.AddListenPosts(ctx, posts)
				wantCode(t, err, care.EINVALID, "AddListenPosts(%s)", tt.name)
				if n != 0 || posts[0].ID != 0 {
					t.Errorf("AddListenPosts(%s) added %d, id %d; want nothing", tt.name, n, posts[0].ID)
				}
				if got := allListen(t, s, ws.ID, wideOpen(10)); len(got) != 0 {
					t.Errorf("posts after an invalid batch = %v, want none", listenIDs(got))
				}
			})
		}
	})

	t.Run("InvalidReads", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws := mustWorkspace(t, s, "acme")
		tests := []struct {
			name string
			f    care.ListenFilter
		}{
			{"NoLimit", care.ListenFilter{From: at(0), To: at(time.Hour)}},
			{"NegativeLimit", care.ListenFilter{From: at(0), To: at(time.Hour), Limit: -1}},
			{"LimitTooBig", care.ListenFilter{From: at(0), To: at(time.Hour), Limit: care.MaxListenPage + 1}},
			{"EmptyPeriod", care.ListenFilter{From: at(0), To: at(0), Limit: 10}},
			{"BackwardPeriod", care.ListenFilter{From: at(time.Hour), To: at(0), Limit: 10}},
			{"NoPeriod", care.ListenFilter{Limit: 10}},
			{"SubjectWithNewline", care.ListenFilter{From: at(0), To: at(time.Hour), Limit: 10, Subject: "Acme\nAir"}},
		}
		for _, tt := range tests {
			_, err := s.ListenPosts(ctx, ws.ID, tt.f)
			wantCode(t, err, care.EINVALID, "ListenPosts(%s)", tt.name)
		}
		for _, limit := range []int{0, -1} {
			_, err := s.ListenPoints(ctx, ws.ID, at(0), at(time.Hour), limit)
			wantCode(t, err, care.EINVALID, "ListenPoints(limit %d)", limit)
		}
		_, err := s.ListenPoints(ctx, ws.ID, at(time.Hour), at(time.Hour), 10)
		wantCode(t, err, care.EINVALID, "ListenPoints(empty period)")
		_, err = s.ListenPoints(ctx, ws.ID, at(time.Hour), at(0), 10)
		wantCode(t, err, care.EINVALID, "ListenPoints(backward period)")

		got, err := s.ListenPosts(ctx, ws.ID, care.ListenFilter{From: at(0), To: at(time.Hour), Limit: care.MaxListenPage})
		must(t, err, "ListenPosts(largest page)")
		if got == nil || len(got) != 0 {
			t.Errorf("ListenPosts() of nothing = %#v, want an empty, non-nil page", got)
		}
	})

	t.Run("Points", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws, other := mustWorkspace(t, s, "acme"), mustWorkspace(t, s, "other")
		posts := []care.ListenPost{
			newListenPost(ws, care.ChannelX, "1", at(1*time.Minute), "Acme"),
			newListenPost(ws, care.ChannelReddit, "2", at(2*time.Minute), "Acme", "Rival"),
			newListenPost(ws, care.ChannelX, "3", at(2*time.Minute)),
			newListenPost(ws, care.ChannelX, "4", at(3*time.Minute), "Rival"),
			newListenPost(ws, care.ChannelX, "5", at(4*time.Minute), "Acme"), // at To: left out
			newListenPost(other, care.ChannelX, "6", at(2*time.Minute), "Acme"),
		}
		posts[1].Sentiment, posts[1].Author.Followers = -0.5, 1<<33
		posts[1].SubjectSentiments = []float64{-0.75, 0.5}
		posts[3].Sentiment = 1
		mustAddListen(t, s, posts, len(posts))
		point := func(i int) care.ListenPoint {
			p := posts[i]
			each := p.SubjectSentiments
			if each == nil {
				// A post without them reads as its sentiment for each.
				for range p.Subjects {
					each = append(each, p.Sentiment)
				}
			}
			return care.ListenPoint{PostedAt: micro(p.PostedAt), Source: p.Source, Subjects: p.Subjects, Sentiment: p.Sentiment,
				SubjectSentiments: each, Followers: p.Author.Followers}
		}
		// posts[1] and posts[2] share a time; the later id comes first.
		tied := []care.ListenPoint{point(1), point(2)}
		if posts[2].ID > posts[1].ID {
			tied = []care.ListenPoint{point(2), point(1)}
		}
		tests := []struct {
			name     string
			from, to time.Time
			limit    int
			want     []care.ListenPoint
		}{
			{"All", at(0), at(4 * time.Minute), 100, append(append([]care.ListenPoint{point(3)}, tied...), point(0))},
			{"Limit", at(0), at(4 * time.Minute), 2, append([]care.ListenPoint{point(3)}, tied[0])},
			{"FromInclusive", at(2 * time.Minute), at(4 * time.Minute), 100, append([]care.ListenPoint{point(3)}, tied...)},
			{"Nothing", at(10 * time.Minute), at(20 * time.Minute), 100, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := s.ListenPoints(ctx, ws.ID, tt.from, tt.to, tt.limit)
				must(t, err, "ListenPoints")
				if d := diff(tt.want, got); d != "" {
					t.Errorf("ListenPoints() (-want +got):\n%s", d)
				}
				for i, p := range got {
					checkUTC(t, fmt.Sprintf("point %d", i), p.PostedAt)
				}
			})
		}
	})

	t.Run("SubjectSentiments", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws := mustWorkspace(t, s, "acme")
		apart := newListenPost(ws, care.ChannelX, "apart", at(0), "Acme", "Rival")
		apart.Sentiment, apart.SubjectSentiments = 0.0625, []float64{-0.5, 0.75}
		one := newListenPost(ws, care.ChannelX, "one", at(time.Minute), "Acme", "Rival")
		one.Sentiment = -0.5
		mustAddListen(t, s, []care.ListenPost{apart, one}, 2)
		want := map[string][]float64{"apart": {-0.5, 0.75}, "one": {-0.5, -0.5}}
		// A row stored before subjects were read apart, as an older Parley
		// wrote it: without the column, which it did not know.
		if w, ok := s.(interface{ Writer() *sql.DB }); ok {
			ins := `INSERT INTO listen_posts (workspace_id, source, platform_id, text, posted_at, found_at, subjects, sentiment)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
			if s.Dialect() == "postgres" {
				ins = `INSERT INTO listen_posts (workspace_id, source, platform_id, text, posted_at, found_at, subjects, sentiment)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
			}
			_, err := w.Writer().ExecContext(ctx, ins, ws.ID, "x", "old", "acme vs rival", at(2*time.Minute).UnixMicro(),
				at(2*time.Minute).UnixMicro(), "Acme\nRival", 0.5)
			must(t, err, "insert an old row")
			want["old"] = []float64{0.5, 0.5}
		}
		got := map[string][]float64{}
		for _, p := range allListen(t, s, ws.ID, wideOpen(10)) {
			got[p.PlatformID] = p.SubjectSentiments
		}
		if d := diff(want, got); d != "" {
			t.Errorf("ListenPosts() subject sentiments (-want +got):\n%s", d)
		}
		points, err := s.ListenPoints(ctx, ws.ID, at(-time.Hour), at(time.Hour), 10)
		must(t, err, "ListenPoints")
		var gotPoints, wantPoints [][]float64
		for _, p := range points {
			gotPoints = append(gotPoints, p.SubjectSentiments)
		}
		for _, id := range []string{"old", "one", "apart"} {
			if w, ok := want[id]; ok {
				wantPoints = append(wantPoints, w)
			}
		}
		if d := diff(wantPoints, gotPoints); d != "" {
			t.Errorf("ListenPoints() subject sentiments, newest first (-want +got):\n%s", d)
		}
	})

	t.Run("Prune", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws, other := mustWorkspace(t, s, "acme"), mustWorkspace(t, s, "other")
		var posts []care.ListenPost
		for i := range 5 {
			posts = append(posts, newListenPost(ws, care.ChannelX, fmt.Sprint("old-", i), at(time.Duration(i)*time.Minute)))
		}
		posts = append(posts, newListenPost(ws, care.ChannelX, "new", at(time.Hour)), newListenPost(other, care.ChannelX, "theirs", at(0)))
		mustAddListen(t, s, posts, 7)
		n, err := s.PruneListenPosts(ctx, ws.ID, at(time.Hour), 3)
		must(t, err, "PruneListenPosts")
		if n != 3 {
			t.Fatalf("PruneListenPosts(limit 3) deleted %d", n)
		}
		// The oldest went first.
		if got, want := listenIDs(allListen(t, s, ws.ID, wideOpen(10))), newestFirst(posts[3], posts[4], posts[5]); !slices.Equal(got, want) {
			t.Errorf("after pruning three: %v, want %v", got, want)
		}
		n, err = s.PruneListenPosts(ctx, ws.ID, at(time.Hour), 100)
		must(t, err, "PruneListenPosts")
		if n != 2 {
			t.Errorf("PruneListenPosts deleted %d of the two left before the hour", n)
		}
		if got := allListen(t, s, ws.ID, wideOpen(10)); len(got) != 1 || got[0].PlatformID != "new" {
			t.Errorf("after pruning: %v, want the newer post only", listenIDs(got))
		}
		if got := allListen(t, s, other.ID, wideOpen(10)); len(got) != 1 {
			t.Errorf("another workspace's post was pruned")
		}
		_, err = s.PruneListenPosts(ctx, ws.ID, at(time.Hour), 0)
		wantCode(t, err, care.EINVALID, "PruneListenPosts(limit 0)")
	})

	t.Run("WorkspacesApart", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws, other := mustWorkspace(t, s, "acme"), mustWorkspace(t, s, "other")
		mine := newListenPost(ws, care.ChannelX, "1", at(0), "Acme")
		theirs := newListenPost(other, care.ChannelX, "2", at(0), "Acme")
		posts := []care.ListenPost{mine, theirs}
		mustAddListen(t, s, posts, 2)
		f := wideOpen(100)
		f.Subject, f.Source = "Acme", care.ChannelX
		got, err := s.ListenPosts(ctx, ws.ID, f)
		must(t, err, "ListenPosts")
		if d := diff([]care.ID{posts[0].ID}, listenIDs(got)); d != "" {
			t.Errorf("ListenPosts() (-want +got):\n%s", d)
		}
		points, err := s.ListenPoints(ctx, other.ID, at(-time.Hour), at(time.Hour), 100)
		must(t, err, "ListenPoints")
		if len(points) != 1 {
			t.Errorf("ListenPoints(other) = %d points, want 1", len(points))
		}
		if got, _ := s.ListenPosts(ctx, missingID, wideOpen(100)); len(got) != 0 {
			t.Errorf("ListenPosts(missing workspace) = %v, want none", listenIDs(got))
		}
	})

	t.Run("InUpdate", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws := mustWorkspace(t, s, "acme")
		errStop := errors.New("stop")
		err := s.Update(ctx, func(q care.Queries) error {
			mustAddListen(t, q, []care.ListenPost{newListenPost(ws, care.ChannelX, "1", at(0))}, 1)
			return errStop
		})
		if !errors.Is(err, errStop) {
			t.Fatalf("Update() = %v, want the error fn returned", err)
		}
		if got := allListen(t, s, ws.ID, wideOpen(10)); len(got) != 0 {
			t.Errorf("posts after a rolled back Update = %v, want none", listenIDs(got))
		}
		must(t, s.Update(ctx, func(q care.Queries) error {
			mustAddListen(t, q, []care.ListenPost{newListenPost(ws, care.ChannelX, "1", at(0))}, 1)
			mustAddListen(t, q, []care.ListenPost{newListenPost(ws, care.ChannelX, "1", at(0))}, 0)
			got, err := q.ListenPosts(ctx, ws.ID, wideOpen(10))
			if err == nil && len(got) != 1 {
				t.Errorf("ListenPosts() inside Update = %d posts, want 1", len(got))
			}
			return err
		}), "Update")
		if got := allListen(t, s, ws.ID, wideOpen(10)); len(got) != 1 {
			t.Errorf("posts after a committed Update = %d, want 1", len(got))
		}
	})

	t.Run("WorkspaceRemovalTakesPosts", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		// care.Store removes no workspace; the engines' own handle checks
		// that the schema takes a workspace's found posts with it.
		w, ok := s.(interface{ Writer() *sql.DB })
		if !ok {
			t.Skip("the store offers no way to remove a workspace")
		}
		ws, other := mustWorkspace(t, s, "acme"), mustWorkspace(t, s, "other")
		mustAddListen(t, s, []care.ListenPost{newListenPost(ws, care.ChannelX, "1", at(0)), newListenPost(other, care.ChannelX, "1", at(0))}, 2)
		del := "DELETE FROM workspaces WHERE id = ?"
		if s.Dialect() == "postgres" {
			del = "DELETE FROM workspaces WHERE id = $1"
		}
		_, err := w.Writer().ExecContext(ctx, del, ws.ID)
		must(t, err, "delete workspace")
		var n int
		must(t, w.Writer().QueryRowContext(ctx, "SELECT COUNT(*) FROM listen_posts").Scan(&n), "count found posts")
		if n != 1 {
			t.Errorf("found posts after their workspace was removed = %d, want only the other workspace's 1", n)
		}
	})
}
