package priority_test

import (
	"math"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/enrich/influence"
	"github.com/parleyhq/parley/internal/priority"
)

// post is what the examples know of a post; reach comes from package
// influence, as in Parley.
type post struct {
	Public     bool
	Followers  int64
	Engagement int64
	Age        time.Duration
	BotScore   float64
}

func reachOf(p post) (float64, string) {
	s := influence.Compute(influence.Input{Public: p.Public, Followers: p.Followers, Engagement: p.Engagement,
		PostedAt: now.Add(-p.Age), BotScore: p.BotScore}, now)
	return s.Reach, s.Reason
}

var now = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// TestWorkedExamples reproduces the worked examples of the priority model
// (SLA 60 min), to two decimals, from the formulas alone. Two readings the
// formulas leave open are fixed by the examples: the bot score damps reach
// as R·(1−bot) (1M followers at bot 0.9 gives 0.75 points), and a post with
// no engagement yet has a velocity term of 0, whatever its age.
func TestWorkedExamples(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name     string
		post     post
		need     float64
		incident float64
		history  float64
		waited   time.Duration
		want     float64
	}{
		{"private DM, U 0.2, waited 10 min, 50 followers",
			post{Followers: 50}, 0.2, 0, 0, 10 * time.Minute, 11.67},
		{"public, U 0.8, 120k followers, no engagement yet, waited 5",
			post{Public: true, Followers: 120_000, Age: 5 * time.Minute}, 0.8, 0, 0, 5 * time.Minute, 29.45},
		{"public, U 0.8, 80 followers, 40 reactions at 20 min, waited 20",
			post{Public: true, Followers: 80, Engagement: 40, Age: 20 * time.Minute}, 0.8, 0, 0, 20 * time.Minute, 40.81},
		{"same but no reactions",
			post{Public: true, Followers: 80, Age: 20 * time.Minute}, 0.8, 0, 0, 20 * time.Minute, 34.76},
		{"public, U 0.8, 1M followers, bot score 0.9, waited 5",
			post{Public: true, Followers: 1_000_000, Age: 5 * time.Minute, BotScore: 0.9}, 0.8, 0, 0, 5 * time.Minute, 24.08},
		{"public, U 0.5, 1k followers, incident severity 7, H 1, waited 15",
			post{Public: true, Followers: 1000, Age: 15 * time.Minute}, 0.5, 7.0 / 10, 1, 15 * time.Minute, 42.51},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			reach, why := reachOf(tt.post)
			in := priority.Input{Waited: tt.waited, Target: time.Hour, Need: tt.need, Reach: reach, ReachReason: why,
				Incident: tt.incident, History: tt.history}
			got := priority.Compute(in, priority.DefaultWeights(), now).Score
			if math.Round(got*100)/100 != tt.want {
				t.Errorf("Compute(%+v).Score = %.4f, want %.2f", in, got, tt.want)
			}
		})
	}
}

// TestSmallPostTakingOff checks the model's headline: a small account whose
// post is taking off outranks a large account whose post is not.
func TestSmallPostTakingOff(t *testing.T) {
	t.Parallel()
	small, _ := reachOf(post{Public: true, Followers: 80, Engagement: 40, Age: 20 * time.Minute})
	large, _ := reachOf(post{Public: true, Followers: 120_000, Age: 20 * time.Minute})
	if small <= large {
		t.Errorf("reach of a small post taking off = %.3f, of a large quiet one = %.3f; want the first higher", small, large)
	}
}
