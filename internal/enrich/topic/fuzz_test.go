package topic

import (
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

// Fuzz targets for the parsers of workspace rules and of messages. Run one
// with, e.g., go test -run '^$' -fuzz FuzzMatch -fuzztime 10s ./internal/enrich/topic

func FuzzMatch(f *testing.F) {
	f.Add("@Airline you charged twice for the same seat and I want a refund #LostMyBag")
	f.Add("ｎｏｔ ｗｏｒｋｉｎｇ 𝗻𝗼𝘁 u\u0308berzahlt 注文の返金 ขอคืนเงินด้วยครับ")
	f.Add("\xff\xfe\u0301\u0308 @ ＠x www. ://")
	m, err := Compile(Defaults())
	if err != nil {
		f.Fatal(err)
	}
	order := make(map[string]int)
	for i, r := range Defaults() {
		order[r.Topic] = i
	}
	f.Fuzz(func(t *testing.T, text string) {
		last := -1
		for _, x := range m.Match(text) {
			i, ok := order[x.Topic]
			if !ok || i <= last {
				t.Fatalf("Match(%q): %q out of rule order", text, x.Topic)
			}
			last = i
		}
	})
}

// FuzzCompile checks that Compile either refuses a rule with EINVALID or
// builds a matcher that finds the phrase in its own text.
func FuzzCompile(f *testing.F) {
	f.Add("refund", "refund*", "billing")
	f.Add("t", "charged... twice", "")
	f.Add("t", "返金", "")
	f.Add("t", "u\u0308berzahlt*", "")
	f.Add("", "*", "a b")
	f.Fuzz(func(t *testing.T, topic, p, team string) {
		m, err := Compile([]Rule{{Topic: topic, Phrases: []string{p}, Team: team}})
		if err != nil {
			if care.ErrorCode(err) != care.EINVALID {
				t.Fatalf("Compile(%q, %q, %q) = %v, want EINVALID", topic, p, team, err)
			}
			return
		}
		text := strings.TrimSuffix(strings.TrimRight(p, " \t\n\v\f\r\u0085\u00a0"), "*")
		got := m.Match(text)
		if len(got) != 1 || got[0].Topic != topic || got[0].Phrase != p {
			t.Fatalf("Compile(%q, %q, %q).Match(%q) = %v, want the phrase", topic, p, team, text, got)
		}
	})
}
