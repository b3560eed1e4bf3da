package listen

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// Step is a report's bucket.
type Step string

// Steps. A Day is a local calendar day in the report's location, 23 or 25
// hours on the days the clocks change; an Hour is a real hour, so that the
// day the clocks go back has 25 of them.
const (
	Hour Step = "hour"
	Day  Step = "day"
)

// MaxBuckets bounds a report's series: a year of hours, or decades of days.
// Callers bound the period they ask for; Summarize stops its series here
// rather than build one without end.
const MaxBuckets = 24 * 366

// threshold is the |sentiment| from which a post is not neutral: the cut
// enrich/sentiment uses for its Label, so that a report counts what the
// post shows.
const threshold = 0.2

// Label names the tone of a sentiment: "positive" at or above +0.2,
// "negative" at or below -0.2, "neutral" between (and for NaN).
func Label(sentiment float64) string {
	switch {
	case sentiment >= threshold:
		return "positive"
	case sentiment <= -threshold:
		return "negative"
	}
	return "neutral"
}

// Report is what listening found over a period.
type Report struct {
	From     time.Time       `json:"from"` // the period, as asked
	To       time.Time       `json:"to"`
	Step     Step            `json:"step"`
	Location string          `json:"location"` // IANA name
	Total    int             `json:"total"`    // posts counted; a post about two subjects counts once here
	Subjects []SubjectReport `json:"subjects"` // in settings order
	// Spikes are newest first. Buckets without enough history before
	// them, in the period or the History before it (SummarizeAfter), are
	// not judged: a day with fewer than 4 days before it, an hour without
	// the same hour on an earlier day (see spikes).
	Spikes []Spike `json:"spikes"`
}

// SubjectReport is one subject's share of a Report.
type SubjectReport struct {
	Name  string `json:"name"`
	Own   bool   `json:"own"`
	Posts int    `json:"posts"`
	// Share is share of voice: Posts over the sum of all subjects' Posts
	// (0 when none), so that the shares add up to 1 even when posts name
	// two brands.
	Share    float64 `json:"share"`
	Positive int     `json:"positive"` // sentiment ≥ 0.2
	Neutral  int     `json:"neutral"`
	Negative int     `json:"negative"` // sentiment ≤ -0.2
	// Net is (Positive-Negative)/Posts, the usual net sentiment: -1 to
	// +1, 0 when none.
	Net float64 `json:"net"`
	// Reach is the sum of authors' followers: potential impressions, an
	// upper bound that counts a follower of two authors twice.
	Reach  int64   `json:"reach"`
	Series []Point `json:"series"` // one per bucket of the period, empty ones too, in time order
}

// Point is one bucket of a subject's series.
type Point struct {
	Start    time.Time `json:"start"`
	Posts    int       `json:"posts"`
	Positive int       `json:"positive"`
	Negative int       `json:"negative"`
	Net      float64   `json:"net"`
}

// Summarize counts points, what the store returns for the period, into a
// Report. Points outside [from, to) and points about no subject in subjects
// are skipped: settings may have changed since the posts were found.
// Subjects are recognised by name, regardless of case, so that renaming
// "acme" to "Acme" keeps its history. A step other than Hour is Day; a nil
// loc is UTC.
//
// Buckets follow loc's clock: the series starts with the bucket that holds
// from (a local midnight, or the start of a local hour, possibly before
// from) and ends with the one that holds the last instant before to, at
// most MaxBuckets of them. Points outside the period are not counted even
// in a bucket that straddles its edge.
//
// Spikes are judged on the period's own buckets only; SummarizeAfter
// judges its first buckets against the days before it too.
func Summarize(points []care.ListenPoint, subjects []Subject, from, to time.Time, step Step, loc *time.Location) Report {
	return SummarizeAfter(nil, points, subjects, from, to, step, loc)
}

// History is how long before a report's period its spikes look back: the
// week the longest baseline spans.
const History = 7 * 24 * time.Hour

