package moderation

import (
	"strings"
	"testing"
	"time"
)

// benchRules are six rules, one of each kind, as a brand might set them.
var benchRules = []Rule{
	{Kind: Words, Action: Hide, Words: []string{"competitorx", "scam*", "free shipping fraud"}},
	{Kind: Profanity, Action: Hide},
	{Kind: Spam, Action: Delete},
	{Kind: Links, Action: Hide, MaxLinks: 1, AllowDomains: []string{"brand.com", "imgur.com"}},
	{Kind: LowEffort, Action: Flag},
	{Kind: Repeated, Action: Hide, Threshold: 3, Window: time.Hour},
}

// Comments of about 300 characters.
const (
	benchAllowed = "Just picked up the new autumn jacket in olive and honestly it fits better than the last two I bought. " +
		"The pockets are deeper, the zip feels sturdier and the colour matches the photos. Will you also make it in navy " +
		"this season? My partner wants one too. Great job to the design team, really!"
	benchComplaint = "Ordered the olive jacket three weeks ago, order 48213, and it still hasn't arrived. Tracking says delivered " +
		"but nothing at my door. I tried calling twice and no one answered. This is the fucking worst service, see " +
		"imgur.com/a/x7Yz for the tracking page. Please sort this out before the weekend!"
)

func BenchmarkDecide(b *testing.B) {
	for _, bb := range []struct{ name, text string }{
		{"allowed", benchAllowed},
		{"complaint", benchComplaint},
	} {
		b.Run(bb.name, func(b *testing.B) {
			if n := len([]rune(bb.text)); n < 280 || n > 320 {
				b.Fatalf("comment has %d characters, want about 300", n)
			}
			m := newModerator(b, benchRules...)
			c := Comment{AuthorID: "a1", Text: bb.text, At: testNow}
			b.ReportAllocs()
			for b.Loop() {
				m.Decide(c)
			}
		})
	}
}

// BenchmarkDecideWorst runs comments made to cost the most, each the full
// MaxTextBytes: pieces that might join into words, masked words compared
// with every list, dotted hosts, digits that might be phone numbers, and
// letters in other scripts.
func BenchmarkDecideWorst(b *testing.B) {
	for _, bb := range []struct{ name, text string }{
		{"pieces", strings.Repeat("f.", MaxTextBytes)},
		{"spaced letters", strings.Repeat("f ", MaxTextBytes)},
		{"masked", strings.Repeat("f**k ", MaxTextBytes)},
		{"hosts", strings.Repeat("a[.]b.", MaxTextBytes)},
		{"digits", strings.Repeat("+1 2 ", MaxTextBytes)},
		{"homoglyphs", strings.Repeat("ѕһіт ", MaxTextBytes)},
	} {
		b.Run(bb.name, func(b *testing.B) {
			m := newModerator(b, benchRules...)
			c := Comment{AuthorID: "a1", Text: bb.text, At: testNow}
			b.ReportAllocs()
			for b.Loop() {
				m.Decide(c)
			}
		})
	}
}
