package influence

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// testNow is the tests' clock: 24 November 2026, 10:00 UTC.
var testNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

func ago(d time.Duration) time.Time { return testNow.Add(-d) }

// TestWorkedExamples reproduces the worked examples of the priority design
// (SLA 60 minutes): S = 40·W + 25·U + 15·R + 10·V + 10·H, with R from
// Compute.
func TestWorkedExamples(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name           string
		in             Input
		waited         time.Duration
		need, incident float64
		history        float64
		wantR, wantS   float64
	}{
		{"private DM", Input{Followers: 50, PostedAt: ago(10 * time.Minute)},
			10 * time.Minute, 0.2, 0, 0, 0, 11.67},
		// R is half the audience term: min(1, log10(1 + 12,000)/5) / 2.
		{"120k followers, no engagement yet", Input{Public: true, Followers: 120_000, PostedAt: ago(5 * time.Minute)},
			5 * time.Minute, 0.8, 0, 0, 0.40792, 29.45},
		// R is the velocity term: 40 / Φ(20 min) = 40 / 0.411 = 97.3.
		{"80 followers, 40 reactions at 20 min", Input{Public: true, Followers: 80, Engagement: 40, PostedAt: ago(20 * time.Minute)},
			20 * time.Minute, 0.8, 0, 0, 0.49818, 40.81},
		{"80 followers, no reactions", Input{Public: true, Followers: 80, PostedAt: ago(20 * time.Minute)},
			20 * time.Minute, 0.8, 0, 0, 0.09542, 34.76},
		// The audience term is 1, damped by 1 - 0.9.
		{"1M followers, bot score 0.9", Input{Public: true, Followers: 1_000_000, BotScore: 0.9, PostedAt: ago(5 * time.Minute)},
			5 * time.Minute, 0.8, 0, 0, 0.05, 24.08},
		{"1k followers, incident, repeat contact", Input{Public: true, Followers: 1_000, PostedAt: ago(15 * time.Minute)},
			15 * time.Minute, 0.5, 0.7, 1, 0.20043, 42.51},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Compute(tt.in, testNow)
			if math.Abs(got.Reach-tt.wantR) > 5e-5 {
				t.Errorf("Compute(%+v).Reach = %.5f, want %.5f", tt.in, got.Reach, tt.wantR)
			}
			w := tt.waited.Minutes() / 60
			s := 40*w + 25*tt.need + 15*got.Reach + 10*tt.incident + 10*tt.history
			if math.Abs(s-tt.wantS) > 0.005 {
				t.Errorf("S = %.3f, want %.2f", s, tt.wantS)
			}
		})
	}
	small := Compute(Input{Public: true, Followers: 80, Engagement: 40, PostedAt: ago(20 * time.Minute)}, testNow)
	large := Compute(Input{Public: true, Followers: 120_000, PostedAt: ago(20 * time.Minute)}, testNow)
	if small.Reach <= large.Reach {
		t.Errorf("a small account taking off (R %.3f) does not outrank a large one that is not (R %.3f)", small.Reach, large.Reach)
	}
}

