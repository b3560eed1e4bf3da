package priority_test

import (
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/priority"
	"pgregory.net/rapid"
)

// Property tests for the invariants of the priority model.

func drawInput(t *rapid.T, label string) priority.Input {
	unit := rapid.Float64Range(0, 1)
	in := priority.Input{
		Waited:      time.Duration(rapid.Int64Range(0, 48*3600).Draw(t, label+".waited")) * time.Second,
		Target:      time.Duration(rapid.Int64Range(0, 8*3600).Draw(t, label+".target")) * time.Second,
		Need:        unit.Draw(t, label+".need"),
		NeedReason:  rapid.SampledFrom([]string{"", "negative", "refund"}).Draw(t, label+".needReason"),
		Reach:       unit.Draw(t, label+".reach"),
		ReachReason: rapid.SampledFrom([]string{"", "38k followers"}).Draw(t, label+".reachReason"),
		Incident:    unit.Draw(t, label+".incident"),
		History:     unit.Draw(t, label+".history"),
		Value:       unit.Draw(t, label+".value"),
		Boost:       rapid.Float64Range(-priority.MaxBoost, priority.MaxBoost).Draw(t, label+".boost"),
	}
	if rapid.Bool().Draw(t, label+".hasDue") {
		due := now.Add(time.Duration(rapid.Int64Range(-8*3600, 8*3600).Draw(t, label+".due")) * time.Second)
		in.Due = &due
	}
	return in
}

// drawWeights returns valid weights, the defaults half of the time.
func drawWeights(t *rapid.T) priority.Weights {
	if rapid.Bool().Draw(t, "defaults") {
		return priority.DefaultWeights()
	}
	w := priority.Weights{
		Waiting:  rapid.Float64Range(1, 100).Draw(t, "w.waiting"),
		Need:     rapid.Float64Range(0, 100).Draw(t, "w.need"),
		Incident: rapid.Float64Range(0, 100).Draw(t, "w.incident"),
		History:  rapid.Float64Range(0, 100).Draw(t, "w.history"),
		Value:    rapid.Float64Range(0, 100).Draw(t, "w.value"),
		ReachOff: rapid.Bool().Draw(t, "w.reachOff"),
	}
	w.Reach = rapid.Float64Range(0, 0.5*w.Waiting).Draw(t, "w.reach")
	return w
}

// item is in as the dispatcher sees it, on a wall clock equal to the SLA
// clock: the conversation arrived Waited ago and is due at its target.
func item(in priority.Input, w priority.Weights, id int64) priority.Item {
	target := in.Target
	if target <= 0 {
		target = priority.DefaultTarget
	}
	since := now.Add(-in.Waited)
	due := since.Add(target)
	in.Due = &due
	return priority.Item{Result: priority.Compute(in, w, now), Due: &due, Since: since, ID: id}
}

// Invariant 1: reach alone moves a message ahead of an older one by at most
// weight(R)/weight(W) of the SLA (15/40 by default); the author's audience
// alone by at most half of that, about 0.19 of the SLA.
func TestReachOvertakeBounded(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		w := drawWeights(t)
		base := drawInput(t, "base")
		newer, older := base, base
		newer.Waited = time.Duration(rapid.Int64Range(0, 8*3600).Draw(t, "newer.waited")) * time.Second
		older.Waited = newer.Waited + time.Duration(rapid.Int64Range(1, 8*3600).Draw(t, "gap"))*time.Second
		older.Reach = rapid.Float64Range(0, 1).Draw(t, "older.reach")
		audienceOnly := rapid.Bool().Draw(t, "audienceOnly")
		if audienceOnly {
			newer.Reach, _ = reachOf(post{Public: true,
				Followers: rapid.Int64Range(0, 1e10).Draw(t, "followers"), Age: time.Minute})
		} else {
			newer.Reach = rapid.Float64Range(0, 1).Draw(t, "newer.reach")
		}
		a, b := item(newer, w, 1), item(older, w, 2)
		if !priority.Less(a, b) {
			return
		}
		target := float64(cmpTarget(base.Target))
		gained := float64(older.Waited-newer.Waited) / target
		bound := 0.0
		if !w.ReachOff {
			bound = w.Reach / w.Waiting
		}
		if audienceOnly {
			bound /= 2
			if w == priority.DefaultWeights() && bound > 0.19 {
				t.Fatalf("the audience bound is %.4f of the SLA, want about 0.19", bound)
			}
		}
		if gained > bound+1e-9 {
			t.Fatalf("reach moved a message ahead of one %.4f of the SLA older (bound %.4f)\nnewer %+v\nolder %+v",
				gained, bound, a, b)
		}
	})
}

