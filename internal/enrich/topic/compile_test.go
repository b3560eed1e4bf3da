package topic

import (
	"math"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

func TestCompileErrors(t *testing.T) {
	t.Parallel()
	ok := Rule{Topic: "ok", Phrases: []string{"fine"}}
	many := make([]string, MaxPhrases)
	for i := range many {
		many[i] = "word"
	}
	for _, tt := range []struct {
		name  string
		rules []Rule
		want  string // in the message
	}{
		{"empty topic", []Rule{ok, {Phrases: []string{"x"}}}, "topic rule 2: the topic is empty"},
		{"blank topic", []Rule{{Topic: "  ", Phrases: []string{"x"}}}, "topic rule 1: the topic is empty"},
		{"long topic", []Rule{{Topic: strings.Repeat("t", 65), Phrases: []string{"x"}}}, "65 bytes, more than 64"},
		{"control in topic", []Rule{{Topic: "a\x00b", Phrases: []string{"x"}}}, "not printable"},
		{"invalid topic", []Rule{{Topic: "a\xffb", Phrases: []string{"x"}}}, "not printable"},
		{"twice", []Rule{ok, ok}, `topic rule 2 ("ok"): the topic is given twice`},
		{"no phrases", []Rule{{Topic: "t"}}, `topic rule 1 ("t"): the rule has no phrases`},
		{"empty phrase", []Rule{{Topic: "t", Phrases: []string{"a", ""}}}, `phrase 2 "" is empty`},
		{"long phrase", []Rule{{Topic: "t", Phrases: []string{strings.Repeat("a", 201)}}}, `topic rule 1 ("t"): phrase 1 is 201 bytes, more than 200`},
		{"invalid phrase", []Rule{{Topic: "t", Phrases: []string{"\xff"}}}, "not UTF-8"},
		{"emoji phrase", []Rule{{Topic: "t", Phrases: []string{"🔥🔥"}}}, "has no words to match"},
		{"mention phrase", []Rule{{Topic: "t", Phrases: []string{"@brand"}}}, "has no words to match"},
		{"lone star", []Rule{{Topic: "t", Phrases: []string{"*"}}}, `"*" that does not follow a word`},
		{"star after space", []Rule{{Topic: "t", Phrases: []string{"refund *"}}}, `"*" that does not follow a word`},
		{"star inside", []Rule{{Topic: "t", Phrases: []string{"re*fund"}}}, `"*" before its end`},
		{"two stars", []Rule{{Topic: "t", Phrases: []string{"refund**"}}}, `"*" that does not follow a word`},
		{"team with space", []Rule{{Topic: "t", Phrases: []string{"x"}, Team: "a team"}}, "team slug"},
		{"long team", []Rule{{Topic: "t", Phrases: []string{"x"}, Team: strings.Repeat("a", 65)}}, "team slug is 65 bytes"},
		{"NaN boost", []Rule{{Topic: "t", Phrases: []string{"x"}, Boost: math.NaN()}}, "boost NaN"},
		{"huge boost", []Rule{{Topic: "t", Phrases: []string{"x"}, Boost: 1e9}}, "boost 1e+09"},
		{"negative severity", []Rule{{Topic: "t", Phrases: []string{"x"}, Severity: -0.1}}, "severity -0.1"},
		{"NaN severity", []Rule{{Topic: "t", Phrases: []string{"x"}, Severity: math.NaN()}}, "severity NaN"},
		{"too many phrases", []Rule{{Topic: "t", Phrases: many}, {Topic: "u", Phrases: []string{"x"}}}, "more than 2000 phrases"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := Compile(tt.rules)
			if err == nil {
				t.Fatalf("Compile = %v, nil; want an error with %q", m, tt.want)
			}
			if care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.want) {
				t.Errorf("Compile = %v; want EINVALID with %q", err, tt.want)
			}
		})
	}
}

func TestCompileCopiesRules(t *testing.T) {
	t.Parallel()
	rules := []Rule{{Topic: "refund", Phrases: []string{"refund"}}}
	m, err := Compile(rules)
	if err != nil {
		t.Fatal(err)
	}
	rules[0].Topic = "changed"
	rules[0].Phrases[0] = "changed"
	if got := m.Match("refund"); len(got) != 1 || got[0].Topic != "refund" || got[0].Phrase != "refund" {
		t.Errorf("Match after the caller changed its rules = %v", got)
	}
}

func TestCompileEmpty(t *testing.T) {
	t.Parallel()
	m, err := Compile(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Match("anything at all"); got != nil {
		t.Errorf("Match with no rules = %v, want nil", got)
	}
}
