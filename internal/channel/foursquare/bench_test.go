package foursquare

import (
	"os"
	"testing"
)

// BenchmarkTips measures reading a page of tips and making their events.
func BenchmarkTips(b *testing.B) {
	body, err := os.ReadFile("testdata/tips/newest_CONSTRUCTED.json")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		tips, err := parseTips(body)
		if err != nil || len(tips) != 3 {
			b.Fatalf("parseTips = %d, %v", len(tips), err)
		}
		for _, tp := range tips {
			if _, ok := event(tp, sohoVenue, testNow, tp.raw); !ok {
				b.Fatal("no event")
			}
		}
	}
}
