package priority_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/priority"
)

func TestLess(t *testing.T) {
	t.Parallel()
	at := func(m int) *time.Time { t := now.Add(time.Duration(m) * time.Minute); return &t }
	ago := func(m int) time.Time { return now.Add(-time.Duration(m) * time.Minute) }
	item := func(id int64, urgent bool, due *time.Time, score float64, since time.Time) priority.Item {
		return priority.Item{Result: priority.Result{Score: score, Urgent: urgent}, Due: due, Since: since, ID: id}
	}
	// Listed in dispatch order.
	want := []priority.Item{
		item(1, true, at(-5), 10, ago(70)),       // urgent, overdue
		item(2, true, at(3), 5, ago(50)),         // urgent, due soonest of the rest
		item(3, true, at(3), 4, ago(55)),         // same deadline, lower score
		item(4, true, nil, 90, ago(60)),          // urgent without a deadline
		item(5, false, at(1), 80, ago(10)),       // not urgent: the deadline does not count
		item(6, false, nil, 40, ago(30)),         // tie on score: older first
		item(7, false, nil, 40, ago(20)),         //
		item(8, false, nil, 40, ago(20)),         // full tie: lower ID
		item(9, false, nil, math.NaN(), ago(99)), // a broken score goes last
	}
	got := slices.Clone(want)
	for _, perm := range [][]int{{8, 7, 6, 5, 4, 3, 2, 1, 0}, {4, 0, 8, 2, 6, 1, 3, 7, 5}} {
		for i, j := range perm {
			got[i] = want[j]
		}
		slices.SortFunc(got, func(a, b priority.Item) int {
			if priority.Less(a, b) {
				return -1
			} else if priority.Less(b, a) {
				return 1
			}
			return 0
		})
		for i := range got {
			if got[i].ID != want[i].ID {
				t.Fatalf("sorted %v: position %d holds item %d, want %d", perm, i, got[i].ID, want[i].ID)
			}
		}
	}
}

func TestOvertakeByReach(t *testing.T) {
	t.Parallel()
	w := priority.DefaultWeights()
	mk := func(id int64, waited time.Duration, reach float64) priority.Item {
		in := priority.Input{Waited: waited, Need: 0.5, Reach: reach}
		return priority.Item{Result: priority.Compute(in, w, now), Since: now.Add(-waited), ID: id}
	}
	for _, tt := range []struct {
		name     string
		a, b     priority.Item
		less     bool
		overtake bool
	}{
		// Full reach is worth 15 points, 15/40 of the SLA: 22.5 minutes
		// of a 60-minute target.
		{"full reach, 22 min younger", mk(1, 10*time.Minute, 1), mk(2, 32*time.Minute, 0), true, true},
		{"full reach, 23 min younger", mk(1, 10*time.Minute, 1), mk(2, 33*time.Minute, 0), false, false},
		{"ahead without reach", mk(1, 40*time.Minute, 1), mk(2, 30*time.Minute, 0), true, false},
		{"both with reach, order unchanged", mk(1, 30*time.Minute, 0.5), mk(2, 20*time.Minute, 0.5), true, false},
		{"behind", mk(1, 10*time.Minute, 0), mk(2, 20*time.Minute, 1), false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := priority.Less(tt.a, tt.b); got != tt.less {
				t.Errorf("Less = %v, want %v (scores %.2f, %.2f)", got, tt.less, tt.a.Score, tt.b.Score)
			}
			if got := priority.OvertakeByReach(tt.a, tt.b); got != tt.overtake {
				t.Errorf("OvertakeByReach = %v, want %v", got, tt.overtake)
			}
		})
	}
}
