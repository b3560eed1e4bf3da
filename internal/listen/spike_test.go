package listen_test

import (
	"math"
	"reflect"
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
		{"within chance", listen.Day, join(repeat(10, 4), []int{10}), nil},
		{"beyond chance", listen.Day, join(repeat(10, 4), []int{11}), map[int]float64{10: 4}},
		{"under twice", listen.Day, join(repeat(10, 100), []int{199}), nil},
		{"twice", listen.Day, join(repeat(10, 100), []int{200}), map[int]float64{10: 100}},
		{"three days of history", listen.Day, []int{0, 0, 0, 50}, nil},
		{"four days of history", listen.Day, []int{0, 0, 0, 0, 50}, map[int]float64{4: 0}},
		{"eleven hours of history", listen.Hour, join(repeat(11, 0), []int{30}), nil},
		{"twelve hours of history", listen.Hour, join(repeat(12, 0), []int{30}), map[int]float64{12: 0}},
		{"a week back", listen.Day, join([]int{50, 50, 50, 50}, repeat(7, 10), []int{40}), map[int]float64{11: 10}},
		{"hours", listen.Hour, join(repeat(30, 12), []int{40}, repeat(5, 12), []int{44}), map[int]float64{30: 12, 36: 12}},
		// Quiet mornings and evenings, busy afternoons: the first day's
		// afternoon stands out against a quiet morning, but the next days'
		// are what the same hours of past days were.
		{"daily cycle", listen.Hour, join(cycleDay, cycleDay, cycleDay), map[int]float64{12: 3, 13: 3, 14: 3, 15: 3, 16: 3, 17: 3}},
		{"surge on a daily cycle", listen.Hour, join(cycleDay, cycleDay, cycleDay[:14], []int{80}),
			map[int]float64{12: 3, 13: 3, 14: 3, 15: 3, 16: 3, 17: 3, 62: 25}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			step := 24 * time.Hour
			if tt.step == listen.Hour {
				step = time.Hour
			}
			from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
			to := from.Add(time.Duration(len(tt.counts)) * step)
			r := listen.Summarize(counted(from, step, tt.counts, nil), reportSubjects, from, to, tt.step, time.UTC)
			got := map[int]float64{}
			var last time.Time
			for i, s := range r.Spikes {
				if i > 0 && !s.Start.Before(last) {
					t.Errorf("spikes not newest first: %v", r.Spikes)
				}
				last = s.Start
				b := int(s.Start.Sub(from) / step)
				got[b] = s.Expected
				if s.Subject != "Acme" || s.Posts != tt.counts[b] {
					t.Errorf("spike %+v, want Acme with %d posts", s, tt.counts[b])
				}
			}
			if tt.want == nil {
				tt.want = map[int]float64{}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("spikes (bucket → expected) %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSpikeNegative(t *testing.T) {
	t.Parallel()
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	counts := join(repeat(10, 20), []int{80})
	negative := join(repeat(10, 5), []int{60})
	points := counted(from, 24*time.Hour, counts, negative)
	// Globex spikes the same day, after Acme in the settings.
	for i := range 40 {
		points = append(points, point(from.Add(10*24*time.Hour+time.Duration(i)*time.Minute), 0, 1, "Globex"))
	}
	r := listen.Summarize(points, reportSubjects, from, from.AddDate(0, 0, 11), listen.Day, time.UTC)
	want := []listen.Spike{
		{Subject: "Acme", Start: from.AddDate(0, 0, 10), Posts: 80, Expected: 20, Negative: 0.75},
		{Subject: "Globex", Start: from.AddDate(0, 0, 10), Posts: 40, Expected: 0, Negative: 0},
	}
	if !reflect.DeepEqual(r.Spikes, want) {
		t.Errorf("Spikes = %+v, want %+v", r.Spikes, want)
	}
}
