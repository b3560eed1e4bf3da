package automation

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parleyhq/parley/internal/care"
)

func TestDryRun(t *testing.T) {
	t.Parallel()
	past := []Facts{
		{Trigger: MessageReceived, ConversationID: 1, Text: "Where is my refund?"},
		{Trigger: MessageReceived, ConversationID: 2, Text: "Love the product"},
		{Trigger: MessageReceived, ConversationID: 3, Text: "REFUND NOW"},
		{Trigger: MessageReceived, ConversationID: 1, Text: "Still no refund"},
		{Trigger: ConversationUpdated, ConversationID: 4, Text: "refund"},
		{Trigger: MessageReceived, Text: "refund, but no conversation"},
		{Trigger: MessageReceived, ConversationID: 5, Text: "refund", Cause: &Cause{Depth: MaxDepth}},
	}
	draft := tagRule(0, MessageReceived, "refund", cnd("text", "contains", "refund"))
	draft.Enabled = false
	for _, tt := range []struct {
		name string
		rule Rule
		past []Facts
		want []care.ID
	}{
		{"matches once per conversation, in order", draft, past, []care.ID{1, 3}},
		{"no past", draft, nil, nil},
		{"nothing matches", tagRule(0, MessageReceived, "x", cnd("text", "contains", "cancel")), past, nil},
		{"other trigger", tagRule(9, ConversationUpdated, "x"), past, []care.ID{4}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := DryRun(tt.rule, tt.past)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("DryRun (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDryRunTimeRule(t *testing.T) {
	t.Parallel()
	r := tagRule(0, TimeUnassigned, "forgotten")
	r.After = "2h"
	past := []Facts{
		{Trigger: TimeUnassigned, ConversationID: 1, StateSince: testNow.Add(-3 * 3600e9), Now: testNow},
		{Trigger: TimeUnassigned, ConversationID: 2, StateSince: testNow.Add(-1 * 3600e9), Now: testNow},
	}
	got, err := DryRun(r, past)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]care.ID{1}, got); diff != "" {
		t.Errorf("DryRun (-want +got):\n%s", diff)
	}
}

func TestDryRunInvalid(t *testing.T) {
	t.Parallel()
	r := tagRule(0, MessageReceived, "x", cnd("text", "matches", "(?P<"))
	ids, err := DryRun(r, []Facts{{Trigger: MessageReceived, ConversationID: 1}})
	if ids != nil || care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), "condition 1: text matches: bad regular expression") {
		t.Errorf("DryRun = %v, %v, want EINVALID naming the regexp", ids, err)
	}
}
