package listen_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/listen"
)

func TestParseSettings(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		doc  string
		want listen.Settings
	}{
		{"empty", "", listen.Settings{}},
		{"blank", " \n\t", listen.Settings{}},
		{"null", "null", listen.Settings{}},
		{"empty object", "{}", listen.Settings{}},
		{"no subjects", `{"subjects": []}`, listen.Settings{}},
		{"null subjects", `{"subjects": null}`, listen.Settings{}},
		{"one", `{"subjects": [{"name": "Acme", "own": true, "terms": ["acme"]}]}`,
			listen.Settings{Subjects: []listen.Subject{{Name: "Acme", Own: true, Terms: []string{"acme"}}}}},
		{"normalised", `{"subjects": [{"name": "  Acme Air ", "terms": ["  Acme\t\u00a0 AIR ", "acme air", "#AcmeAir", "@Acme", "@Acme@Mastodon.Social", "Café", "ソニー"], "exclude": ["Acme Anvil", "acme  anvil"]}]}`,
			listen.Settings{Subjects: []listen.Subject{{Name: "Acme Air",
				Terms:   []string{"acme air", "#acmeair", "@acme", "@acme@mastodon.social", "café", "ソニー"},
				Exclude: []string{"acme anvil"}}}}},
		{"several", `{"subjects": [
			{"name": "Acme", "own": true, "terms": ["acme", "@acme"]},
			{"name": "Acme Junior", "own": true, "terms": ["acme junior"]},
			{"name": "Globex", "terms": ["globex"], "exclude": null, "own": false}]}`,
			listen.Settings{Subjects: []listen.Subject{
				{Name: "Acme", Own: true, Terms: []string{"acme", "@acme"}},
				{Name: "Acme Junior", Own: true, Terms: []string{"acme junior"}},
				{Name: "Globex", Terms: []string{"globex"}}}}},
		{"punctuation in words", `{"subjects": [{"name": "AT&T", "terms": ["AT&T", "7-Eleven", "acme.com", "O'Reilly"]}]}`,
			listen.Settings{Subjects: []listen.Subject{{Name: "AT&T", Terms: []string{"at&t", "7-eleven", "acme.com", "o'reilly"}}}}},
		{"handles and tags", `{"subjects": [{"name": "A", "terms": ["@acme_support", "@acme.bsky.social", "#acme_2026", "#ソニー"]}]}`,
			listen.Settings{Subjects: []listen.Subject{{Name: "A", Terms: []string{"@acme_support", "@acme.bsky.social", "#acme_2026", "#ソニー"}}}}},
		{"not operators", `{"subjects": [{"name": "T-Mobile", "terms": ["T-Mobile", "7-Eleven", "salt and vinegar", "Not A Hotel", "OR", "AND1", "ORacle", "- acme", "acme-"]}]}`,
			listen.Settings{Subjects: []listen.Subject{{Name: "T-Mobile", Terms: []string{"t-mobile", "7-eleven", "salt and vinegar", "not a hotel", "or", "and1", "oracle", "- acme", "acme-"}}}}},
		{"longest", `{"subjects": [{"name": "` + strings.Repeat("n", 60) + `", "terms": ["` + strings.Repeat("t", 100) + `"]}]}`,
			listen.Settings{Subjects: []listen.Subject{{Name: strings.Repeat("n", 60), Terms: []string{strings.Repeat("t", 100)}}}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := listen.ParseSettings([]byte(tt.doc))
			if err != nil {
				t.Fatalf("ParseSettings: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseSettings =\n%#v\nwant\n%#v", got, tt.want)
			}
		})
	}
}

