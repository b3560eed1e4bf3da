package listen_test

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/listen"
)

// counted returns points making counts posts about Acme in successive
// buckets of step from start, the first negative of each bucket's posts
// negative.
func counted(start time.Time, step time.Duration, counts []int, negative []int) []care.ListenPoint {
	var points []care.ListenPoint
	for b, n := range counts {
		for i := range n {
			s := 0.5
			if negative != nil && i < negative[b] {
				s = -0.5
			}
			points = append(points, point(start.Add(time.Duration(b)*step+time.Duration(i)*time.Second), s, 1, "Acme"))
		}
	}
	return points
}

func repeat(n, count int) []int {
	c := make([]int, n)
	for i := range c {
		c[i] = count
	}
	return c
}

func join(parts ...[]int) []int {
	var c []int
	for _, p := range parts {
		c = append(c, p...)
	}
	return c
}

// cycleDay is a day of hours: 3 posts an hour but 25 from noon to six.
var cycleDay = join(repeat(12, 3), repeat(6, 25), repeat(6, 3))

func TestSpikes(t *testing.T) {
	t.Parallel()
	var growth []int
	for i := range 30 {
		growth = append(growth, int(20*math.Pow(1.1, float64(i))))
	}
	for _, tt := range []struct {
		name   string
		step   listen.Step
		counts []int
		want   map[int]float64 // bucket → expected
	}{
		{"flat", listen.Day, repeat(14, 20), nil},
		{"flat and noisy", listen.Day, []int{18, 25, 20, 16, 23, 19, 27, 21, 17, 24, 30, 22, 15, 26}, nil},
		{"sudden jump", listen.Day, join(repeat(10, 20), []int{80}), map[int]float64{10: 20}},
		{"jump that stays", listen.Day, join(repeat(8, 20), repeat(6, 80)), map[int]float64{8: 20, 9: 20, 10: 20, 11: 20}},
		{"gradual growth", listen.Day, growth, nil},
		{"second spike", listen.Day, join(repeat(10, 20), []int{80, 20, 20, 90}), map[int]float64{10: 20, 13: 20}},
		{"tiny", listen.Day, join(repeat(10, 1), []int{4}), nil},
		{"quiet then nine", listen.Day, join(repeat(10, 0), []int{9}), nil},
		{"quiet then ten", listen.Day, join(repeat(10, 0), []int{10}), map[int]float64{10: 0}},
		// Against a steady 4 a day, chance explains 13 but not 14.
		{"within chance", listen.Day, join(repeat(10, 4), []int{13}), nil},
		{"beyond chance", listen.Day, join(repeat(10, 4), []int{14}), map[int]float64{10: 4}},
		// A brand with 7 posts a day has days of 15 by chance alone.
		{"a small brand's busy day", listen.Day, join(repeat(10, 7), []int{15}), nil},
		{"a small brand's tripled day", listen.Day, join(repeat(10, 7), []int{21}), map[int]float64{10: 7}},
		{"a small brand's jump to 40", listen.Day, join(repeat(10, 7), []int{40}), map[int]float64{10: 7}},
		{"under twice", listen.Day, join(repeat(10, 100), []int{199}), nil},
		{"twice", listen.Day, join(repeat(10, 100), []int{200}), map[int]float64{10: 100}},
		{"three days of history", listen.Day, []int{0, 0, 0, 50}, nil},
		{"four days of history", listen.Day, []int{0, 0, 0, 0, 50}, map[int]float64{4: 0}},
		{"an hourly report's first day", listen.Hour, join(repeat(23, 0), []int{30}), nil},
		{"an hourly report's second day", listen.Hour, join(repeat(24, 0), []int{30}), map[int]float64{24: 0}},
		{"a week back", listen.Day, join([]int{50, 50, 50, 50}, repeat(7, 10), []int{40}), map[int]float64{11: 10}},
		{"hours", listen.Hour, join(repeat(30, 12), []int{40}, repeat(5, 12), []int{44}), map[int]float64{30: 12, 36: 12}},
		// Quiet mornings and evenings, busy afternoons: the first day is
		// not judged, having no earlier day to tell an afternoon by, and
		// the next days' afternoons are what the same hours of past days
		// were.
		{"daily cycle", listen.Hour, join(cycleDay, cycleDay, cycleDay), nil},
		{"surge on a daily cycle", listen.Hour, join(cycleDay, cycleDay, cycleDay[:14], []int{80}), map[int]float64{62: 25}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checkSpikes(t, tt.step, tt.counts, tt.want)
		})
	}
}

