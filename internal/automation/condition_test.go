package automation

import (
	"fmt"
	"strings"
	"testing"
)

func TestConditionOps(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		field, op string
		value     any // nil: no value
		want      bool
	}{
		// bool
		{"verified", "is_true", nil, true},
		{"verified", "is_false", nil, false},
		{"business_hours", "is_true", nil, false},
		{"business_hours", "is_false", nil, true},
		// ids
		{"inbox_id", "eq", 3, true},
		{"inbox_id", "eq", 4, false},
		{"inbox_id", "neq", 4, true},
		{"inbox_id", "neq", 3, false},
		{"inbox_id", "in", []int{1, 3}, true},
		{"inbox_id", "in", []int{1, 2}, false},
		{"inbox_id", "not_in", []int{1, 2}, true},
		{"inbox_id", "not_in", []int{3}, false},
		{"assignee_id", "eq", 0, true},
		{"assignee_id", "neq", 0, false},
		{"team_id", "in", []int{5}, true},
		// counts
		{"followers", "eq", 12000, true},
		{"followers", "eq", 12001, false},
		{"followers", "neq", 12000, false},
		{"followers", "gt", 11999, true},
		{"followers", "gt", 12000, false},
		{"followers", "gte", 12000, true},
		{"followers", "gte", 12001, false},
		{"followers", "lt", 12000, false},
		{"followers", "lt", 12001, true},
		{"followers", "lte", 12000, true},
		{"followers", "lte", 11999, false},
		{"contact.conversations_30d", "gte", 3, true},
		{"contact.open_conversations", "gt", 1, false},
		// numbers
		{"influence", "eq", 0.8, true},
		{"influence", "neq", 0.8, false},
		{"influence", "gt", 0.7, true},
		{"influence", "gt", 0.8, false},
		{"influence", "gte", 0.8, true},
		{"influence", "lt", 0.8, false},
		{"influence", "lte", 0.8, true},
		{"influence", "lte", 0.79, false},
		{"sentiment_score", "lt", 0, true},
		{"priority", "gte", 40.5, false},
		// labels
		{"channel", "eq", "x", true},
		{"channel", "eq", "X", true},
		{"channel", "eq", "facebook", false},
		{"channel", "neq", "x", false},
		{"channel", "in", []string{"facebook", "x"}, true},
		{"channel", "in", []string{"facebook"}, false},
		{"channel", "not_in", []string{"x"}, false},
		{"channel", "not_in", []string{"sms"}, true},
		{"language", "eq", "EN", true},
		{"sentiment", "in", []string{"negative", "neutral"}, true},
		{"sentiment", "eq", "positive", false},
		{"status", "eq", "open", true},
		{"status", "neq", "resolved", true},
		{"visibility", "eq", "public", true},
		{"sla.kind", "eq", "first_response", true},
		{"sla.kind", "in", []string{"resolution"}, false},
		// text
		{"text", "contains", "refund", true},
		{"text", "contains", "Refund", true},
		{"text", "contains", "refunds", false},
		{"text", "not_contains", "refund", false},
		{"text", "not_contains", "cancel", true},
		{"text", "matches", `order #\d{5}\b`, true},
		{"text", "matches", `refund`, false}, // case-sensitive unless (?i)
		{"text", "matches", `(?i)refund`, true},
		{"text", "matches", `^\s*Where`, true},
		{"text", "matches", `order #\d{6}`, false},
		{"text", "eq", "where is my refund for order #12345?", true},
		{"text", "eq", "where is my refund", false},
		{"text", "neq", "where is my refund", true},
		{"text", "in", []string{"stop", "WHERE IS MY REFUND FOR ORDER #12345?"}, true},
		{"text", "not_in", []string{"stop"}, true},
		// lists
		{"tags", "has", "vip", true},
		{"tags", "has", "VIP", true},
		{"tags", "has", "spam", false},
		{"tags", "not_has", "spam", true},
		{"tags", "not_has", "vip", false},
		{"tags", "in", []string{"spam", "refund"}, true},
		{"tags", "in", []string{"spam"}, false},
		{"tags", "not_in", []string{"spam"}, true},
		{"tags", "not_in", []string{"refund"}, false},
		{"topic", "has", "billing", true},
		{"topic", "in", []string{"shipping"}, false},
	} {
		name := fmt.Sprintf("%s %s %v", tt.field, tt.op, tt.value)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, err := compileCondition(cnd(tt.field, tt.op, tt.value), SLABreach)
			if err != nil {
				t.Fatalf("compileCondition: %v", err)
			}
			f := baseFacts()
			in := newInput(&f)
			if got := c.eval(&in); got != tt.want {
				t.Errorf("%s = %v, want %v", name, got, tt.want)
			}
		})
	}
}

