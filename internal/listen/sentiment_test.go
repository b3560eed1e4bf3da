package listen_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/listen"
)

// toneSubjects are brands whose names are sentiment words.
var toneSubjects = []listen.Subject{
	{Name: "Best Buy", Terms: []string{"best buy"}},
	{Name: "Good Energy", Terms: []string{"good energy"}},
	{Name: "Bad Robot", Terms: []string{"bad robot"}},
	{Name: "Happy Socks", Terms: []string{"happy socks"}},
	{Name: "Virgin Money", Terms: []string{"virgin money"}},
	{Name: "Acme", Terms: []string{"acme"}},
	{Name: "Rival", Terms: []string{"rival"}},
	{Name: "Globex", Terms: []string{"globex"}},
}

// TestPrepareTone checks that a post's tone is read without its subjects'
// names, and that a post about several subjects gives each the tone of
// what it says about that one.
func TestPrepareTone(t *testing.T) {
	t.Parallel()
	m := listen.NewMatcher(toneSubjects)
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		text string
		post string            // the post's label
		each map[string]string // each subject's label
	}{
		// A name is not an opinion.
		{"Best Buy opens at 9", "neutral", map[string]string{"Best Buy": "neutral"}},
		{"I love Best Buy", "positive", map[string]string{"Best Buy": "positive"}},
		{"Good Energy cut me off again, awful", "negative", map[string]string{"Good Energy": "negative"}},
		{"Bad Robot announces a new series", "neutral", map[string]string{"Bad Robot": "neutral"}},
		{"Happy Socks restocked", "neutral", map[string]string{"Happy Socks": "neutral"}},
		{"Virgin Money changed its opening hours", "neutral", map[string]string{"Virgin Money": "neutral"}},
		// Every subject's name, not only one's.
		{"Happy Socks and Good Energy both open at 9", "neutral", map[string]string{"Happy Socks": "neutral", "Good Energy": "neutral"}},
		// Each subject has what is said about it.
		{"Left Acme for Rival. Rival's support is great, Acme's was awful.", "neutral",
			map[string]string{"Acme": "negative", "Rival": "positive"}},
		{"Good Energy is awful, Best Buy is great", "neutral", map[string]string{"Good Energy": "negative", "Best Buy": "positive"}},
		{"Rival is great but Acme is awful", "negative", map[string]string{"Acme": "negative", "Rival": "positive"}},
		{"Rival is great.\nAcme is awful", "neutral", map[string]string{"Acme": "negative", "Rival": "positive"}},
		{"Love Rival. Best Buy opens at 9.", "positive", map[string]string{"Best Buy": "neutral", "Rival": "positive"}},
		// A clause of names alone goes with the clause after it in its
		// sentence, or the one before when it ends the sentence.
		{"Acme, Rival and Globex are all down again", "negative", map[string]string{"Acme": "negative", "Rival": "negative", "Globex": "negative"}},
		{"Great service, Rival. Awful, Acme.", "neutral", map[string]string{"Acme": "negative", "Rival": "positive"}},
		// A clause that names nobody goes on about the subjects before.
		{"Acme lost my parcel. Again! Rival found it, thank you", "negative", map[string]string{"Acme": "negative", "Rival": "positive"}},
		// One clause about both: both have the post's tone.
		{"Acme and Rival both lost my parcel", "negative", map[string]string{"Acme": "negative", "Rival": "negative"}},
	} {
		in := []care.ListenPost{{PlatformID: "1", Text: tt.text, PostedAt: now.Add(-time.Hour)}}
		got := listen.Prepare(in, m, listen.Origin{WorkspaceID: 1, Source: care.ChannelX}, now)
		if len(got) != 1 {
			t.Errorf("%q was not kept", tt.text)
			continue
		}
		p := got[0]
		if l := listen.Label(p.Sentiment); l != tt.post {
			t.Errorf("%q reads %.3f, %s; want %s", tt.text, p.Sentiment, l, tt.post)
		}
		if len(p.SubjectSentiments) != len(p.Subjects) || len(p.Subjects) != len(tt.each) {
			t.Errorf("%q: subjects %q with sentiments %v, want %d of each", tt.text, p.Subjects, p.SubjectSentiments, len(tt.each))
			continue
		}
		for i, name := range p.Subjects {
			if l := listen.Label(p.SubjectSentiments[i]); l != tt.each[name] {
				t.Errorf("%q reads %.3f, %s, for %s; want %s", tt.text, p.SubjectSentiments[i], l, name, tt.each[name])
			}
		}
	}
}

// TestPrepareToneOneClause checks that subjects that cannot be told apart,
// because one sentence names them all, have the whole post's tone.
func TestPrepareToneOneClause(t *testing.T) {
	t.Parallel()
	m := listen.NewMatcher(toneSubjects)
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	for _, text := range []string{
		"Acme and Rival both lost my parcel",
		"Happy Socks beats Bad Robot any day",
		"acme or rival?",
		"Acme and Rival are both great. Love them.",
	} {
		got := listen.Prepare([]care.ListenPost{{PlatformID: "1", Text: text, PostedAt: now}}, m, listen.Origin{WorkspaceID: 1, Source: care.ChannelX}, now)
		if len(got) != 1 || len(got[0].Subjects) != 2 {
			t.Fatalf("%q: kept %+v, want one post about two subjects", text, got)
		}
		p := got[0]
		if want := []float64{p.Sentiment, p.Sentiment}; !slices.Equal(p.SubjectSentiments, want) {
			t.Errorf("%q: subject sentiments %v, want the post's %v for both", text, p.SubjectSentiments, p.Sentiment)
		}
	}
}

