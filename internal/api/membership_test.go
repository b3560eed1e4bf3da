package api_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/accounts"
	"github.com/parleyhq/parley/internal/api"
	"github.com/parleyhq/parley/internal/care"
)

// browser is a signed-in browser: the cookies the sign-in set, sent back
// as a browser sends them.
type browser struct {
	cookies     []*http.Cookie
	workspaceID care.ID
	csrf        string
}

// signIn signs in over the API, sending the cookies of before (nil for a
// fresh browser) as a returning browser would.
func (ta *testApp) signIn(t *testing.T, email, password string, before *browser) *browser {
	t.Helper()
	h := http.Header{}
	if before != nil {
		h = before.header()
	}
	res := ta.send(t, "POST", "/api/v1/session", jsonBody(map[string]string{"email": email, "password": password}), h)
	if res.status != http.StatusCreated {
		t.Fatalf("sign in %s = %s", email, res)
	}
	var sess struct {
		WorkspaceID care.ID `json:"workspace_id"`
		CSRFToken   string  `json:"csrf_token"`
	}
	res.decode(t, &sess)
	b := &browser{workspaceID: sess.WorkspaceID, csrf: sess.CSRFToken}
	if before != nil {
		b.cookies = slices.Clone(before.cookies)
	}
	for _, c := range (&http.Response{Header: res.header}).Cookies() {
		b.set(c)
	}
	return b
}

func (b *browser) set(c *http.Cookie) {
	for i, old := range b.cookies {
		if old.Name == c.Name {
			b.cookies[i] = c
			return
		}
	}
	b.cookies = append(b.cookies, c)
}

func (b *browser) header() http.Header {
	var parts []string
	for _, c := range b.cookies {
		if c.MaxAge >= 0 {
			parts = append(parts, c.Name+"="+c.Value)
		}
	}
	h := http.Header{"Cookie": {strings.Join(parts, "; ")}}
	if b.csrf != "" {
		h.Set(api.CSRFHeader, b.csrf)
	}
	return h
}

// sessionWorkspace is the workspace b's session acts in now.
func (ta *testApp) sessionWorkspace(t *testing.T, b *browser) care.ID {
	t.Helper()
	res := ta.send(t, "GET", "/api/v1/session", "", b.header())
	if res.status != http.StatusOK {
		t.Fatalf("GET /api/v1/session = %s", res)
	}
	var sess struct {
		WorkspaceID care.ID `json:"workspace_id"`
	}
	res.decode(t, &sess)
	return sess.WorkspaceID
}

