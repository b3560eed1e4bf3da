package listen_test

import (
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/parleyhq/parley/internal/listen"
)

// subjects are the settings the Match tests run against.
var subjects = []listen.Subject{
	{Name: "Acme", Own: true, Terms: []string{"acme", "acme air", "#acmefail", "@acmehelp"}, Exclude: []string{"acme anvil", "#roadrunner"}},
	{Name: "Globex", Terms: []string{"globex", "@globex@mastodon.social", "globex.com"}},
	{Name: "Café Noir", Terms: []string{"café noir"}},
	{Name: "Sony", Terms: []string{"ソニー", "sony"}},
	{Name: "Samsung", Terms: []string{"삼성", "#갤럭시"}},
	{Name: "Initech", Terms: []string{"#initech", "@initech"}},
	{Name: "AT&T", Terms: []string{"at&t"}},
}

func TestMatch(t *testing.T) {
	t.Parallel()
	m := listen.NewMatcher(subjects)
	for _, tt := range []struct {
		text string
		want []string
	}{
		// Whole words, any case.
		{"I love Acme", []string{"Acme"}},
		{"ACME!!!", []string{"Acme"}},
		{"acme's new plane", []string{"Acme"}},
		{"(acme)", []string{"Acme"}},
		{"acmeist art", nil},
		{"the acme_corp account", nil},
		{"megaacme", nil},
		{"acme2", nil},
		// Phrases across any separators.
		{"flying Acme-Air!", []string{"Acme"}},
		{"acme   air", []string{"Acme"}},
		{"ACME/air again", []string{"Acme"}},
		{"#AcmeAir", nil},
		// Accents and odd letters.
		{"un CAFE NOIR s'il vous plaît", []string{"Café Noir"}},
		{"Café\u00a0noir", []string{"Café Noir"}},
		{"cafe\u0301 noir", []string{"Café Noir"}},
		{"ＡＣＭＥ", []string{"Acme"}},
		{"𝗔𝗰𝗺𝗲 did it again", []string{"Acme"}},
		{"café", nil},
		// Hashtags and handles.
		{"#acme", []string{"Acme"}},
		{"@acme", []string{"Acme"}},
		{"@ACME thanks", []string{"Acme"}},
		{"#acmefail", []string{"Acme"}},
		{"acmefail", nil},
		{"@acmefail", nil},
		{"@acmehelp why", []string{"Acme"}},
		{"#acmehelp", nil},
		{"acmehelp", nil},
		{"#initech", []string{"Initech"}},
		{"@initech", []string{"Initech"}},
		{"initech", nil},
		{"@initech@mastodon.social", []string{"Initech"}},
		{"@initech.", []string{"Initech"}},
		{"＠initech", []string{"Initech"}},
		{"＃initech", []string{"Initech"}},
		{"@globex@mastodon.social hi", []string{"Globex"}},
		{"@globex@other.example", []string{"Globex"}}, // the plain word globex
		{"#initech_2", nil},
		{"C#initech", nil},
		{"mail help@initech.com", nil},
		{"write to help@acme.com", []string{"Acme"}}, // an address's words are words
		{"#", nil},
		{"@", nil},
		{"@@acme", []string{"Acme"}},
		// Links are not read; a domain written as a name is.
		{"https://acme.example/x", nil},
		{"see (https://www.acme.com/acme) now", nil},
		{"www.acme.com", nil},
		{"go to http://x.example/?q=acme", nil},
		{"https://mastodon.social/@initech", nil},
		{"acme https://x.example", []string{"Acme"}},
		{"acme.com is down", []string{"Acme"}},
		{"globex.com", []string{"Globex"}},
		{"globex com", []string{"Globex"}},
		// Excludes.
		{"acme anvil", nil},
		{"Acme anvils, acme", []string{"Acme"}},
		{"acme ACME-ANVIL", nil},
		{"#roadrunner beats acme", nil},
		{"roadrunner beats acme", []string{"Acme"}},
		// Several subjects, in settings order.
		{"globex beats ACME", []string{"Acme", "Globex"}},
		{"sony or acme or globex", []string{"Acme", "Globex", "Sony"}},
		// Emoji, punctuation.
		{"🔥acme🔥", []string{"Acme"}},
		{"acme👍", []string{"Acme"}},
		{"👨‍👩‍👧 acme", []string{"Acme"}},
		{"AT&T", []string{"AT&T"}},
		{"at-t", []string{"AT&T"}},
		{"att", nil},
		// Unspaced scripts match inside a run.
		{"ソニーの新製品", []string{"Sony"}},
		{"新しいソニーが好き", []string{"Sony"}},
		{"ソニ", nil},
		{"#ソニー最高", []string{"Sony"}},
		{"삼성은 좋다", []string{"Samsung"}},
		{"#갤럭시S24", []string{"Samsung"}},
		{"갤럭시", nil},
		// Not UTF-8: a separator.
		{"\xffacme\xfe", []string{"Acme"}},
		{"ac\xffme", nil},
		{"", nil},
	} {
		if got := m.Match(tt.text); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Match(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestMatchBound(t *testing.T) {
	t.Parallel()
	m := listen.NewMatcher(subjects)
	pad := strings.Repeat("x ", listen.MaxMatchBytes/2-2)
	if got := m.Match(pad + "acme"); !reflect.DeepEqual(got, []string{"Acme"}) {
		t.Errorf("acme within the bound: Match = %q", got)
	}
	if got := m.Match(pad + "  acme"); got != nil {
		t.Errorf("acme past the bound: Match = %q, want nil", got)
	}
	// A phrase cut by the bound is not found.
	phrase := listen.NewMatcher([]listen.Subject{{Name: "Acme Air", Terms: []string{"acme air"}}})
	cut := strings.Repeat("x", listen.MaxMatchBytes-len(" acme a")) + " acme air"
	if got := phrase.Match(cut); got != nil {
		t.Errorf("acme air across the bound: Match = %q, want nil", got)
	}
	if got := phrase.Match(cut[2:]); !reflect.DeepEqual(got, []string{"Acme Air"}) {
		t.Errorf("acme air at the bound: Match = %q", got)
	}
}

func TestMatcherEmpty(t *testing.T) {
	t.Parallel()
	for _, m := range []*listen.Matcher{nil, listen.NewMatcher(nil), listen.NewMatcher([]listen.Subject{{Name: "x", Terms: []string{"🔥"}}})} {
		if got := m.Match("acme 🔥"); got != nil {
			t.Errorf("Match = %q, want nil", got)
		}
	}
}

// TestMatcherUnnormalised checks that subjects built by hand match as
// their normalised selves.
func TestMatcherUnnormalised(t *testing.T) {
	t.Parallel()
	m := listen.NewMatcher([]listen.Subject{{Name: "Acme", Terms: []string{"  ACME   Air ", "#not a tag"}, Exclude: []string{"ANVIL"}}})
	for text, want := range map[string][]string{
		"acme air":       {"Acme"},
		"acme air anvil": nil,
		"#not a tag":     nil,
	} {
		if got := m.Match(text); !reflect.DeepEqual(got, want) {
			t.Errorf("Match(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestMatchConcurrent(t *testing.T) {
	t.Parallel()
	m := listen.NewMatcher(subjects)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 200 {
				text, want := "globex and acme", []string{"Acme", "Globex"}
				if (i+j)%2 == 0 {
					text, want = "ソニー", []string{"Sony"}
				}
				if got := m.Match(text); !reflect.DeepEqual(got, want) {
					t.Errorf("Match(%q) = %q, want %q", text, got, want)
					return
				}
			}
		})
	}
	wg.Wait()
}
