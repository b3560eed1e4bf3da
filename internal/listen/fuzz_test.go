package listen_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/listen"
)

// FuzzParseSettings checks that ParseSettings refuses only with EINVALID,
// that what it accepts keeps its bounds and reads back the same once
// encoded, and that every term it accepts finds itself.
func FuzzParseSettings(f *testing.F) {
	for _, doc := range []string{
		``, `{}`, `null`, `{"subjects": []}`,
		`{"subjects": [{"name": "Acme", "own": true, "terms": ["acme", "Acme Air", "#AcmeAir", "@acme", "@acme@mastodon.social"], "exclude": ["acme anvil"]}]}`,
		`{"subjects": [{"name": "Sony", "terms": ["ソニー", "#ソニー"]}, {"name": "Samsung", "terms": ["삼성"]}]}`,
		`{"subjects": [{"name": "Café", "terms": ["café noir", "  CAFÉ\t\tNOIR  ", "at&t", "7-eleven"]}]}`,
		`{"subjects": [{"name": "a", "terms": ["a"]}, {"name": "A", "terms": ["b"]}]}`,
		`{"subjects": [{"name": "a", "terms": ["https://acme.example", "#a b", "@a.", "🔥"]}]}`,
		`{"subjects": [{"name": "a", "terms": ["x"], "exclude": ["x"]}]}`,
		`{"subjects": [{"name": "a\u0000", "terms": ["\ud800"]}]} trailing`,
		`{"subjects": [{"name": 1, "own": "no", "terms": {}, "extra": []}]}`,
		"{\"subjects\": [{\"name\": \"\xff\", \"terms\": [\"\xfe\"]}]}",
		`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]`,
		`{"subjects": [{"name": "a", "terms": ["a"]}`,
	} {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		s, err := listen.ParseSettings(doc)
		if err != nil {
			if care.ErrorCode(err) != care.EINVALID || care.ErrorMessage(err) == "" {
				t.Fatalf("ParseSettings(%q) = %v, want EINVALID with a message", doc, err)
			}
			return
		}
		if len(s.Subjects) > listen.MaxSubjects {
			t.Fatalf("%d subjects", len(s.Subjects))
		}
		for _, sub := range s.Subjects {
			if sub.Name == "" || len(sub.Name) > listen.MaxNameBytes || len(sub.Terms) == 0 ||
				len(sub.Terms) > listen.MaxTerms || len(sub.Exclude) > listen.MaxTerms {
				t.Fatalf("subject out of bounds: %+v", sub)
			}
			for _, term := range slices.Concat(sub.Terms, sub.Exclude) {
				if term == "" || len(term) > listen.MaxTermBytes || term != strings.ToLower(term) {
					t.Fatalf("term %q not normalised", term)
				}
			}
			if q := sub.Query(); !slices.Equal(q.Terms, sub.Terms) || !slices.Equal(q.Exclude, sub.Exclude) {
				t.Fatalf("Query = %+v of %+v", q, sub)
			}
			// Each term finds itself, unless one of the excludes finds it
			// too.
			m := listen.NewMatcher([]listen.Subject{sub})
			excludes := listen.NewMatcher([]listen.Subject{{Name: "x", Terms: sub.Exclude}})
			for _, term := range sub.Terms {
				if m.Match(term) == nil && excludes.Match(term) == nil {
					t.Fatalf("the term %q does not find itself", term)
				}
			}
		}
		again, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		s2, err := listen.ParseSettings(again)
		if err != nil {
			t.Fatalf("ParseSettings(%s), what it parsed re-encoded: %v", again, err)
		}
		if !reflect.DeepEqual(s, s2) {
			t.Fatalf("ParseSettings(%s) = %+v, want %+v", again, s2, s)
		}
	})
}

// FuzzMatch checks that Match never fails on any term and text, names only
// the subjects it was given, reads no further than MaxMatchBytes, and that
// a valid term finds itself.
func FuzzMatch(f *testing.F) {
	for _, seed := range [][2]string{
		{"acme", "I love Acme!"},
		{"acme air", "Acme-Air is late again"},
		{"#acme", "#ACME #acme_air"},
		{"@acme", "@acme@mastodon.social and help@acme.com"},
		{"@acme@mastodon.social", "@Acme@Mastodon.Social."},
		{"café", "CAFE\u0301 ＣＡＦＥ 𝗰𝗮𝗳𝗲"},
		{"ソニー", "新しいソニーが好き #ソニー"},
		{"삼성", "삼성은"},
		{"acme", "https://acme.example/x www.acme.com acme.com"},
		{"a", "\xff\xfe@#＃＠:://www."},
		{"@a", "@" + strings.Repeat("a", 9000)},
		{"x", strings.Repeat("x ", 5000)},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, term, text string) {
		sub := listen.Subject{Name: "s", Terms: []string{term}}
		m := listen.NewMatcher([]listen.Subject{sub, {Name: "t", Terms: []string{"t"}, Exclude: []string{term}}})
		got := m.Match(text)
		for _, name := range got {
			if name != "s" && name != "t" {
				t.Fatalf("Match(%q) = %q", text, got)
			}
		}
		if len(text) > listen.MaxMatchBytes {
			if cut := m.Match(text[:listen.MaxMatchBytes]); !slices.Equal(got, cut) {
				t.Fatalf("Match read past MaxMatchBytes: %q, then %q", got, cut)
			}
		}
		for _, q := range sub.Query().Terms {
			if got := m.Match(q); !slices.Contains(got, "s") {
				t.Fatalf("the term %q (from %q) does not find itself: Match = %q", q, term, got)
			}
		}
	})
}
