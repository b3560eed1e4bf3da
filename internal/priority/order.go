package priority

import (
	"math"
	"time"
)

// Item is a waiting conversation as the dispatcher orders it.
type Item struct {
	Result
	// Due is the SLA deadline; nil when there is none.
	Due *time.Time
	// Since is when the conversation started waiting.
	Since time.Time
	// ID breaks the last tie, so that the order is total.
	ID int64
}

// Less reports whether a is dispatched before b: urgent items first,
// earliest deadline first (an urgent item without a deadline after those
// with one); then the higher score; then the earlier arrival; then the lower
// ID. It is a strict total order on items with distinct IDs, so it can
// drive a sort or a heap directly.
func Less(a, b Item) bool {
	if a.Urgent != b.Urgent {
		return a.Urgent
	}
	if a.Urgent {
		if (a.Due == nil) != (b.Due == nil) {
			return a.Due != nil
		}
		if a.Due != nil && !a.Due.Equal(*b.Due) {
			return a.Due.Before(*b.Due)
		}
	}
	if sa, sb := score(a.Score), score(b.Score); sa != sb {
		return sa > sb
	}
	if !a.Since.Equal(b.Since) {
		return a.Since.Before(b.Since)
	}
	return a.ID < b.ID
}

// OvertakeByReach reports whether a goes before b only because of reach:
// with both items' reach points taken away, b would go first. Such
// overtakes are to be logged, and the minutes they gained reported (a.Since
// after b.Since by that much), so the reach boost can be watched.
func OvertakeByReach(a, b Item) bool {
	if !Less(a, b) {
		return false
	}
	a.Score -= reachPoints(a.Parts)
	b.Score -= reachPoints(b.Parts)
	return !Less(a, b)
}

func reachPoints(parts []Part) float64 {
	for _, p := range parts {
		if p.Name == "reach" {
			return p.Points
		}
	}
	return 0
}

// score makes a score built by hand comparable: NaN goes last.
func score(s float64) float64 {
	if math.IsNaN(s) {
		return math.Inf(-1)
	}
	return s
}
