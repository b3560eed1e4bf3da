package influence

import (
	"testing"
	"time"
)

func BenchmarkCompute(b *testing.B) {
	in := Input{Public: true, Followers: 38_200, Verified: true, Engagement: 40,
		PostedAt: ago(20 * time.Minute), AccountCreated: ago(400 * 24 * time.Hour), BotScore: 0.1}
	b.ReportAllocs()
	for b.Loop() {
		Compute(in, testNow)
	}
}
