package savedreply

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
)

func TestParse(t *testing.T) {
	t.Parallel()
	many := func(n int) string {
		var b strings.Builder
		b.WriteString(`{"replies":[`)
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"id":%d,"name":"r%d","text":"t"}`, i+1, i+1)
		}
		b.WriteString(`]}`)
		return b.String()
	}
	tests := []struct {
		name    string
		doc     string
		want    *Set
		wantErr string // a part of the message; "" for none
	}{
		{"empty set", `{"replies":[]}`, &Set{Replies: []Reply{}}, ""},
		{"no replies field", `{}`, &Set{}, ""},
		{"every variable", `{"replies":[{"id":7,"name":"Hello","text":"Hi {{contact.first_name}} ({{contact.name}}), {{agent.first_name}} {{agent.name}} of {{workspace.name}} here.","channels":["x","sms"]}]}`,
			&Set{Replies: []Reply{{ID: 7, Name: "Hello", Text: "Hi {{contact.first_name}} ({{contact.name}}), {{agent.first_name}} {{agent.name}} of {{workspace.name}} here.", Channels: []string{"x", "sms"}}}}, ""},
		{"braces that are not variables", `{"replies":[{"id":1,"name":"a","text":"a } b { c }}"}]}`,
			&Set{Replies: []Reply{{ID: 1, Name: "a", Text: "a } b { c }}"}}}, ""},
		{"a variable in braces", `{"replies":[{"id":1,"name":"a","text":"{{{contact.name}}} {{{{agent.name}}"}]}`, nil, ""},
		{"500 replies", many(500), nil, ""},
		{"501 replies", many(501), nil, "at most 500 replies; this document has 501"},

		{"unknown variable", `{"replies":[{"id":3,"name":"a","text":"Hi {{contact.email}}"}]}`, nil, `reply 3: unknown variable "{{contact.email}}"; the variables are {{contact.name}}`},
		{"spaces inside the braces", `{"replies":[{"id":3,"name":"a","text":"Hi {{ contact.name }}"}]}`, nil, `unknown variable "{{ contact.name }}"`},
		{"unclosed variable", `{"replies":[{"id":3,"name":"a","text":"Hi {{contact.name"}]}`, nil, `unknown variable "{{contact.name"`},
		{"template language", `{"replies":[{"id":3,"name":"a","text":"{{if .X}}yes{{end}}"}]}`, nil, `unknown variable "{{if .X}}"`},
		{"empty variable", `{"replies":[{"id":3,"name":"a","text":"{{}}"}]}`, nil, `unknown variable "{{}}"`},
		{"id zero", `{"replies":[{"id":0,"name":"a","text":"b"}]}`, nil, "the 1st reply needs an id above 0"},
		{"negative id", `{"replies":[{"id":1,"name":"a","text":"b"},{"id":-4,"name":"a","text":"b"}]}`, nil, "the 2nd reply needs an id above 0"},
		{"missing id", `{"replies":[{"name":"a","text":"b"}]}`, nil, "needs an id above 0"},
		{"duplicate id", `{"replies":[{"id":2,"name":"a","text":"b"},{"id":2,"name":"c","text":"d"}]}`, nil, "the id 2 is used twice"},
		{"empty name", `{"replies":[{"id":1,"name":"","text":"b"}]}`, nil, "the name must be 1 to 100 bytes; it is 0"},
		{"blank name", `{"replies":[{"id":1,"name":"   ","text":"b"}]}`, nil, "the name must be 1 to 100 bytes"},
		{"long name", `{"replies":[{"id":1,"name":"` + strings.Repeat("n", 101) + `","text":"b"}]}`, nil, "it is 101"},
		{"100-byte name", `{"replies":[{"id":1,"name":"` + strings.Repeat("n", 100) + `","text":"b"}]}`, nil, ""},
		{"control character in the name", `{"replies":[{"id":1,"name":"a\u0007b","text":"b"}]}`, nil, "without control characters"},
		{"empty text", `{"replies":[{"id":1,"name":"a","text":""}]}`, nil, "the text must be 1 to 4000 bytes; it is 0"},
		{"4000-byte text", `{"replies":[{"id":1,"name":"a","text":"` + strings.Repeat("t", 4000) + `"}]}`, nil, ""},
		{"4001-byte text", `{"replies":[{"id":1,"name":"a","text":"` + strings.Repeat("t", 4001) + `"}]}`, nil, "it is 4001"},
		{"NUL in the text", `{"replies":[{"id":1,"name":"a","text":"a\u0000b"}]}`, nil, "not valid UTF-8 text"},
		{"bad channel", `{"replies":[{"id":1,"name":"a","text":"b","channels":["X Twitter"]}]}`, nil, `"X Twitter" is not a channel name`},
		{"too many channels", `{"replies":[{"id":1,"name":"a","text":"b","channels":[` + strings.TrimSuffix(strings.Repeat(`"x",`, 21), ",") + `]}]}`, nil, "at most 20 channels"},

		{"unknown field", `{"replies":[{"id":1,"name":"a","text":"b","body":"c"}]}`, nil, `unknown field "body"`},
		{"unknown top-level field", `{"replies":[],"version":2}`, nil, `unknown field "version"`},
		{"wrong type", `{"replies":[{"id":"1","name":"a","text":"b"}]}`, nil, "Saved replies: json"},
		{"trailing data", `{"replies":[]} {"replies":[]}`, nil, "nothing after it"},
		{"array", `[]`, nil, "must be a JSON object"},
		{"null", `null`, nil, "must be a JSON object"},
		{"empty document", ``, nil, "must be a JSON object"},
		{"not JSON", `{"replies":`, nil, "Saved replies:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse([]byte(tt.doc))
			if tt.wantErr != "" {
				if err == nil || care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.wantErr) {
					t.Fatalf("Parse(%.80s) = %v, want EINVALID containing %q", tt.doc, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%.80s) = %v, want no error", tt.doc, err)
			}
			if tt.want != nil {
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("Parse(%.80s) (-want +got):\n%s", tt.doc, diff)
				}
			}
		})
	}
}

func TestParseTooLarge(t *testing.T) {
	t.Parallel()
	doc := `{"replies":[],"x":"` + strings.Repeat("a", maxDocBytes) + `"}`
	if _, err := Parse([]byte(doc)); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("Parse(%d bytes) = %v, want a refusal for its size", len(doc), err)
	}
}

func TestForAndFind(t *testing.T) {
	t.Parallel()
	s, err := Parse([]byte(`{"replies":[
		{"id":1,"name":"Everywhere","text":"a"},
		{"id":2,"name":"X only","text":"b","channels":["x"]},
		{"id":3,"name":"SMS and WhatsApp","text":"c","channels":["sms","whatsapp"]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	ids := func(rs []Reply) []int64 {
		var out []int64
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	for _, tt := range []struct {
		ch   care.Channel
		want []int64
	}{
		{care.ChannelX, []int64{1, 2}},
		{care.ChannelSMS, []int64{1, 3}},
		{care.ChannelWhatsApp, []int64{1, 3}},
		{care.ChannelEmail, []int64{1}},
	} {
		if diff := cmp.Diff(tt.want, ids(s.For(tt.ch))); diff != "" {
			t.Errorf("For(%s) (-want +got):\n%s", tt.ch, diff)
		}
	}
	if r, ok := s.Find(2); !ok || r.Name != "X only" {
		t.Errorf("Find(2) = %+v, %v, want the X reply", r, ok)
	}
	if _, ok := s.Find(9); ok {
		t.Error("Find(9) found a reply that does not exist")
	}
	var none *Set
	if got := none.For(care.ChannelX); got != nil {
		t.Errorf("nil Set: For = %v, want nil", got)
	}
	if _, ok := none.Find(1); ok {
		t.Error("nil Set: Find found a reply")
	}
}

func TestRender(t *testing.T) {
	t.Parallel()
	full := Vars{ContactName: "Maya Chen", AgentName: "Sam Rivera", Brand: "Acme"}
	tests := []struct {
		name string
		text string
		v    Vars
		want string
	}{
		{"no variables", "Thanks for waiting.", full, "Thanks for waiting."},
		{"every variable", "Hi {{contact.first_name}} ({{contact.name}}), {{agent.first_name}} here ({{agent.name}}, {{workspace.name}}).", full,
			"Hi Maya (Maya Chen), Sam here (Sam Rivera, Acme)."},
		{"repeated", "{{contact.first_name}}{{contact.first_name}}", full, "MayaMaya"},
		{"first names given", "{{contact.first_name}} {{agent.first_name}}", Vars{ContactName: "Chen Maya", ContactFirstName: "Maya", AgentName: "Rivera Sam", AgentFirstName: "Sam"}, "Maya Sam"},
		{"no contact name", "Hi {{contact.first_name}}, hi {{contact.name}}", Vars{}, "Hi there, hi there"},
		{"a handle is no first name", "Hi {{contact.first_name}}", Vars{ContactName: "@tbecker"}, "Hi there"},
		{"a phone number is no first name", "Hi {{contact.first_name}}", Vars{ContactName: "+44 7700 900123"}, "Hi there"},
		{"a handle is still a name", "Hi {{contact.name}}", Vars{ContactName: "@tbecker"}, "Hi @tbecker"},
		{"a Reddit user is no first name", "Bonjour {{contact.first_name}},", Vars{ContactName: "u/chloel61"}, "Bonjour there,"},
		{"a Reddit user is still a name", "{{contact.name}}", Vars{ContactName: "u/chloel61"}, "u/chloel61"},
		{"initials are a first name", "Hi {{contact.first_name}}", Vars{ContactName: "J.R. Hartley"}, "Hi J.R."},
		{"no agent name: the brand", "{{agent.name}} / {{agent.first_name}}", Vars{Brand: "Acme"}, "Acme / Acme"},
		{"nothing known", "{{agent.name}}, {{agent.first_name}}, {{workspace.name}}", Vars{}, "our team, our team, our team"},
		{"values are not read for variables", "Hi {{contact.name}}", Vars{ContactName: "{{agent.name}}", AgentName: "Sam"}, "Hi {{agent.name}}"},
		{"values are not markup", "Hi {{contact.first_name}}", Vars{ContactName: "<b>Eve</b> x"}, "Hi <b>Eve</b>"},
		{"hidden characters dropped", "Hi {{contact.name}}", Vars{ContactName: "Ev\u202Ee\u200B\u0000 Smith\n\tJr"}, "Hi Eve Smith Jr"},
		{"joiners kept", "{{contact.name}}", Vars{ContactName: "Ana 👩\u200D🚀"}, "Ana 👩\u200D🚀"},
		{"invalid UTF-8 dropped", "{{contact.name}}", Vars{ContactName: "Bad\xff name"}, "Bad name"},
		{"long name cut", "{{contact.name}}", Vars{ContactName: strings.Repeat("é", 500)}, strings.Repeat("é", 100)},
		{"blank name", "Hi {{contact.name}}", Vars{ContactName: " \u200B\n "}, "Hi there"},
		{"unknown variable left", "{{contact.email}} {{contact.name", full, "{{contact.email}} {{contact.name"},
		{"braces around a variable", "{{{contact.first_name}}}", full, "{Maya}"},
		{"empty text", "", full, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Render(tt.text, tt.v); got != tt.want {
				t.Errorf("Render(%q, %+v) = %q, want %q", tt.text, tt.v, got, tt.want)
			}
		})
	}
}

// A handle in any platform's form is no first name, while names with
// accents, apostrophes, hyphens, initials and scripts other than Latin are.
func TestFirstWord(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]string{
		"@tbecker":               "", // X, TikTok, Instagram, Threads
		"@chloe@mastodon.social": "", // Mastodon
		"chloe@mastodon.social":  "",
		"u/chloel61":             "", // Reddit
		"/u/chloel61":            "",
		"chloe.bsky.social":      "", // Bluesky
		"chloe.dev":              "",
		"chloe_martin":           "", // Instagram, Telegram
		"chloel61":               "",
		"chloe@example.com":      "", // email, web chat
		"+44 7700 900123":        "", // phone
		"0044 7700 900123":       "",
		"#OrbitDown":             "",
		"Chloé Lefèvre":          "Chloé",
		"Zoë":                    "Zoë",
		"Anne-Marie Duval":       "Anne-Marie",
		"O'Brien":                "O'Brien",
		"J.R. Hartley":           "J.R.",
		"J. Smith":               "J.",
		"Ségolène":               "Ségolène",
		"Иван Петров":            "Иван",
		"李雷":                     "李雷",
		"":                       "",
	} {
		if got := firstWord(name); got != want {
			t.Errorf("firstWord(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestOrdinal(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]string{1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th", 21: "21st", 102: "102nd", 111: "111th"} {
		if got := ordinal(n); got != want {
			t.Errorf("ordinal(%d) = %q, want %q", n, got, want)
		}
	}
}
