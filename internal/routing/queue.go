package routing

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// Queue is waiting work in dispatch order: urgent work first, earliest
// deadline first (urgent work without a deadline after that with one); then
// the higher priority; then the earlier Since; then the lower ID. The zero
// Queue is empty and ready to use. A Queue is not safe for concurrent use.
type Queue struct {
	order []*entry // sorted by compare
	byID  map[int64]*entry

	// Works with the same signature are eligible for exactly the same
	// agents; Dispatch remembers the signatures that found nobody.
	sigs    map[signature]int32
	sigRefs []int32
	sigFree []int32
	failed  []uint64 // failed[sig] == gen: sig found nobody in this Dispatch
	gen     uint64

	pool pool
}

type entry struct {
	w        Work
	due      optTime
	priority float64 // w.Priority, with NaN as -Inf so that it sorts
	sig      int32
}

// optTime is a deadline that may be absent.
type optTime struct {
	t  time.Time
	ok bool
}

// signature is what decides which agents may take a piece of work.
type signature struct {
	kind                     Kind
	team                     int64
	language, channel, topic string
}

// Push adds w to the queue, or replaces the work with the same ID, as when
// its priority has been recomputed. The queue keeps its own copy: changing w
// afterwards does not change the queue.
func (q *Queue) Push(w *Work) {
	if w == nil {
		return
	}
	q.Remove(w.ID)
	if q.byID == nil {
		q.byID = make(map[int64]*entry)
		q.sigs = make(map[signature]int32)
	}
	e := &entry{w: *w, priority: w.Priority}
	if math.IsNaN(e.priority) {
		e.priority = math.Inf(-1)
	}
	if w.Due != nil {
		e.due = optTime{*w.Due, true}
		e.w.Due = &e.due.t
	}
	e.sig = q.intern(signature{w.Kind, w.TeamID, w.Language, w.Channel, w.Topic})
	i, _ := slices.BinarySearchFunc(q.order, e, compare)
	q.order = slices.Insert(q.order, i, e)
	q.byID[w.ID] = e
}

// Remove takes the work with this ID out of the queue, if it is there.
func (q *Queue) Remove(id int64) {
	e, ok := q.byID[id]
	if !ok {
		return
	}
	if i, found := slices.BinarySearchFunc(q.order, e, compare); found {
		q.order = slices.Delete(q.order, i, i+1)
	}
	q.forget(e)
}

// Len returns the number of works waiting.
func (q *Queue) Len() int { return len(q.order) }

func (q *Queue) forget(e *entry) {
	delete(q.byID, e.w.ID)
	if q.sigRefs[e.sig]--; q.sigRefs[e.sig] == 0 {
		delete(q.sigs, q.sigKey(e))
		q.sigFree = append(q.sigFree, e.sig)
	}
}

func (q *Queue) sigKey(e *entry) signature {
	return signature{e.w.Kind, e.w.TeamID, e.w.Language, e.w.Channel, e.w.Topic}
}

// intern returns the small number that stands for s, counting one more
// work that has it. Numbers are reused once no work has them, so the tables
// stay as small as the variety of work waiting.
func (q *Queue) intern(s signature) int32 {
	id, ok := q.sigs[s]
	if !ok {
		if n := len(q.sigFree); n > 0 {
			id = q.sigFree[n-1]
			q.sigFree = q.sigFree[:n-1]
		} else {
			id = int32(len(q.sigRefs))
			q.sigRefs = append(q.sigRefs, 0)
			q.failed = append(q.failed, 0)
		}
		q.failed[id] = 0
		q.sigs[s] = id
	}
	q.sigRefs[id]++
	return id
}

// compare orders entries for dispatch; it is a total order, since IDs are
// unique in a queue.
func compare(a, b *entry) int {
	if a.w.Urgent != b.w.Urgent {
		if a.w.Urgent {
			return -1
		}
		return 1
	}
	if a.w.Urgent {
		if a.due.ok != b.due.ok {
			if a.due.ok {
				return -1
			}
			return 1
		}
		if c := a.due.t.Compare(b.due.t); c != 0 {
			return c
		}
	}
	if c := cmp.Compare(b.priority, a.priority); c != 0 {
		return c
	}
	if c := a.w.Since.Compare(b.w.Since); c != 0 {
		return c
	}
	return cmp.Compare(a.w.ID, b.w.ID)
}
