package wordpress

import (
	"encoding/json"
	"os"
	"testing"
)

func BenchmarkMapComment(b *testing.B) {
	raw, err := os.ReadFile("testdata/comments/guest_edit_CONSTRUCTED.json")
	if err != nil {
		b.Fatal(err)
	}
	in := testInbox()
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		c, err := decodeComment(raw)
		if err != nil {
			b.Fatal(err)
		}
		if m := mapComment(in, c, raw, testNow); m.skipped != "" {
			b.Fatal(m.skipped)
		}
	}
}

// BenchmarkPage is one full page as Poll reads it: split, decode, map.
func BenchmarkPage(b *testing.B) {
	raw, err := os.ReadFile("testdata/comments/guest_edit_CONSTRUCTED.json")
	if err != nil {
		b.Fatal(err)
	}
	page := []byte("[")
	for i := range perPage {
		if i > 0 {
			page = append(page, ',')
		}
		page = append(page, raw...)
	}
	page = append(page, ']')
	in := testInbox()
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		var raws []json.RawMessage
		if err := json.Unmarshal(page, &raws); err != nil {
			b.Fatal(err)
		}
		for _, r := range raws {
			c, err := decodeComment(r)
			if err != nil {
				b.Fatal(err)
			}
			mapComment(in, c, r, testNow)
		}
	}
}