// SummarizeAfter is Summarize with history: the points found in the
// History before from. They are not counted in the report; they give the
// period's first buckets the baseline its later ones have, so that a
// report of today judges today's hours against the same hours of the days
// before. History begins with the bucket of its first post: before that
// the search may not have been running, and a week of zeros is no
// baseline for an install's first day.
func SummarizeAfter(history, points []care.ListenPoint, subjects []Subject, from, to time.Time, step Step, loc *time.Location) Report {
	r := summarize(points, subjects, from, to, step, loc)
	if len(r.Subjects) == 0 || len(r.Subjects[0].Series) == 0 {
		return r
	}
	r.Spikes = spikes(withHistory(r, history, subjects), step)
	start := r.Subjects[0].Series[0].Start
	r.Spikes = slices.DeleteFunc(r.Spikes, func(sp Spike) bool { return sp.Start.Before(start) })
	return r
}

// withHistory returns the report's subjects with their series extended
// back by the buckets of history, counting posts only.
func withHistory(r Report, history []care.ListenPoint, subjects []Subject) []SubjectReport {
	loc, err := time.LoadLocation(r.Location)
	if err != nil {
		loc = time.UTC
	}
	start := r.Subjects[0].Series[0].Start
	var first time.Time
	for _, p := range history {
		if p.PostedAt.Before(start) && !p.PostedAt.Before(start.Add(-History)) && (first.IsZero() || p.PostedAt.Before(first)) {
			first = p.PostedAt
		}
	}
	if first.IsZero() {
		return r.Subjects
	}
	starts := buckets(first, start, r.Step, loc)
	if len(starts) == 0 || len(starts) == MaxBuckets {
		return r.Subjects
	}
	index := subjectIndex(subjects)
	ext := make([]SubjectReport, len(r.Subjects))
	for i, sr := range r.Subjects {
		ext[i] = SubjectReport{Name: sr.Name, Series: make([]Point, len(starts), len(starts)+len(sr.Series))}
		for b := range starts {
			ext[i].Series[b].Start = starts[b]
		}
	}
	counted := make([]int, len(subjects))
	for n, p := range history {
		if p.PostedAt.Before(starts[0]) || !p.PostedAt.Before(start) {
			continue
		}
		b := bucket(starts, p.PostedAt, r.Step)
		for _, name := range p.Subjects {
			if i, ok := index(name); ok && counted[i] != n+1 {
				counted[i] = n + 1
				ext[i].Series[b].Posts++
			}
		}
	}
	for i := range ext {
		ext[i].Series = append(ext[i].Series, r.Subjects[i].Series...)
	}
	return ext
}

// subjectIndex returns a look-up of a subject by name: exactly, or else
// regardless of case; the first subject of a name wins.
func subjectIndex(subjects []Subject) func(name string) (int, bool) {
	exact := make(map[string]int, len(subjects))
	folded := make(map[string]int, len(subjects))
	for i, s := range subjects {
		if _, ok := exact[s.Name]; !ok {
			exact[s.Name] = i
		}
		if _, ok := folded[strings.ToLower(s.Name)]; !ok {
			folded[strings.ToLower(s.Name)] = i
		}
	}
	return func(name string) (int, bool) {
		if i, ok := exact[name]; ok {
			return i, true
		}
		i, ok := folded[strings.ToLower(name)]
		return i, ok
	}
}