// checkSpikes reports Acme's counts in successive buckets of step and
// checks its spikes, by bucket and the baseline each was compared with.
func checkSpikes(t *testing.T, step listen.Step, counts []int, want map[int]float64) {
	t.Helper()
	d := 24 * time.Hour
	if step == listen.Hour {
		d = time.Hour
	}
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	to := from.Add(time.Duration(len(counts)) * d)
	r := listen.Summarize(counted(from, d, counts, nil), reportSubjects, from, to, step, time.UTC)
	got := map[int]float64{}
	var last time.Time
	for i, s := range r.Spikes {
		if i > 0 && !s.Start.Before(last) {
			t.Errorf("spikes not newest first: %v", r.Spikes)
		}
		last = s.Start
		b := int(s.Start.Sub(from) / d)
		got[b] = s.Expected
		if s.Subject != "Acme" || s.Posts != counts[b] {
			t.Errorf("spike %+v, want Acme with %d posts", s, counts[b])
		}
	}
	if want == nil {
		want = map[int]float64{}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("spikes (bucket → expected) %v, want %v", got, want)
	}
}

// brandDay is an ordinary day of hours for a brand of about 200 posts a
// day: quiet at night, rising through the morning, busiest mid-afternoon.
var brandDay = []int{1, 0, 0, 0, 0, 1, 2, 4, 7, 10, 13, 16, 18, 20, 22, 22, 20, 17, 14, 11, 8, 5, 3, 2}

// withCount returns a copy of counts with counts[b] set to n.
func withCount(counts []int, b, n int) []int {
	c := slices.Clone(counts)
	c[b] = n
	return c
}

// TestSpikesByTimeOfDay: an hour is a spike when it is unusual for its
// time of day, not for being in the daytime. A report's first day has no
// earlier day to tell that by, so none of its hours is judged: what the
// "today" view shows is the curve, without a verdict; a burst on a later
// day is judged against the same hour of the days before.
func TestSpikesByTimeOfDay(t *testing.T) {
	t.Parallel()
	week := join(brandDay, brandDay, brandDay, brandDay, brandDay, brandDay, brandDay)
	for _, tt := range []struct {
		name   string
		counts []int
		want   map[int]float64 // bucket → expected
	}{
		{"an ordinary first day", brandDay, nil},
		{"a first day of a quiet brand", []int{0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 5, 6, 8, 10, 11, 12, 11, 9, 7, 4, 2, 1, 0}, nil},
		{"two ordinary days", join(brandDay, brandDay), nil},
		{"an ordinary week", week, nil},
		// Not enough history: a first day's burst is on the chart, and is
		// a spike once the report starts a day earlier.
		{"a burst on the first day", withCount(brandDay, 14, 80), nil},
		{"a burst on the second day", join(brandDay, withCount(brandDay, 14, 80)), map[int]float64{24 + 14: 22}},
		{"a burst in the evening", withCount(week, 6*24+20, 40), map[int]float64{6*24 + 20: 8}},
		{"an afternoon twice as busy", withCount(week, 6*24+15, 44), map[int]float64{6*24 + 15: 22}},
		{"an afternoon not quite twice as busy", withCount(week, 6*24+15, 43), nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checkSpikes(t, listen.Hour, tt.counts, tt.want)
		})
	}
}

