package automation

import (
	"encoding/json"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// testNow is the tests' clock: 24 November 2026, 10:00 UTC.
var testNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// js returns v encoded as a condition value.
func js(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// cnd returns a condition on field with op and, unless v is nil, value v.
func cnd(field, op string, v any) Condition {
	c := Condition{Field: field, Op: op}
	if v != nil {
		c.Value = js(v)
	}
	return c
}

// tagRule returns an enabled rule that adds tag when conds hold.
func tagRule(id care.ID, trigger Trigger, tag string, conds ...Condition) Rule {
	return Rule{ID: id, Name: "tag " + tag, Enabled: true, Position: int(id), Trigger: trigger,
		Conditions: conds, Actions: []Action{{Type: ActionAddTag, Tag: tag}}}
}

// baseFacts returns facts with every field set, for conditions to test.
func baseFacts() Facts {
	return Facts{
		Trigger: MessageReceived, ConversationID: 7, Channel: care.ChannelX, InboxID: 3,
		Text:     "  Where is my REFUND for order #12345?  ",
		Language: "en", Sentiment: "negative", SentimentScore: -0.6, Topics: []string{"Billing"},
		Influence: 0.8, Followers: 12000, Verified: true, Tags: []string{"vip", "refund"},
		Status: care.StatusOpen, Priority: 40, TeamID: 5, Visibility: care.Public,
		ContactConversations30d: 3, ContactOpen: 1, SLAKind: SLAFirstResponse, Now: testNow,
	}
}

// firedIDs returns the rule ids of fired.
func firedIDs(fired []Fired) []care.ID {
	var ids []care.ID
	for _, f := range fired {
		ids = append(ids, f.RuleID)
	}
	return ids
}
