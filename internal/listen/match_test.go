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
		{"AT & T", []string{"AT&T"}},
		{"at-t", nil},
		{"at T-Mobile", nil},
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

// matchCase is a text and the subjects it is about.
type matchCase struct {
	text string
	want []string
}

func runMatch(t *testing.T, m *listen.Matcher, cases []matchCase) {
	t.Helper()
	for _, tt := range cases {
		if got := m.Match(tt.text); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Match(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestMatchPunctuatedNames checks that a name whose punctuation sets off
// a single letter is found only as written, since its fragments alone are
// common words: "at t" is in "at T-Mobile".
func TestMatchPunctuatedNames(t *testing.T) {
	t.Parallel()
	m := listen.NewMatcher([]listen.Subject{
		{Name: "AT&T", Terms: []string{"AT&T"}},
		{Name: "H&M", Terms: []string{"h&m"}},
		{Name: "P&G", Terms: []string{"P & G"}},
		{Name: "E*TRADE", Terms: []string{"e*trade"}},
		{Name: "Toys", Terms: []string{`toys"r"us`}},
		{Name: "McDonald's", Terms: []string{"mcdonald's"}},
		{Name: "Yahoo", Terms: []string{"yahoo!"}},
		{Name: "Coca-Cola", Terms: []string{"coca-cola"}},
		{Name: "7-Eleven", Terms: []string{"7-eleven"}},
		{Name: "IDF", Terms: []string{`צה"ל`}},
	})
	runMatch(t, m, []matchCase{
		{"AT&T is down", []string{"AT&T"}},
		{"at&t", []string{"AT&T"}},
		{"AT & T again", []string{"AT&T"}},
		{"AT &T", []string{"AT&T"}},
		{"ＡＴ＆Ｔ", []string{"AT&T"}},
		{"#AT&T", []string{"AT&T"}},
		{"AT&T's network", []string{"AT&T"}},
		{"see you at T-Mobile Arena", nil},
		{"look at t", nil},
		{"at-t", nil},
		{"at/t", nil},
		{"at & & t", nil},
		{"att", nil},
		{"H&M sale", []string{"H&M"}},
		{"h & m", []string{"H&M"}},
		{"h m", nil},
		{"p&g", []string{"P&G"}},
		{"P & G", []string{"P&G"}},
		{"p g", nil},
		{"E*TRADE", []string{"E*TRADE"}},
		{"e * trade", []string{"E*TRADE"}},
		{"e trade", nil},
		{"e-trade", nil},
		{`Toys"R"Us`, []string{"Toys"}},
		{"Toys“R”Us closing", []string{"Toys"}},
		{"toys r us", nil},
		{"McDonald's", []string{"McDonald's"}},
		{"McDonald’s fries", []string{"McDonald's"}},
		{"old mcdonald s farm", nil},
		// Punctuation at either end is a sentence's, not the name's.
		{"Yahoo! Mail", []string{"Yahoo"}},
		{"yahoo mail", []string{"Yahoo"}},
		// Between longer words it separates, as in a phrase.
		{"Coca-Cola", []string{"Coca-Cola"}},
		{"coca cola", []string{"Coca-Cola"}},
		{"7-Eleven", []string{"7-Eleven"}},
		{"7‑Eleven", []string{"7-Eleven"}}, // a non-breaking hyphen
		{"7 eleven", nil},
		{`צה"ל`, []string{"IDF"}},
		{"צה״ל", []string{"IDF"}}, // with gershayim
		{"צה ל", nil},
	})
}

// TestMatchAffixes checks that an Arabic or Hebrew term is found with the
// one-letter words written joined to it, and only when the rest of the
// word is the term.
func TestMatchAffixes(t *testing.T) {
	t.Parallel()
	m := listen.NewMatcher([]listen.Subject{
		{Name: "Zain", Terms: []string{"زين"}},
		{Name: "Al Rajhi", Terms: []string{"الراجحي"}},
		{Name: "Banque Misr", Terms: []string{"بنك مصر"}},
		{Name: "Google", Terms: []string{"גוגל"}},
		{Name: "Leumi", Terms: []string{"בנק לאומי"}},
		{Name: "Acme", Terms: []string{"acme"}},
	})
	runMatch(t, m, []matchCase{
		{"زين", []string{"Zain"}},
		{"وزين", []string{"Zain"}},
		{"بزين", []string{"Zain"}},
		{"لزين", []string{"Zain"}},
		{"فزين", []string{"Zain"}},
		{"كزين", []string{"Zain"}},
		{"الزين", []string{"Zain"}},
		{"والزين", []string{"Zain"}},
		{"بالزين", []string{"Zain"}},
		{"وبالزين", []string{"Zain"}},
		{"للزين", []string{"Zain"}},
		{"شبكة زين", []string{"Zain"}},
		{"بزينة", nil}, // with decoration: ب and a word that is not the term
		{"زينب", nil},  // a name that starts with the term
		{"تزين", nil},  // ت is not a prefix
		{"#بزين", nil}, // a hashtag is as written
		{"وفزين", nil}, // two conjunctions
		{"والراجحي", []string{"Al Rajhi"}},
		{"بالراجحي", []string{"Al Rajhi"}},
		{"للراجحي", []string{"Al Rajhi"}}, // ل + ال, written لل
		{"راجحي", nil},
		{"وبنك مصر", []string{"Banque Misr"}},
		{"لبنك مصر", []string{"Banque Misr"}},
		{"بنك ومصر", nil}, // only the first word takes a prefix
		{"בגוגל", []string{"Google"}},
		{"וגוגל", []string{"Google"}},
		{"שבגוגל", []string{"Google"}},
		{"והגוגל", []string{"Google"}},
		{"ב-גוגל", []string{"Google"}},
		{"בגוגלים", nil},
		{"רגוגל", nil},
		{"ובבנק לאומי", []string{"Leumi"}},
		{"בנק ולאומי", nil},
		{"ובacme", []string{"Acme"}},
		{"وacme", []string{"Acme"}},
	})
}

// TestMatchDiacritics checks that Arabic and Hebrew vowel marks and the
// Arabic tatweel, which change how a word looks and not what it is, do not
// hide a term.
func TestMatchDiacritics(t *testing.T) {
	t.Parallel()
	m := listen.NewMatcher([]listen.Subject{
		{Name: "Zain", Terms: []string{"زين"}},
		{Name: "Amazon", Terms: []string{"أمازون"}},
		{Name: "Shalom", Terms: []string{"שלום"}},
		{Name: "Pointed", Terms: []string{"מִגְדָּל"}},
	})
	runMatch(t, m, []matchCase{
		{"زَيْن", []string{"Zain"}},
		{"زيـــن", []string{"Zain"}},
		{"وَبِزَيْن", []string{"Zain"}},
		{"زٰين", []string{"Zain"}},
		{"أمازون", []string{"Amazon"}},
		{"ا\u0654مازون", []string{"Amazon"}}, // the hamza written as a mark
		{"أَمَازُون", []string{"Amazon"}},
		{"امازون", nil}, // a different letter, not a mark
		{"שָׁלוֹם", []string{"Shalom"}},
		{"וְשָׁלוֹם", []string{"Shalom"}},
		{"מגדל", []string{"Pointed"}},
		{"שלום־עליכם", []string{"Shalom"}}, // the maqaf separates
		{"שלומי", nil},
	})
}

// TestMatchInvisible checks that half-width katakana read as full-width,
// and that characters that do not show do not split a word.
func TestMatchInvisible(t *testing.T) {
	t.Parallel()
	m := listen.NewMatcher([]listen.Subject{
		{Name: "Parley", Terms: []string{"parley"}},
		{Name: "Sony", Terms: []string{"ソニー"}},
		{Name: "Bandai", Terms: []string{"バンダイ"}},
		{Name: "Pepsi", Terms: []string{"ペプシ"}},
		{Name: "Digikala", Terms: []string{"دیجی\u200cکالا"}},
	})
	runMatch(t, m, []matchCase{
		{"Par\u200bley", []string{"Parley"}},
		{"Par\u200cley", []string{"Parley"}},
		{"Par\u200dley", []string{"Parley"}},
		{"Par\u2060ley", []string{"Parley"}},
		{"\ufeffParley", []string{"Parley"}},
		{"Par\ufeffley", []string{"Parley"}},
		{"Par\u00adley", []string{"Parley"}},
		{"Parley\u200d🔥", []string{"Parley"}},
		{"par\u200b ley", nil},
		{"par ley", nil},
		{"ｿﾆｰ", []string{"Sony"}},
		{"ｿﾆｰの新製品", []string{"Sony"}},
		{"ﾊﾞﾝﾀﾞｲ", []string{"Bandai"}},
		{"ハンタイ", nil},
		{"ﾍﾟﾌﾟｼ", []string{"Pepsi"}},
		{"ヘ\u309aフ\u309aシ", []string{"Pepsi"}},
		{"ﾍﾌｼ", nil},
		{"دیجی\u200cکالا", []string{"Digikala"}},
		{"دیجیکالا", []string{"Digikala"}},
	})
}
