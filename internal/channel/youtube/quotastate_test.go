package youtube

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// cursors is a QuotaStore in memory whose writes can be made to fail.
type cursors struct {
	mu       sync.Mutex
	values   map[string]string
	failSets int
	sets     int
}

func (c *cursors) key(id care.ID, name string) string { return fmt.Sprintf("%d/%s", id, name) }

func (c *cursors) InboxCursor(ctx context.Context, id care.ID, name string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.values[c.key(id, name)], nil
}

func (c *cursors) SetInboxCursor(ctx context.Context, id care.ID, name, value string, now time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.failSets > 0 {
		c.failSets--
		return errors.New("database is locked")
	}
	if c.values == nil {
		c.values = map[string]string{}
	}
	c.values[c.key(id, name)] = value
	c.sets++
	return nil
}

func (c *cursors) stored(t *testing.T, id care.ID) savedUsage {
	t.Helper()
	v, _ := c.InboxCursor(context.Background(), id, QuotaCursor)
	var u savedUsage
	if v != "" {
		if err := json.Unmarshal([]byte(v), &u); err != nil {
			t.Fatalf("stored usage %q: %v", v, err)
		}
	}
	return u
}

// spend takes units for inbox 7 the way a request does: load, take, save.
func spend(t *testing.T, a *Adapter, cost int, write bool) bool {
	t.Helper()
	ctx := context.Background()
	a.loadQuota(ctx, 7)
	ok, _ := a.quota.take(7, limits{daily: 1000, reads: 600, scanPages: 1}, a.now(), cost, write)
	a.saveQuota(ctx, 7)
	return ok
}

func newStateAdapter(s QuotaStore, now time.Time) *Adapter {
	return &Adapter{State: s, Now: func() time.Time { return now }, Logger: slog.New(slog.DiscardHandler)}
}

func TestQuotaState(t *testing.T) {
	t.Parallel()
	l := limits{daily: 1000, reads: 600, scanPages: 1}
	today := pacificDay(testNow)
	tests := []struct {
		name string
		run  func(t *testing.T, s *cursors) (got quotaState, want savedUsage)
	}{
		{"a restart continues the day", func(t *testing.T, s *cursors) (quotaState, savedUsage) {
			a := newStateAdapter(s, testNow)
			spend(t, a, 1, false)
			spend(t, a, 50, true)
			b := newStateAdapter(s, testNow)
			spend(t, b, 1, false)
			return b.quota.state(7, l, testNow), savedUsage{Day: today, Reads: 2, Writes: 50}
		}},
		{"two nodes add up", func(t *testing.T, s *cursors) (quotaState, savedUsage) {
			a, b := newStateAdapter(s, testNow), newStateAdapter(s, testNow)
			spend(t, a, 3, false)
			spend(t, b, 50, true)
			spend(t, a, 50, true)
			return a.quota.state(7, l, testNow), savedUsage{Day: today, Reads: 3, Writes: 100}
		}},
		{"a failed save is carried by the next", func(t *testing.T, s *cursors) (quotaState, savedUsage) {
			a := newStateAdapter(s, testNow)
			s.failSets = 1
			spend(t, a, 50, true)
			if u := s.stored(t, 7); u.Writes != 0 {
				t.Errorf("a failed save stored %+v", u)
			}
			spend(t, a, 1, false)
			return newStateAdapter(s, testNow).quotaAfterLoad(t), savedUsage{Day: today, Reads: 1, Writes: 50}
		}},
		{"a refund after a save is taken off", func(t *testing.T, s *cursors) (quotaState, savedUsage) {
			a := newStateAdapter(s, testNow)
			spend(t, a, 50, true)
			a.quota.refund(7, testNow, 49, true)
			a.saveQuota(context.Background(), 7)
			return newStateAdapter(s, testNow).quotaAfterLoad(t), savedUsage{Day: today, Writes: 1}
		}},
		{"quotaExceeded is kept", func(t *testing.T, s *cursors) (quotaState, savedUsage) {
			a := newStateAdapter(s, testNow)
			spend(t, a, 1, false)
			a.quota.exhaust(7, testNow)
			a.saveQuota(context.Background(), 7)
			b := newStateAdapter(s, testNow)
			if spend(t, b, 1, false) {
				t.Error("a restarted adapter spent after YouTube's quotaExceeded")
			}
			return b.quota.state(7, l, testNow), savedUsage{Day: today, Reads: 1, Exhausted: true}
		}},
		{"yesterday's usage does not count", func(t *testing.T, s *cursors) (quotaState, savedUsage) {
			spend(t, newStateAdapter(s, testNow.Add(-24*time.Hour)), 500, false)
			a := newStateAdapter(s, testNow)
			spend(t, a, 1, false)
			return a.quota.state(7, l, testNow), savedUsage{Day: today, Reads: 1}
		}},
		{"a stored value not understood is ignored", func(t *testing.T, s *cursors) (quotaState, savedUsage) {
			if err := s.SetInboxCursor(context.Background(), 7, QuotaCursor, "{not json", testNow); err != nil {
				t.Fatal(err)
			}
			a := newStateAdapter(s, testNow)
			spend(t, a, 1, false)
			return a.quota.state(7, l, testNow), savedUsage{Day: today, Reads: 1}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := &cursors{}
			got, want := tt.run(t, s)
			if u := s.stored(t, 7); u.Day != want.Day || u.Reads != want.Reads || u.Writes != want.Writes || u.Exhausted != want.Exhausted {
				t.Errorf("stored %+v, want %+v", u, want)
			}
			if got.reads != want.Reads || got.writes != want.Writes || got.exhausted != want.Exhausted {
				t.Errorf("meter = reads %d writes %d exhausted %v, want %+v", got.reads, got.writes, got.exhausted, want)
			}
		})
	}
}

// quotaAfterLoad is inbox 7's usage as a new adapter loads it.
func (a *Adapter) quotaAfterLoad(t *testing.T) quotaState {
	t.Helper()
	a.loadQuota(context.Background(), 7)
	return a.quota.state(7, limits{daily: 1000, reads: 600, scanPages: 1}, a.now())
}

// TestQuotaSavesCoalesce checks that one save writes whatever was spent
// before it, and that a save with nothing new writes nothing.
func TestQuotaSavesCoalesce(t *testing.T) {
	t.Parallel()
	s := &cursors{}
	a := newStateAdapter(s, testNow)
	l := limits{daily: 1000, reads: 600, scanPages: 1}
	a.loadQuota(context.Background(), 7)
	for range 5 {
		a.quota.take(7, l, testNow, 1, false)
	}
	a.quota.polled(7, testNow, 5)
	a.saveQuota(context.Background(), 7)
	a.saveQuota(context.Background(), 7)
	if s.sets != 1 {
		t.Errorf("%d writes, want 1 for one poll of five pages", s.sets)
	}
	if u := s.stored(t, 7); u.Reads != 5 || u.Polls != 1 || u.PollUnits != 5 {
		t.Errorf("stored %+v, want 5 reads in 1 poll", u)
	}
}
