package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/accounts"
	"github.com/parleyhq/parley/internal/care"
)

// TestAgentCannotLiftApprovalTag: a tag the approvals setting holds public
// replies for stays on until a supervisor or admin removes it, so the
// agent it holds cannot take it off and reply unreviewed.
func TestAgentCannotLiftApprovalTag(t *testing.T) {
	ta := startApp(t)
	ctx := context.Background()
	admin := ta.token(t, workspace1, care.RoleAdmin)
	supervisor := ta.token(t, workspace1, care.RoleSupervisor)
	agentUser, _, err := accounts.CreateUser(ctx, ta.Store, workspace1, "agent@example.com", "Agent", care.RoleAgent, "correct horse battery", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	_, agent, err := accounts.CreateToken(ctx, ta.Store, workspace1, agentUser.ID, "agent", care.RoleAgent, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ta.must(t, http.StatusOK, admin, "PUT", "/api/v1/settings/approvals", `{"roles":[],"tags":["legal"],"words":[],"sla":"15m"}`, nil)
	in := ta.createAPIInbox(t, admin, "Web")
	m := ta.ingestPublic(t, in, "post-1", "loud", "I am calling my lawyer")
	conv := fmt.Sprintf("/api/v1/conversations/%d", m.ConversationID)
	ta.must(t, http.StatusOK, admin, "PATCH", conv, `{"tags":["legal","vip"]}`, nil)

	var held care.Message
	ta.must(t, http.StatusCreated, agent, "POST", conv+"/messages", `{"text":"first try","visibility":"public"}`, &held)
	if held.Status != care.DeliveryPendingApproval {
		t.Fatalf("with the tag: status %s, want pending_approval", held.Status)
	}
	res := ta.must(t, http.StatusForbidden, agent, "PATCH", conv, `{"tags":[]}`, nil)
	if !strings.Contains(string(res.body), "Only supervisors and admins remove the legal tag.") {
		t.Errorf("refusal = %s, want it to say who removes the tag", res)
	}
	ta.must(t, http.StatusOK, agent, "PATCH", conv, `{"tags":["legal"]}`, nil)
	var again care.Message
	ta.must(t, http.StatusCreated, agent, "POST", conv+"/messages", `{"text":"second try","visibility":"public"}`, &again)
	if again.Status != care.DeliveryPendingApproval {
		t.Fatalf("after the refused PATCH: status %s, want pending_approval", again.Status)
	}
	ta.must(t, http.StatusOK, supervisor, "PATCH", conv, `{"tags":[]}`, nil)
}
