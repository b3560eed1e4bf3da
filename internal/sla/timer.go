package sla

import (
	"container/heap"
	"sync"
	"time"
)

// Timer fires the warnings and breaches of many conversations at their
// instants, with one time.Timer and a min-heap of instants, so that a
// hundred thousand open conversations cost one goroutine.
//
// Fire is called from the Timer's goroutine, one alert at a time, when the
// instant has come (at once for one already past). It should load the
// conversation, run State.Check, which announces each alert once, and
// Schedule the new Deadlines; it must not call Stop.
type Timer struct {
	fire func(id int64, a Alert)

	mu    sync.Mutex
	seq   uint64
	queue alarms
	byID  map[int64][]*alarm

	wake    chan struct{}
	stop    chan struct{}
	stopped chan struct{}
	once    sync.Once
}

// alarm is one alert waiting for its instant.
type alarm struct {
	at    time.Time
	seq   uint64 // order of scheduling, among alarms of the same instant
	id    int64
	alert Alert
	index int // in the heap
}

// NewTimer returns a running Timer that calls fire for every alert whose
// instant comes. Stop it when done.
func NewTimer(fire func(id int64, a Alert)) *Timer {
	t := &Timer{
		fire:    fire,
		byID:    make(map[int64][]*alarm),
		wake:    make(chan struct{}, 1),
		stop:    make(chan struct{}),
		stopped: make(chan struct{}),
	}
	go t.run()
	return t
}

// Schedule replaces the alarms of conversation id with those of dues: a
// warning at each WarnAt and a breach at each BreachAt that is set. Pass
// the Deadlines of the state Check returned, so that announced alerts are
// not scheduled again.
func (t *Timer) Schedule(id int64, dues []Due) {
	t.mu.Lock()
	t.cancel(id)
	var as []*alarm
	for _, d := range dues {
		if !d.WarnAt.IsZero() {
			as = append(as, &alarm{at: d.WarnAt, id: id, alert: Alert{Kind: d.Kind, Level: Warning, Due: d.At}})
		}
		if !d.BreachAt.IsZero() {
			as = append(as, &alarm{at: d.BreachAt, id: id, alert: Alert{Kind: d.Kind, Level: Breach, Due: d.At}})
		}
	}
	for _, a := range as {
		t.seq++
		a.seq = t.seq
		heap.Push(&t.queue, a)
	}
	if len(as) > 0 {
		t.byID[id] = as
	}
	t.mu.Unlock()
	t.poke()
}

// Cancel drops the alarms of conversation id, as when it is resolved or
// deleted.
func (t *Timer) Cancel(id int64) {
	t.mu.Lock()
	t.cancel(id)
	t.mu.Unlock()
	t.poke()
}

func (t *Timer) cancel(id int64) {
	for _, a := range t.byID[id] {
		if a.index >= 0 {
			heap.Remove(&t.queue, a.index)
		}
	}
	delete(t.byID, id)
}

// Len returns the number of alarms waiting.
func (t *Timer) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.queue)
}

// Stop stops the Timer and waits for a fire in progress to return. No alert
// fires after Stop returns.
func (t *Timer) Stop() {
	t.once.Do(func() { close(t.stop) })
	<-t.stopped
}

// poke tells the goroutine the earliest alarm may have changed.
func (t *Timer) poke() {
	select {
	case t.wake <- struct{}{}:
	default:
	}
}

func (t *Timer) run() {
	defer close(t.stopped)
	clock := time.NewTimer(time.Hour)
	defer clock.Stop()
	for {
		clock.Stop()
		t.mu.Lock()
		now := time.Now()
		var due []*alarm
		for len(t.queue) > 0 && !t.queue[0].at.After(now) {
			a := heap.Pop(&t.queue).(*alarm)
			t.forget(a)
			due = append(due, a)
		}
		if len(due) == 0 && len(t.queue) > 0 {
			clock.Reset(t.queue[0].at.Sub(now))
		}
		t.mu.Unlock()
		for _, a := range due {
			select {
			case <-t.stop:
				return
			default:
			}
			t.fire(a.id, a.alert)
		}
		if len(due) > 0 {
			continue // fire took time; look again
		}
		select {
		case <-clock.C:
		case <-t.wake:
		case <-t.stop:
			return
		}
	}
}

// forget removes a fired alarm from its conversation's list.
func (t *Timer) forget(a *alarm) {
	as := t.byID[a.id]
	for i, x := range as {
		if x == a {
			as = append(as[:i:i], as[i+1:]...)
			break
		}
	}
	if len(as) == 0 {
		delete(t.byID, a.id)
	} else {
		t.byID[a.id] = as
	}
}

// alarms is a min-heap of alarms by instant.
type alarms []*alarm

func (q alarms) Len() int { return len(q) }
func (q alarms) Less(i, j int) bool {
	if !q[i].at.Equal(q[j].at) {
		return q[i].at.Before(q[j].at)
	}
	return q[i].seq < q[j].seq
}
func (q alarms) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].index, q[j].index = i, j
}
func (q *alarms) Push(x any) {
	a := x.(*alarm)
	a.index = len(*q)
	*q = append(*q, a)
}
func (q *alarms) Pop() any {
	old := *q
	a := old[len(old)-1]
	old[len(old)-1] = nil
	a.index = -1
	*q = old[:len(old)-1]
	return a
}
