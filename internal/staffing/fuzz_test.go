package staffing_test

import (
	"math"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/staffing"
)

// FuzzRequired checks Required on any queue: it refuses only with
// EINVALID, and otherwise its agents meet the targets, one fewer would
// not, and every figure is a finite number in its range.
func FuzzRequired(f *testing.F) {
	f.Add(200.0, uint8(0), uint8(1), int64(180), int64(20), 0.8, 0.0, 0.0)
	f.Add(120.0, uint8(1), uint8(3), int64(600), int64(60), 0.9, 0.85, 0.3)
	f.Add(102.0, uint8(2), uint8(1), int64(300), int64(14400), 0.0, 0.85, 0.99)
	f.Add(0.0, uint8(0), uint8(0), int64(0), int64(0), 1.0, 2.0, 1.0)
	f.Add(1e-300, uint8(1), uint8(6), int64(86400), int64(-1), 0.999999, 1.0, 0.0)
	f.Add(100.0, uint8(2), uint8(0), int64(3600), int64(0), 0.0, 0.9999999999, 0.0) // 100 Erlangs at a cap a hair below 1
	f.Fuzz(func(t *testing.T, rate float64, model, k uint8, ahtSeconds, withinSeconds int64, sl, occupancy, shrinkage float64) {
		q := staffing.Queue{
			Model:        []staffing.Model{staffing.ModelErlangC, staffing.ModelConcurrent, staffing.ModelWorkload, "", "erlang_a"}[model%5],
			AHT:          time.Duration(ahtSeconds) * time.Second,
			Concurrency:  int(k),
			ServiceLevel: sl,
			Within:       time.Duration(withinSeconds) * time.Second,
			MaxOccupancy: occupancy,
			Shrinkage:    shrinkage,
		}
		m, err := q.Required(rate)
		if err != nil {
			if care.ErrorCode(err) != care.EINVALID {
				t.Fatalf("%+v at %g: %v", q, rate, err)
			}
			return
		}
		for _, x := range []float64{m.Erlangs, m.PWait, m.ServiceLevel, m.Occupancy} {
			if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
				t.Fatalf("%+v at %g: %+v", q, rate, m)
			}
		}
		if m.PWait > 1 || m.ServiceLevel > 1 || m.Occupancy > 1 || m.ASA < 0 || m.Agents < 0 || m.Scheduled < m.Agents {
			t.Fatalf("%+v at %g: %+v", q, rate, m)
		}
		if m.Agents == 0 {
			if m.Erlangs != 0 {
				t.Fatalf("%+v at %g: nobody for %g Erlangs", q, rate, m.Erlangs)
			}
			return
		}
		if q.MaxOccupancy > 0 && m.Occupancy > q.MaxOccupancy+1e-9 {
			t.Fatalf("%+v at %g: occupancy %g over the cap", q, rate, m.Occupancy)
		}
		if m.Overloaded {
			t.Fatalf("%+v at %g: %+v cannot keep up", q, rate, m)
		}
		if q.Model == staffing.ModelWorkload {
			return
		}
		if m.ServiceLevel < q.ServiceLevel-1e-9 {
			t.Fatalf("%+v at %g: %+v misses the target", q, rate, m)
		}
		fewer, err := q.Evaluate(rate, m.Agents-1)
		if err != nil {
			t.Fatal(err)
		}
		if !fewer.Overloaded && fewer.ServiceLevel >= q.ServiceLevel && (q.MaxOccupancy == 0 || fewer.Occupancy <= q.MaxOccupancy-1e-9) {
			t.Fatalf("%+v at %g: %d agents would do: %+v", q, rate, m.Agents-1, fewer)
		}
	})
}