func cmpTarget(d time.Duration) time.Duration {
	if d <= 0 {
		return priority.DefaultTarget
	}
	return d
}

// Invariant 2: no message at W ≥ 0.8 is passed by one below 0.8.
func TestUrgentNeverPassed(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		w := drawWeights(t)
		x, y := drawInput(t, "x"), drawInput(t, "y")
		a := priority.Item{Result: priority.Compute(x, w, now), Due: x.Due, Since: now.Add(-x.Waited), ID: 1}
		b := priority.Item{Result: priority.Compute(y, w, now), Due: y.Due, Since: now.Add(-y.Waited), ID: 2}
		for _, c := range []struct {
			it priority.Item
			in priority.Input
		}{{a, x}, {b, y}} {
			if want := float64(c.in.Waited)/float64(cmpTarget(c.in.Target)) >= 0.8; c.it.Urgent != want {
				t.Fatalf("Urgent = %v for %v waited of %v, want %v", c.it.Urgent, c.in.Waited, cmpTarget(c.in.Target), want)
			}
		}
		if a.Urgent && !b.Urgent && (priority.Less(b, a) || !priority.Less(a, b)) {
			t.Fatalf("an urgent item (score %.2f) is not ahead of one that is not (score %.2f)", a.Score, b.Score)
		}
	})
}

// Invariant 4: S never decreases when any component grows, whatever the
// weights (even ones Validate refuses).
func TestScoreMonotonic(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		var w priority.Weights
		if rapid.Bool().Draw(t, "anyWeights") {
			f := rapid.Float64()
			w = priority.Weights{Waiting: f.Draw(t, "w.waiting"), Need: f.Draw(t, "w.need"), Reach: f.Draw(t, "w.reach"),
				Incident: f.Draw(t, "w.incident"), History: f.Draw(t, "w.history"), Value: f.Draw(t, "w.value"),
				ReachOff: rapid.Bool().Draw(t, "w.reachOff")}
		} else {
			w = drawWeights(t)
		}
		in := drawInput(t, "in")
		grown := in
		d := rapid.Float64Range(0, 2).Draw(t, "delta")
		switch rapid.IntRange(0, 6).Draw(t, "component") {
		case 0:
			grown.Waited += time.Duration(d * float64(time.Hour))
		case 1:
			grown.Need += d
		case 2:
			grown.Reach += d
		case 3:
			grown.Incident += d
		case 4:
			grown.History += d
		case 5:
			grown.Value += d
		case 6:
			grown.Boost += 50 * d
		}
		before, after := priority.Compute(in, w, now).Score, priority.Compute(grown, w, now).Score
		if math.IsNaN(after) || math.IsInf(after, 0) || after < before {
			t.Fatalf("score went from %v to %v as\n%+v grew to\n%+v", before, after, in, grown)
		}
	})
}