// TestMatchSpans checks where MatchSpans says the terms are, which is what
// is blanked before a post is read for tone.
func TestMatchSpans(t *testing.T) {
	t.Parallel()
	m := listen.NewMatcher([]listen.Subject{
		{Name: "Acme", Terms: []string{"acme", "acme air", "#acmefail", "@acmehelp"}, Exclude: []string{"acme anvil"}},
		{Name: "AT&T", Terms: []string{"at&t"}},
		{Name: "Zain", Terms: []string{"زين"}},
		{Name: "Sony", Terms: []string{"ソニー"}},
		{Name: "Globex", Terms: []string{"globex.com", "@globex@mastodon.social"}},
	})
	for _, tt := range []struct {
		text string
		want map[string][]string // each subject's spans, as text
	}{
		{"nothing here", nil},
		{"I love Acme's planes", map[string][]string{"Acme": {"Acme"}}},
		{"flying Acme-Air, #AcmeFail @AcmeHelp", map[string][]string{"Acme": {"Acme", "Acme-Air", "AcmeFail", "@AcmeHelp"}}},
		{"acme anvil and acme", nil},
		{"AT & T dropped my call, acme too", map[string][]string{"Acme": {"acme"}, "AT&T": {"AT & T"}}},
		{"شكرا وبزين", map[string][]string{"Zain": {"وبزين"}}},
		{"新しいソニーが好き", map[string][]string{"Sony": {"ソニー"}}},
		{"Par\u200bley? globex.com and @Globex@Mastodon.Social.", map[string][]string{"Globex": {"globex.com", "@Globex@Mastodon.Social"}}},
	} {
		names, spans := m.MatchSpans(tt.text)
		if want := m.Match(tt.text); !reflect.DeepEqual(names, want) {
			t.Errorf("MatchSpans(%q) names %q, Match %q", tt.text, names, want)
		}
		got := map[string][]string{}
		for i, name := range names {
			for _, s := range spans[i] {
				got[name] = append(got[name], tt.text[s.From:s.To])
			}
			slices.Sort(got[name])
		}
		for _, w := range tt.want {
			slices.Sort(w)
		}
		if len(got) == 0 {
			got = nil
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("MatchSpans(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// FuzzMatchSpans checks that MatchSpans finds the subjects Match finds,
// with spans inside what Match reads, in text order.
func FuzzMatchSpans(f *testing.F) {
	for _, seed := range [][2]string{
		{"acme", "I love Acme! acme"},
		{"acme air", "Acme-Air is late again, acme air"},
		{"#acme", "#ACME #acme_air"},
		{"@acme", "@acme@mastodon.social and help@acme.com"},
		{"at&t", "AT & T, at&t, at T-Mobile"},
		{"زين", "وبزين بزينة للزين"},
		{"الراجحي", "للراجحي"},
		{"ソニー", "新しいソニーが好き #ソニー"},
		{"a", "\xff\xfe@#＃＠:://www."},
		{"x", strings.Repeat("x ", 5000)},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, term, text string) {
		m := listen.NewMatcher([]listen.Subject{
			{Name: "s", Terms: []string{term}},
			{Name: "t", Terms: []string{"t", term + " t"}, Exclude: []string{term}},
			{Name: "u", Terms: []string{"u", "#" + term}},
		})
		names, spans := m.MatchSpans(text)
		if want := m.Match(text); !slices.Equal(names, want) || len(spans) != len(names) {
			t.Fatalf("MatchSpans(%q) = %q with %d span lists, Match %q", text, names, len(spans), want)
		}
		for i, ss := range spans {
			if len(ss) == 0 {
				t.Fatalf("MatchSpans(%q): %s has no spans", text, names[i])
			}
			for j, s := range ss {
				if s.From < 0 || s.From >= s.To || s.To > min(len(text), listen.MaxMatchBytes) || j > 0 && s.From < ss[j-1].From {
					t.Fatalf("MatchSpans(%q): %s spans %v", text, names[i], ss)
				}
			}
		}
	})
}

// FuzzPrepareTone checks that every kept post has one tone per subject,
// each from -1 to 1, and that a post about one subject has its own.
func FuzzPrepareTone(f *testing.F) {
	for _, seed := range [][2]string{
		{"acme", "Left Acme for Rival. Rival's support is great, Acme's was awful."},
		{"best buy", "Best Buy, Acme, Rival: all down!!! but Globex is fine…\n#acme"},
		{"zain", "زين، ممتاز؟ acme。ソニー、rival"},
		{"x", strings.Repeat("acme, rival. ", 3000)},
		{"a", "\xff, acme\xfe. rival \u2028 but"},
	} {
		f.Add(seed[0], seed[1])
	}
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, term, text string) {
		m := listen.NewMatcher(append(slices.Clone(toneSubjects), listen.Subject{Name: "Fuzz", Terms: []string{term}}))
		for _, p := range listen.Prepare([]care.ListenPost{{PlatformID: "1", Text: text, PostedAt: now}}, m, listen.Origin{WorkspaceID: 1, Source: care.ChannelX}, now) {
			if len(p.SubjectSentiments) != len(p.Subjects) {
				t.Fatalf("%q: subjects %q, sentiments %v", text, p.Subjects, p.SubjectSentiments)
			}
			for _, v := range p.SubjectSentiments {
				if !(v >= -1 && v <= 1) {
					t.Fatalf("%q: sentiments %v", text, p.SubjectSentiments)
				}
			}
			if len(p.Subjects) == 1 && p.SubjectSentiments[0] != p.Sentiment {
				t.Fatalf("%q: one subject's %v, the post's %v", text, p.SubjectSentiments[0], p.Sentiment)
			}
		}
	})
}
