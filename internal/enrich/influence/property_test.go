package influence

import (
	"math"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// input draws any input, including counts and scores out of range.
func input(t *rapid.T) Input {
	in := Input{
		Public:     rapid.Bool().Draw(t, "public"),
		Followers:  rapid.Int64Range(-1000, 1<<50).Draw(t, "followers"),
		Verified:   rapid.Bool().Draw(t, "verified"),
		Engagement: rapid.Int64Range(-1000, 1<<40).Draw(t, "engagement"),
		BotScore:   rapid.Float64Range(-0.5, 1.5).Draw(t, "bot"),
		VIP:        rapid.Bool().Draw(t, "vip"),
	}
	if rapid.Bool().Draw(t, "posted known") {
		in.PostedAt = testNow.Add(-time.Duration(rapid.Int64Range(-int64(time.Hour), int64(60*24*time.Hour)).Draw(t, "age")))
	}
	if rapid.Bool().Draw(t, "created known") {
		in.AccountCreated = testNow.Add(-time.Duration(rapid.Int64Range(0, int64(5*365*24*time.Hour)).Draw(t, "account age")))
	}
	return in
}

func TestReachNeverDecreases(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		in := input(t)
		base := Compute(in, testNow)
		more := in
		more.Followers += rapid.Int64Range(0, 1<<50).Draw(t, "more followers")
		if got := Compute(more, testNow); got.Reach < base.Reach {
			t.Fatalf("followers %d → %d: reach %v → %v", in.Followers, more.Followers, base.Reach, got.Reach)
		}
		more = in
		more.Engagement += rapid.Int64Range(0, 1<<40).Draw(t, "more engagement")
		if got := Compute(more, testNow); got.Reach < base.Reach {
			t.Fatalf("engagement %d → %d: reach %v → %v", in.Engagement, more.Engagement, base.Reach, got.Reach)
		}
	})
}

func TestReachInRange(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		in := input(t)
		s := Compute(in, testNow)
		for name, v := range map[string]float64{"reach": s.Reach, "audience": s.Audience, "velocity": s.Velocity} {
			if !(v >= 0 && v <= 1) {
				t.Fatalf("%s = %v, want within 0…1", name, v)
			}
		}
		if !in.Public && (s.Reach != 0 || s.Audience != 0 || s.Velocity != 0) {
			t.Fatalf("private message: %+v, want no reach", s)
		}
		if in.BotScore > 0 && s.Reach > 1-math.Min(in.BotScore, 1)+1e-12 {
			t.Fatalf("bot score %v: reach %v not damped", in.BotScore, s.Reach)
		}
		if s.Band != BandOf(in.Followers) || s.VIP != in.VIP {
			t.Fatalf("band %q, VIP %v for %+v", s.Band, s.VIP, in)
		}
		// A card shows a reach reason exactly when there is reach, and it
		// is one of the reasons, never verified or VIP.
		if (s.Reason != "") != (s.Reach > 0) || s.Reason == "verified" || s.Reason == "VIP" {
			t.Fatalf("reason %q for reach %v", s.Reason, s.Reach)
		}
		if s.Reason != "" && !slices.Contains(s.Reasons, s.Reason) {
			t.Fatalf("reason %q not among %q", s.Reason, s.Reasons)
		}
	})
}

func TestShareNeverDecreases(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		a := time.Duration(rapid.Int64Range(-1, 1<<62).Draw(t, "a"))
		// b stays within int64: past it the sum wraps to a negative age.
		b := a + time.Duration(rapid.Int64Range(0, math.MaxInt64-int64(max(a, 0))).Draw(t, "b-a"))
		if sa, sb := share(a), share(b); sb < sa || sa < 0 || sb >= 1 {
			t.Fatalf("share(%v) = %v, share(%v) = %v", a, sa, b, sb)
		}
	})
}