// Reach grows with the audience and with engagement, and falls as the bot
// score rises, so the score's monotonicity carries through ReachOf.
func TestReachMonotonic(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := post{Public: true,
			Followers:  rapid.Int64Range(0, 1e9).Draw(t, "followers"),
			Engagement: rapid.Int64Range(0, 1e7).Draw(t, "engagement"),
			Age:        time.Duration(rapid.Int64Range(0, int64(48*time.Hour)).Draw(t, "age")),
			BotScore:   rapid.Float64Range(0, 1).Draw(t, "bot"),
		}
		r, _ := reachOf(p)
		q := p
		q.Followers += rapid.Int64Range(0, 1e9).Draw(t, "more followers")
		q.Engagement += rapid.Int64Range(0, 1e7).Draw(t, "more engagement")
		q.BotScore -= rapid.Float64Range(0, p.BotScore).Draw(t, "less bot")
		if r2, _ := reachOf(q); r2 < r {
			t.Fatalf("reach fell from %v to %v, from %+v to %+v", r, r2, p, q)
		}
		older := p
		older.Age += time.Duration(rapid.Int64Range(0, int64(48*time.Hour)).Draw(t, "later"))
		if r2, _ := reachOf(older); r2 > r+1e-12 {
			t.Fatalf("the same engagement later gave more reach: %v to %v, from %+v to %+v", r, r2, p, older)
		}
	})
}

// Invariant 5: every card explains its points.
func TestEveryPointExplained(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		in := drawInput(t, "in")
		in.NeedReason = rapid.String().Draw(t, "needReason")
		in.ReachReason = rapid.String().Draw(t, "reachReason")
		r := priority.Compute(in, drawWeights(t), now)
		checkExplained(t, in, r)
	})
}

type fataler interface {
	Fatalf(format string, args ...any)
}

func checkExplained(t fataler, in priority.Input, r priority.Result) {
	var sum float64
	for _, p := range r.Parts {
		sum += p.Points
		want := ": " + strings.TrimPrefix(signedPoints(p), "+")
		if p.Name == "boost" {
			want = ": " + signedPoints(p)
		}
		if !strings.HasSuffix(p.Why, want) || !utf8.ValidString(p.Why) || utf8.RuneCountInString(p.Why) > 80 {
			t.Fatalf("part %+v: Why does not end in %q or is not short valid text", p, want)
		}
	}
	if sum != r.Score || math.IsNaN(r.Score) || math.IsInf(r.Score, 0) {
		t.Fatalf("parts add up to %v, score is %v", sum, r.Score)
	}
	if len(r.Parts) == 0 || r.Parts[0].Name != "waiting" {
		t.Fatalf("parts %+v do not start with waiting", r.Parts)
	}
	want := len(r.Parts)
	if in.Waited <= 0 {
		want-- // nobody waiting is no reason
	}
	if in.Due != nil {
		want++
	}
	if len(r.Reasons) != want {
		t.Fatalf("%d reasons %q for %d parts", len(r.Reasons), r.Reasons, len(r.Parts))
	}
	for _, s := range r.Reasons {
		if s == "" || !utf8.ValidString(s) || utf8.RuneCountInString(s) > 60 || strings.ContainsAny(s, "\n\r\t\u202e") {
			t.Fatalf("reason %q is not a short line of valid text", s)
		}
	}
}

func signedPoints(p priority.Part) string {
	s := strconvFloat(p.Points)
	if p.Points > 0 {
		return "+" + s
	}
	return s
}

// Less is a strict total order on items with distinct IDs: irreflexive,
// asymmetric, transitive and total.
func TestLessIsTotalOrder(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		w := drawWeights(t)
		var items [3]priority.Item
		for i := range items {
			in := drawInput(t, "in")
			items[i] = priority.Item{Result: priority.Compute(in, w, now), Due: in.Due, ID: int64(i),
				Since: now.Add(-time.Duration(rapid.IntRange(0, 3).Draw(t, "since")) * time.Minute)}
			if rapid.Bool().Draw(t, "sameScore") && i > 0 {
				items[i].Score = items[i-1].Score
			}
		}
		a, b, c := items[0], items[1], items[2]
		if priority.Less(a, a) {
			t.Fatal("Less(a, a)")
		}
		if priority.Less(a, b) == priority.Less(b, a) {
			t.Fatalf("Less(a, b) = Less(b, a) = %v", priority.Less(a, b))
		}
		if priority.Less(a, b) && priority.Less(b, c) && !priority.Less(a, c) {
			t.Fatal("Less is not transitive")
		}
	})
}
