package listen_test

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/listen"
)

func zone(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Skipf("no time zone data for %s: %v", name, err)
	}
	return loc
}

func local(tb testing.TB, loc *time.Location, s string) time.Time {
	tb.Helper()
	t, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

var reportSubjects = []listen.Subject{
	{Name: "Acme", Own: true, Terms: []string{"acme"}},
	{Name: "Globex", Terms: []string{"globex"}},
	{Name: "Initech", Terms: []string{"initech"}},
}

func point(at time.Time, sentiment float64, followers int64, subjects ...string) care.ListenPoint {
	return care.ListenPoint{PostedAt: at, Source: "x", Subjects: subjects, Sentiment: sentiment, Followers: followers}
}

func starts(series []listen.Point) []string {
	var s []string
	for _, p := range series {
		s = append(s, p.Start.Format("2006-01-02 15:04 -0700"))
	}
	return s
}

func posts(series []listen.Point) []int {
	var n []int
	for _, p := range series {
		n = append(n, p.Posts)
	}
	return n
}

func TestLabel(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		s    float64
		want string
	}{
		{1, "positive"}, {0.2, "positive"}, {0.1999, "neutral"}, {0, "neutral"},
		{-0.1999, "neutral"}, {-0.2, "negative"}, {-1, "negative"}, {math.NaN(), "neutral"},
		{math.Inf(1), "positive"}, {math.Inf(-1), "negative"},
	} {
		if got := listen.Label(tt.s); got != tt.want {
			t.Errorf("Label(%g) = %q, want %q", tt.s, got, tt.want)
		}
	}
}

func TestSummarizeCounts(t *testing.T) {
	t.Parallel()
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 0, 3)
	day := func(d, h int) time.Time { return from.AddDate(0, 0, d).Add(time.Duration(h) * time.Hour) }
	points := []care.ListenPoint{
		point(day(0, 1), 0.8, 100, "Acme"),
		point(day(0, 2), -0.5, 50, "Acme", "Globex"), // one post, two subjects
		point(day(0, 3), 0.1, -5, "Acme"),            // followers unknown
		point(day(2, 4), -0.2, 10, "Globex"),
		point(day(2, 5), 0.2, 1000, "globex", "Globex"), // renamed since, and listed twice
		point(day(2, 6), math.NaN(), 1, "Hooli"),        // a subject since removed
		point(day(2, 7), 0.9, 1, "Hooli", "Acme"),
		point(day(3, 0), 0.9, 1, "Acme"),                  // at to: outside
		point(from.Add(-time.Nanosecond), 0.9, 1, "Acme"), // before from
	}
	r := listen.Summarize(points, reportSubjects, from, to, listen.Day, time.UTC)
	if r.Total != 6 {
		t.Errorf("Total = %d, want 6", r.Total)
	}
	if r.From != from || r.To != to || r.Step != listen.Day || r.Location != "UTC" {
		t.Errorf("Report = %v %v %q %q", r.From, r.To, r.Step, r.Location)
	}
	acme, globex, initech := r.Subjects[0], r.Subjects[1], r.Subjects[2]
	for _, tt := range []struct {
		got, want listen.SubjectReport
	}{
		{acme, listen.SubjectReport{Name: "Acme", Own: true, Posts: 4, Share: 4.0 / 7, Positive: 2, Neutral: 1, Negative: 1, Net: 0.25, Reach: 151}},
		{globex, listen.SubjectReport{Name: "Globex", Posts: 3, Share: 3.0 / 7, Positive: 1, Negative: 2, Net: -1.0 / 3, Reach: 1060}},
		{initech, listen.SubjectReport{Name: "Initech"}},
	} {
		got := tt.got
		got.Series = nil
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("subject =\n%+v\nwant\n%+v", got, tt.want)
		}
		if len(tt.got.Series) != 3 {
			t.Errorf("%s has %d points, want 3", tt.got.Name, len(tt.got.Series))
		}
	}
	if got, want := posts(acme.Series), []int{3, 0, 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("Acme series = %v, want %v", got, want)
	}
	if got, want := starts(acme.Series), []string{"2026-03-01 00:00 +0000", "2026-03-02 00:00 +0000", "2026-03-03 00:00 +0000"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Acme buckets = %v, want %v", got, want)
	}
	if p := acme.Series[0]; p.Positive != 1 || p.Negative != 1 || p.Net != 0 {
		t.Errorf("Acme day 1 = %+v", p)
	}
	if p := globex.Series[2]; p.Posts != 2 || p.Positive != 1 || p.Negative != 1 || p.Net != 0 {
		t.Errorf("Globex day 3 = %+v", p)
	}
	if p := acme.Series[2]; p.Net != 1 {
		t.Errorf("Acme day 3 = %+v", p)
	}
}