// TestSpikesWithHistory: the posts of the week before a report's period
// give its first buckets a baseline, so a report of today judges today's
// hours; they are not counted in it, and history begins with its first
// post, so an install's first day is still not judged against zeros.
func TestSpikesWithHistory(t *testing.T) {
	t.Parallel()
	today := time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC)
	from, to := today, today.Add(24*time.Hour)
	week := join(brandDay, brandDay, brandDay, brandDay, brandDay, brandDay, brandDay)
	lastWeek := counted(today.Add(-listen.History), time.Hour, week, nil)
	// Last week from yesterday noon on only: the search started then.
	sinceNoon := counted(today.Add(-12*time.Hour), time.Hour, brandDay[12:], nil)
	burst := withCount(brandDay, 14, 80)
	for _, tt := range []struct {
		name    string
		history []care.ListenPoint
		today   []int
		want    map[int]float64 // hour of today → expected
	}{
		{"an ordinary day after an ordinary week", lastWeek, brandDay, nil},
		{"a burst after an ordinary week", lastWeek, burst, map[int]float64{14: 22}},
		{"a burst with no history", nil, burst, nil},
		{"a burst after half a day of history", sinceNoon, burst, map[int]float64{14: 22}},
		{"a morning burst after half a day of history", sinceNoon, withCount(brandDay, 9, 80), nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// The history's points come first, as the store returns them
			// oldest first; a point of the period among them is ignored.
			history := append(slices.Clone(tt.history), point(today.Add(time.Hour), 0.5, 1, "Acme"))
			r := listen.SummarizeAfter(history, counted(today, time.Hour, tt.today, nil), reportSubjects, from, to, listen.Hour, time.UTC)
			got := map[int]float64{}
			for _, sp := range r.Spikes {
				got[int(sp.Start.Sub(today)/time.Hour)] = sp.Expected
			}
			if tt.want == nil {
				tt.want = map[int]float64{}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("spikes (hour → expected) %v, want %v", got, tt.want)
			}
			if posts := r.Subjects[0].Posts; posts != sum(tt.today) {
				t.Errorf("the report counts %d posts, want today's %d: history is not counted", posts, sum(tt.today))
			}
			if n := len(r.Subjects[0].Series); n != 24 {
				t.Errorf("the series has %d buckets, want today's 24", n)
			}
		})
	}
}

func sum(counts []int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// poissonCount draws a count Poisson with mean lambda (Knuth's method,
// fine for small means).
func poissonCount(r *rand.Rand, lambda float64) int {
	limit, n, p := math.Exp(-lambda), 0, r.Float64()
	for p > limit {
		n++
		p *= r.Float64()
	}
	return n
}

// TestSpikesSmallBrand reports many months of a small brand talked about
// at random at a steady 7 posts a day, where every spike is false, and
// weeks of it followed by a burst, which must be found.
func TestSpikesSmallBrand(t *testing.T) {
	t.Parallel()
	const (
		reports = 2000
		days    = 30
		rate    = 7
	)
	r := rand.New(rand.NewPCG(2026, 7))
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	spikesOf := func(counts []int) []listen.Spike {
		to := from.AddDate(0, 0, len(counts))
		return listen.Summarize(counted(from, 24*time.Hour, counts, nil), reportSubjects[:1], from, to, listen.Day, time.UTC).Spikes
	}
	// found reports whether a burst of n posts after the report's last
	// week is a spike.
	found := func(counts []int, n int) bool {
		week := append(slices.Clone(counts[len(counts)-7:]), n)
		return slices.ContainsFunc(spikesOf(week), func(s listen.Spike) bool { return s.Start.Equal(from.AddDate(0, 0, 7)) })
	}
	falseReports, tripled, forty := 0, 0, 0
	counts := make([]int, days)
	for range reports {
		for d := range counts {
			counts[d] = poissonCount(r, rate)
		}
		if len(spikesOf(counts)) > 0 {
			falseReports++
		}
		if found(counts, 3*rate) {
			tripled++
		}
		if found(counts, 40) {
			forty++
		}
	}
	t.Logf("false spikes in %d of %d reports; a burst of %d found in %d, of 40 in %d", falseReports, reports, 3*rate, tripled, forty)
	// A day is judged once it has 4 days before it, so a 30-day report
	// judges 26. Were the counts Poisson at one steady rate, the test a day
	// must pass to be a spike is met by chance at most once in 1,000 days,
	// whatever the rate, so at most 26 in 1,000 reports have a false
	// spike: 2.6%. (The rule this replaces: about 29%.)
	if got := float64(falseReports) / reports; got >= 0.026 {
		t.Errorf("%d of %d reports of a steady %d posts a day (%.1f%%) have a spike, want under 2.6%%", falseReports, reports, rate, 100*got)
	}
	// Three times the usual (21) is found unless the week before ran
	// high: at 9 a day 21 is within chance. That is about one week in 20.
	if got := float64(tripled) / reports; got < 0.9 {
		t.Errorf("a burst of %d posts is a spike after %d of %d weeks (%.1f%%), want 90%% or more", 3*rate, tripled, reports, 100*got)
	}
	if forty != reports {
		t.Errorf("a burst of 40 posts is a spike after %d of %d weeks, want all", forty, reports)
	}
}
