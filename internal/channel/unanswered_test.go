package channel

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestUnanswered(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var u Unanswered
	if _, ok := u.Since("k", t0); ok {
		t.Fatal("the zero value remembers a key")
	}
	u.Remember("", t0)
	if _, ok := u.Since("", t0); ok {
		t.Fatal("an empty key was remembered")
	}

	u.Remember("k", t0)
	u.Remember("k", t0.Add(time.Minute)) // a second unanswered try
	if got, ok := u.Since("k", t0.Add(time.Hour)); !ok || !got.Equal(t0) {
		t.Fatalf("Since = %v, %v; want the first attempt %v", got, ok, t0)
	}
	u.Forget("k")
	if _, ok := u.Since("k", t0); ok {
		t.Fatal("a forgotten key is still remembered")
	}

	u.Remember("old", t0)
	if _, ok := u.Since("old", t0.Add(unansweredTTL)); !ok {
		t.Fatal("an attempt exactly two days old was dropped")
	}
	if _, ok := u.Since("old", t0.Add(unansweredTTL+time.Second)); ok {
		t.Fatal("an attempt older than two days is still remembered")
	}
	if _, ok := u.Since("old", t0); ok {
		t.Fatal("an expired attempt was not dropped when found")
	}
}

func TestUnansweredBounded(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	t.Run("the oldest goes first", func(t *testing.T) {
		var u Unanswered
		for i := range maxUnanswered {
			u.Remember(fmt.Sprint(i), t0.Add(time.Duration(i)*time.Second))
		}
		u.Remember("new", t0.Add(time.Hour*3))
		if len(u.keys) != maxUnanswered {
			t.Fatalf("%d keys remembered; want at most %d", len(u.keys), maxUnanswered)
		}
		if _, ok := u.Since("0", t0.Add(time.Hour*3)); ok {
			t.Error("the oldest attempt was kept over the newest")
		}
		for _, k := range []string{"1", "new", fmt.Sprint(maxUnanswered - 1)} {
			if _, ok := u.Since(k, t0.Add(time.Hour*3)); !ok {
				t.Errorf("%s was dropped", k)
			}
		}
	})
	t.Run("expired ones go together", func(t *testing.T) {
		var u Unanswered
		for i := range maxUnanswered {
			at := t0
			if i%2 == 0 {
				at = t0.Add(unansweredTTL)
			}
			u.Remember(fmt.Sprint(i), at)
		}
		now := t0.Add(unansweredTTL + time.Hour)
		u.Remember("new", now)
		if want := maxUnanswered/2 + 1; len(u.keys) != want {
			t.Fatalf("%d keys remembered; want %d (the expired half gone)", len(u.keys), want)
		}
	})
}

func TestUnansweredConcurrent(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var u Unanswered
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				k := fmt.Sprint(g, "-", i)
				u.Remember(k, t0)
				if _, ok := u.Since(k, t0); !ok {
					t.Errorf("%s not remembered", k)
				}
				u.Forget(k)
			}
		})
	}
	wg.Wait()
	if len(u.keys) != 0 {
		t.Fatalf("%d keys left after every one was forgotten", len(u.keys))
	}
}
