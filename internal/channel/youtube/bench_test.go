package youtube

import (
	"encoding/json"
	"fmt"
	"testing"
)

// BenchmarkPage measures mapping a full page of commentThreads.list: a
// hundred threads, each with a top-level comment and two embedded replies.
func BenchmarkPage(b *testing.B) {
	type snip = map[string]any
	c := func(id string, text string) snip {
		return snip{"id": id, "snippet": snip{"authorDisplayName": "@viewer", "authorChannelUrl": "http://www.youtube.com/@viewer",
			"authorChannelId": snip{"value": "UCmAr1aL0pEz0123456789ab"}, "textOriginal": text, "textDisplay": text,
			"likeCount": 3, "publishedAt": "2026-11-24T09:00:00Z", "updatedAt": "2026-11-24T09:00:00Z"}}
	}
	var items []snip
	for i := range 100 {
		id := fmt.Sprintf("UgzBench%018dAaABAg", i)
		items = append(items, snip{"id": id, "snippet": snip{"videoId": "wtLJPvx7-ys", "totalReplyCount": 2,
			"topLevelComment": c(id, "My device stopped working after the update, what now? 📱")},
			"replies": snip{"comments": []snip{c(id+".9xA", "same here"), c(id+".9xB", "any fix yet?")}}})
	}
	body, err := json.Marshal(snip{"kind": "youtube#commentThreadListResponse", "items": items})
	if err != nil {
		b.Fatal(err)
	}
	m := mapper{brand: testChannel, now: testNow}
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		var page listResponse
		if err := json.Unmarshal(body, &page); err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, raw := range page.Items {
			mt, err := m.thread(raw)
			if err != nil {
				b.Fatal(err)
			}
			n += len(mt.comments)
		}
		if n != 300 {
			b.Fatalf("%d comments mapped, want 300", n)
		}
	}
}
