package demo

import (
	"testing"
	"time"
)

func TestBucket(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	ms := time.Millisecond
	for _, tt := range []struct {
		name string
		rate float64
		at   []time.Duration // when each token is asked for, after start
		want []time.Duration // how long each must wait
	}{
		{"on time", 10, []time.Duration{0, 100 * ms, 200 * ms}, []time.Duration{0, 0, 0}},
		{"asked early", 10, []time.Duration{0, 0, 0}, []time.Duration{0, 100 * ms, 200 * ms}},
		// Late by 350 ms: the next token is not given early to catch up.
		{"no burst after a stall", 10, []time.Duration{0, 450 * ms, 450 * ms, 450 * ms}, []time.Duration{0, 0, 100 * ms, 200 * ms}},
		{"fractional rate", 0.5, []time.Duration{0, 0}, []time.Duration{0, 2 * time.Second}},
		{"high rate", 4000, []time.Duration{0, 0, 0}, []time.Duration{0, 250 * time.Microsecond, 500 * time.Microsecond}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := newBucket(tt.rate)
			for i, at := range tt.at {
				if got := b.reserve(start.Add(at)); got != tt.want[i] {
					t.Errorf("token %d asked at %v: wait %v, want %v", i, at, got, tt.want[i])
				}
			}
		})
	}
}

// Whatever the pattern of asking, no two tokens are closer than the rate
// allows: the load never bursts above it.
func TestBucketNeverBursts(t *testing.T) {
	t.Parallel()
	b := newBucket(100)
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	var last time.Time
	for i := range 1000 {
		// Ask at irregular times: sometimes early, sometimes very late.
		now = now.Add(time.Duration(i%7*i%13) * time.Millisecond)
		at := now.Add(b.reserve(now))
		if i > 0 && at.Sub(last) < b.every {
			t.Fatalf("token %d at %v, %v after the one before; want at least %v", i, at, at.Sub(last), b.every)
		}
		last = at
		if at.After(now) {
			now = at
		}
	}
}
