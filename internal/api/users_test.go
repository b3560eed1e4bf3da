package api_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/accounts"
	"github.com/parleyhq/parley/internal/api"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/config"
)

// person is a member made for a test, with a token of their own.
type person struct {
	ID    care.ID
	Email string
	Token string
}

const testPassword = "correct horse battery"

func (ta *testApp) person(t *testing.T, ws care.ID, name string, role care.Role) person {
	t.Helper()
	email := fmt.Sprintf("%s%d@example.com", strings.ToLower(name), ta.next())
	u, _, err := accounts.CreateUser(context.Background(), ta.Store, ws, email, name, role, testPassword, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	_, secret, err := accounts.CreateToken(context.Background(), ta.Store, ws, u.ID, name+"'s token", role, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return person{ID: u.ID, Email: email, Token: secret}
}

func userPath(id care.ID) string { return fmt.Sprintf("/api/v1/users/%d", id) }

// firstAdmin is the admin a fresh install creates.
func (ta *testApp) firstAdmin(t *testing.T) care.ID {
	t.Helper()
	u, err := ta.Store.UserByEmail(context.Background(), "admin@example.com")
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// A workspace never loses its last enabled admin: demoting or disabling
// them is 409 with what to do instead, whether a token or another admin
// asks, and a disabled admin does not count.
func TestLastAdmin(t *testing.T) {
	ta := startApp(t)
	token := ta.token(t, workspace1, care.RoleAdmin)
	first := ta.firstAdmin(t)

	for _, body := range []string{`{"role":"agent"}`, `{"role":"supervisor"}`, `{"disabled":true}`, `{"role":"admin","disabled":true}`} {
		pr := ta.call(t, token, "PATCH", userPath(first), body).problem(t, http.StatusConflict)
		if !strings.Contains(pr.Detail, "last enabled admin") || !strings.Contains(pr.Detail, "make another member an admin first") {
			t.Errorf("PATCH %s detail = %q, want it to say what to do", body, pr.Detail)
		}
	}
	// A second admin, disabled, is no admin to fall back on.
	second := ta.person(t, workspace1, "Second", care.RoleAdmin)
	ta.must(t, http.StatusOK, token, "PATCH", userPath(second.ID), `{"disabled":true}`, nil)
	ta.call(t, token, "PATCH", userPath(first), `{"role":"agent"}`).problem(t, http.StatusConflict)
	// Both in one request: the last enabled admin still may not go.
	ta.call(t, token, "PATCH", userPath(first), `{"disabled":true}`).problem(t, http.StatusConflict)

	// Enabled again, the second admin can take over, and the first can be
	// demoted, by the second themselves.
	ta.must(t, http.StatusOK, token, "PATCH", userPath(second.ID), `{"disabled":false}`, nil)
	var m struct {
		Role     care.Role
		Disabled bool
	}
	ta.must(t, http.StatusOK, second.Token, "PATCH", userPath(first), `{"role":"agent"}`, &m)
	if m.Role != care.RoleAgent || m.Disabled {
		t.Errorf("demoted member = %+v", m)
	}
	// Now the second is the last one; they cannot lower themselves anyway.
	pr := ta.call(t, second.Token, "PATCH", userPath(second.ID), `{"role":"agent"}`).problem(t, http.StatusBadRequest)
	if !strings.Contains(pr.Detail, "own role") {
		t.Errorf("self-demotion detail = %q", pr.Detail)
	}
	pr = ta.call(t, second.Token, "PATCH", userPath(second.ID), `{"disabled":true}`).problem(t, http.StatusBadRequest)
	if !strings.Contains(pr.Detail, "your own account") {
		t.Errorf("self-disable detail = %q", pr.Detail)
	}
	ta.call(t, token, "PATCH", userPath(second.ID), `{"disabled":true}`).problem(t, http.StatusConflict)
	ta.call(t, token, "PATCH", userPath(second.ID), `{"role":"owner"}`).problem(t, http.StatusBadRequest)
	ta.call(t, token, "PATCH", userPath(999999), `{"disabled":true}`).problem(t, http.StatusNotFound)
	// A supervisor may not change members at all.
	ta.call(t, ta.token(t, workspace1, care.RoleSupervisor), "PATCH", userPath(first), `{"disabled":true}`).problem(t, http.StatusForbidden)
}

// A disabled user is locked out at once: no sign-in, their session and
// their token refused. Routing takes back what it gave them that still
// waits for a first answer and offers them nothing more; what they were
// answering stays theirs. Enabled again, they sign in afresh.
func TestDisableUser(t *testing.T) {
	ta := startApp(t)
	ctx := context.Background()
	admin := ta.token(t, workspace1, care.RoleAdmin)
	dana := ta.person(t, workspace1, "Dana", care.RoleAgent)
	in := ta.createAPIInbox(t, admin, "Shop")

	login := func() *result {
		return ta.call(t, "", "POST", "/api/v1/session", jsonBody(map[string]any{"email": dana.Email, "password": testPassword}))
	}
	res := login()
	if res.status != http.StatusCreated {
		t.Fatalf("login = %s", res)
	}
	var cookie string
	for _, c := range (&http.Response{Header: res.header}).Cookies() {
		if c.Name == api.SessionCookie {
			cookie = c.Value
		}
	}
	session := http.Header{"Cookie": {api.SessionCookie + "=" + cookie}}

	ta.must(t, http.StatusOK, dana.Token, "PUT", "/api/v1/me/presence", `{"presence":"online"}`, nil)
	answered := ta.newConversation(t, in).ConversationID
	waitAssignee(t, ta, answered, dana.ID)
	ta.must(t, http.StatusCreated, dana.Token, "POST", fmt.Sprintf("/api/v1/conversations/%d/messages", answered), `{"text":"Looking into it."}`, nil)
	unanswered := ta.newConversation(t, in).ConversationID
	waitAssignee(t, ta, unanswered, dana.ID)

	var m struct {
		ID       care.ID
		Disabled bool
	}
	ta.must(t, http.StatusOK, admin, "PATCH", userPath(dana.ID), `{"disabled":true}`, &m)
	if !m.Disabled {
		t.Fatalf("PATCH disabled answered %+v", m)
	}

	ta.call(t, dana.Token, "GET", "/api/v1/conversations", "").problem(t, http.StatusUnauthorized)
	ta.send(t, "GET", "/api/v1/session", "", session).problem(t, http.StatusUnauthorized)
	login().problem(t, http.StatusUnauthorized)

	if c, _ := ta.Store.Conversation(ctx, answered); c.AssigneeID != dana.ID {
		t.Errorf("the conversation Dana answered went to %d; it stays hers until a supervisor reassigns it", c.AssigneeID)
	}
	if c, _ := ta.Store.Conversation(ctx, unanswered); c.AssigneeID != 0 {
		t.Errorf("the conversation routed to Dana and never answered stayed with %d, want the queue", c.AssigneeID)
	}
	var agents struct{ Agents []care.Agent }
	ta.must(t, http.StatusOK, admin, "GET", "/api/v1/agents", "", &agents)
	if slices.ContainsFunc(agents.Agents, func(a care.Agent) bool { return a.UserID == dana.ID }) {
		t.Error("a disabled user is still listed as an agent")
	}
	later := ta.newConversation(t, in).ConversationID
	time.Sleep(200 * time.Millisecond)
	if c, _ := ta.Store.Conversation(ctx, later); c.AssigneeID == dana.ID {
		t.Error("routing gave a disabled user new work")
	}
	var users struct {
		Users []struct {
			ID       care.ID
			Disabled bool
		}
	}
	ta.must(t, http.StatusOK, admin, "GET", "/api/v1/users", "", &users)
	if !slices.ContainsFunc(users.Users, func(u struct {
		ID       care.ID
		Disabled bool
	}) bool {
		return u.ID == dana.ID && u.Disabled
	}) {
		t.Errorf("users = %+v, want Dana listed as disabled", users.Users)
	}
	var audit struct{ Entries []care.AuditEntry }
	ta.must(t, http.StatusOK, admin, "GET", "/api/v1/audit", "", &audit)
	if !slices.ContainsFunc(audit.Entries, func(e care.AuditEntry) bool {
		return e.Action == "user.disable" && e.Target == fmt.Sprintf("user:%d", dana.ID)
	}) {
		t.Error("disabling is not in the audit trail")
	}

	// Enabled: the token works again, the old session does not, and Dana
	// is offline until she says otherwise.
	ta.must(t, http.StatusOK, admin, "PATCH", userPath(dana.ID), `{"disabled":false}`, &m)
	if m.Disabled {
		t.Fatalf("PATCH enabled answered %+v", m)
	}
	ta.must(t, http.StatusOK, dana.Token, "GET", "/api/v1/conversations", "", nil)
	ta.send(t, "GET", "/api/v1/session", "", session).problem(t, http.StatusUnauthorized)
	if res := login(); res.status != http.StatusCreated {
		t.Errorf("login after enabling = %s", res)
	}
	ta.must(t, http.StatusOK, admin, "GET", "/api/v1/agents", "", &agents)
	for _, a := range agents.Agents {
		if a.UserID == dana.ID && a.Presence != care.PresenceOffline {
			t.Errorf("Dana came back %s, want offline", a.Presence)
		}
	}
}

// One account serves every workspace its user belongs to: only an admin of
// all of them may turn it off, and it may leave none of them without an
// enabled admin.
func TestDisableAcrossWorkspaces(t *testing.T) {
	ta := startApp(t)
	ctx := context.Background()
	ws2 := &care.Workspace{Slug: "second", Name: "Second brand", CreatedAt: time.Now()}
	if err := ta.Store.CreateWorkspace(ctx, ws2); err != nil {
		t.Fatal(err)
	}
	admin := ta.person(t, workspace1, "Ada", care.RoleAdmin)
	shared := ta.person(t, workspace1, "Sam", care.RoleAgent)
	if err := ta.Store.SetMember(ctx, care.Member{WorkspaceID: ws2.ID, UserID: shared.ID, Role: care.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	pr := ta.call(t, admin.Token, "PATCH", userPath(shared.ID), `{"disabled":true}`).problem(t, http.StatusForbidden)
	if !strings.Contains(pr.Detail, "not an admin of") {
		t.Errorf("detail = %q", pr.Detail)
	}
	ta.call(t, ta.token(t, workspace1, care.RoleAdmin), "PATCH", userPath(shared.ID), `{"disabled":true}`).problem(t, http.StatusForbidden)
	if u, _ := ta.Store.User(ctx, shared.ID); u.Disabled {
		t.Fatal("a refused PATCH disabled the account")
	}
	// An admin of both may.
	if err := ta.Store.SetMember(ctx, care.Member{WorkspaceID: ws2.ID, UserID: admin.ID, Role: care.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	ta.must(t, http.StatusOK, admin.Token, "PATCH", userPath(shared.ID), `{"disabled":true}`, nil)
	ta.must(t, http.StatusOK, admin.Token, "PATCH", userPath(shared.ID), `{"disabled":false}`, nil)
	// Changing the role here alone touches nothing elsewhere: no such check.
	if err := ta.Store.SetMember(ctx, care.Member{WorkspaceID: ws2.ID, UserID: admin.ID, Role: care.RoleAgent}); err != nil {
		t.Fatal(err)
	}
	ta.must(t, http.StatusOK, admin.Token, "PATCH", userPath(shared.ID), `{"role":"supervisor"}`, nil)
}

// waitAssignee waits for routing to give conversation id to user.
func waitAssignee(t *testing.T, ta *testApp, id, user care.ID) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := ta.Store.Conversation(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if c.AssigneeID == user {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("conversation %d is assigned to %d, want %d", id, c.AssigneeID, user)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// An event stream already open ends soon after its reader's account is
// disabled, rather than streaming the workspace until its age runs out.
func TestStreamEndsWhenDisabled(t *testing.T) {
	ta := startAppWith(t, func(c *config.Config) { c.StreamRecheck = 20 * time.Millisecond })
	admin := ta.token(t, workspace1, care.RoleAdmin)
	dana := ta.person(t, workspace1, "Dana", care.RoleAgent)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", ta.base+"/api/v1/events", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+dana.Token)
	resp, err := ta.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/events = %d", resp.StatusCode)
	}
	ended := make(chan struct{})
	go func() {
		io.Copy(io.Discard, resp.Body)
		close(ended)
	}()
	select {
	case <-ended:
		t.Fatal("the stream ended while its reader could still read it")
	case <-time.After(200 * time.Millisecond): // ten rechecks
	}
	ta.must(t, http.StatusOK, admin, "PATCH", userPath(dana.ID), `{"disabled":true}`, nil)
	select {
	case <-ended:
	case <-ctx.Done():
		t.Fatal("the stream of a disabled account is still open")
	}
}

// A person's token acts with the role they hold now: demoted, their admin
// token is an agent's.
func TestTokenFollowsRole(t *testing.T) {
	ta := startApp(t)
	admin := ta.token(t, workspace1, care.RoleAdmin)
	sam := ta.person(t, workspace1, "Sam", care.RoleAdmin)

	ta.must(t, http.StatusOK, sam.Token, "GET", "/api/v1/tokens", "", nil)
	ta.must(t, http.StatusOK, admin, "PATCH", userPath(sam.ID), `{"role":"agent"}`, nil)
	ta.call(t, sam.Token, "GET", "/api/v1/tokens", "").problem(t, http.StatusForbidden)
	ta.call(t, sam.Token, "POST", "/api/v1/tokens", `{"name":"escape","role":"admin"}`).problem(t, http.StatusForbidden)
	ta.must(t, http.StatusOK, sam.Token, "GET", "/api/v1/conversations", "", nil)

	// Promoted again, the token regains what it was made with, never more.
	ta.must(t, http.StatusOK, admin, "PATCH", userPath(sam.ID), `{"role":"admin"}`, nil)
	ta.must(t, http.StatusOK, sam.Token, "GET", "/api/v1/tokens", "", nil)
}
