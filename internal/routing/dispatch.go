package routing

import "slices"

// Dispatch walks the queue in order and assigns each piece of work to the
// agent Pick would choose among agents, until limit assignments are made (no
// limit when it is negative, none when it is 0). It adds each assignment to
// the agent's Load and takes the work off the queue; work nobody can take
// stays queued and does not hold back the work behind it. An agent listed
// more than once counts once, by the first entry with room for the kind of
// work.
func (q *Queue) Dispatch(agents []*Agent, limit int) []Assignment {
	if limit == 0 || len(q.order) == 0 {
		return nil
	}
	q.gen++
	p := &q.pool
	p.reset(agents)
	defer p.reset(nil) // hold no agents between dispatches
	var out []Assignment
	var done []int // positions in q.order, increasing
	for i, e := range q.order {
		if q.failed[e.sig] == q.gen {
			continue
		}
		a := p.pick(&e.w)
		if a == nil {
			// Loads only grow during a dispatch, so every later work
			// with this signature would find nobody either.
			q.failed[e.sig] = q.gen
			continue
		}
		if a.Load == nil {
			a.Load = make(map[Kind]int)
		}
		a.Load[e.w.Kind] = max(a.Load[e.w.Kind], 0) + 1
		out = append(out, Assignment{WorkID: e.w.ID, AgentID: a.ID})
		done = append(done, i)
		if len(out) == limit {
			break
		}
	}
	q.drop(done)
	return out
}

// drop takes the entries at the given increasing positions off the queue,
// moving each stretch between them once.
func (q *Queue) drop(at []int) {
	if len(at) == 0 {
		return
	}
	for _, i := range at {
		q.forget(q.order[i])
	}
	w := at[0]
	for j, i := range at {
		end := len(q.order)
		if j+1 < len(at) {
			end = at[j+1]
		}
		w += copy(q.order[w:], q.order[i+1:end])
	}
	clear(q.order[w:]) // let the garbage collector have the dropped entries
	q.order = q.order[:w]
}

// pool is the agents one Dispatch may give work to. It groups them on first
// use and only by what the queue asks for, since reading every agent's
// capacity and load is most of the cost of a decision. A Queue keeps one
// pool and reuses its memory from one Dispatch to the next.
type pool struct {
	agents []*Agent
	kinds  []byKind           // a handful: found by a linear search
	groups map[group][]*Agent // byKind's agents on a team
	seen   map[int64]struct{} // scratch, for agents listed twice
}

// byKind lists the agents who are online and have room for a kind of work,
// the first entry of each ID only.
type byKind struct {
	kind   Kind
	agents []*Agent
}

type group struct {
	kind int // index in pool.kinds
	team int64
}

func (p *pool) reset(agents []*Agent) {
	p.agents = agents
	for i := range p.kinds {
		clear(p.kinds[i].agents)
		p.kinds[i] = byKind{agents: p.kinds[i].agents[:0]}
	}
	p.kinds = p.kinds[:0]
	if p.groups == nil {
		p.groups = make(map[group][]*Agent)
		p.seen = make(map[int64]struct{})
	}
	clear(p.groups)
}

// pick is Pick over the pool: the same rules, looking only at the agents who
// had room for w's kind on w's team when the dispatch began.
func (p *pool) pick(w *Work) *Agent {
	as := p.group(w.Kind, w.TeamID)
	if w.PreferredAgent != 0 {
		for _, a := range as {
			if a.ID == w.PreferredAgent {
				if Eligible(a, w) {
					return a
				}
				break
			}
		}
	}
	return best(w, as)
}

func (p *pool) group(k Kind, team int64) []*Agent {
	ki := slices.IndexFunc(p.kinds, func(b byKind) bool { return b.kind == k })
	if ki < 0 {
		ki = len(p.kinds)
		if ki < cap(p.kinds) {
			p.kinds = p.kinds[:ki+1]
		} else {
			p.kinds = append(p.kinds, byKind{})
		}
		b := &p.kinds[ki]
		b.kind = k
		clear(p.seen)
		for _, a := range p.agents {
			if a == nil || a.Presence != Online || free(a, k) <= 0 {
				continue
			}
			if _, dup := p.seen[a.ID]; !dup {
				p.seen[a.ID] = struct{}{}
				b.agents = append(b.agents, a)
			}
		}
	}
	all := p.kinds[ki].agents
	if team == 0 {
		return all
	}
	g := group{ki, team}
	as, ok := p.groups[g]
	if !ok {
		for _, a := range all {
			if slices.Contains(a.Teams, team) {
				as = append(as, a)
			}
		}
		p.groups[g] = as
	}
	return as
}
