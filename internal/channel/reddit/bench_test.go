package reddit

import (
	"encoding/json"
	"log/slog"
	"os"
	"strings"
	"testing"
)

func BenchmarkMapThing(b *testing.B) {
	raw, err := os.ReadFile("testdata/things/comment_reply_markdown_CONSTRUCTED.json")
	if err != nil {
		b.Fatal(err)
	}
	in := testInbox()
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if m, err := mapThing(in, raw, testNow); err != nil || m.skipped != "" {
			b.Fatal(m, err)
		}
	}
}

func BenchmarkParsePage(b *testing.B) {
	raw, err := os.ReadFile("testdata/things/username_mention_SAMPLE.json")
	if err != nil {
		b.Fatal(err)
	}
	children := make([]json.RawMessage, 100)
	for i := range children {
		children[i] = raw
	}
	page, _ := json.Marshal(map[string]any{"kind": "Listing", "data": map[string]any{"after": "t1_kx9z8y7", "children": children}})
	a := &Adapter{Logger: slog.New(slog.DiscardHandler)}
	in := testInbox()
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		if p, err := a.parsePage(in, page, testNow); err != nil || len(p.items) != 100 {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarkdownToText(b *testing.B) {
	var t thing
	raw, _ := os.ReadFile("testdata/things/comment_reply_markdown_CONSTRUCTED.json")
	if err := json.Unmarshal(raw, &t); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct{ name, body string }{
		{"comment", string(t.Data.Body)},
		{"max-length", strings.Repeat(string(t.Data.Body)+"\n\n", 150)[:40000]},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.body)))
			b.ReportAllocs()
			for b.Loop() {
				MarkdownToText(bc.body)
			}
		})
	}
}
