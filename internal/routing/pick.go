package routing

// Pick returns the agent w should go to, or nil when no agent is eligible,
// in which case w stays queued. That is w.PreferredAgent when they are
// eligible; otherwise the eligible agent with the smallest share of their
// capacity for w.Kind in use, then the one whose last assignment is the
// oldest, then the lower ID. Pick changes nothing.
func Pick(w *Work, agents []*Agent) *Agent {
	if w == nil {
		return nil
	}
	if w.PreferredAgent != 0 {
		for _, a := range agents {
			if a != nil && a.ID == w.PreferredAgent && Eligible(a, w) {
				return a
			}
		}
	}
	return best(w, agents)
}

// best is the eligible agent among agents that Pick prefers after the
// preferred agent, or nil.
func best(w *Work, agents []*Agent) *Agent {
	var b *Agent
	var bl, bc int64
	for _, a := range agents {
		load, capacity, ok := check(a, w)
		if !ok {
			continue
		}
		// Bounded so that the products in better fit in an int64.
		l, c := int64(min(load, 1<<30)), int64(min(capacity, 1<<30))
		if b == nil || better(a, l, c, b, bl, bc) {
			b, bl, bc = a, l, c
		}
	}
	return b
}

// better reports whether a, with load share la/ca, goes before b, with lb/cb.
func better(a *Agent, la, ca int64, b *Agent, lb, cb int64) bool {
	// Compare the fractions without rounding: 1/3 and 2/6 are a tie, to be
	// broken by the next rule.
	if x, y := la*cb, lb*ca; x != y {
		return x < y
	}
	if !a.LastAssigned.Equal(b.LastAssigned) {
		return a.LastAssigned.Before(b.LastAssigned)
	}
	return a.ID < b.ID
}
