package staffing_test

import (
	"math"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/staffing"
)

// BenchmarkRequiredAgents sizes a queue of 1,000 Erlangs (20,000 calls an
// hour of 180 s) for 80% within 20 s: about a thousand steps of the Erlang
// B recursion.
func BenchmarkRequiredAgents(b *testing.B) {
	q := staffing.Queue{AHT: 180 * time.Second, ServiceLevel: 0.8, Within: 20 * time.Second, MaxOccupancy: 0.9}
	for b.Loop() {
		if _, err := q.Required(20_000); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlanWeek forecasts a busy messaging queue from eight weeks of
// history in Europe/London and plans the coming week at concurrency 3,
// every hour with a rate of its own, so nothing is sized twice.
func BenchmarkPlanWeek(b *testing.B) {
	london := zone(b, "Europe/London")
	from := local(b, london, "2026-11-23 00:00")
	past := history(from.AddDate(0, 0, -56), from, london, func(how, back int) int {
		// Office hours peak at about 600 an hour, nights a tenth of it.
		day := 330 - 270*math.Cos(2*math.Pi*float64(how%24)/24)
		return int(day) + 7*back + how%13
	})
	q := staffing.Queue{Model: staffing.ModelConcurrent, Concurrency: 3, AHT: 9 * time.Minute, ServiceLevel: 0.8, Within: time.Minute, MaxOccupancy: 0.85, Shrinkage: 0.3}
	for b.Loop() {
		w, err := staffing.Forecast(past, london, staffing.Options{Trend: true})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := q.Plan(w, from); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkForecast forecasts the busy queue of BenchmarkPlanWeek from
// 26 weeks of history, the most the staffing report reads, with a trend
// and an outage in the last week that quadrupled its Tuesday afternoon.
func BenchmarkForecast(b *testing.B) {
	london := zone(b, "Europe/London")
	from := local(b, london, "2026-11-23 00:00")
	past := history(from.AddDate(0, 0, -26*7), from, london, func(how, back int) int {
		day := 330 - 270*math.Cos(2*math.Pi*float64(how%24)/24)
		if back == 0 && how >= 24+13 && how < 24+17 {
			day *= 4
		}
		return int(day) + 7*back + how%13
	})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := staffing.Forecast(past, london, staffing.Options{Trend: true}); err != nil {
			b.Fatal(err)
		}
	}
}
