package wscache

import (
	"errors"
	"testing"
	"time"
)

func TestGet(t *testing.T) {
	var c Cache[int]
	loads := 0
	load := func() (int, error) { loads++; return loads, nil }
	t0 := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	for _, s := range []struct {
		name  string
		ws    int64
		at    time.Time
		ttl   time.Duration
		want  int
		loads int
	}{
		{"first read loads", 1, t0, 0, 1, 1},
		{"within the TTL: kept", 1, t0.Add(29 * time.Second), 0, 1, 1},
		{"another workspace loads its own", 2, t0, 0, 2, 2},
		{"at the default TTL: loaded again", 1, t0.Add(DefaultTTL), 0, 3, 3},
		{"a shorter TTL", 1, t0.Add(DefaultTTL + time.Second), time.Second, 4, 4},
		{"the clock went back: loaded again", 1, t0, 0, 5, 5},
	} {
		got, err := c.Get(s.ws, s.at, s.ttl, load)
		if err != nil || got != s.want || loads != s.loads {
			t.Errorf("%s: Get = %d, %v after %d loads; want %d after %d", s.name, got, err, loads, s.want, s.loads)
		}
	}

	c.Invalidate(2)
	if got, _ := c.Get(2, t0, 0, load); got != 6 {
		t.Errorf("after Invalidate: Get = %d, want a fresh load (6)", got)
	}

	// A failed load keeps nothing: the next call tries again.
	boom := errors.New("boom")
	c.Invalidate(1)
	if _, err := c.Get(1, t0, 0, func() (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Errorf("failed load: err = %v, want boom", err)
	}
	if got, _ := c.Get(1, t0, 0, load); got != 7 {
		t.Errorf("after a failed load: Get = %d, want a fresh load (7)", got)
	}
}

func TestConcurrentUse(t *testing.T) {
	var c Cache[string]
	done := make(chan struct{})
	now := time.Now()
	for i := range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			for j := range 200 {
				ws := int64(j % 5)
				if v, err := c.Get(ws, now, 0, func() (string, error) { return "v", nil }); err != nil || v != "v" {
					t.Errorf("Get = %q, %v", v, err)
					return
				}
				if j%17 == i {
					c.Invalidate(ws)
				}
			}
		}()
	}
	for range 8 {
		<-done
	}
}