func TestParseSettingsErrors(t *testing.T) {
	t.Parallel()
	subject := func(fields string) string {
		return `{"subjects": [{"name": "Acme", "terms": ["acme"]}, {` + fields + `}]}`
	}
	terms := func(list string) string { return subject(`"name": "Globex", "terms": [` + list + `]`) }
	many := func(n int, f func(int) string) string {
		var b []string
		for i := range n {
			b = append(b, f(i))
		}
		return strings.Join(b, ",")
	}
	for _, tt := range []struct {
		name, doc string
		want      string // in the message
	}{
		{"not json", `{`, "settings: the document ends"},
		{"bad json", `{"subjects": [}`, "subjects: not valid JSON"},
		{"array", `[]`, "settings: want an object"},
		{"string", `"x"`, "settings: want an object"},
		{"trailing", `{} {}`, "there is more after the settings object"},
		{"trailing garbage", `{}x`, "there is more after"},
		{"unknown top", `{"subject": []}`, `subject: unknown field`},
		{"odd key", `{"a b": 1}`, `["a b"]: unknown field`},
		{"twice", `{"subjects": [], "subjects": []}`, "subjects: the field is given twice"},
		{"subjects object", `{"subjects": {}}`, "subjects: want an array of subjects, not an object"},
		{"subject string", `{"subjects": ["acme"]}`, "subjects[0]: want a subject"},
		{"subject null", `{"subjects": [null]}`, "subjects[0]: want a subject, an object with a name and terms, not null"},
		{"unknown field", subject(`"name": "G", "terms": ["g"], "colour": "red"`), "subjects[1].colour: unknown field"},
		{"case of key", subject(`"Name": "G", "terms": ["g"]`), "subjects[1].Name: unknown field"},
		{"field twice", subject(`"name": "G", "name": "H", "terms": ["g"]`), "subjects[1].name: the field is given twice"},
		{"name number", subject(`"name": 7, "terms": ["g"]`), "subjects[1].name: want a string, not a number"},
		{"own string", subject(`"name": "G", "own": "yes", "terms": ["g"]`), "subjects[1].own: want true or false, not a string"},
		{"terms string", subject(`"name": "G", "terms": "g"`), "subjects[1].terms: want an array of strings, not a string"},
		{"term number", terms(`"g", 1`), "subjects[1].terms[1]: want a string, not a number"},
		{"term null", terms(`null`), "subjects[1].terms[0]: want a string, not null"},
		{"term object", terms(`{}`), "subjects[1].terms[0]: want a string, not an object"},
		{"exclude bool", subject(`"name": "G", "terms": ["g"], "exclude": [true]`), "subjects[1].exclude[0]: want a string, not true"},
		{"no name", subject(`"terms": ["g"]`), "subjects[1].name: every subject needs a name"},
		{"blank name", subject(`"name": "  ", "terms": ["g"]`), "subjects[1].name: every subject needs a name"},
		{"long name", subject(`"name": "` + strings.Repeat("n", 61) + `", "terms": ["g"]`), "subjects[1].name: the name is 61 bytes, more than 60"},
		{"control in name", subject(`"name": "G\u0007", "terms": ["g"]`), "subjects[1].name: the name \"G\\a\" holds a control character"},
		{"name not utf-8", subject("\"name\": \"G\xff\", \"terms\": [\"g\"]"), "subjects[1].name: the name is not valid UTF-8"},
		{"same name", subject(`"name": "ACME", "terms": ["g"]`), `subjects[1].name: "ACME" is also the name of subjects[0]`},
		{"no terms", subject(`"name": "G"`), `subjects[1].terms: the subject "G" has no terms`},
		{"empty terms", subject(`"name": "G", "terms": []`), `subjects[1].terms: the subject "G" has no terms`},
		{"empty term", terms(`"g", ""`), "subjects[1].terms[1]: the term is empty"},
		{"blank term", terms(`" \t "`), "subjects[1].terms[0]: the term is empty"},
		{"long term", terms(`"` + strings.Repeat("t", 101) + `"`), "subjects[1].terms[0]: the term is 101 bytes, more than 100"},
		{"long after folding", terms(`"` + strings.Repeat("Ⱥ", 34) + `"`), "subjects[1].terms[0]: the term is 102 bytes, more than 100"},
		{"no letter", terms(`"🔥🔥"`), `subjects[1].terms[0]: the term "🔥🔥" has no letter or digit`},
		{"bare hash", terms(`"#"`), `subjects[1].terms[0]: the term "#" has no letter or digit`},
		{"underscores", terms(`"@__"`), `has no letter or digit`},
		{"not utf-8", terms("\"g\xff\""), "subjects[1].terms[0]: the term is not valid UTF-8"},
		{"surrogate", terms(`"g\ud800"`), "subjects[1].terms[0]: the term is not valid UTF-8"},
		{"control", terms(`"g\u0000h"`), "subjects[1].terms[0]: the term holds a control character"},
		{"hashtag phrase", terms(`"#acme air"`), `subjects[1].terms[0]: the term "#acme air" is not a #hashtag`},
		{"hashtag dash", terms(`"#acme-air"`), `is not a #hashtag`},
		{"two hashtags", terms(`"#acme#air"`), `is not a #hashtag`},
		{"handle phrase", terms(`"@acme air"`), `subjects[1].terms[0]: the term "@acme air" is not an @handle`},
		{"handle accent", terms(`"@café"`), `is not an @handle`},
		{"handle dot", terms(`"@acme."`), `is not an @handle`},
		{"handle no domain", terms(`"@acme@"`), `is not an @handle`},
		{"handle bare domain", terms(`"@acme@social"`), `is not an @handle`},
		{"hash inside", terms(`"acme #fail"`), `subjects[1].terms[0]: the term "acme #fail" has a # or @ inside`},
		{"e-mail", terms(`"help@acme.com"`), `has a # or @ inside`},
		{"full-width at", terms(`"ｇ＠ｈ"`), `has a # or @ inside`},
		{"link", terms(`"https://acme.example"`), `subjects[1].terms[0]: the term "https://acme.example" holds a link`},
		{"www", terms(`"www.acme.com"`), `holds a link`},
		// The boolean syntax of other listening tools, which Parley would
		// read as words and so invert.
		{"minus", terms(`"apple -pie"`), `subjects[1].terms[0]: the term "apple -pie" has a word starting with "-", and Parley does not read "-" as "without"; list the words to leave out, without the "-", as the subject's excluded terms ("exclude")`},
		{"minus alone", terms(`"-pie"`), `the term "-pie" has a word starting with "-"`},
		{"minus exclude", subject(`"name": "G", "terms": ["globex"], "exclude": ["-jobs"]`), `subjects[1].exclude[0]: the term "-jobs" has a word starting with "-"`},
		{"or", terms(`"apple OR iphone"`), `subjects[1].terms[0]: the term "apple OR iphone" uses OR as an operator, which Parley does not read: give each alternative as a term of its own`},
		{"and", terms(`"apple AND  pie"`), `the term "apple AND pie" uses AND as an operator`},
		{"not", terms(`"apple NOT pie"`), `uses NOT as an operator, which Parley does not read: give each alternative as a term of its own (a post is found when it has any of them), put what to leave out in the excluded terms ("exclude")`},
		{"not first", terms(`"NOT pie"`), `uses NOT as an operator`},
		{"operator in exclude", subject(`"name": "G", "terms": ["globex"], "exclude": ["jobs OR careers"]`), `subjects[1].exclude[0]: the term "jobs OR careers" uses OR`},
		{"exclude term", subject(`"name": "G", "terms": ["globex"], "exclude": ["x", "Globex"]`), `subjects[1].exclude[1]: "globex" is also a term`},
		{"bad exclude", subject(`"name": "G", "terms": ["globex"], "exclude": ["!!"]`), `subjects[1].exclude[0]: the term "!!" has no letter`},
		{"too many subjects", `{"subjects": [` + many(11, func(i int) string { return `{"name": "s` + string(rune('a'+i)) + `", "terms": ["x"]}` }) + `]}`, "subjects: more than 10 subjects"},
		{"too many terms", terms(many(21, func(i int) string { return `"t` + string(rune('a'+i)) + `"` })), "subjects[1].terms: more than 20"},
		{"too many excludes", subject(`"name": "G", "terms": ["g"], "exclude": [` + many(21, func(i int) string { return `"t` + string(rune('a'+i)) + `"` }) + `]`), "subjects[1].exclude: more than 20"},
		{"huge", `{"subjects": [{"name": "` + strings.Repeat("n", listen.MaxSettingsBytes) + `"}]}`, "more than 1048576"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := listen.ParseSettings([]byte(tt.doc))
			if err == nil {
				t.Fatalf("ParseSettings = %+v, nil; want an error with %q", s, tt.want)
			}
			if care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.want) {
				t.Errorf("ParseSettings = %v; want EINVALID with %q", err, tt.want)
			}
		})
	}
}

func TestQuery(t *testing.T) {
	t.Parallel()
	s, err := listen.ParseSettings([]byte(`{"subjects": [{"name": "Acme", "terms": ["Acme", "#AcmeAir", "acme  air"], "exclude": ["Road Runner"]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	q := s.Subjects[0].Query()
	want := care.ListenQuery{Terms: []string{"acme", "#acmeair", "acme air"}, Exclude: []string{"road runner"}}
	if !reflect.DeepEqual(q, want) {
		t.Errorf("Query = %#v, want %#v", q, want)
	}
	q.Terms[0] = "changed"
	if s.Subjects[0].Terms[0] != "acme" {
		t.Error("changing a Query changed the subject")
	}

	// A subject built by hand is normalised, its invalid terms dropped.
	hand := listen.Subject{Name: "G", Terms: []string{" Globex ", "globex", "🔥", "#a b"}}
	want = care.ListenQuery{Terms: []string{"globex"}}
	if q := hand.Query(); !reflect.DeepEqual(q, want) {
		t.Errorf("Query of %+v = %#v, want %#v", hand, q, want)
	}
}
