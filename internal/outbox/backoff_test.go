package outbox

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	const s = time.Second
	tests := []struct {
		name          string
		attempt       int
		base, ceiling time.Duration
		rnd           float64
		want          time.Duration
	}{
		{"first retry, top of range", 0, 2 * s, 30 * time.Minute, 0.999999, 1999998 * time.Microsecond},
		{"first retry, middle", 0, 2 * s, 30 * time.Minute, 0.5, s},
		{"third retry, middle", 3, 2 * s, 30 * time.Minute, 0.5, 8 * s},
		{"zero draw", 5, 2 * s, 30 * time.Minute, 0, 0},
		{"capped", 20, 2 * s, 30 * time.Minute, 0.5, 15 * time.Minute},
		{"huge attempt", 1 << 30, 2 * s, 30 * time.Minute, 0.5, 15 * time.Minute},
		{"negative attempt counts as 0", -3, 2 * s, 30 * time.Minute, 0.5, s},
		{"draw of 1 is clamped", 0, 2 * s, 30 * time.Minute, 1, 2 * s},
		{"draw above 1 is clamped", 0, 2 * s, 30 * time.Minute, 7, 2 * s},
		{"negative draw", 4, 2 * s, 30 * time.Minute, -1, 0},
		{"NaN draw", 4, 2 * s, 30 * time.Minute, math.NaN(), 0},
		{"no base", 4, 0, 30 * time.Minute, 0.5, 0},
		{"no ceiling", 4, 2 * s, 0, 0.5, 0},
		{"base above ceiling", 0, time.Hour, time.Minute, 0.5, 30 * s},
		{"largest ceiling, below it", 62, 1, math.MaxInt64, 1, 1 << 62},
		{"largest ceiling, at it", 63, 1, math.MaxInt64, 1, math.MaxInt64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Backoff(tt.attempt, tt.base, tt.ceiling, tt.rnd); got != tt.want {
				t.Errorf("Backoff(%d, %v, %v, %v) = %v, want %v", tt.attempt, tt.base, tt.ceiling, tt.rnd, got, tt.want)
			}
		})
	}
}

// TestBackoffProperties checks, over many random inputs, that a wait is never
// negative, never beyond the ceiling, and never shrinks as attempts grow.
func TestBackoffProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	durations := []time.Duration{1, time.Millisecond, 2 * time.Second, time.Minute, 30 * time.Minute, 1 << 40, math.MaxInt64}
	for range 2000 {
		base := durations[r.IntN(len(durations))]
		if base < math.MaxInt64-1000 {
			base += time.Duration(r.Int64N(1000))
		}
		ceiling := durations[r.IntN(len(durations))]
		rnd := r.Float64()
		prev := time.Duration(0)
		for attempt := range 80 {
			got := Backoff(attempt, base, ceiling, rnd)
			if got < 0 || got > ceiling {
				t.Fatalf("Backoff(%d, %v, %v, %v) = %v, outside [0, %v]", attempt, base, ceiling, rnd, got, ceiling)
			}
			if got < prev {
				t.Fatalf("Backoff(%d, %v, %v, %v) = %v, less than %v for attempt %d", attempt, base, ceiling, rnd, got, prev, attempt-1)
			}
			if attempt < 20 && base <= ceiling>>attempt {
				if limit := base << attempt; got > limit {
					t.Fatalf("Backoff(%d, %v, %v, %v) = %v, beyond base·2^attempt = %v", attempt, base, ceiling, rnd, got, limit)
				}
			}
			prev = got
		}
	}
}
