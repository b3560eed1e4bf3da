package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/accounts"
	"github.com/parleyhq/parley/internal/care"
)

// The People page's add form cannot pull a person of another workspace
// into this one by their address: refused with the operator's command,
// nothing of their account shown, no membership made.
func TestPeopleAddFromAnotherWorkspace(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	boss, _, err := accounts.CreateUser(ctx, f.store, f.other.ID, "boss@globex.test", "Real Name Of Globex Boss", care.RoleAdmin, password, f.now)
	if err != nil {
		t.Fatal(err)
	}
	c := f.loginAs(f.user("root@acme.test", "Root Admin", care.RoleAdmin))
	res, body := c.act("/people/users", url.Values{"name": {"Whoever"}, "email": {"boss@globex.test"}, "role": {"agent"}})
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("adding another workspace's person = %d, want 403", res.StatusCode)
	}
	for _, want := range []string{"has an account in another workspace", "parley user create --email boss@globex.test", "--workspace acme", `value="Whoever"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the refusal lacks %q", want)
		}
	}
	if strings.Contains(body, boss.Name) || strings.Contains(body, "already had a Parley account") {
		t.Error("the refusal shows the existing account")
	}
	if _, err := f.store.Member(ctx, f.ws.ID, boss.ID); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("Member(acme, boss) = %v, want ENOTFOUND", err)
	}
}

// A browser's session stays in the workspace it signed in to when its
// user is added to another workspace, even one with a lower id.
func TestSessionKeepsItsWorkspace(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	kim, _, err := accounts.CreateUser(ctx, f.store, f.other.ID, "kim@globex.test", "Kim", care.RoleAgent, password, f.now)
	if err != nil {
		t.Fatal(err)
	}
	c := f.loginAs(kim)
	shows := func(when string) {
		t.Helper()
		_, body := c.get("/")
		if !strings.Contains(body, "Globex form") || strings.Contains(body, "Web form") {
			t.Errorf("%s: the inbox is not Globex's", when)
		}
	}
	shows("before")
	if _, _, err := accounts.CreateUser(ctx, f.store, f.ws.ID, kim.Email, "Kim", care.RoleAgent, "", f.now); err != nil {
		t.Fatal(err)
	}
	shows("after a membership in a lower workspace")

	// Signed out and in again, the browser comes back to Globex.
	if res, _ := c.act("/logout", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /logout = %d", res.StatusCode)
	}
	if res, _ := c.post("/login", url.Values{"email": {kim.Email}, "password": {password}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /login = %d", res.StatusCode)
	}
	shows("signed in again")
}
