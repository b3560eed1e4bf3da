package api_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/accounts"
	"github.com/parleyhq/parley/internal/care"
)

// A rule that escalates to PR leaves the conversation with its team and
// makes it PR's too: the conversation says so, PR's list holds it, and
// PR's members are told with the rule's note.
func TestEscalatedConversations(t *testing.T) {
	ta := startApp(t)
	ctx := context.Background()
	ws := &care.Workspace{Slug: "escalate", Name: "Escalate"}
	if err := ta.Store.CreateWorkspace(ctx, ws); err != nil {
		t.Fatal(err)
	}
	admin := ta.token(t, ws.ID, care.RoleAdmin)
	lead, _, err := accounts.CreateUser(ctx, ta.Store, ws.ID, "pat@escalate.test", "Pat", care.RoleSupervisor, "", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	_, leadToken, err := accounts.CreateToken(ctx, ta.Store, ws.ID, lead.ID, "Pat's token", care.RoleSupervisor, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var care1, pr care.Team
	ta.must(t, http.StatusCreated, admin, "POST", "/api/v1/teams", `{"name":"Care"}`, &care1)
	ta.must(t, http.StatusCreated, admin, "POST", "/api/v1/teams", jsonBody(map[string]any{"name": "PR", "member_ids": []care.ID{lead.ID}}), &pr)
	ta.must(t, http.StatusOK, admin, "PUT", "/api/v1/settings/automation", fmt.Sprintf(`{"mode":"all","rules":[
		{"id":1,"name":"Care","enabled":true,"position":1,"trigger":"message.received","actions":[{"type":"assign_team","team_id":%d}]},
		{"id":2,"name":"Going public","enabled":true,"position":2,"trigger":"message.received",
		 "conditions":[{"field":"text","op":"contains","value":"everyone"}],
		 "actions":[{"type":"escalate","team_id":%d,"note":"Big account complaining"}]}]}`, care1.ID, pr.ID), nil)
	in := ta.createAPIInbox(t, admin, "Web")
	loud := ta.ingest(t, in, "loud-1", "loud", "Your app is broken, everyone look at this")
	quiet := ta.ingest(t, in, "quiet-1", "quiet", "My parcel is late")

	var c care.Conversation
	ta.must(t, http.StatusOK, admin, "GET", fmt.Sprintf("/api/v1/conversations/%d", loud.ConversationID), "", &c)
	if c.TeamID != care1.ID || c.EscalationTeamID != pr.ID {
		t.Errorf("conversation team_id %d, escalation_team_id %d; want Care (%d) escalated to PR (%d)", c.TeamID, c.EscalationTeamID, care1.ID, pr.ID)
	}

	list := func(q string) []care.ID {
		t.Helper()
		var page care.ConversationPage
		ta.must(t, http.StatusOK, admin, "GET", "/api/v1/conversations?"+q, "", &page)
		var got []care.ID
		for _, c := range page.Conversations {
			got = append(got, c.ID)
		}
		return got
	}
	tests := []struct {
		query string
		want  []care.ID
	}{
		{fmt.Sprintf("team=%d", pr.ID), []care.ID{loud.ConversationID}},
		{fmt.Sprintf("team=%d&status=open&sort=priority", pr.ID), []care.ID{loud.ConversationID}},
		{fmt.Sprintf("team=%d&status=resolved", pr.ID), nil},
		{fmt.Sprintf("team=%d", care1.ID), []care.ID{quiet.ConversationID, loud.ConversationID}},
	}
	for _, tt := range tests {
		if got := list(tt.query); !slices.Equal(got, tt.want) {
			t.Errorf("?%s listed %v, want %v", tt.query, got, tt.want)
		}
	}

	var ns struct {
		Notifications []care.Notification `json:"notifications"`
		Unread        int                 `json:"unread"`
	}
	ta.must(t, http.StatusOK, leadToken, "GET", "/api/v1/me/notifications?unread=true", "", &ns)
	if ns.Unread != 1 || len(ns.Notifications) != 1 {
		t.Fatalf("PR lead's notifications = %+v, want one unread", ns)
	}
	if n := ns.Notifications[0]; n.Kind != care.NotifyRule || n.ConversationID != loud.ConversationID || n.Text != "Escalated to PR: Big account complaining" {
		t.Errorf("notification = %+v, want the escalation with its note", n)
	}

	// PR is done with it: 0 ends the escalation; escalating by hand is
	// refused (a rule escalates, and tells the team).
	convPath := fmt.Sprintf("/api/v1/conversations/%d", loud.ConversationID)
	ta.call(t, admin, "PATCH", convPath, fmt.Sprintf(`{"escalation_team_id":%d}`, pr.ID)).problem(t, http.StatusBadRequest)
	var ended care.Conversation
	ta.must(t, http.StatusOK, admin, "PATCH", convPath, `{"escalation_team_id":0}`, &ended)
	if ended.EscalationTeamID != 0 || ended.TeamID != care1.ID {
		t.Errorf("after ending the escalation: escalation %d, team %d; want 0 and Care kept", ended.EscalationTeamID, ended.TeamID)
	}
	if got := list(fmt.Sprintf("team=%d", pr.ID)); len(got) != 0 {
		t.Errorf("PR still lists %v after the escalation ended", got)
	}
}