func summarize(points []care.ListenPoint, subjects []Subject, from, to time.Time, step Step, loc *time.Location) Report {
	if loc == nil {
		loc = time.UTC
	}
	if step != Hour {
		step = Day
	}
	starts := buckets(from, to, step, loc)
	r := Report{From: from, To: to, Step: step, Location: loc.String(),
		Subjects: make([]SubjectReport, len(subjects)), Spikes: []Spike{}}
	index := subjectIndex(subjects)
	for i, s := range subjects {
		sr := &r.Subjects[i]
		sr.Name, sr.Own = s.Name, s.Own
		sr.Series = make([]Point, len(starts))
		for b := range sr.Series {
			sr.Series[b].Start = starts[b]
		}
	}
	if len(starts) == 0 || len(subjects) == 0 {
		return r
	}
	end := to
	if len(starts) == MaxBuckets {
		if e := next(starts[len(starts)-1], step, loc); e.Before(to) {
			end = e
		}
	}
	counted := make([]int, len(subjects)) // 1 + the index of the last point counted for each subject
	for n, p := range points {
		if p.PostedAt.Before(from) || !p.PostedAt.Before(end) {
			continue
		}
		b := bucket(starts, p.PostedAt, step)
		// Each subject counts the tone of what the post says about it;
		// posts without those (found before they were read) have one.
		each := len(p.SubjectSentiments) == len(p.Subjects)
		any := false
		for j, name := range p.Subjects {
			i, ok := index(name)
			if !ok || counted[i] == n+1 {
				continue
			}
			counted[i], any = n+1, true
			sr, pt := &r.Subjects[i], &r.Subjects[i].Series[b]
			sr.Posts++
			pt.Posts++
			sentiment := p.Sentiment
			if each {
				sentiment = p.SubjectSentiments[j]
			}
			switch Label(sentiment) {
			case "positive":
				sr.Positive++
				pt.Positive++
			case "negative":
				sr.Negative++
				pt.Negative++
			default:
				sr.Neutral++
			}
			if p.Followers > 0 {
				sr.Reach = addSat(sr.Reach, p.Followers)
			}
		}
		if any {
			r.Total++
		}
	}
	all := 0
	for i := range r.Subjects {
		all += r.Subjects[i].Posts
	}
	for i := range r.Subjects {
		sr := &r.Subjects[i]
		sr.Share = ratio(sr.Posts, all)
		sr.Net = ratio(sr.Positive-sr.Negative, sr.Posts)
		for b := range sr.Series {
			pt := &sr.Series[b]
			pt.Net = ratio(pt.Positive-pt.Negative, pt.Posts)
		}
	}
	return r
}

// buckets returns the starts of the buckets of [from, to) in loc.
func buckets(from, to time.Time, step Step, loc *time.Location) []time.Time {
	if !from.Before(to) {
		return []time.Time{}
	}
	var start time.Time
	if step == Hour {
		l := from.In(loc)
		start = l.Add(-time.Duration(l.Minute())*time.Minute - time.Duration(l.Second())*time.Second - time.Duration(l.Nanosecond()))
	} else {
		start = StartOfDay(from.In(loc))
	}
	var starts []time.Time
	for s := start; s.Before(to) && len(starts) < MaxBuckets; s = next(s, step, loc) {
		starts = append(starts, s)
	}
	return starts
}

// next returns the start of the bucket after the one that starts at s.
func next(s time.Time, step Step, loc *time.Location) time.Time {
	if step == Hour {
		return s.Add(time.Hour)
	}
	y, m, d := s.Date()
	n := StartOfDay(time.Date(y, m, d+1, 12, 0, 0, 0, loc))
	if !n.After(s) { // a zone that skipped a whole day, as Samoa in 2011
		n = StartOfDay(s.Add(36 * time.Hour))
	}
	return n
}

// StartOfDay returns the first instant of t's local date. Where the clocks
// go forward at midnight (Santiago, Havana), midnight does not exist and
// time.Date gives 23:00 the day before; the day then starts when the clocks
// change.
func StartOfDay(t time.Time) time.Time {
	y, m, d := t.Date()
	s := time.Date(y, m, d, 0, 0, 0, 0, t.Location())
	if sy, sm, sd := s.Date(); sy != y || sm != m || sd != d {
		_, end := s.ZoneBounds()
		if !end.IsZero() && end.After(s) && !end.After(t) {
			s = end.In(t.Location())
		}
	}
	return s
}

// bucket returns the index of the bucket that holds t, which is in
// [starts[0], the end of the last bucket).
func bucket(starts []time.Time, t time.Time, step Step) int {
	if step == Hour {
		return min(int(t.Sub(starts[0])/time.Hour), len(starts)-1)
	}
	i, found := slices.BinarySearchFunc(starts, t, time.Time.Compare)
	if !found {
		i--
	}
	return max(i, 0)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func addSat(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}
