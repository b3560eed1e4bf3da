package demo

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/api"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/mastodon/mastofake"
	lsn "github.com/parleyhq/parley/internal/listen"
)

// listeningSubjects are the demo's subjects as Parley reads them.
func listeningSubjects(t *testing.T) []lsn.Subject {
	t.Helper()
	st, err := lsn.ParseSettings([]byte(listeningSettings))
	if err != nil {
		t.Fatalf("listening settings: %v", err)
	}
	return st.Subjects
}

// prepared is the history as Parley's import keeps it: matched to the
// subjects and read for tone, the birders' posts left out.
func prepared(t *testing.T, subjects []lsn.Subject, posts []api.ListenImportPost, now time.Time) []care.ListenPost {
	t.Helper()
	in := make([]care.ListenPost, len(posts))
	for i, p := range posts {
		in[i] = care.ListenPost{WorkspaceID: 1, Source: p.Source, PlatformID: p.PlatformID, URL: p.URL, Author: p.Author,
			Text: p.Text, Lang: p.Lang, PostedAt: p.PostedAt}
	}
	return lsn.Prepare(in, lsn.NewMatcher(subjects), lsn.Origin{WorkspaceID: 1}, now)
}

func points(posts []care.ListenPost) []care.ListenPoint {
	out := make([]care.ListenPoint, len(posts))
	for i, p := range posts {
		out[i] = care.ListenPoint{PostedAt: p.PostedAt, Source: p.Source, Subjects: p.Subjects, Sentiment: p.Sentiment, Followers: p.Author.Followers}
	}
	return out
}

// daysReport is Parley's report of the last days days, today included, in
// UTC, as the Listening page asks for it.
func daysReport(pts []care.ListenPoint, subjects []lsn.Subject, now time.Time, days int) lsn.Report {
	today := now.UTC().Truncate(24 * time.Hour)
	return lsn.Summarize(pts, subjects, today.AddDate(0, 0, 1-days), today.AddDate(0, 0, 1), lsn.Day, time.UTC)
}

func share(rep lsn.Report, name string) float64 {
	for _, s := range rep.Subjects {
		if s.Name == name {
			return s.Share
		}
	}
	return -1
}

