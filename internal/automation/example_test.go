package automation_test

import (
	"fmt"

	"github.com/parleyhq/parley/internal/automation"
	"github.com/parleyhq/parley/internal/care"
)

func Example() {
	rs, err := automation.ParseRuleSet([]byte(`{"mode": "all", "rules": [
	  {"id": 12, "name": "Refund complaints from influencers", "enabled": true, "position": 1,
	   "trigger": "message.received",
	   "conditions": [
	     {"field": "text", "op": "matches", "value": "(?i)\\brefund(s|ed)?\\b"},
	     {"field": "influence", "op": "gte", "value": 0.7}
	   ],
	   "actions": [
	     {"type": "add_tag", "tag": "refund"},
	     {"type": "escalate", "team_id": 4, "note": "Influencer complaint"}
	   ]}
	]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	e, err := automation.Compile(rs)
	if err != nil {
		fmt.Println(err)
		return
	}
	f := &automation.Facts{Trigger: automation.MessageReceived, Channel: care.ChannelX,
		Text: "Still waiting for my REFUND, @Acme", Influence: 0.85}
	for _, fr := range e.Evaluate(f) {
		for _, a := range fr.Actions {
			fmt.Printf("rule %d %q: %s\n", fr.RuleID, fr.RuleName, a.Type)
		}
	}
	// Output:
	// rule 12 "Refund complaints from influencers": add_tag
	// rule 12 "Refund complaints from influencers": escalate
}
