package savedreply

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// maxDoc is a document at the limits: 500 replies of 4,000 bytes.
func maxDoc(b *testing.B) []byte {
	b.Helper()
	s := Set{}
	head, tail := "Thanks for waiting, {{contact.first_name}}! ", " — {{agent.first_name}}, {{workspace.name}}"
	body := strings.Repeat(head, (MaxTextBytes-len(tail))/len(head)) + tail
	body += strings.Repeat(".", MaxTextBytes-len(body))
	for i := range MaxReplies {
		s.Replies = append(s.Replies, Reply{ID: int64(i + 1), Name: fmt.Sprintf("Reply %d", i+1), Text: body, Channels: []string{"x", "sms"}})
	}
	doc, err := json.Marshal(s)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := Parse(doc); err != nil {
		b.Fatal(err)
	}
	return doc
}

// BenchmarkParse parses the largest document Parse accepts, which the web
// interface does once each time an admin changes it.
func BenchmarkParse(b *testing.B) {
	doc := maxDoc(b)
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if _, err := Parse(doc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRender fills in all 500 replies at their largest, as a
// conversation page offering every one of them does.
func BenchmarkRender(b *testing.B) {
	s, err := Parse(maxDoc(b))
	if err != nil {
		b.Fatal(err)
	}
	v := Vars{ContactName: "Maya Chen", AgentName: "Sam Rivera", Brand: "Acme"}
	for b.Loop() {
		for _, r := range s.Replies {
			Render(r.Text, v)
		}
	}
}
