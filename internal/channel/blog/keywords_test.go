package blog

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
)

func TestKeywordsMatch(t *testing.T) {
	t.Parallel()
	kw, err := parseKeywords("Acme, Acme  Cloud\n@acmehelp\nacme.com,  Ünïcode\n\n")
	if err != nil {
		t.Fatal(err)
	}
	if want := (keywords{"acme", "acme cloud", "@acmehelp", "acme.com", "ünïcode"}); !cmp.Equal(kw, want) {
		t.Fatalf("parseKeywords = %q, want %q", kw, want)
	}
	tests := []struct {
		text string
		want bool
	}{
		{"I love ACME", true},
		{"acme's new app", true},
		{"(Acme)", true},
		{"acme", true},
		{"acmeville is a town", false},
		{"the megaacme store", false},
		{"acme2 is not acme", true}, // the second mention counts
		{"acme2 only", false},
		{"write to @acmehelp please", true},
		{"write to @acmehelpdesk", false},
		{"visit acme.com today", true},
		{"ÜNÏCODE works", true},
		{"ünïcodes does not", false},
		{"nothing here", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := kw.match(tt.text); got != tt.want {
			t.Errorf("match(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
	if !(keywords{}).match("anything") {
		t.Error("no keywords must match everything")
	}
	if !(keywords{"acme cloud"}).match("Acme\n  Cloud is down") {
		t.Error("a phrase must match across any white space")
	}
}

func TestParseKeywordsRefuses(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		strings.Repeat("k,", MaxKeywords) + strings.Repeat("j,", 1) + func() string {
			var b strings.Builder
			for i := range MaxKeywords + 1 {
				b.WriteString("brand" + strings.Repeat("x", i) + ",")
			}
			return b.String()
		}(),
		strings.Repeat("x", maxKeywordBytes+1),
	} {
		if _, err := parseKeywords(s); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("parseKeywords(%.30q…) = %v, want EINVALID", s, err)
		}
	}
	if kw, err := parseKeywords(strings.Repeat("a,", MaxKeywords+5)); err != nil || len(kw) != 1 {
		t.Errorf("repeated keywords = %q, %v; want one", kw, err)
	}
}
