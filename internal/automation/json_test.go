package automation

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parleyhq/parley/internal/care"
)

// fullRuleSet uses every trigger, every kind of condition value and every
// action type with every parameter it takes.
const fullRuleSet = `{
  "mode": "all",
  "rules": [
    {"id": 12, "name": "Refund complaints from influencers", "enabled": true, "position": 1,
     "trigger": "message.received", "match": "all",
     "conditions": [
       {"field": "text", "op": "matches", "value": "(?i)\\brefund(s|ed)?\\b"},
       {"field": "influence", "op": "gte", "value": 0.7},
       {"field": "channel", "op": "in", "value": ["x", "instagram"]},
       {"field": "inbox_id", "op": "not_in", "value": [3, 4]},
       {"field": "verified", "op": "is_true"}
     ],
     "actions": [
       {"type": "add_tag", "tag": "refund"},
       {"type": "set_priority", "boost": 20},
       {"type": "escalate", "team_id": 4, "note": "Influencer complaint"},
       {"type": "notify", "user_ids": [7, 8], "text": "Have a look"},
       {"type": "require_approval", "reason": "Press may pick this up"}
     ],
     "stop": true},
    {"id": 13, "name": "Stale pending", "enabled": false, "position": 2, "trigger": "time.pending", "after": "48h",
     "actions": [{"type": "resolve"}, {"type": "note", "text": "Closed after 48 h without an answer"}]},
    {"id": 14, "name": "Breach", "enabled": true, "position": 3, "trigger": "sla.breach", "match": "any",
     "conditions": [{"field": "sla.kind", "op": "eq", "value": "first_response"}, {"field": "priority", "op": "gt", "value": 50}],
     "actions": [{"type": "assign_team", "team_id": 2}, {"type": "notify", "team_id": 2, "text": "Breached"},
       {"type": "webhook", "url": "https://hooks.example.com/parley"}]},
    {"id": 15, "name": "Misc", "enabled": true, "position": 4, "trigger": "conversation.updated",
     "conditions": [{"field": "tags", "op": "has", "value": "vip"}],
     "actions": [{"type": "assign_agent", "user_id": 3}, {"type": "unassign"}, {"type": "remove_tag", "tag": "new"},
       {"type": "set_priority", "points": 0}, {"type": "saved_reply", "saved_reply_id": 9}, {"type": "snooze", "for": "1h30m"}]},
    {"id": 16, "name": "Created", "enabled": true, "position": 5, "trigger": "conversation.created", "actions": [{"type": "resolve"}]},
    {"id": 17, "name": "Warning", "enabled": true, "position": 6, "trigger": "sla.warning", "actions": [{"type": "resolve"}]},
    {"id": 18, "name": "Open", "enabled": true, "position": 7, "trigger": "time.open", "after": "4h", "actions": [{"type": "resolve"}]},
    {"id": 19, "name": "Unassigned", "enabled": true, "position": 8, "trigger": "time.unassigned", "after": "30m", "actions": [{"type": "resolve"}]}
  ]
}`

func TestJSONRoundTrip(t *testing.T) {
	t.Parallel()
	rs, err := ParseRuleSet([]byte(fullRuleSet))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Compile(rs); err != nil {
		t.Fatalf("Compile: %v", err)
	}
	b, err := json.Marshal(rs)
	if err != nil {
		t.Fatal(err)
	}
	again, err := ParseRuleSet(b)
	if err != nil {
		t.Fatalf("ParseRuleSet(%s): %v", b, err)
	}
	// Values are raw JSON, which the encoder compacts.
	compact := cmp.Transformer("compact", func(r json.RawMessage) string {
		var b bytes.Buffer
		if err := json.Compact(&b, r); err != nil {
			return "invalid: " + string(r)
		}
		return b.String()
	})
	if diff := cmp.Diff(rs, again, compact); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	var a, c any
	if err := json.Unmarshal([]byte(fullRuleSet), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, c); diff != "" {
		t.Errorf("encoding differs from the input (-want +got):\n%s", diff)
	}
}

func TestJSONEncoding(t *testing.T) {
	t.Parallel()
	r := tagRule(3, MessageReceived, "refund", cnd("text", "contains", "refund"))
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":3,"name":"tag refund","enabled":true,"position":3,"trigger":"message.received",` +
		`"conditions":[{"field":"text","op":"contains","value":"refund"}],"actions":[{"type":"add_tag","tag":"refund"}]}`
	if string(b) != want {
		t.Errorf("json.Marshal = %s, want %s", b, want)
	}
	got, err := ParseRule(b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, got); diff != "" {
		t.Errorf("ParseRule (-want +got):\n%s", diff)
	}
}

func TestParseStrict(t *testing.T) {
	t.Parallel()
	rule := func(s string) string {
		return `{"rules":[{"id":1,"name":"x","enabled":true,"trigger":"message.received","actions":[{"type":"resolve"}]` + s + `}]}`
	}
	for _, tt := range []struct {
		name, data string
		code, want string
	}{
		{"empty", ``, care.EINVALID, "A rule set must be a JSON object ({...})."},
		{"array", `[]`, care.EINVALID, "must be a JSON object"},
		{"null", `null`, care.EINVALID, "must be a JSON object"},
		{"unknown top-level field", `{"rules":[],"version":2}`, care.EINVALID, `The rule set is not valid: unknown field "version".`},
		{"unknown rule field", rule(`,"priority":1`), care.EINVALID, `unknown field "priority"`},
		{"unknown condition field", rule(`,"conditions":[{"field":"text","op":"eq","value":"a","negate":true}]`), care.EINVALID, `unknown field "negate"`},
		{"unknown action field", `{"rules":[{"actions":[{"type":"add_tag","tags":["a"]}]}]}`, care.EINVALID, `unknown field "tags"`},
		{"wrong type", `{"rules":[{"id":"1"}]}`, care.EINVALID, `rules.id cannot be string`},
		{"duration as a number", rule(`,"after":3600`), care.EINVALID, `rules.after cannot be number`},
		{"trailing data", `{"rules":[]} {}`, care.EINVALID, "found data after it"},
		{"trailing garbage", `{"rules":[]}x`, care.EINVALID, "found data after it"},
		{"truncated", `{"rules":[`, care.EINVALID, "the JSON ends too early"},
		{"not JSON", `{rules}`, care.EINVALID, "not JSON (at byte 2)"},
		{"too large", `{"mode":"` + strings.Repeat("a", MaxRuleSetBytes) + `"}`, care.ETOOLARGE, "at most 4194304 bytes"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseRuleSet([]byte(tt.data))
			if care.ErrorCode(err) != tt.code || !strings.Contains(care.ErrorMessage(err), tt.want) {
				t.Errorf("ParseRuleSet = %v, want %s containing %q", err, tt.code, tt.want)
			}
		})
	}
	if _, err := ParseRule([]byte(`{"id":1,"nmae":"x"}`)); !strings.Contains(care.ErrorMessage(err), `The rule is not valid: unknown field "nmae".`) {
		t.Errorf("ParseRule(misspelt field) = %v", err)
	}
	if _, err := ParseRule(make([]byte, MaxRuleBytes+1)); care.ErrorCode(err) != care.ETOOLARGE {
		t.Errorf("ParseRule(too large) = %v, want ETOOLARGE", err)
	}
}
