package telegram

import (
	"log/slog"
	"os"
	"testing"
)

// BenchmarkReceive measures Receive on a private photo with a caption and
// on a group message that mentions the bot after an emoji (UTF-16 entity
// offsets).
func BenchmarkReceive(b *testing.B) {
	for _, file := range []string{"private_photo_caption_CONSTRUCTED", "group_mention_CONSTRUCTED"} {
		body, err := os.ReadFile("testdata/updates/" + file + ".json")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(file, func(b *testing.B) {
			a := &Adapter{Logger: slog.New(slog.DiscardHandler)}
			in, h := testInbox(), secretHeader(testSecret)
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if events, err := a.Receive(h, body, in, testNow); err != nil || len(events) != 1 {
					b.Fatalf("Receive = %v, %v", events, err)
				}
			}
		})
	}
}
