package sla_test

import (
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parleyhq/parley/internal/sla"
)

// fired is one call of a Timer's fire, with the fake clock's time.
type fired struct {
	ID    int64
	Alert sla.Alert
	At    time.Time
}

// recorder collects what a Timer fires.
type recorder struct {
	mu  sync.Mutex
	got []fired
}

func (r *recorder) fire(id int64, a sla.Alert) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, fired{id, a, time.Now()})
}

func (r *recorder) take() []fired {
	r.mu.Lock()
	defer r.mu.Unlock()
	got := r.got
	r.got = nil
	return got
}

func TestTimer(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var r recorder
		tm := sla.NewTimer(r.fire)
		defer tm.Stop()
		start := time.Now()
		in := func(d time.Duration) time.Time { return start.Add(d) }

		tm.Schedule(1, []sla.Due{{Kind: sla.FirstResponse, At: in(time.Hour), WarnAt: in(30 * time.Minute), BreachAt: in(time.Hour + 1)}})
		tm.Schedule(2, []sla.Due{
			{Kind: sla.NextResponse, At: in(20 * time.Minute), BreachAt: in(20 * time.Minute)},
			{Kind: sla.Resolution, At: in(3 * time.Hour), WarnAt: in(2 * time.Hour), BreachAt: in(3 * time.Hour)},
		})
		tm.Schedule(3, []sla.Due{{Kind: sla.FirstResponse, At: in(time.Hour), WarnAt: in(10 * time.Minute), BreachAt: in(time.Hour)}})
		tm.Schedule(4, []sla.Due{{Kind: sla.Resolution, At: in(-time.Hour), BreachAt: in(-time.Hour)}}) // already past
		if got := tm.Len(); got != 8 {
			t.Errorf("Len = %d, want 8", got)
		}
		synctest.Wait()
		if diff := cmp.Diff([]fired{{4, sla.Alert{Kind: sla.Resolution, Level: sla.Breach, Due: in(-time.Hour)}, start}}, r.take()); diff != "" {
			t.Errorf("fired at once (-want +got):\n%s", diff)
		}

		time.Sleep(5 * time.Minute)
		tm.Cancel(3)
		time.Sleep(10 * time.Minute)
		// Conversation 2 was answered: its next response is gone, its
		// resolution deadline moved.
		tm.Schedule(2, []sla.Due{{Kind: sla.Resolution, At: in(4 * time.Hour), BreachAt: in(4 * time.Hour)}})
		time.Sleep(5 * time.Hour)
		synctest.Wait()
		want := []fired{
			{1, sla.Alert{Kind: sla.FirstResponse, Level: sla.Warning, Due: in(time.Hour)}, in(30 * time.Minute)},
			{1, sla.Alert{Kind: sla.FirstResponse, Level: sla.Breach, Due: in(time.Hour)}, in(time.Hour + 1)},
			{2, sla.Alert{Kind: sla.Resolution, Level: sla.Breach, Due: in(4 * time.Hour)}, in(4 * time.Hour)},
		}
		if diff := cmp.Diff(want, r.take()); diff != "" {
			t.Errorf("fired (-want +got):\n%s", diff)
		}
		if got := tm.Len(); got != 0 {
			t.Errorf("Len = %d after everything fired, want 0", got)
		}
	})
}

// Alarms of the same instant fire in the order they were scheduled.
func TestTimerSameInstant(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var r recorder
		tm := sla.NewTimer(r.fire)
		defer tm.Stop()
		when := time.Now().Add(time.Minute)
		for id := int64(1); id <= 5; id++ {
			tm.Schedule(id, []sla.Due{{Kind: sla.FirstResponse, At: when, BreachAt: when}})
		}
		time.Sleep(time.Hour)
		synctest.Wait()
		var ids []int64
		for _, f := range r.take() {
			ids = append(ids, f.ID)
		}
		if diff := cmp.Diff([]int64{1, 2, 3, 4, 5}, ids); diff != "" {
			t.Errorf("order (-want +got):\n%s", diff)
		}
	})
}

func TestTimerStop(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var r recorder
		tm := sla.NewTimer(r.fire)
		when := time.Now().Add(time.Minute)
		tm.Schedule(1, []sla.Due{{Kind: sla.FirstResponse, At: when, BreachAt: when}})
		tm.Stop()
		tm.Stop()
		tm.Schedule(2, []sla.Due{{Kind: sla.FirstResponse, At: when, BreachAt: when}})
		time.Sleep(time.Hour)
		synctest.Wait()
		if got := r.take(); len(got) != 0 {
			t.Errorf("fired after Stop: %v", got)
		}
	})
}

// A Timer driven by conversations' states, as Parley runs it: each alarm
// prompts a Check, which must agree that an alert is due, and the new
// Deadlines are scheduled. Deadlines that fall at closing time must not
// make the Timer spin until the next opening.
func TestTimerWithState(t *testing.T) {
	t.Parallel()
	cal := officeHours(t)
	synctest.Test(t, func(t *testing.T) {
		// The fake clock starts at midnight UTC on Saturday 1 January 2000,
		// when London keeps GMT.
		start := time.Now()
		if start.Weekday() != time.Saturday {
			t.Fatalf("synctest starts on %v", start)
		}
		var (
			mu     sync.Mutex
			state  sla.State
			alerts []fired
			fires  int
			tm     *sla.Timer
		)
		tm = sla.NewTimer(func(id int64, _ sla.Alert) {
			mu.Lock()
			defer mu.Unlock()
			fires++
			var got []sla.Alert
			state, got = state.Check(time.Now(), standard, cal)
			if len(got) == 0 {
				t.Errorf("at %v the Timer fired but Check found nothing due", time.Now())
			}
			for _, a := range got {
				alerts = append(alerts, fired{id, a, time.Now()})
			}
			tm.Schedule(id, state.Deadlines(standard, cal))
		})
		defer tm.Stop()

		mu.Lock()
		state = state.Apply(sla.Event{At: start, Type: sla.CustomerMessage}, standard, cal)
		state, _ = state.Check(start, standard, cal)
		tm.Schedule(7, state.Deadlines(standard, cal))
		mu.Unlock()

		time.Sleep(6 * 24 * time.Hour)
		synctest.Wait()
		jan := func(day, hour int) time.Time { return time.Date(2000, 1, day, hour, 0, 0, 0, time.UTC) }
		// First response, 1 h: Monday 08:00–09:00. Resolution, 16 h: all of
		// Monday and Tuesday, ending at closing time; the breach waits for
		// Wednesday's opening.
		want := []fired{
			{7, sla.Alert{Kind: sla.FirstResponse, Level: sla.Warning, Due: jan(3, 9)}, jan(3, 8).Add(30 * time.Minute)},
			{7, sla.Alert{Kind: sla.FirstResponse, Level: sla.Breach, Due: jan(3, 9)}, jan(3, 9).Add(1)},
			{7, sla.Alert{Kind: sla.Resolution, Level: sla.Warning, Due: jan(4, 17)}, jan(3, 17)},
			{7, sla.Alert{Kind: sla.Resolution, Level: sla.Breach, Due: jan(4, 17)}, jan(5, 8).Add(1)},
		}
		mu.Lock()
		defer mu.Unlock()
		if diff := cmp.Diff(want, alerts); diff != "" {
			t.Errorf("alerts (-want +got):\n%s", diff)
		}
		if fires != len(want) {
			t.Errorf("the Timer fired %d times for %d alerts", fires, len(want))
		}
	})
}
