package moderation

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
)

// Fuzz targets for everything a commenter or a workspace writes. Run one
// with, e.g.,
// go test -run '^$' -fuzz FuzzDecide -fuzztime 30s ./internal/moderation

func FuzzDecide(f *testing.F) {
	for _, s := range []string{
		"this fucking phone broke again",
		"Check my profile https://bit.ly/abc 🔥🔥🔥",
		"f.u.c.k f**k 𝐟𝐮𝐜𝐤 fu\u200bck ѕhіt",
		"example[.]com/x?ref=1 www.a.b hxxp://user@x.y:80/z",
		"WhatsApp +44 (7700) 900-123, earn $500",
		"a.a.a.a.a.a.a.a.a.a.a.a.a.a",
		"\xff\xfe\xed\xa0\x80 \u202e \U0001D41F",
		"",
	} {
		f.Add(s, "author")
	}
	now := testNow
	m, err := New([]Rule{
		{Kind: Words, Action: Delete, Words: []string{"scam*", "free shipping fraud", "1488"}},
		{Kind: Profanity, Action: Hide},
		{Kind: Spam, Action: Hide},
		{Kind: Links, Action: Flag, MaxLinks: 1, AllowDomains: []string{"brand.com"}, BlockDomains: []string{"evil.example"}},
		{Kind: LowEffort, Action: Reply, SavedReplyID: 5},
		{Kind: Repeated, Action: Hide, Threshold: 2, Window: time.Hour},
	}, Options{Now: func() time.Time { return now }})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text, author string) {
		d := m.Decide(Comment{AuthorID: author, Text: text})
		switch d.Action {
		case Allow:
			if d.Kind != "" || d.Reason != "" || d.Complaint || d.RouteToCare {
				t.Errorf("Decide(%q) = %+v: an allowed comment carries a decision", text, d)
			}
		case Hide, Delete, Flag, Reply:
			if d.Kind == "" || d.Reason == "" {
				t.Errorf("Decide(%q) = %+v: no kind or reason", text, d)
			}
		default:
			t.Fatalf("Decide(%q) = %+v: unknown action", text, d)
		}
		if (d.Action == Reply) != (d.SavedReplyID != 0) {
			t.Errorf("Decide(%q) = %+v: saved reply and action disagree", text, d)
		}
		if d.Complaint != d.RouteToCare || d.Complaint && d.Action != Flag {
			t.Errorf("Decide(%q) = %+v: a complaint not flagged for care", text, d)
		}
		if !utf8.ValidString(d.Reason) || len(d.Reason) > 400 {
			t.Errorf("Decide(%q): reason %q is invalid or unbounded", text, d.Reason)
		}
		if d.Kind == Profanity || d.Kind == Words {
			for _, w := range []string{"fuck", "shit", "scam", "fraud", "1488"} {
				if strings.Contains(d.Reason, w) {
					t.Errorf("Decide(%q): reason %q repeats %q", text, d.Reason, w)
				}
			}
		}
	})
}

func FuzzWords(f *testing.F) {
	f.Add("scam*\nfree shipping fraud\n1488")
	f.Add("don't buy\n@brand\nf*ck\nab*\n!!!")
	f.Add("a b c d e f g h i\n\xff\u200b")
	f.Fuzz(func(t *testing.T, list string) {
		words := strings.Split(list, "\n")
		m, err := New([]Rule{{Kind: Words, Action: Hide, Words: words}}, Options{})
		if err != nil {
			if care.ErrorCode(err) != care.EINVALID {
				t.Fatalf("New(%q) = %v, want nil or EINVALID", words, err)
			}
			return
		}
		// Every accepted entry blocks a comment that is exactly the entry
		// (flagged instead when it reads as a complaint: "r0t0" is "roto").
		for _, w := range words {
			if d := m.Decide(Comment{Text: w}); d.Action != Hide && !(d.Action == Flag && d.Complaint) {
				t.Errorf("New(%q): Decide(%q) = %+v, want Hide", words, w, d)
			}
		}
	})
}