// TestSummarizeSubjectSentiments checks that a post about two subjects
// counts, for each, the tone of what it says about that one, and that a
// post stored with one tone counts it for both.
func TestSummarizeSubjectSentiments(t *testing.T) {
	t.Parallel()
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	apart := point(from.Add(time.Hour), 0.05, 10, "Acme", "Globex")
	apart.SubjectSentiments = []float64{-0.6, 0.7} // "Globex's support is great, Acme's was awful"
	old := point(from.Add(2*time.Hour), -0.5, 10, "Acme", "Globex")
	odd := point(from.Add(3*time.Hour), 0.5, 10, "Acme", "Globex")
	odd.SubjectSentiments = []float64{-0.9} // not one per subject: the post's
	r := listen.Summarize([]care.ListenPoint{apart, old, odd}, reportSubjects, from, from.AddDate(0, 0, 1), listen.Day, time.UTC)
	type tone struct{ Positive, Neutral, Negative int }
	for i, want := range []tone{{1, 0, 2}, {2, 0, 1}} {
		sr := r.Subjects[i]
		if got := (tone{sr.Positive, sr.Neutral, sr.Negative}); got != want {
			t.Errorf("%s: %+v, want %+v", sr.Name, got, want)
		}
		if pt := sr.Series[0]; pt.Positive != want.Positive || pt.Negative != want.Negative {
			t.Errorf("%s's day: %+v, want %+v", sr.Name, pt, want)
		}
	}
}

func TestSummarizeEmpty(t *testing.T) {
	t.Parallel()
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name     string
		to       time.Time
		subjects []listen.Subject
		buckets  int
	}{
		{"no posts", from.Add(48 * time.Hour), reportSubjects, 2},
		{"empty period", from, reportSubjects, 0},
		{"backwards", from.Add(-time.Hour), reportSubjects, 0},
		{"no subjects", from.Add(48 * time.Hour), nil, 0},
	} {
		r := listen.Summarize([]care.ListenPoint{point(from, 1, 1, "Acme")}[:0], tt.subjects, from, tt.to, listen.Day, nil)
		if r.Total != 0 || len(r.Subjects) != len(tt.subjects) || r.Spikes == nil || r.Subjects == nil {
			t.Errorf("%s: Report = %+v", tt.name, r)
		}
		for _, s := range r.Subjects {
			if len(s.Series) != tt.buckets || s.Series == nil || s.Share != 0 || s.Net != 0 {
				t.Errorf("%s: %+v, want %d empty buckets", tt.name, s, tt.buckets)
			}
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{`"from":`, `"to":`, `"step":"day"`, `"location":"UTC"`, `"total":0`, `"subjects":[`, `"spikes":[]`} {
			if !strings.Contains(string(b), key) {
				t.Errorf("%s: %s lacks %s", tt.name, b, key)
			}
		}
	}
}

// TestSummarizeBuckets checks buckets against the local clock, where the
// clocks change.
func TestSummarizeBuckets(t *testing.T) {
	t.Parallel()
	london, santiago, kolkata := zone(t, "Europe/London"), zone(t, "America/Santiago"), zone(t, "Asia/Kolkata")
	for _, tt := range []struct {
		name     string
		loc      *time.Location
		from, to string
		step     listen.Step
		want     []string // the first, second and last bucket starts
		buckets  int
	}{
		{"days", london, "2026-03-01 00:00", "2026-03-04 00:00", listen.Day,
			[]string{"2026-03-01 00:00 +0000", "2026-03-02 00:00 +0000", "2026-03-03 00:00 +0000"}, 3},
		{"from mid-day", london, "2026-03-01 15:30", "2026-03-03 00:01", listen.Day,
			[]string{"2026-03-01 00:00 +0000", "2026-03-02 00:00 +0000", "2026-03-03 00:00 +0000"}, 3},
		{"clocks go forward", london, "2026-03-28 00:00", "2026-03-31 00:00", listen.Day,
			[]string{"2026-03-28 00:00 +0000", "2026-03-29 00:00 +0000", "2026-03-30 00:00 +0100"}, 3},
		{"clocks go back", london, "2026-10-24 00:00", "2026-10-27 00:00", listen.Day,
			[]string{"2026-10-24 00:00 +0100", "2026-10-25 00:00 +0100", "2026-10-26 00:00 +0000"}, 3},
		{"23 hours", london, "2026-03-29 00:00", "2026-03-30 00:00", listen.Hour,
			[]string{"2026-03-29 00:00 +0000", "2026-03-29 02:00 +0100", "2026-03-29 23:00 +0100"}, 23},
		{"25 hours", london, "2026-10-25 00:00", "2026-10-26 00:00", listen.Hour,
			[]string{"2026-10-25 00:00 +0100", "2026-10-25 01:00 +0100", "2026-10-25 23:00 +0000"}, 25},
		{"hour from mid-hour", london, "2026-03-01 10:30", "2026-03-01 12:30", listen.Hour,
			[]string{"2026-03-01 10:00 +0000", "2026-03-01 11:00 +0000", "2026-03-01 12:00 +0000"}, 3},
		{"half-hour zone", kolkata, "2026-03-01 10:30", "2026-03-01 12:00", listen.Hour,
			[]string{"2026-03-01 10:00 +0530", "2026-03-01 11:00 +0530", "2026-03-01 11:00 +0530"}, 2},
		{"no midnight", santiago, "2026-09-05 00:00", "2026-09-08 00:00", listen.Day,
			[]string{"2026-09-05 00:00 -0400", "2026-09-06 01:00 -0300", "2026-09-07 00:00 -0300"}, 3},
		{"unknown step", london, "2026-03-01 00:00", "2026-03-03 00:00", "week",
			[]string{"2026-03-01 00:00 +0000", "2026-03-02 00:00 +0000", "2026-03-02 00:00 +0000"}, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			from, to := local(t, tt.loc, tt.from), local(t, tt.loc, tt.to)
			r := listen.Summarize(nil, reportSubjects[:1], from, to, tt.step, tt.loc)
			s := starts(r.Subjects[0].Series)
			if len(s) != tt.buckets {
				t.Fatalf("%d buckets %v, want %d", len(s), s, tt.buckets)
			}
			if got := []string{s[0], s[min(1, len(s)-1)], s[len(s)-1]}; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("buckets %v, want first, second and last %v", s, tt.want)
			}
			if r.Location != tt.loc.String() {
				t.Errorf("Location = %q", r.Location)
			}
		})
	}
}

