package moderation

import (
	"hash/maphash"
	"testing"
	"time"
)

// post is one comment of a scenario: who, what, and how long after testNow.
type post struct {
	author string
	text   string
	after  time.Duration
	want   Action
}

func TestRepeated(t *testing.T) {
	t.Parallel()
	const text = "Amazing giveaway, everyone should join this group today"
	for _, tt := range []struct {
		name  string
		posts []post
	}{
		{"third author onwards", []post{
			{"a", text, 0, Allow},
			{"b", text, time.Minute, Allow},
			{"c", text, 2 * time.Minute, Hide},
			{"d", text, 3 * time.Minute, Hide},
			{"a", text, 4 * time.Minute, Hide},
		}},
		{"one author repeating", []post{
			{"a", text, 0, Allow},
			{"a", text, time.Minute, Allow},
			{"a", text, 2 * time.Minute, Allow},
			{"b", text, 3 * time.Minute, Allow},
		}},
		{"the same text written differently", []post{
			{"a", text, 0, Allow},
			{"b", "AMAZING giveaway!!! everyone should join this group today 🎉🎉", time.Minute, Allow},
			{"c", "@sam @alex amazing  giveaway, everyone sh0uld j0in this group todaaay", 2 * time.Minute, Hide},
			{"d", "Amazing giveaway, everyone should join this other group today", 3 * time.Minute, Allow},
		}},
		{"short texts are not counted", []post{
			{"a", "love it so much", 0, Allow},
			{"b", "love it so much", 0, Allow},
			{"c", "love it so much", 0, Allow},
			{"d", "love it so much", 0, Allow},
		}},
		{"window expiry", []post{
			{"a", text, 0, Allow},
			{"b", text, 5 * time.Minute, Allow},
			{"c", text, 11 * time.Minute, Allow}, // a is out of the window
			{"d", text, 12 * time.Minute, Hide},  // b, c, d
			{"e", text, 40 * time.Minute, Allow}, // all forgotten
		}},
		{"window edge is inside", []post{
			{"a", text, 0, Allow},
			{"b", text, 5 * time.Minute, Allow},
			{"c", text, 10 * time.Minute, Hide},
		}},
		{"unknown authors are one author", []post{
			{"", text, 0, Allow},
			{"", text, time.Minute, Allow},
			{"", text, 2 * time.Minute, Allow},
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			now := testNow
			m, err := New([]Rule{{Kind: Repeated, Action: Hide, Threshold: 3, Window: 10 * time.Minute}}, Options{Now: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}
			for i, p := range tt.posts {
				now = testNow.Add(p.after)
				d := m.Decide(Comment{AuthorID: p.author, Text: p.text, At: now})
				if d.Action != p.want {
					t.Errorf("post %d by %q: Decide = %+v, want %s", i, p.author, d, p.want)
				}
				if d.Action == Hide && d.Reason != "same text from at least 3 accounts within 10m" {
					t.Errorf("post %d: reason %q", i, d.Reason)
				}
			}
		})
	}
}

// TestRepeatedClock checks that a comment without a time, or with one in
// the future, counts at the moderator's clock.
func TestRepeatedClock(t *testing.T) {
	t.Parallel()
	now := testNow
	m, err := New([]Rule{{Kind: Repeated, Action: Flag, Threshold: 2, Window: time.Hour}}, Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	const text = "please everyone vote for my cousin in the contest"
	m.Decide(Comment{AuthorID: "a", Text: text, At: testNow.Add(-2 * time.Hour)})
	if d := m.Decide(Comment{AuthorID: "b", Text: text}); d.Action != Allow {
		t.Errorf("second author, an hour after the window: Decide = %+v, want Allow", d)
	}
	now = testNow.Add(30 * time.Minute)
	if d := m.Decide(Comment{AuthorID: "c", Text: text, At: testNow.Add(48 * time.Hour)}); d.Action != Flag {
		t.Errorf("third author, dated in the future: Decide = %+v, want Flag", d)
	}
}

// TestRepeatedCountsEveryComment checks that a repeated rule counts a
// comment another rule decided first.
func TestRepeatedCountsEveryComment(t *testing.T) {
	t.Parallel()
	m := newModerator(t,
		Rule{Kind: Words, Action: Hide, Words: []string{"@bot"}},
		Rule{Kind: Repeated, Action: Flag, Threshold: 2, Window: time.Hour},
	)
	const text = "join our team of remote workers"
	if d := m.Decide(Comment{AuthorID: "a", Text: "@bot " + text}); d.Kind != Words {
		t.Fatalf("first: Decide = %+v, want the words rule", d)
	}
	if d := m.Decide(Comment{AuthorID: "b", Text: "@sam " + text}); d.Kind != Repeated || d.Action != Flag {
		t.Errorf("second: Decide = %+v, want Flag by the repeated rule", d)
	}
}

func TestTrackerBounded(t *testing.T) {
	t.Parallel()
	tr := newTracker(2, time.Hour, 3)
	for fp := range uint64(4) {
		tr.observe(fp, 1, testNow)
	}
	if n := tr.len(); n != 3 {
		t.Errorf("tracked %d texts, want 3", n)
	}
	// Text 0, seen least recently, made room for text 3.
	if n := tr.observe(0, 2, testNow); n != 1 {
		t.Errorf("text 0 has %d authors, want 1: it was forgotten", n)
	}
	if n := tr.observe(3, 2, testNow); n != 2 {
		t.Errorf("text 3 has %d authors, want 2", n)
	}
	// Everything seen more than a window ago is forgotten.
	tr.observe(9, 1, testNow.Add(2*time.Hour))
	if n := tr.len(); n != 1 {
		t.Errorf("tracked %d texts after the window, want 1", n)
	}
}

func TestTrackerAuthorsBounded(t *testing.T) {
	t.Parallel()
	tr := newTracker(3, time.Hour, 10)
	for a := range uint64(100) {
		tr.observe(7, a, testNow.Add(time.Duration(a)*time.Second))
	}
	s := tr.texts[7].Value.(*seen)
	if len(s.authors) != 3 {
		t.Errorf("kept %d authors, want 3", len(s.authors))
	}
	for _, a := range s.authors {
		if a.author < 97 {
			t.Errorf("kept author %d, want only the 3 most recent", a.author)
		}
	}
}

func TestFingerprint(t *testing.T) {
	t.Parallel()
	seed := maphash.MakeSeed()
	fp := func(s string) uint64 {
		f, ok := prepare(s).fingerprint(seed)
		if !ok {
			t.Fatalf("fingerprint(%q) not tracked", s)
		}
		return f
	}
	same := []string{
		"Win a free phone, visit us today",
		"WIN a FREE phone — visit us today!!!",
		"win  a free phone visit us today 📱📱",
		"@a @b win a free phone, visit us todaaay",
		"w1n a fr33 ph0ne, v1s1t us t0day",
		"win a free phone, visit us\u200b today",
	}
	for _, s := range same[1:] {
		if fp(s) != fp(same[0]) {
			t.Errorf("fingerprint(%q) differs from fingerprint(%q)", s, same[0])
		}
	}
	if fp("win a free phone, visit us tomorrow") == fp(same[0]) {
		t.Error("different texts share a fingerprint")
	}
	for _, s := range []string{"", "🔥🔥🔥", "love it so much", "@a @b @c @d"} {
		if _, ok := prepare(s).fingerprint(seed); ok {
			t.Errorf("fingerprint(%q) is tracked, want too short", s)
		}
	}
}

func TestWindow(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{10 * time.Minute, "10m"},
		{90 * time.Minute, "1h30m"},
		{24 * time.Hour, "24h"},
		{90 * time.Second, "1m30s"},
	} {
		if got := window(tt.d); got != tt.want {
			t.Errorf("window(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}
