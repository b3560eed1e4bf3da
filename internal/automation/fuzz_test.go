package automation

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
)

// Fuzz targets for rules, which arrive as JSON from the API, and for the
// text of messages, which arrives from anyone. Run one with, e.g.,
// go test -run '^$' -fuzz FuzzParseCompile -fuzztime 10s ./internal/automation

func FuzzParseCompile(f *testing.F) {
	f.Add([]byte(fullRuleSet))
	f.Add([]byte(`{"mode":"first","rules":[{"id":1,"name":"a","enabled":true,"trigger":"conversation.updated",` +
		`"conditions":[{"field":"tags","op":"has","value":"x"}],"actions":[{"type":"add_tag","tag":"x"}]}]}`))
	f.Add([]byte(`{"rules":[{"id":1,"name":"a","trigger":"time.open","after":"1h","conditions":[{"field":"text","op":"matches","value":"(?i)a+b"}],"actions":[{"type":"snooze","for":"2h"}]}]}`))
	f.Add([]byte(`{"rules":[{"id":1,"conditions":[{"field":"followers","op":"in","value":[1,2]}]}]}`))
	facts := []Facts{baseFacts(), {Trigger: ConversationUpdated, Tags: []string{"x"}}, {Trigger: TimeOpen, Now: testNow, StateSince: testNow.Add(-3600e9)}}
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := ParseRuleSet(data)
		if err != nil {
			if c := care.ErrorCode(err); c != care.EINVALID && c != care.ETOOLARGE {
				t.Fatalf("ParseRuleSet = %v, want EINVALID or ETOOLARGE", err)
			}
			return
		}
		e, err := Compile(rs)
		if err != nil {
			if care.ErrorCode(err) != care.EINVALID {
				t.Fatalf("Compile = %v, want EINVALID", err)
			}
			return
		}
		for i := range facts {
			fired := e.Evaluate(&facts[i])
			for _, fr := range fired {
				if len(fr.Actions) == 0 {
					t.Fatalf("rule %d fired without actions", fr.RuleID)
				}
			}
		}
		// What compiled must survive the trip through storage.
		b, err := json.Marshal(RuleSet{Mode: rs.Mode, Rules: e.Rules()})
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseRuleSet(b)
		if err != nil {
			t.Fatalf("ParseRuleSet(%s) = %v after a round trip", b, err)
		}
		if _, err := Compile(again); err != nil {
			t.Fatalf("Compile = %v after a round trip of %s", err, b)
		}
	})
}

func FuzzEvaluate(f *testing.F) {
	f.Add("Where is my REFUND for order #12345?")
	f.Add("ſcam \u212Aelvin İstanbul")
	f.Add("\xff\xfe refund")
	f.Add(" stop ")
	e, err := Compile(RuleSet{Rules: []Rule{
		tagRule(1, MessageReceived, "contains", cnd("text", "contains", "refund")),
		tagRule(2, MessageReceived, "matches", cnd("text", "matches", `(?i)\b(refund|chargeback)s?\b`)),
		tagRule(3, MessageReceived, "eq", cnd("text", "in", []string{"stop", "unsubscribe"})),
		tagRule(4, MessageReceived, "order", cnd("text", "matches", `order\s*#?\d{5,}`)),
		tagRule(5, MessageReceived, "not", cnd("text", "not_contains", "refund")),
	}})
	if err != nil {
		f.Fatal(err)
	}
	refunds := regexp.MustCompile(`(?i)\b(refund|chargeback)s?\b`)
	order := regexp.MustCompile(`order\s*#?\d{5,}`)
	f.Fuzz(func(t *testing.T, text string) {
		fired := map[care.ID]bool{}
		for _, fr := range e.Evaluate(&Facts{Trigger: MessageReceived, Text: text}) {
			fired[fr.RuleID] = true
		}
		if fired[1] == fired[5] {
			t.Errorf("contains and not_contains agree on %q", text)
		}
		if want := strings.Contains(fold(text), "refund"); fired[1] != want {
			t.Errorf("contains refund on %q = %v, want %v", text, fired[1], want)
		}
		if want := refunds.MatchString(text); fired[2] != want {
			t.Errorf("matches refunds on %q = %v, want %v", text, fired[2], want)
		}
		if want := order.MatchString(text); fired[4] != want {
			t.Errorf("matches order on %q = %v, want %v", text, fired[4], want)
		}
		trimmed := strings.TrimSpace(text)
		if want := strings.EqualFold(trimmed, "stop") || strings.EqualFold(trimmed, "unsubscribe"); fired[3] != want {
			t.Errorf("in [stop unsubscribe] on %q = %v, want %v", text, fired[3], want)
		}
	})
}

// FuzzPrefilter checks that a prefilter never hides a match of its pattern.
func FuzzPrefilter(f *testing.F) {
	f.Add(`(?i)\b(refund|chargeback)s?\b`, "REFUNDS please")
	f.Add(`(?i)scam`, "ſcam")
	f.Add(`(?i)k`, "\u212A")
	f.Add(`(?i)\b(never|worst)\b.*\b(again|ever)\b`, "Never again")
	f.Fuzz(func(t *testing.T, pattern, text string) {
		if len(pattern) > MaxRegexpBytes || !utf8.ValidString(pattern) {
			return
		}
		re, err := regexp.Compile(pattern)
		if err != nil {
			return
		}
		if re.MatchString(text) && !newPrefilter(pattern).pass(fold(text)) {
			t.Errorf("%q matches %q, but its prefilter %q hides it", pattern, text, newPrefilter(pattern))
		}
	})
}