// TestEveryFieldReadsItsFact checks that each field reads its own fact:
// a condition true of baseFacts must be false once that one fact is zero.
func TestEveryFieldReadsItsFact(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		cond  Condition
		clear func(*Facts)
	}{
		{cnd("channel", "eq", "x"), func(f *Facts) { f.Channel = "" }},
		{cnd("inbox_id", "eq", 3), func(f *Facts) { f.InboxID = 0 }},
		{cnd("text", "contains", "refund"), func(f *Facts) { f.Text = "" }},
		{cnd("language", "eq", "en"), func(f *Facts) { f.Language = "" }},
		{cnd("sentiment", "eq", "negative"), func(f *Facts) { f.Sentiment = "" }},
		{cnd("sentiment_score", "lt", 0), func(f *Facts) { f.SentimentScore = 0 }},
		{cnd("topic", "has", "billing"), func(f *Facts) { f.Topics = nil }},
		{cnd("influence", "gt", 0.5), func(f *Facts) { f.Influence = 0 }},
		{cnd("followers", "gt", 0), func(f *Facts) { f.Followers = 0 }},
		{cnd("verified", "is_true", nil), func(f *Facts) { f.Verified = false }},
		{cnd("tags", "has", "vip"), func(f *Facts) { f.Tags = nil }},
		{cnd("status", "eq", "open"), func(f *Facts) { f.Status = "" }},
		{cnd("priority", "gt", 0), func(f *Facts) { f.Priority = 0 }},
		{cnd("assignee_id", "eq", 9), func(f *Facts) { f.AssigneeID = 0 }},
		{cnd("team_id", "eq", 5), func(f *Facts) { f.TeamID = 0 }},
		{cnd("business_hours", "is_true", nil), func(f *Facts) { f.BusinessHours = false }},
		{cnd("visibility", "eq", "public"), func(f *Facts) { f.Visibility = "" }},
		{cnd("contact.conversations_30d", "gt", 0), func(f *Facts) { f.ContactConversations30d = 0 }},
		{cnd("contact.open_conversations", "gt", 0), func(f *Facts) { f.ContactOpen = 0 }},
		{cnd("sla.kind", "eq", "first_response"), func(f *Facts) { f.SLAKind = "" }},
	} {
		t.Run(tt.cond.Field, func(t *testing.T) {
			t.Parallel()
			c, err := compileCondition(tt.cond, SLAWarning)
			if err != nil {
				t.Fatalf("compileCondition: %v", err)
			}
			f := baseFacts()
			f.AssigneeID, f.BusinessHours = 9, true
			in := newInput(&f)
			if !c.eval(&in) {
				t.Fatalf("%s %s on the full facts = false, want true", tt.cond.Field, tt.cond.Op)
			}
			tt.clear(&f)
			in = newInput(&f)
			if c.eval(&in) {
				t.Errorf("%s %s with the fact cleared = true, want false", tt.cond.Field, tt.cond.Op)
			}
		})
	}
	if n := len(fields); n != 20 {
		t.Errorf("len(fields) = %d; add the new field to this test", n)
	}
}

func TestConditionFolding(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, text string
		cond       Condition
		want       bool
	}{
		{"long s contains", "ſcam alert", cnd("text", "contains", "scam"), true},
		{"long s matches (?i)", "ſcam alert", cnd("text", "matches", "(?i)scam"), true},
		{"long s matches case-sensitively", "ſcam alert", cnd("text", "matches", "scam"), false},
		{"kelvin sign matches (?i)", "5 \u212Aelvin", cnd("text", "matches", "(?i)kelvin"), true},
		{"kelvin sign contains", "5 \u212Aelvin", cnd("text", "contains", "kelvin"), true},
		{"upper-case non-ASCII", "ÜBERWEISUNG fehlt", cnd("text", "contains", "überweisung"), true},
		{"non-ASCII (?i) literal", "ΣΟΦΙΑ", cnd("text", "matches", "(?i)σοφια"), true},
		{"final sigma (?i)", "σοφις", cnd("text", "matches", "(?i)σοφιΣ"), true},
		{"invalid UTF-8", "refund \xff\xfe now", cnd("text", "matches", `(?i)refund\s.+now`), true},
		{"label eq folds", "", cnd("language", "eq", "EN"), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := compileCondition(tt.cond, MessageReceived)
			if err != nil {
				t.Fatalf("compileCondition: %v", err)
			}
			f := Facts{Text: tt.text, Language: "en"}
			in := newInput(&f)
			if got := c.eval(&in); got != tt.want {
				t.Errorf("%s %s %s on %q = %v, want %v", tt.cond.Field, tt.cond.Op, tt.cond.Value, tt.text, got, tt.want)
			}
		})
	}
}

