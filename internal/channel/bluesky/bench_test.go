package bluesky

import (
	"strings"
	"testing"
)

// BenchmarkGraphemes measures the counter the composer runs as an agent
// types: a 300-character post of ASCII, of mixed text with emoji, and of
// emoji sequences alone.
func BenchmarkGraphemes(b *testing.B) {
	for _, tc := range []struct{ name, s string }{
		{"ascii", strings.Repeat("Thanks for waiting! ", 15)},
		{"mixed", strings.Repeat("Olá 👋🏽 ça va? 🇫🇷 ", 20)},
		{"emoji", strings.Repeat("👨\u200d👩\u200d👧\u200d👦", 300)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(tc.s)))
			for b.Loop() {
				if Graphemes(tc.s) == 0 {
					b.Fatal("no graphemes")
				}
			}
		})
	}
}

// BenchmarkNotificationInbound measures mapping one notification (the
// documented reply, then a quote with an image) to an event.
func BenchmarkNotificationInbound(b *testing.B) {
	raw := readItemsB(b, "listNotifications_thread_quote_CONSTRUCTED.json")
	a := &Adapter{Logger: quiet}
	for _, i := range []int{2, 1} {
		b.Run([]string{"", "quote", "reply"}[i], func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(raw[i])))
			for b.Loop() {
				in, _, why := notificationInbound(raw[i], brandDID, testNow)
				if why != "" {
					b.Fatal(why)
				}
				if _, ok := a.finish(in, raw[i]); !ok {
					b.Fatal("invalid")
				}
			}
		})
	}
}