// The history, whatever the seed and the day, reads on the Listening page
// as the story tells it: Kestrel a little ahead in share of voice, Nimbus
// Telecom far behind, and one spike, Orbit's outage, mostly negative, over
// the last 14 days and over the page's 30. Each post is one the import
// takes, and only the birders' are not about a subject.
func TestHistory(t *testing.T) {
	t.Parallel()
	subjects := listeningSubjects(t)
	for _, tt := range []struct {
		seed int64
		now  time.Time
	}{
		{1, time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)},
		{7, time.Date(2026, 11, 22, 0, 10, 0, 0, time.UTC)}, // a Sunday just after midnight
		{11, time.Date(2026, 3, 30, 23, 50, 0, 0, time.UTC)},
		{42, time.Date(2027, 1, 4, 14, 0, 0, 0, time.UTC)},
		{2024, time.Date(2026, 6, 13, 18, 45, 0, 0, time.UTC)},
	} {
		t.Run(tt.now.Format(time.DateTime), func(t *testing.T) {
			t.Parallel()
			posts := history(tt.seed, tt.now)
			if again := history(tt.seed, tt.now); !slices.EqualFunc(posts, again, func(a, b api.ListenImportPost) bool { return a.PlatformID == b.PlatformID && a.Text == b.Text }) {
				t.Errorf("seed %d made two histories", tt.seed)
			}
			ids := map[string]bool{}
			for i, p := range posts {
				switch {
				case p.PostedAt.After(tt.now.Add(-historyGap)) || p.PostedAt.Before(tt.now.AddDate(0, 0, -historyDays)):
					t.Errorf("post %d posted at %v, outside the history", i, p.PostedAt)
				case i > 0 && p.PostedAt.Before(posts[i-1].PostedAt):
					t.Errorf("post %d is older than the one before", i)
				case !p.Source.Valid() || p.PlatformID == "" || p.URL != "":
					t.Errorf("post %d: source %q, id %q, url %q", i, p.Source, p.PlatformID, p.URL)
				case p.Author.PlatformUserID == "" || p.Author.DisplayName == "" || p.Author.Followers < 0:
					t.Errorf("post %d: author %+v", i, p.Author)
				case ids[string(p.Source)+" "+p.PlatformID]:
					t.Errorf("post %d: %s %s twice", i, p.Source, p.PlatformID)
				}
				ids[string(p.Source)+" "+p.PlatformID] = true
			}
			kept := prepared(t, subjects, posts, tt.now)
			left := len(posts) - len(kept)
			for _, p := range posts {
				if strings.Contains(p.Text, "#birdwatching") {
					left--
				}
			}
			if left != 0 || len(kept) == len(posts) {
				t.Errorf("%d of %d posts kept; want all but the birders'", len(kept), len(posts))
			}
			pts := points(kept)
			outage := tt.now.UTC().Truncate(24*time.Hour).AddDate(0, 0, -outageAgo)
			for _, days := range []int{14, reportDays} {
				rep := daysReport(pts, subjects, tt.now, days)
				orbit, k, n := share(rep, brandName), share(rep, kestrel), share(rep, nimbus)
				if !(k > orbit && orbit > n && k-orbit < 0.15) {
					t.Errorf("%d days: shares of voice Orbit %.2f, Kestrel %.2f, Nimbus %.2f; want Kestrel a little ahead of Orbit, then Nimbus", days, orbit, k, n)
				}
				if len(rep.Spikes) != 1 || rep.Spikes[0].Subject != brandName || !rep.Spikes[0].Start.Equal(outage) || rep.Spikes[0].Negative < 0.6 {
					t.Errorf("%d days: spikes %+v; want Orbit's outage on %v alone, mostly negative", days, rep.Spikes, outage)
				}
			}
		})
	}
}

// Every post's tone reads as written, in every language: praise positive,
// complaints and the outage negative.
func TestTalkTone(t *testing.T) {
	t.Parallel()
	subjects := listeningSubjects(t)
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for lang, w := range talk {
		for _, tt := range []struct {
			tone  string
			texts []string
			ok    func(float64) bool
		}{
			{"positive", w.positive, func(s float64) bool { return s >= 0.2 }},
			{"negative", w.negative, func(s float64) bool { return s <= -0.2 }},
			{"outage", w.outage, func(s float64) bool { return s <= -0.2 }},
			{"after", w.after, func(s float64) bool { return s <= -0.2 }},
			{"neutral", w.neutral, func(s float64) bool { return s > -0.2 }},
		} {
			for _, text := range tt.texts {
				for _, form := range subjectForms[brandName] {
					text := strings.ReplaceAll(text, "{s}", form)
					kept := prepared(t, subjects, []api.ListenImportPost{{Source: "forum", PlatformID: "1", Text: text, PostedAt: now}}, now)
					if len(kept) != 1 || !slices.Contains(kept[0].Subjects, brandName) {
						t.Errorf("%s %s: %q is not about %s", lang, tt.tone, text, brandName)
						continue
					}
					if !tt.ok(kept[0].Sentiment) {
						t.Errorf("%s %s: %q reads %.2f", lang, tt.tone, text, kept[0].Sentiment)
					}
				}
			}
		}
	}
}

