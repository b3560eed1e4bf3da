package bench

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func ms(v ...int) []time.Duration {
	out := make([]time.Duration, len(v))
	for i, x := range v {
		out[i] = time.Duration(x) * time.Millisecond
	}
	return out
}

func TestPercentile(t *testing.T) {
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(i+1) * time.Millisecond
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"one sample", ms(7), 50, 7 * time.Millisecond},
		{"one sample p99", ms(7), 99, 7 * time.Millisecond},
		{"median of two is the lower", ms(1, 2), 50, 1 * time.Millisecond},
		{"median of odd count", ms(1, 2, 3), 50, 2 * time.Millisecond},
		{"p50 of 1..100", hundred, 50, 50 * time.Millisecond},
		{"p90 of 1..100", hundred, 90, 90 * time.Millisecond},
		{"p99 of 1..100", hundred, 99, 99 * time.Millisecond},
		{"p100 is the max", hundred, 100, 100 * time.Millisecond},
		{"p99 of ten is the max", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 99, 10 * time.Millisecond},
		{"p90 of ten", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 90, 9 * time.Millisecond},
		{"tiny p is the min", ms(3, 4, 5), 0.01, 3 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("percentile(%v, %v) = %v, want %v", tt.sorted, tt.p, got, tt.want)
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	t.Run("empty", func(t *testing.T) {
		if got := Summarize(nil); got != (Latency{}) {
			t.Errorf("Summarize(nil) = %+v, want zero", got)
		}
	})
	t.Run("unsorted input is left alone", func(t *testing.T) {
		in := ms(5, 1, 4, 2, 3)
		got := Summarize(in)
		want := Latency{Count: 5, P50: 3 * time.Millisecond, P90: 5 * time.Millisecond, P99: 5 * time.Millisecond, Max: 5 * time.Millisecond}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Summarize mismatch (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(ms(5, 1, 4, 2, 3), in); diff != "" {
			t.Errorf("Summarize changed its input (-want +got):\n%s", diff)
		}
	})
}

func TestPerSecond(t *testing.T) {
	tests := []struct {
		n    int
		d    time.Duration
		want float64
	}{
		{1000, time.Second, 1000},
		{500, 250 * time.Millisecond, 2000},
		{10, 0, 0},
		{10, -time.Second, 0},
	}
	for _, tt := range tests {
		if got := perSecond(tt.n, tt.d); got != tt.want {
			t.Errorf("perSecond(%d, %v) = %v, want %v", tt.n, tt.d, got, tt.want)
		}
	}
}
