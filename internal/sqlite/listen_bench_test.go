package sqlite_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/testdb"
)

var listenSubjects = [][]string{{"Acme"}, {"Acme", "Rival"}, {"Rival"}, {"Acme Air"}, nil}

// foundPost is a post as a search finds it, n making it unique.
func foundPost(wsID care.ID, n int, posted time.Time) care.ListenPost {
	id := fmt.Sprint(n)
	return care.ListenPost{
		WorkspaceID: wsID, InboxID: 1, Source: care.ChannelX, PlatformID: "18" + id,
		URL:    "https://x.com/someone/status/18" + id,
		Author: care.Author{PlatformUserID: "u" + id, Handle: "someone" + id, DisplayName: "Someone", Followers: int64(n % 5000)},
		Text:   "Waited forty minutes on hold with @acme and still no refund for order " + id + ". Switching to Rival next month 😤",
		Lang:   "en", PostedAt: posted, FoundAt: posted.Add(time.Minute),
		Subjects: listenSubjects[n%len(listenSubjects)], Sentiment: float64(n%21-10) / 10,
	}
}

func benchWorkspace(b *testing.B) (care.Store, care.ID) {
	s := testdb.SQLite(b)
	ws := &care.Workspace{Slug: "acme", Name: "Acme"}
	if err := s.CreateWorkspace(b.Context(), ws); err != nil {
		b.Fatal(err)
	}
	return s, ws.ID
}

// BenchmarkAddListenPosts stores pages of 100 new posts, each page one
// transaction, as a listening run stores what one search found.
func BenchmarkAddListenPosts(b *testing.B) {
	s, wsID := benchWorkspace(b)
	start := time.Date(2025, time.June, 1, 0, 0, 0, 0, time.UTC)
	posts := make([]care.ListenPost, 100)
	n := 0
	for b.Loop() {
		for i := range posts {
			posts[i] = foundPost(wsID, n, start.Add(time.Duration(n)*time.Second))
			n++
		}
		if added, err := s.AddListenPosts(b.Context(), posts); err != nil || added != len(posts) {
			b.Fatalf("AddListenPosts() = %d, %v; want %d", added, err, len(posts))
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "posts/s")
}

// BenchmarkListenPoints reads what a report over 30 days counts, 100,000
// posts, about one every 26 seconds.
func BenchmarkListenPoints(b *testing.B) {
	s, wsID := benchWorkspace(b)
	const total = 100_000
	start := time.Date(2025, time.June, 1, 0, 0, 0, 0, time.UTC)
	step := 30 * 24 * time.Hour / total
	posts := make([]care.ListenPost, 0, 1000)
	for n := 0; n < total; {
		posts = posts[:0]
		for range cap(posts) {
			posts = append(posts, foundPost(wsID, n, start.Add(time.Duration(n)*step)))
			n++
		}
		if _, err := s.AddListenPosts(b.Context(), posts); err != nil {
			b.Fatal(err)
		}
	}
	end := start.AddDate(0, 0, 30)
	for b.Loop() {
		points, err := s.ListenPoints(b.Context(), wsID, start, end, total)
		if err != nil || len(points) != total {
			b.Fatalf("ListenPoints() = %d points, %v; want %d", len(points), err, total)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
}

// FuzzListenSubject checks that a subject name goes into the subjects
// column and comes out whole, and that filtering by it matches that name
// only: not a longer name that contains it, nor what its % and _ would
// match as a LIKE pattern.
func FuzzListenSubject(f *testing.F) {
	for _, seed := range []string{"Acme", "Acme Air", "100%_off", "%", "_", "\\", "'", "Zoë 🙂", "a\nb", "", "\x00", "\xff", "\u0085",
		strings.Repeat("a", care.MaxNameBytes-1), strings.Repeat("a", care.MaxNameBytes)} {
		f.Add(seed)
	}
	s := testdb.SQLite(f)
	ctx := f.Context()
	n := 0
	f.Fuzz(func(t *testing.T, name string) {
		n++
		ws := &care.Workspace{Slug: fmt.Sprint("w", n), Name: "W"}
		if err := s.CreateWorkspace(ctx, ws); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2025, time.June, 1, 0, 0, 0, 0, time.UTC)
		// Names that differ from name: longer ones containing it, what it
		// matches as a LIKE pattern, and it in other case.
		other := func(s string) string {
			if s == name || len(s) > care.MaxNameBytes {
				return "z" + name
			}
			return s
		}
		posts := make([]care.ListenPost, 5)
		for i := range posts {
			posts[i] = foundPost(ws.ID, i, at.Add(time.Duration(i)*time.Second))
		}
		posts[0].Subjects = []string{"Other", name}
		posts[1].Subjects = []string{name + "x"}
		posts[2].Subjects = []string{"x" + name, "Other"}
		posts[3].Subjects = []string{other(strings.NewReplacer("%", "a", "_", "b").Replace(name))}
		posts[4].Subjects = []string{other(strings.ToUpper(name)), other(strings.ToLower(name))}
		valid := name != "" && len(name) < care.MaxNameBytes && utf8.ValidString(name) && !strings.ContainsFunc(name, unicode.IsControl)
		_, err := s.AddListenPosts(ctx, posts)
		if !valid {
			if care.ErrorCode(err) != care.EINVALID {
				t.Fatalf("AddListenPosts(subject %q) = %v, want EINVALID", name, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("AddListenPosts(subject %q) = %v", name, err)
		}
		got, err := s.ListenPosts(ctx, ws.ID, care.ListenFilter{From: at, To: at.Add(time.Hour), Subject: name, Limit: 10})
		if err != nil {
			t.Fatalf("ListenPosts(subject %q) = %v", name, err)
		}
		if len(got) != 1 || got[0].ID != posts[0].ID || !slices.Equal(got[0].Subjects, []string{"Other", name}) {
			t.Fatalf("ListenPosts(subject %q) = %+v, want post %d only, with its subjects", name, got, posts[0].ID)
		}
	})
}
