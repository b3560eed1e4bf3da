package automation

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

// keywords are words customers write about, for the benchmark's rules.
var keywords = []string{"refund", "cancel", "broken", "late", "delivery", "invoice", "password", "login",
	"charge", "scam", "lawyer", "complaint", "manager", "discount", "coupon", "warranty", "return",
	"damaged", "missing", "wrong", "outage", "down", "error", "crash", "slow", "rude", "unsubscribe",
	"privacy", "gdpr", "fraud", "stolen", "hacked", "delay", "shipping", "tracking", "exchange",
	"size", "colour", "stock", "preorder"}

// benchRules returns n rules of the kinds workspaces write, each with one
// to four conditions: keyword and regexp tests on the text, channel and
// language lists, sentiment, influence and follower thresholds, tags and
// business hours. All listen to message.received, so that every one is
// evaluated. A third of them test a regexp: mostly keyword patterns, each
// different, and a few shapes shared by several rules, as rules for
// different inboxes share the patterns for an order number, an e-mail
// address or a phone number.
func benchRules(n int) RuleSet {
	patterns := []string{
		`(?i)\b%s(s|ed|ing)?\b`,
		`(?i)\b(legal action|lawyer|sue|%s)\b`,
		`(?i)^\s*(stop|unsubscribe|%s)\s*$`,
		`(?i)\b%s\b.{0,40}\b(again|today|now)\b`,
		`(?i)\b(never|worst)\b.*\b(again|ever)\b`,
		`\border\s*#?\d{5,}\b`,
		`(?i)[\w.+-]+@[\w-]+\.[a-z]{2,}`,
		`\+?\d[\d ()-]{7,}\d`,
		`https?://\S+`,
	}
	pattern := func(i int) string {
		p := patterns[(i/8)%len(patterns)]
		if strings.Contains(p, "%s") {
			p = fmt.Sprintf(p, keywords[(i/3)%len(keywords)])
		}
		return p
	}
	raw := func(v any) json.RawMessage {
		b, err := json.Marshal(v)
		if err != nil {
			panic(err)
		}
		return b
	}
	var rs RuleSet
	for i := range n {
		kw := keywords[i%len(keywords)]
		var conds []Condition
		switch i % 8 {
		case 0:
			conds = []Condition{{Field: "text", Op: "contains", Value: raw(kw)}}
		case 1:
			conds = []Condition{
				{Field: "channel", Op: "in", Value: raw([]string{"x", "instagram", "facebook"})},
				{Field: "text", Op: "matches", Value: raw(pattern(i))},
			}
		case 2:
			conds = []Condition{
				{Field: "text", Op: "contains", Value: raw(kw)},
				{Field: "influence", Op: "gte", Value: raw(0.5 + float64(i%5)/10)},
				{Field: "language", Op: "in", Value: raw([]string{"en", "de", "fr"})},
			}
		case 3:
			conds = []Condition{
				{Field: "followers", Op: "gt", Value: raw(1000 * (i % 50))},
				{Field: "tags", Op: "not_has", Value: raw("vip")},
				{Field: "business_hours", Op: "is_false"},
				{Field: "text", Op: "matches", Value: raw(pattern(i))},
			}
		case 4:
			conds = []Condition{
				{Field: "sentiment", Op: "eq", Value: raw("negative")},
				{Field: "text", Op: "contains", Value: raw(kw)},
			}
		case 5:
			conds = []Condition{
				{Field: "channel", Op: "eq", Value: raw("sms")},
				{Field: "text", Op: "in", Value: raw([]string{"stop", "unsubscribe", kw})},
			}
		case 6:
			conds = []Condition{
				{Field: "contact.open_conversations", Op: "gte", Value: raw(2)},
				{Field: "priority", Op: "lt", Value: raw(50)},
			}
		case 7:
			conds = []Condition{
				{Field: "topic", Op: "has", Value: raw(kw)},
				{Field: "text", Op: "matches", Value: raw(pattern(i))},
			}
		}
		rs.Rules = append(rs.Rules, Rule{
			ID: care.ID(i + 1), Name: fmt.Sprintf("rule %d: %s", i+1, kw), Enabled: true, Position: i,
			Trigger: MessageReceived, Conditions: conds,
			Actions: []Action{{Type: ActionAddTag, Tag: kw}, {Type: ActionAssignTeam, TeamID: care.ID(1 + i%7)}},
		})
	}
	return rs
}

// benchFacts is a 280-character public complaint from a well-followed
// account, which several of benchRules' rules match.
func benchFacts() *Facts {
	text := "@AcmeSupport My order #4815162 arrived DAMAGED and two items are missing. I asked for a refund " +
		"three times, your chat agent was rude and the tracking page just shows an error. Worst service ever, " +
		"I will never order again. Fix this today or I'm filing a complaint with my bank."
	text += strings.Repeat(".", 280-len(text))
	return &Facts{
		Trigger: MessageReceived, ConversationID: 1, Channel: care.ChannelX, InboxID: 3, Text: text,
		Language: "en", Sentiment: "negative", SentimentScore: -0.8, Influence: 0.62, Followers: 18400,
		Topics: []string{"delivery", "refund"}, Tags: []string{"delivery"}, Status: care.StatusOpen, Visibility: care.Public,
	}
}

func BenchmarkEvaluate200Rules(b *testing.B) {
	e, err := Compile(benchRules(200))
	if err != nil {
		b.Fatal(err)
	}
	f := benchFacts()
	if len(f.Text) != 280 {
		b.Fatalf("text is %d bytes, want 280", len(f.Text))
	}
	b.ReportAllocs()
	fired := 0
	for b.Loop() {
		fired = len(e.Evaluate(f))
	}
	b.ReportMetric(float64(fired), "fired/op")
}
