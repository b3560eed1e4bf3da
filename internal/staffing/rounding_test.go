package staffing_test

import (
	"math/big"
	"strconv"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/staffing"
)

// TestRoster checks the staff rostered for agents at every whole
// percentage of shrinkage against ceil(agents × 100 / (100 − p)) in
// integers: 168 agent hours at 30% are 240 staff hours, though 168 / 0.7
// is 240.00000000000003 in float64.
func TestRoster(t *testing.T) {
	t.Parallel()
	for p := range 100 {
		q := staffing.Queue{Shrinkage: float64(p) / 100}
		off := 0
		for agents := range 1001 {
			want := (agents*100 + (100 - p) - 1) / (100 - p)
			if got := q.Roster(agents); got != want {
				if off++; off <= 3 {
					t.Errorf("Roster(%d) at %d%% shrinkage = %d, want %d", agents, p, got, want)
				}
			}
		}
		if off > 3 {
			t.Errorf("%d agent counts rostered wrong at %d%% shrinkage", off, p)
		}
	}
}

// TestWorkloadKeepsUp: the workload model's agents exceed the Erlangs
// whatever the occupancy below 1, and are ceil(A / occupancy) worked out
// in rationals, where float rounding near 1 would give exactly A, a queue
// that never clears: 100 Erlangs at 0.9999999999 need 101 agents, not 100.
func TestWorkloadKeepsUp(t *testing.T) {
	t.Parallel()
	for _, occ := range []string{"0.5", "0.85", "0.9", "0.99", "0.999999", "0.99999999", "0.999999999", "0.9999999999", "0.999999999999999"} {
		limit, err := strconv.ParseFloat(occ, 64)
		if err != nil {
			t.Fatal(err)
		}
		exact, ok := new(big.Rat).SetString(occ)
		if !ok {
			t.Fatal(occ)
		}
		q := staffing.Queue{Model: staffing.ModelWorkload, AHT: time.Hour, MaxOccupancy: limit}
		for erlangs := 1; erlangs <= 200; erlangs++ {
			// An hour's handle time makes the rate the Erlangs, exactly.
			m, err := q.Required(float64(erlangs))
			if err != nil {
				t.Fatal(err)
			}
			need := new(big.Rat).Quo(new(big.Rat).SetInt64(int64(erlangs)), exact)
			want := new(big.Int).Quo(need.Num(), need.Denom()) // floor, need being positive
			if !need.IsInt() {
				want.Add(want, big.NewInt(1))
			}
			if m.Overloaded || int64(m.Agents) != want.Int64() {
				t.Errorf("%d Erlangs at occupancy %s: %d agents (overloaded %v), want %s", erlangs, occ, m.Agents, m.Overloaded, want)
			}
		}
	}
}