// newBrand creates a second workspace with an admin of its own.
func (ta *testApp) newBrand(t *testing.T, slug string) (*care.Workspace, *care.User) {
	t.Helper()
	ctx := context.Background()
	ws := &care.Workspace{Slug: slug, Name: "Brand " + slug, CreatedAt: time.Now()}
	if err := ta.Store.CreateWorkspace(ctx, ws); err != nil {
		t.Fatal(err)
	}
	boss, _, err := accounts.CreateUser(ctx, ta.Store, ws.ID, "boss@"+slug+".test", "Real Name Of "+slug+" Admin", care.RoleAdmin, testPassword, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return ws, boss
}

// An admin of one workspace cannot pull a person of another workspace
// into theirs by their address: the answer is 403, naming the operator's
// command, and nothing of the account (no id, no name); the person's
// memberships and the workspace they sign in to stay as they were.
func TestAddMemberOfAnotherWorkspace(t *testing.T) {
	ta := startApp(t)
	ctx := context.Background()
	brandB, boss := ta.newBrand(t, "brand-b")
	if before := ta.signIn(t, boss.Email, testPassword, nil); before.workspaceID != brandB.ID {
		t.Fatalf("before: session workspace %d, want %d", before.workspaceID, brandB.ID)
	}

	adminA := ta.token(t, workspace1, care.RoleAdmin)
	res := ta.call(t, adminA, "POST", "/api/v1/users", `{"email":"Boss@Brand-B.test","name":"x","role":"agent"}`)
	pr := res.problem(t, http.StatusForbidden)
	for _, want := range []string{"another workspace", "parley user create --email boss@brand-b.test", "--workspace default"} {
		if !strings.Contains(pr.Detail, want) {
			t.Errorf("refusal %q does not say %q", pr.Detail, want)
		}
	}
	for _, leak := range []string{boss.Name, fmt.Sprintf(`"id":%d`, boss.ID), `"user"`} {
		if strings.Contains(string(res.body), leak) {
			t.Errorf("refusal %s reveals %q", res, leak)
		}
	}
	ms, err := ta.Store.Memberships(ctx, boss.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || ms[0].WorkspaceID != brandB.ID {
		t.Errorf("memberships after the refusal = %+v, want only workspace %d", ms, brandB.ID)
	}
	if after := ta.signIn(t, boss.Email, testPassword, nil); after.workspaceID != brandB.ID {
		t.Errorf("after: session workspace %d, want %d", after.workspaceID, brandB.ID)
	}

	// A person's token cannot either, unless they are an admin of every
	// workspace the account belongs to.
	alex := ta.person(t, workspace1, "Alex", care.RoleAdmin)
	ta.call(t, alex.Token, "POST", "/api/v1/users", `{"email":"boss@brand-b.test","name":"x","role":"agent"}`).problem(t, http.StatusForbidden)
	if err := ta.Store.SetMember(ctx, care.Member{WorkspaceID: brandB.ID, UserID: alex.ID, Role: care.RoleAgent}); err != nil {
		t.Fatal(err)
	}
	ta.call(t, alex.Token, "POST", "/api/v1/users", `{"email":"boss@brand-b.test","name":"x","role":"agent"}`).problem(t, http.StatusForbidden)
	if err := ta.Store.SetMember(ctx, care.Member{WorkspaceID: brandB.ID, UserID: alex.ID, Role: care.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	var added struct {
		User struct {
			ID   care.ID   `json:"id"`
			Role care.Role `json:"role"`
		} `json:"user"`
		Password string `json:"password"`
	}
	ta.must(t, http.StatusCreated, alex.Token, "POST", "/api/v1/users", `{"email":"boss@brand-b.test","name":"x","role":"agent"}`, &added)
	if added.User.ID != boss.ID || added.User.Role != care.RoleAgent || added.Password != "" {
		t.Errorf("added by an admin of both = %+v, want the account as an agent, no password", added)
	}

	// The operator adds anyone, as before.
	ta.newBrand(t, "brand-c")
	u, pw, err := accounts.CreateUser(ctx, ta.Store, workspace1, "boss@brand-c.test", "x", care.RoleAgent, "", time.Now())
	if err != nil || pw != "" {
		t.Fatalf("operator: %+v, %q, %v", u, pw, err)
	}
}

// A session goes on acting in the workspace it started in when its user
// is added to another one, even one with a lower id; and a browser signing
// in again comes back to the workspace it last acted in.
func TestSessionKeepsItsWorkspace(t *testing.T) {
	ta := startApp(t)
	ctx := context.Background()
	brandB, boss := ta.newBrand(t, "brand-b")
	b := ta.signIn(t, boss.Email, testPassword, nil)
	if b.workspaceID != brandB.ID {
		t.Fatalf("signed in to %d, want %d", b.workspaceID, brandB.ID)
	}

	// The operator adds them to workspace 1, whose id is lower.
	if _, _, err := accounts.CreateUser(ctx, ta.Store, workspace1, boss.Email, "x", care.RoleAgent, "", time.Now()); err != nil {
		t.Fatal(err)
	}
	if got := ta.sessionWorkspace(t, b); got != brandB.ID {
		t.Errorf("existing session acts in %d after a new membership, want %d", got, brandB.ID)
	}
	if again := ta.signIn(t, boss.Email, testPassword, b); again.workspaceID != brandB.ID {
		t.Errorf("the same browser signed in again to %d, want %d", again.workspaceID, brandB.ID)
	}

	// The header still chooses, per request, among their memberships.
	h := b.header()
	h.Set(api.WorkspaceHeader, "1")
	if res := ta.send(t, "GET", "/api/v1/session", "", h); res.status != http.StatusOK || !strings.Contains(string(res.body), `"workspace_id":1`) {
		t.Errorf("with %s: 1 = %s", api.WorkspaceHeader, res)
	}

	tests := []struct {
		name, cookie string
		want         care.ID
	}{
		// Not theirs, or no number: the first membership, as without one.
		{"not a member", "999", workspace1},
		{"garbage", "x", workspace1},
		{"theirs", fmt.Sprint(brandB.ID), brandB.ID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forged := &browser{csrf: b.csrf}
			for _, c := range b.cookies {
				if c.Name == api.SessionCookie {
					forged.set(c)
				}
			}
			forged.set(&http.Cookie{Name: api.WorkspaceCookie, Value: tt.cookie})
			if got := ta.sessionWorkspace(t, forged); got != tt.want {
				t.Errorf("workspace cookie %q: session acts in %d, want %d", tt.cookie, got, tt.want)
			}
		})
	}

	// Signed out, the browser keeps the workspace for its next sign-in.
	res := ta.send(t, "DELETE", "/api/v1/session", "", b.header())
	if res.status != http.StatusNoContent {
		t.Fatalf("sign out = %s", res)
	}
	if again := ta.signIn(t, boss.Email, testPassword, b); again.workspaceID != brandB.ID {
		t.Errorf("signed in again after signing out to %d, want %d", again.workspaceID, brandB.ID)
	}
	// A fresh browser starts in the first workspace.
	if fresh := ta.signIn(t, boss.Email, testPassword, nil); fresh.workspaceID != workspace1 {
		t.Errorf("a fresh browser signed in to %d, want %d", fresh.workspaceID, workspace1)
	}
}

// An admin removes a member from the workspace: the membership, their
// teams there and their tokens for it go, the account and its other
// workspaces stay; the last admin and oneself are refused; it is audited.
func TestRemoveMember(t *testing.T) {
	ta := startApp(t)
	ctx := context.Background()
	admin := ta.token(t, workspace1, care.RoleAdmin)
	dana := ta.person(t, workspace1, "Dana", care.RoleAgent)
	brandB, _ := ta.newBrand(t, "brand-b")
	if err := ta.Store.SetMember(ctx, care.Member{WorkspaceID: brandB.ID, UserID: dana.ID, Role: care.RoleSupervisor}); err != nil {
		t.Fatal(err)
	}
	var team struct {
		ID care.ID `json:"id"`
	}
	ta.must(t, http.StatusCreated, admin, "POST", "/api/v1/teams", jsonBody(map[string]any{"name": "Billing", "member_ids": []care.ID{dana.ID}}), &team)

	ta.must(t, http.StatusNoContent, admin, "DELETE", userPath(dana.ID), "", nil)

	var users struct {
		Users []struct {
			ID care.ID `json:"id"`
		} `json:"users"`
	}
	ta.must(t, http.StatusOK, admin, "GET", "/api/v1/users", "", &users)
	for _, u := range users.Users {
		if u.ID == dana.ID {
			t.Errorf("GET /api/v1/users still lists %d", dana.ID)
		}
	}
	ta.call(t, dana.Token, "GET", "/api/v1/session", "").problem(t, http.StatusUnauthorized)
	tm, err := ta.Store.Team(ctx, team.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(tm.MemberIDs) != 0 {
		t.Errorf("team members after removal = %v", tm.MemberIDs)
	}
	if b := ta.signIn(t, dana.Email, testPassword, nil); b.workspaceID != brandB.ID {
		t.Errorf("removed member signs in to %d, want their other workspace %d", b.workspaceID, brandB.ID)
	}
	entries, err := ta.Store.Audit(ctx, workspace1, fmt.Sprintf("user:%d", dana.ID), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 || entries[0].Action != "user.remove" {
		t.Errorf("audit = %+v, want user.remove first", entries)
	}

	ta.call(t, admin, "DELETE", userPath(dana.ID), "").problem(t, http.StatusNotFound)
	pr := ta.call(t, admin, "DELETE", userPath(ta.firstAdmin(t)), "").problem(t, http.StatusConflict)
	if !strings.Contains(pr.Detail, "last enabled admin") {
		t.Errorf("last admin detail = %q", pr.Detail)
	}
	second := ta.person(t, workspace1, "Second", care.RoleAdmin)
	ta.call(t, second.Token, "DELETE", userPath(second.ID), "").problem(t, http.StatusBadRequest)
	ta.call(t, ta.token(t, workspace1, care.RoleSupervisor), "DELETE", userPath(second.ID), "").problem(t, http.StatusForbidden)
	// With another admin there, the first one may go.
	ta.must(t, http.StatusNoContent, second.Token, "DELETE", userPath(ta.firstAdmin(t)), "", nil)
}

// Changing one's password signs out every other session of one's own,
// and keeps the session that changed it.
func TestChangePasswordEndsOtherSessions(t *testing.T) {
	ta := startApp(t)
	dana := ta.person(t, workspace1, "Dana", care.RoleAgent)
	erin := ta.person(t, workspace1, "Erin", care.RoleAgent)
	mine := ta.signIn(t, dana.Email, testPassword, nil)
	stolen := ta.signIn(t, dana.Email, testPassword, nil)
	colleague := ta.signIn(t, erin.Email, testPassword, nil)

	res := ta.send(t, "PUT", "/api/v1/me/password", `{"current_password":"correct horse battery","new_password":"a new password 2"}`, mine.header())
	if res.status != http.StatusNoContent {
		t.Fatalf("change password = %s", res)
	}
	for _, tt := range []struct {
		name string
		b    *browser
		want int
	}{
		{"this session", mine, http.StatusOK},
		{"another session", stolen, http.StatusUnauthorized},
		{"someone else's", colleague, http.StatusOK},
	} {
		if res := ta.send(t, "GET", "/api/v1/session", "", tt.b.header()); res.status != tt.want {
			t.Errorf("%s after the change = %s, want %d", tt.name, res, tt.want)
		}
	}
}

// Only admins see an inbox's webhook URL; members of a partner team do
// not see its platform account id either.
func TestInboxSetupForAdminsOnly(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	in, err := w.Store.Inbox(ctx, w.inbox.ID)
	if err != nil {
		t.Fatal(err)
	}
	in.WebhookURL, in.ExternalID = "https://crm.internal.example/hooks/parley", "ext-42"
	if err := w.Store.UpdateInbox(ctx, in); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name            string
		token           string
		webhook, extern bool
	}{
		{"admin", w.admin, true, true},
		{"supervisor", w.supervisor, false, true},
		{"agent", w.agent, false, true},
		{"partner agent", w.partnerAgent(t), false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, path := range []string{"/api/v1/inboxes", fmt.Sprintf("/api/v1/inboxes/%d", w.inbox.ID)} {
				body := string(w.must(t, http.StatusOK, tt.token, "GET", path, "", nil).body)
				if got := strings.Contains(body, "crm.internal.example"); got != tt.webhook {
					t.Errorf("GET %s shows the webhook URL: %v, want %v (%s)", path, got, tt.webhook, body)
				}
				if got := strings.Contains(body, "ext-42"); got != tt.extern {
					t.Errorf("GET %s shows the external id: %v, want %v (%s)", path, got, tt.extern, body)
				}
			}
		})
	}
}
