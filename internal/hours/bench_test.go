package hours_test

import (
	"testing"
	"time"
)

// Add and Between on the split-shift office calendar in Europe/London, for
// a first-response-sized target and for one that spans years, which the
// week skipping keeps cheap.
func BenchmarkAdd(b *testing.B) {
	c := mustParse(b, office)
	from := wall(b, "Europe/London", "2026-11-23 16:00")
	for _, bb := range []struct {
		name string
		d    time.Duration
	}{
		{"1h", time.Hour},
		{"3d", 24 * time.Hour},
		{"5y", 5 * 52 * 40 * time.Hour},
	} {
		b.Run(bb.name, func(b *testing.B) {
			for b.Loop() {
				c.Add(from, bb.d)
			}
		})
	}
}

func BenchmarkBetween(b *testing.B) {
	c := mustParse(b, office)
	from := wall(b, "Europe/London", "2026-11-23 16:00")
	for _, bb := range []struct {
		name string
		d    time.Duration
	}{
		{"1h", time.Hour},
		{"3d", 3 * 24 * time.Hour},
		{"5y", 5 * 365 * 24 * time.Hour},
	} {
		b.Run(bb.name, func(b *testing.B) {
			to := from.Add(bb.d)
			for b.Loop() {
				c.Between(from, to)
			}
		})
	}
}