// TestSummarizeDST counts posts into the local days and hours of the day
// the clocks go back in London.
func TestSummarizeDST(t *testing.T) {
	t.Parallel()
	london := zone(t, "Europe/London")
	from, to := local(t, london, "2026-10-24 00:00"), local(t, london, "2026-10-27 00:00")
	// 00:30 and 01:30 BST, then 01:30 GMT (the hour repeated), 23:30 GMT:
	// four posts on the 25th, a 25-hour day.
	day := local(t, london, "2026-10-25 00:00")
	at := []time.Time{day.Add(30 * time.Minute), day.Add(90 * time.Minute), day.Add(150 * time.Minute), day.Add(24*time.Hour + 30*time.Minute)}
	var points []care.ListenPoint
	for _, t := range at {
		points = append(points, point(t, 0, 1, "Acme"))
	}
	points = append(points, point(day.Add(25*time.Hour), 0, 1, "Acme")) // 00:00 on the 26th
	r := listen.Summarize(points, reportSubjects[:1], from, to, listen.Day, london)
	if got, want := posts(r.Subjects[0].Series), []int{0, 4, 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("days = %v, want %v", got, want)
	}
	r = listen.Summarize(points, reportSubjects[:1], day, day.Add(25*time.Hour), listen.Hour, london)
	want := make([]int, 25)
	want[0], want[1], want[2], want[24] = 1, 1, 1, 1
	if got := posts(r.Subjects[0].Series); !reflect.DeepEqual(got, want) {
		t.Errorf("hours = %v, want %v", got, want)
	}
	if r.Total != 4 {
		t.Errorf("Total = %d, want 4 (the fifth is at to)", r.Total)
	}
}

func TestSummarizeMaxBuckets(t *testing.T) {
	t.Parallel()
	from := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	last := from.Add((listen.MaxBuckets - 1) * time.Hour)
	points := []care.ListenPoint{point(last, 0, 1, "Acme"), point(last.Add(time.Hour), 0, 1, "Acme")}
	r := listen.Summarize(points, reportSubjects[:1], from, from.AddDate(10, 0, 0), listen.Hour, time.UTC)
	s := r.Subjects[0]
	if len(s.Series) != listen.MaxBuckets || s.Posts != 1 || s.Series[len(s.Series)-1].Posts != 1 {
		t.Errorf("%d buckets, %d posts; want %d, 1 in the last", len(s.Series), s.Posts, listen.MaxBuckets)
	}
}

func TestSummarizeReachSaturates(t *testing.T) {
	t.Parallel()
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	points := []care.ListenPoint{point(from, 0, math.MaxInt64, "Acme"), point(from, 0, math.MaxInt64, "Acme")}
	r := listen.Summarize(points, reportSubjects[:1], from, from.Add(time.Hour), listen.Hour, time.UTC)
	if r.Subjects[0].Reach != math.MaxInt64 {
		t.Errorf("Reach = %d, want MaxInt64", r.Subjects[0].Reach)
	}
}
