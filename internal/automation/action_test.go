package automation

import (
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parleyhq/parley/internal/care"
)

func TestActionValidate(t *testing.T) {
	t.Parallel()
	num := func(v float64) *float64 { return &v }
	long := strings.Repeat("a", MaxStringBytes+1)
	for _, tt := range []struct {
		name   string
		action Action
		want   string // "" means valid
	}{
		{"assign_team", Action{Type: ActionAssignTeam, TeamID: 4}, ""},
		{"assign_team without team", Action{Type: ActionAssignTeam}, "assign_team needs team_id"},
		{"assign_team negative", Action{Type: ActionAssignTeam, TeamID: -4}, "team_id -4 is negative"},
		{"assign_team with a tag", Action{Type: ActionAssignTeam, TeamID: 4, Tag: "x"}, "assign_team does not take tag"},
		{"assign_agent", Action{Type: ActionAssignAgent, UserID: 9}, ""},
		{"assign_agent with team", Action{Type: ActionAssignAgent, TeamID: 9}, "assign_agent needs user_id"},
		{"unassign", Action{Type: ActionUnassign}, ""},
		{"unassign with user", Action{Type: ActionUnassign, UserID: 9}, "unassign does not take user_id"},
		{"add_tag", Action{Type: ActionAddTag, Tag: "Refund"}, ""},
		{"add_tag without tag", Action{Type: ActionAddTag}, "add_tag needs tag"},
		{"add_tag with comma", Action{Type: ActionAddTag, Tag: "a,b"}, `tag "a,b" is not a tag`},
		{"add_tag too long", Action{Type: ActionAddTag, Tag: strings.Repeat("t", 65)}, "is not a tag"},
		{"remove_tag", Action{Type: ActionRemoveTag, Tag: "refund"}, ""},
		{"remove_tag blank", Action{Type: ActionRemoveTag, Tag: "   "}, "is not a tag"},
		{"set_priority points", Action{Type: ActionSetPriority, Points: num(80)}, ""},
		{"set_priority zero points", Action{Type: ActionSetPriority, Points: num(0)}, ""},
		{"set_priority boost", Action{Type: ActionSetPriority, Boost: num(-10)}, ""},
		{"set_priority neither", Action{Type: ActionSetPriority}, "set_priority needs points or boost"},
		{"set_priority both", Action{Type: ActionSetPriority, Points: num(1), Boost: num(2)}, "set_priority takes points or boost, not both"},
		{"set_priority zero boost", Action{Type: ActionSetPriority, Boost: num(0)}, "a boost of 0 changes nothing"},
		{"set_priority huge", Action{Type: ActionSetPriority, Points: num(2e6)}, "points must be a number from -1e+06 to 1e+06"},
		{"set_priority NaN", Action{Type: ActionSetPriority, Boost: num(math.NaN())}, "boost must be a number"},
		{"saved_reply", Action{Type: ActionSavedReply, SavedReplyID: 3}, ""},
		{"saved_reply without id", Action{Type: ActionSavedReply, Text: "hi"}, "saved_reply needs saved_reply_id"},
		{"note", Action{Type: ActionNote, Text: "Check the order"}, ""},
		{"note without text", Action{Type: ActionNote, Note: "x"}, "note needs text"},
		{"note too long", Action{Type: ActionNote, Text: long}, "text is longer than 1000 bytes"},
		{"note invalid UTF-8", Action{Type: ActionNote, Text: "a\xffb"}, "text is not valid UTF-8"},
		{"escalate", Action{Type: ActionEscalate, TeamID: 2, Note: "Influencer"}, ""},
		{"escalate without note", Action{Type: ActionEscalate, TeamID: 2}, ""},
		{"escalate without team", Action{Type: ActionEscalate, Note: "x"}, "escalate needs team_id"},
		{"escalate with user", Action{Type: ActionEscalate, TeamID: 2, UserID: 1}, "escalate does not take user_id"},
		{"notify users", Action{Type: ActionNotify, UserIDs: []care.ID{1, 2}, Text: "Look"}, ""},
		{"notify team", Action{Type: ActionNotify, TeamID: 2, Text: "Look"}, ""},
		{"notify both", Action{Type: ActionNotify, TeamID: 2, UserIDs: []care.ID{1}, Text: "Look"}, "notify takes user_ids or team_id, not both"},
		{"notify nobody", Action{Type: ActionNotify, Text: "Look"}, "notify needs user_ids or team_id"},
		{"notify without text", Action{Type: ActionNotify, TeamID: 2}, "notify needs text"},
		{"notify empty users", Action{Type: ActionNotify, UserIDs: []care.ID{}, Text: "Look"}, "user_ids needs 1 to 50 users"},
		{"notify user 0", Action{Type: ActionNotify, UserIDs: []care.ID{1, 0}, Text: "Look"}, "user_ids holds 0"},
		{"notify too many", Action{Type: ActionNotify, UserIDs: make([]care.ID, 51), Text: "Look"}, "user_ids needs 1 to 50 users"},
		{"webhook https", Action{Type: ActionWebhook, URL: "https://hooks.example.com/parley"}, ""},
		{"webhook http", Action{Type: ActionWebhook, URL: "http://10.0.0.1:8080/x"}, ""},
		{"webhook ftp", Action{Type: ActionWebhook, URL: "ftp://example.com/x"}, "is not an http or https URL"},
		{"webhook relative", Action{Type: ActionWebhook, URL: "/hooks"}, "is not an http or https URL"},
		{"webhook no host", Action{Type: ActionWebhook, URL: "https:///x"}, "is not an http or https URL"},
		{"webhook javascript", Action{Type: ActionWebhook, URL: "javascript:alert(1)"}, "is not an http or https URL"},
		{"webhook with password", Action{Type: ActionWebhook, URL: "https://u:p@example.com/"}, "must not carry a user name or password"},
		{"webhook bad escape", Action{Type: ActionWebhook, URL: "https://example.com/%zz"}, "is not an http or https URL"},
		{"webhook too long", Action{Type: ActionWebhook, URL: "https://example.com/" + long}, "url is longer than 1000 bytes"},
		{"snooze", Action{Type: ActionSnooze, For: "24h"}, ""},
		{"snooze without for", Action{Type: ActionSnooze}, "snooze needs for"},
		{"snooze bad for", Action{Type: ActionSnooze, For: "tomorrow"}, `for: "tomorrow" is not a duration`},
		{"snooze too short", Action{Type: ActionSnooze, For: "30s"}, `for: "30s" is outside 1m to 366 days`},
		{"snooze too long", Action{Type: ActionSnooze, For: "9000h"}, "is outside 1m to 366 days"},
		{"snooze negative", Action{Type: ActionSnooze, For: "-1h"}, "is outside"},
		{"resolve", Action{Type: ActionResolve}, ""},
		{"resolve with reason", Action{Type: ActionResolve, Reason: "done"}, "resolve does not take reason"},
		{"require_approval", Action{Type: ActionRequireApproval, Reason: "Press contact"}, ""},
		{"require_approval without reason", Action{Type: ActionRequireApproval}, "require_approval needs reason"},
		{"unknown type", Action{Type: "delete"}, `unknown type "delete"`},
		{"no type", Action{}, `unknown type ""`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := tt.action.validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("validate(%+v) = %v, want nil", tt.action, err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("validate(%+v) = %v, want an error containing %q", tt.action, err, tt.want)
			}
		})
	}
}

func TestActionNormalisesTag(t *testing.T) {
	t.Parallel()
	got, err := Action{Type: ActionAddTag, Tag: "  Refund "}.validate()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Action{Type: ActionAddTag, Tag: "refund"}, got); diff != "" {
		t.Errorf("validate (-want +got):\n%s", diff)
	}
}
