package savedreply

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds Parse arbitrary documents: it never panics, and what it
// accepts keeps its promises and survives a round trip.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		`{"replies":[]}`,
		`{"replies":[{"id":1,"name":"Hello","text":"Hi {{contact.first_name}}, {{agent.name}} here.","channels":["x"]}]}`,
		`{"replies":[{"id":1,"name":"a","text":"{{{contact.name}}}"},{"id":2,"name":"b","text":"{{x}}"}]}`,
		`{"replies":[{"id":9223372036854775807,"name":"\u202e","text":"\ud800"}]}`,
		`{} []`, `null`, `{"replies":null}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		s, err := Parse(doc)
		if err != nil {
			return
		}
		if len(s.Replies) > MaxReplies {
			t.Fatalf("accepted %d replies", len(s.Replies))
		}
		seen := map[int64]bool{}
		for _, r := range s.Replies {
			if r.ID <= 0 || seen[r.ID] {
				t.Fatalf("accepted id %d (seen: %v)", r.ID, seen[r.ID])
			}
			seen[r.ID] = true
			if len(r.Name) == 0 || len(r.Name) > MaxNameBytes || len(r.Text) == 0 || len(r.Text) > MaxTextBytes ||
				!utf8.ValidString(r.Name) || !utf8.ValidString(r.Text) {
				t.Fatalf("accepted reply %+v", r)
			}
			// Every "{{" left after rendering was in the text as written,
			// not made by Render: with no values, none is unknown.
			if out := Render(r.Text, Vars{}); strings.Count(out, "{{") > strings.Count(r.Text, "{{") {
				t.Fatalf("Render(%q) = %q: more variables than it started with", r.Text, out)
			}
		}
		again, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Parse(again); err != nil {
			t.Fatalf("Parse accepted %q but not its own encoding %s: %v", doc, again, err)
		}
	})
}

// FuzzRender feeds Render arbitrary text and values: it never panics, text
// without variables comes back as it was, and a value is never read for
// variables.
func FuzzRender(f *testing.F) {
	f.Add("Hi {{contact.first_name}}, {{agent.name}} of {{workspace.name}} here.", "Maya Chen", "Sam Rivera", "Acme")
	f.Add("{{{contact.name}}}{{", "{{agent.name}}", "{{contact.name}}", "\u202e")
	f.Add("{{contact.name", "", "", "")
	f.Fuzz(func(t *testing.T, text, contact, agent, brand string) {
		v := Vars{ContactName: contact, AgentName: agent, Brand: brand}
		out := Render(text, v)
		if !strings.Contains(text, "{{") && out != text {
			t.Fatalf("Render(%q) = %q, want it unchanged", text, out)
		}
		for _, s := range []string{contact, agent, brand} {
			if got := clean(s); utf8.RuneCountInString(got) > maxValueRunes || !utf8.ValidString(got) ||
				strings.ContainsAny(got, "\n\r\x00\u202e") {
				t.Fatalf("clean(%q) = %q", s, got)
			}
		}
		// Each value inserted once: what a value says is not expanded.
		if text == "{{contact.name}}" && out != v.values()[0] {
			t.Fatalf("Render(%q) = %q, want the value alone", text, out)
		}
	})
}
