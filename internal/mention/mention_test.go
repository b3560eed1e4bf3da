package mention

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

func TestWords(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"@ana can you look?", []string{"ana"}},
		{"Thanks @Ana.Lima. And @ben, @ANA.lima again", []string{"ana.lima", "ben"}},
		{"mail me at ana@example.com", nil},
		{"(@zoë) and @josé-maria!", []string{"zoë", "josé-maria"}},
		{"@ @. @-", nil},
		{"line\n@ben\tthen", []string{"ben"}},
		{strings.Repeat("@a", 3), []string{"a"}},
	} {
		if got := Words(tc.text); !slices.Equal(got, tc.want) {
			t.Errorf("Words(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
	var many strings.Builder
	for i := range 50 {
		fmt.Fprintf(&many, "@u%d ", i)
	}
	if n := len(Words(many.String())); n != maxMentions {
		t.Errorf("a note with 50 @words yields %d, want the cap %d", n, maxMentions)
	}
}

func TestResolve(t *testing.T) {
	users := []care.User{
		{ID: 1, Email: "ana.lima@example.com", Name: "Ana Lima"},
		{ID: 2, Email: "ben@example.com", Name: "Ben Okafor"},
		{ID: 3, Email: "ben.k@example.com", Name: "Ben Kowalski"},
		{ID: 4, Email: "chloe@example.com", Name: "Chloé Martin", Disabled: true},
	}
	for _, tc := range []struct {
		text string
		want []care.ID
	}{
		{"@ana please", []care.ID{1}},
		{"@ANA.LIMA please", []care.ID{1}},
		{"@ben", []care.ID{2}}, // the handle, not the shared first name
		{"@ben.k and @ana", []care.ID{1, 3}},
		{"@chloe", nil}, // disabled
		{"@nobody", nil},
		{"ana.lima@example.com", nil},
	} {
		if got := Resolve(tc.text, users); !slices.Equal(got, tc.want) {
			t.Errorf("Resolve(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

func FuzzWords(f *testing.F) {
	for _, s := range []string{"@ana", "a@b @c.", "@\xff@", "@" + strings.Repeat("x", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ws := Words(s)
		if len(ws) > maxMentions {
			t.Fatalf("%d words", len(ws))
		}
		for _, w := range ws {
			if w == "" || len(w) > 64 || strings.ContainsAny(w, "@ \n") {
				t.Fatalf("bad word %q from %q", w, s)
			}
		}
	})
}