func TestConditionErrors(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", MaxStringBytes+1)
	many := make([]string, MaxListValues+1)
	for i := range many {
		many[i] = fmt.Sprint("v", i)
	}
	for _, tt := range []struct {
		name    string
		cond    Condition
		trigger Trigger
		want    string
	}{
		{"unknown field", cnd("txt", "contains", "a"), MessageReceived, `unknown field "txt" (fields are channel, inbox_id, text`},
		{"unknown op", cnd("text", "like", "a"), MessageReceived, `field "text" has no op "like" (use eq, neq, in, not_in, contains, not_contains, matches)`},
		{"op of another kind", cnd("followers", "contains", "1"), MessageReceived, `field "followers" has no op "contains"`},
		{"contains on a label", cnd("language", "contains", "e"), MessageReceived, `field "language" has no op "contains"`},
		{"gt on an id", cnd("team_id", "gt", 3), MessageReceived, `has no op "gt"`},
		{"missing value", cnd("text", "contains", nil), MessageReceived, "text contains: needs a value"},
		{"null value", Condition{Field: "text", Op: "eq", Value: []byte("null")}, MessageReceived, "needs a value"},
		{"value on is_true", cnd("verified", "is_true", true), MessageReceived, "verified is_true: takes no value"},
		{"number for a string", cnd("text", "contains", 3), MessageReceived, "the value must be a string"},
		{"string for a number", cnd("influence", "gt", "0.5"), MessageReceived, "the value must be a number"},
		{"fraction for an integer", cnd("followers", "gt", 1.5), MessageReceived, "the value must be an integer"},
		{"string for an id", cnd("team_id", "eq", "5"), MessageReceived, "the value must be an id"},
		{"string for ids", cnd("team_id", "in", "5"), MessageReceived, "the value must be an array of ids"},
		{"string for a list", cnd("channel", "in", "x"), MessageReceived, "the value must be an array of strings"},
		{"negative id", cnd("team_id", "eq", -1), MessageReceived, "-1 is negative"},
		{"negative id in list", cnd("team_id", "in", []int{1, -2}), MessageReceived, "id -2 is negative"},
		{"negative count", cnd("followers", "gt", -1), MessageReceived, "-1 is negative"},
		{"empty list", cnd("tags", "in", []string{}), MessageReceived, "needs 1 to 100 strings"},
		{"long list", cnd("tags", "in", many), MessageReceived, "needs 1 to 100 strings"},
		{"empty id list", cnd("inbox_id", "not_in", []int{}), MessageReceived, "needs 1 to 100 ids"},
		{"empty contains", cnd("text", "contains", ""), MessageReceived, "needs a non-empty string"},
		{"empty has", cnd("tags", "has", ""), MessageReceived, "tags has: needs a non-empty string"},
		{"long string", cnd("text", "contains", long), MessageReceived, "a string is longer than 1000 bytes"},
		{"huge value", Condition{Field: "text", Op: "contains", Value: []byte(`"` + strings.Repeat("a", MaxValueBytes) + `"`)}, MessageReceived, "longer than 16384 bytes"},
		{"bad regexp", cnd("text", "matches", "(refund"), MessageReceived, "bad regular expression: missing closing ): `(refund`"},
		{"empty regexp", cnd("text", "matches", ""), MessageReceived, "the pattern must be 1 to 512 bytes"},
		{"long regexp", cnd("text", "matches", strings.Repeat("a", MaxRegexpBytes+1)), MessageReceived, "the pattern must be 1 to 512 bytes"},
		{"huge repetition", cnd("text", "matches", "(a{1000}){1000}"), MessageReceived, "bad regular expression"},
		{"backreference", cnd("text", "matches", `(a)\1`), MessageReceived, "bad regular expression: invalid escape sequence"},
		{"bad channel", cnd("channel", "eq", "X Corp"), MessageReceived, `"x corp" is not a channel name`},
		{"bad status", cnd("status", "in", []string{"open", "opne"}), MessageReceived, `"opne" is not a status`},
		{"bad sentiment", cnd("sentiment", "eq", "angry"), MessageReceived, `"angry" is not a sentiment (negative, neutral, positive)`},
		{"bad visibility", cnd("visibility", "eq", "secret"), MessageReceived, `"secret" is not a visibility`},
		{"bad tag", cnd("tags", "has", "a,b"), MessageReceived, `"a,b" is not a tag`},
		{"bad sla kind", cnd("sla.kind", "eq", "reply"), SLABreach, `"reply" is not an SLA kind`},
		{"sla kind without sla trigger", cnd("sla.kind", "eq", "resolution"), MessageReceived, `only known to the sla.warning and sla.breach triggers`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := compileCondition(tt.cond, tt.trigger)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("compileCondition(%s %s %s) = %v, want an error containing %q", tt.cond.Field, tt.cond.Op, tt.cond.Value, err, tt.want)
			}
		})
	}
}