// The import takes at most 500 posts and api.MaxBodyBytes a request: the
// history goes in several, in order, none lost.
func TestImportBatches(t *testing.T) {
	t.Parallel()
	posts := history(3, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	big := strings.Repeat("Orbit Mobile ", care.MaxListenText/13)
	heavy := make([]api.ListenImportPost, 300)
	for i := range heavy {
		heavy[i] = api.ListenImportPost{Source: "forum", PlatformID: "p", Text: big, PostedAt: time.Unix(int64(i), 0)}
	}
	for _, tt := range []struct {
		name  string
		posts []api.ListenImportPost
		min   int
	}{
		{"none", nil, 0},
		{"the history", posts, 4},
		{"long posts", heavy, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			batches, err := importBatches(tt.posts)
			if err != nil {
				t.Fatal(err)
			}
			var all []api.ListenImportPost
			for i, b := range batches {
				body, err := json.Marshal(api.ListenImport{Posts: b})
				if err != nil {
					t.Fatal(err)
				}
				if len(b) == 0 || len(b) > importPosts || len(body) > api.MaxBodyBytes {
					t.Errorf("batch %d: %d posts, %d bytes", i, len(b), len(body))
				}
				all = append(all, b...)
			}
			if len(batches) < tt.min || len(all) != len(tt.posts) {
				t.Errorf("%d batches of %d posts, want at least %d of %d", len(batches), len(all), tt.min, len(tt.posts))
			}
		})
	}
}

// The brand's subject hears it by name and by each of its handles on the
// fakes; Kestrel's excluded #birdwatching keeps the bird out.
func TestListeningSubjects(t *testing.T) {
	t.Parallel()
	m := lsn.NewMatcher(listeningSubjects(t))
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"Orbit Mobile again", []string{brandName}},
		{"ORBIT-MOBILE!", []string{brandName}},
		{"the Orbit app is down", []string{brandName}},
		{"@" + brandHandle + " hello", []string{brandName}},                                 // X, Instagram, YouTube
		{"@" + bskyBrandHandle + " hello", []string{brandName}},                             // Bluesky
		{"@" + brandHandle + "@" + mastofake.DefaultDomain + " hello", []string{brandName}}, // Mastodon
		{"u/" + redditBrand + " any news?", []string{brandName}},                            // Reddit
		{"down again #OrbitDown", []string{brandName}},                                      // the outage's hashtag
		{"see https://www.orbitmobile.example/plans", nil},                                  // a link is no mention
		{"Kestrel or Orbit Mobile?", []string{brandName, kestrel}},                          // a comparison
		{"A kestrel over the field #birdwatching", nil},                                     // the bird
		{"Nimbus Telecom doubled its data", []string{nimbus}},
		{"a nimbus cloud over an orbit", nil}, // words, not brands
	} {
		if got := m.Match(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("Match(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// The posts strangers publish for listening are about a subject, as the
// story says, and address no account of the brand's: no @mention on any
// platform, no u/ on Reddit, so that they open no conversation.
func TestOverheardPosts(t *testing.T) {
	t.Parallel()
	m := lsn.NewMatcher(listeningSubjects(t))
	handles := []string{"@" + brandHandle, "u/" + redditBrand, "/u/" + redditBrand}
	on := map[care.Channel]int{}
	for i, o := range overheardPosts {
		on[o.on]++
		text := o.title + " " + o.text
		if len(m.Match(text)) == 0 {
			t.Errorf("post %d on %s is about no subject: %q", i, o.on, text)
		}
		for _, h := range handles {
			if strings.Contains(strings.ToLower(text), strings.ToLower(h)) {
				t.Errorf("post %d on %s names %s: %q", i, o.on, h, text)
			}
		}
		if _, ok := searchEvery[o.on]; !ok || o.name == "" || o.handle == "" || o.about == "" || o.lang == "" {
			t.Errorf("post %d: %+v", i, o)
		}
		if o.on == care.ChannelReddit && (o.title == "" || o.subreddit == "" || strings.EqualFold(o.subreddit, redditBrand)) {
			t.Errorf("post %d: a Reddit post needs a title and a subreddit other than the brand's: %+v", i, o)
		}
	}
	for ch := range searchEvery {
		if on[ch] < 2 {
			t.Errorf("%d posts on %s, want a couple", on[ch], ch)
		}
	}
	for _, tt := range []struct {
		in   []string
		want string
	}{{nil, ""}, {[]string{"a"}, "a"}, {[]string{"a", "b"}, "a and b"}, {[]string{"a", "b", "c"}, "a, b and c"}} {
		if got := andList(tt.in); got != tt.want {
			t.Errorf("andList(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