func TestCompute(t *testing.T) {
	t.Parallel()
	approx := cmpopts.EquateApprox(0, 1e-4)
	for _, tt := range []struct {
		name string
		in   Input
		want Score
	}{
		{"nothing known", Input{Public: true},
			Score{Band: BandUnder1K}},
		{"private VIP with followers", Input{Followers: 2_000_000, Engagement: 900, VIP: true, Verified: true},
			Score{Band: BandOver1M, VIP: true, Reasons: []string{"private message", "VIP"}}},
		{"everything", Input{Public: true, Followers: 38_200, Verified: true, VIP: true, Engagement: 40, PostedAt: ago(20 * time.Minute)},
			Score{Reach: 0.49818, Audience: 0.71640, Velocity: 0.49818, Band: Band10KTo100K, VIP: true,
				Reason: "40 reactions in 20 min", Reasons: []string{"38k followers", "verified", "VIP", "40 reactions in 20 min"}}},
		{"one of each", Input{Public: true, Followers: 1, Engagement: 1},
			Score{Reach: 0.07526, Audience: 0.00828, Velocity: 0.07526, Band: BandUnder1K,
				Reason: "1 reaction", Reasons: []string{"1 follower", "1 reaction"}}},
		// Unknown age: the count is taken as the whole, log10(1 + 999)/4.
		{"engagement of unknown age", Input{Public: true, Engagement: 999},
			Score{Reach: 0.75, Velocity: 0.75, Band: BandUnder1K, Reason: "999 reactions", Reasons: []string{"999 reactions"}}},
		// At age 0 the share is floored at 0.05: 20 × 10 expected.
		{"engagement at once", Input{Public: true, Engagement: 10, PostedAt: testNow},
			Score{Reach: 0.57580, Velocity: 0.57580, Band: BandUnder1K, Reason: "10 reactions in under a minute", Reasons: []string{"10 reactions in under a minute"}}},
		{"posted in the future", Input{Public: true, Engagement: 10, PostedAt: testNow.Add(time.Hour)},
			Score{Reach: 0.57580, Velocity: 0.57580, Band: BandUnder1K, Reason: "10 reactions in under a minute", Reasons: []string{"10 reactions in under a minute"}}},
		{"velocity capped", Input{Public: true, Engagement: 1 << 40, PostedAt: ago(3 * 24 * time.Hour)},
			Score{Reach: 1, Velocity: 1, Band: BandUnder1K, Reason: "1T reactions in 3 days", Reasons: []string{"1T reactions in 3 days"}}},
		{"new account", Input{Public: true, Followers: 120_000, AccountCreated: ago(29 * 24 * time.Hour)},
			Score{Reach: 0.20396, Audience: 0.81584, Band: Band100KTo1M, Reason: "120k followers", Reasons: []string{"120k followers", "new account"}}},
		{"month-old account", Input{Public: true, Followers: 120_000, AccountCreated: ago(NewAccountAge)},
			Score{Reach: 0.40792, Audience: 0.81584, Band: Band100KTo1M, Reason: "120k followers", Reasons: []string{"120k followers"}}},
		{"new account and bot", Input{Public: true, Followers: 120_000, AccountCreated: testNow, BotScore: 0.5},
			Score{Reach: 0.10198, Audience: 0.81584, Band: Band100KTo1M, Reason: "120k followers", Reasons: []string{"120k followers", "new account", "bot score 0.5"}}},
		{"bot score over 1", Input{Public: true, Followers: 120_000, BotScore: 7},
			Score{Audience: 0.81584, Band: Band100KTo1M, Reasons: []string{"120k followers", "bot score 1"}}},
		{"NaN bot score", Input{Public: true, Followers: 120_000, BotScore: math.NaN()},
			Score{Reach: 0.40792, Audience: 0.81584, Band: Band100KTo1M, Reason: "120k followers", Reasons: []string{"120k followers"}}},
		{"negative counts", Input{Public: true, Followers: -5, Engagement: math.MinInt64, BotScore: -1},
			Score{Band: BandUnder1K}},
		{"most followers", Input{Public: true, Followers: math.MaxInt64},
			Score{Reach: 0.5, Audience: 1, Band: BandOver1M, Reason: "9223372T followers", Reasons: []string{"9223372T followers"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, Compute(tt.in, testNow), approx); diff != "" {
				t.Errorf("Compute(%+v) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// TestReason checks that the card names what drove reach, not merely the
// first thing known about the author.
func TestReason(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		in   Input
		want string
	}{
		{"reactions beat a small audience", Input{Public: true, Followers: 422, Engagement: 112, PostedAt: ago(time.Minute)},
			"112 reactions in 1 min"},
		{"a small account's post taking off", Input{Public: true, Followers: 10, Engagement: 1_438, PostedAt: ago(2 * time.Hour)},
			"1.4k reactions in 2 h"},
		{"a large audience beats a quiet post", Input{Public: true, Followers: 120_000, Engagement: 3, PostedAt: ago(6 * time.Hour)},
			"120k followers"},
		{"a few old reactions stay behind the audience", Input{Public: true, Followers: 422, Engagement: 2, PostedAt: ago(24 * time.Hour)},
			"422 followers"},
		{"verified and VIP add no reach", Input{Public: true, Verified: true, VIP: true}, ""},
		{"verified VIP is named by the audience", Input{Public: true, Followers: 50, Verified: true, VIP: true}, "50 followers"},
		{"new account keeps its driver", Input{Public: true, Followers: 80, Engagement: 40, PostedAt: ago(20 * time.Minute), AccountCreated: ago(time.Hour)},
			"40 reactions in 20 min"},
		{"private message", Input{Followers: 2_000_000, Engagement: 900}, ""},
		{"certain bot", Input{Public: true, Followers: 1_000_000, Engagement: 900, BotScore: 1}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Compute(tt.in, testNow)
			if got.Reason != tt.want {
				t.Errorf("Compute(%+v).Reason = %q, want %q (audience %.3f, velocity %.3f)", tt.in, got.Reason, tt.want, got.Audience, got.Velocity)
			}
			if tt.want != "" && !slices.Contains(got.Reasons, tt.want) {
				t.Errorf("Reason %q is not among Reasons %q", got.Reason, got.Reasons)
			}
		})
	}
}

func TestShare(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		age  time.Duration
		want float64
	}{
		{-time.Hour, 0},
		{0, 0},
		{150 * time.Second, 0.094},
		{5 * time.Minute, 0.188},
		{10 * time.Minute, 0.188 + 0.5*(0.411-0.188)},
		{20 * time.Minute, 0.411},
		{time.Hour, 0.543},
		{6 * time.Hour, 0.698},
		{12 * time.Hour, 0.698 + 0.5*(0.781-0.698)},
		{24 * time.Hour, 0.781},
		{96 * time.Hour, 0.8412}, // 1 - 0.219·4^-0.232: the 6 h → 24 h step again
		{7 * 24 * time.Hour, 0.8606},
		{30 * 24 * time.Hour, 0.9006},
	} {
		if got := share(tt.age); math.Abs(got-tt.want) > 5e-4 {
			t.Errorf("share(%v) = %.4f, want %.4f", tt.age, got, tt.want)
		}
	}
	if got := share(math.MaxInt64); got >= 1 || got < 0.98 {
		t.Errorf("share(longest) = %v, want under 1 and over 0.98", got)
	}
}

func TestBandOf(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		followers int64
		want      Band
	}{
		{math.MinInt64, BandUnder1K},
		{0, BandUnder1K},
		{999, BandUnder1K},
		{1_000, Band1KTo10K},
		{9_999, Band1KTo10K},
		{10_000, Band10KTo100K},
		{99_999, Band10KTo100K},
		{100_000, Band100KTo1M},
		{999_999, Band100KTo1M},
		{1_000_000, BandOver1M},
		{math.MaxInt64, BandOver1M},
	} {
		if got := BandOf(tt.followers); got != tt.want {
			t.Errorf("BandOf(%d) = %q, want %q", tt.followers, got, tt.want)
		}
	}
	if got := Bands(); len(got) != 5 || got[0] != BandUnder1K || got[4] != BandOver1M {
		t.Errorf("Bands() = %q", got)
	}
}

func TestFormatCount(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		n    int64
		want string
	}{
		{0, "0"},
		{950, "950"},
		{999, "999"},
		{1_000, "1k"},
		{1_050, "1k"},
		{1_250, "1.2k"},
		{9_999, "9.9k"},
		{38_200, "38k"},
		{38_900, "38k"},
		{999_999, "999k"},
		{1_000_000, "1M"},
		{1_250_000, "1.2M"},
		{12_500_000, "12M"},
		{3_000_000_000, "3B"},
		{-38_200, "-38k"},
		{math.MinInt64, "-9223372T"},
	} {
		if got := FormatCount(tt.n); got != tt.want {
			t.Errorf("FormatCount(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestFormatAge(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{59 * time.Second, "under a minute"},
		{20 * time.Minute, "20 min"},
		{59*time.Minute + 59*time.Second, "59 min"},
		{time.Hour, "1 h"},
		{47 * time.Hour, "47 h"},
		{48 * time.Hour, "2 days"},
	} {
		if got := formatAge(tt.d); got != tt.want {
			t.Errorf("formatAge(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}
