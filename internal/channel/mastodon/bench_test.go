package mastodon

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func BenchmarkHTMLToText(b *testing.B) {
	raw, err := os.ReadFile("testdata/notifications/mention_link_entities_STATUS_DOCS.json")
	if err != nil {
		b.Fatal(err)
	}
	var n notification
	if err := json.Unmarshal(raw, &n); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name, html string
	}{
		{"status", n.Status.Content},
		{"long-5000-paragraphs", strings.Repeat(n.Status.Content, 5000)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.html)))
			b.ReportAllocs()
			for b.Loop() {
				HTMLToText(bc.html)
			}
		})
	}
}

func BenchmarkMapNotification(b *testing.B) {
	raw, err := os.ReadFile("testdata/notifications/mention_direct_remote_CONSTRUCTED.json")
	if err != nil {
		b.Fatal(err)
	}
	in := testInbox()
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if m, err := mapNotification(in, raw, testNow); err != nil || len(m.events) != 1 {
			b.Fatal(m, err)
		}
	}
}

func BenchmarkSSE(b *testing.B) {
	raw, err := os.ReadFile("testdata/sse/user_notification_mention_STREAMING_DOCS.txt")
	if err != nil {
		b.Fatal(err)
	}
	stream := bytes.Repeat(append(bytes.TrimRight(raw, "\n"), "\n\n:thump\n"...), 100)
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	for b.Loop() {
		evs, _, _ := readAll(bytes.NewReader(stream))
		if len(evs) != 100 {
			b.Fatal(len(evs))
		}
	}
}

func BenchmarkReplyLength(b *testing.B) {
	text := "@anna@example.social Sorry about that! Track it at https://example.com/t/5521 👩‍👩‍👧 " + strings.Repeat("Grüße, ", 50)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		replyLength(text, 23)
	}
}
