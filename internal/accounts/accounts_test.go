package accounts_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/accounts"
	"github.com/parleyhq/parley/internal/auth"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/testdb"
)

func TestCreateUser(t *testing.T) {
	ctx, s, ws1, ws2 := twoWorkspaces(t)
	now := time.Now()

	u, pw, err := accounts.CreateUser(ctx, s, ws1.ID, " Sam@Example.COM ", "Sam", care.RoleAgent, "", now)
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "sam@example.com" || pw == "" {
		t.Errorf("CreateUser = %q, password %q; want lower-cased email and a generated password", u.Email, pw)
	}
	if ok, _ := auth.VerifyPassword(u.PasswordHash, pw); !ok {
		t.Error("the generated password does not verify")
	}

	bad := []struct {
		name, email, uname, pw string
		role                   care.Role
	}{
		{"not an email", "sam", "Sam", "", care.RoleAgent},
		{"display form", "Sam <sam@example.com>", "Sam", "", care.RoleAgent},
		{"no name", "x@example.com", " ", "", care.RoleAgent},
		{"bad role", "x@example.com", "X", "", "owner"},
		{"weak password", "x@example.com", "X", "short", care.RoleAgent},
		{"already a member", "sam@example.com", "Sam", "", care.RoleAgent},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := accounts.CreateUser(ctx, s, ws1.ID, tt.email, tt.uname, tt.role, tt.pw, now)
			if code := care.ErrorCode(err); code != care.EINVALID && code != care.ECONFLICT {
				t.Errorf("CreateUser = %v, want a validation error", err)
			}
		})
	}

	// The same person joins a second workspace: one account, two memberships,
	// and no new password (they keep theirs).
	u2, pw2, err := accounts.CreateUser(ctx, s, ws2.ID, "sam@example.com", "Sam", care.RoleSupervisor, "", now)
	if err != nil || u2.ID != u.ID || pw2 != "" {
		t.Fatalf("second workspace: %+v, %q, %v", u2, pw2, err)
	}
	ms, _ := s.Memberships(ctx, u.ID)
	if len(ms) != 2 || ms[1].Role != care.RoleSupervisor {
		t.Errorf("memberships = %+v", ms)
	}
}

func TestCreateToken(t *testing.T) {
	ctx := context.Background()
	s := testdb.SQLite(t)
	ws := &care.Workspace{Slug: "a", Name: "A"}
	s.CreateWorkspace(ctx, ws)
	tok, secret, err := accounts.CreateToken(ctx, s, ws.ID, 0, "ci", care.RoleAdmin, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.TokenByHash(ctx, auth.HashToken(secret))
	if err != nil || got.ID != tok.ID || got.Role != care.RoleAdmin {
		t.Fatalf("TokenByHash(secret) = %+v, %v", got, err)
	}
	for _, tt := range []struct {
		name string
		role care.Role
	}{{"", care.RoleAdmin}, {"x", "root"}} {
		if _, _, err := accounts.CreateToken(ctx, s, ws.ID, 0, tt.name, tt.role, time.Now()); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("CreateToken(%q, %q) = %v, want EINVALID", tt.name, tt.role, err)
		}
	}
}

// An admin adds an address that already has an account only when they
// are an admin of every workspace it belongs to; the refusal names the
// operator's command and nothing of the account.
func TestAddMember(t *testing.T) {
	ctx, s, a, b := twoWorkspaces(t)
	now := time.Now()
	boss, _, err := accounts.CreateUser(ctx, s, b.ID, "boss@b.test", "Boss Of B", care.RoleAdmin, "", now)
	if err != nil {
		t.Fatal(err)
	}
	adminA, _, err := accounts.CreateUser(ctx, s, a.ID, "admin@a.test", "Admin Of A", care.RoleAdmin, "", now)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		p        care.Principal
		roleInB  care.Role // adminA's role in B, "" for none
		wantCode string
	}{
		{"token of A", care.Principal{WorkspaceID: a.ID, Role: care.RoleAdmin}, "", care.EFORBIDDEN},
		{"admin of A only", care.Principal{WorkspaceID: a.ID, UserID: adminA.ID, Role: care.RoleAdmin}, "", care.EFORBIDDEN},
		{"agent in B", care.Principal{WorkspaceID: a.ID, UserID: adminA.ID, Role: care.RoleAdmin}, care.RoleAgent, care.EFORBIDDEN},
		{"admin of both", care.Principal{WorkspaceID: a.ID, UserID: adminA.ID, Role: care.RoleAdmin}, care.RoleAdmin, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.roleInB != "" {
				if err := s.SetMember(ctx, care.Member{WorkspaceID: b.ID, UserID: adminA.ID, Role: tt.roleInB}); err != nil {
					t.Fatal(err)
				}
			}
			u, pw, err := accounts.AddMember(ctx, s, tt.p, "BOSS@b.test", "Someone", care.RoleAgent, "", now)
			if code := care.ErrorCode(err); code != tt.wantCode {
				t.Fatalf("AddMember = %v, want code %q", err, tt.wantCode)
			}
			if tt.wantCode != "" {
				msg := err.Error()
				if strings.Contains(msg, boss.Name) || !strings.Contains(msg, "parley user create --email boss@b.test --name NAME --role agent --workspace a") {
					t.Errorf("refusal = %q", msg)
				}
				if _, err := s.Member(ctx, a.ID, boss.ID); care.ErrorCode(err) != care.ENOTFOUND {
					t.Errorf("refused, yet a member: %v", err)
				}
				return
			}
			if u.ID != boss.ID || pw != "" {
				t.Errorf("AddMember = %+v, %q; want the account, no password", u, pw)
			}
		})
	}
	// A new address is created as ever, by a token too.
	if _, pw, err := accounts.AddMember(ctx, s, care.Principal{WorkspaceID: a.ID, Role: care.RoleAdmin}, "new@a.test", "New", care.RoleAgent, "", now); err != nil || pw == "" {
		t.Errorf("AddMember(new address) = %q, %v", pw, err)
	}
}

// A password reset ends every session of the user, and only theirs.
func TestSetPasswordEndsSessions(t *testing.T) {
	ctx := context.Background()
	s := testdb.SQLite(t)
	ws := &care.Workspace{Slug: "a", Name: "A"}
	s.CreateWorkspace(ctx, ws)
	now := time.Now()
	u, _, err := accounts.CreateUser(ctx, s, ws.ID, "sam@example.com", "Sam", care.RoleAdmin, "", now)
	if err != nil {
		t.Fatal(err)
	}
	other, _, err := accounts.CreateUser(ctx, s, ws.ID, "kim@example.com", "Kim", care.RoleAgent, "", now)
	if err != nil {
		t.Fatal(err)
	}
	sessions := map[string]care.ID{"sam-1": u.ID, "sam-2": u.ID, "kim": other.ID}
	for h, id := range sessions {
		if err := s.CreateSession(ctx, &care.Session{Hash: []byte(h), UserID: id, CSRF: h, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, pw, err := accounts.SetPassword(ctx, s, "Sam@example.com", ""); err != nil || pw == "" {
		t.Fatalf("SetPassword = %q, %v", pw, err)
	}
	for h, id := range sessions {
		_, err := s.SessionByHash(ctx, []byte(h))
		if alive, want := err == nil, id != u.ID; alive != want {
			t.Errorf("session %s alive = %v, want %v", h, alive, want)
		}
	}
}

// twoWorkspaces opens a fresh store holding workspaces "a" and "b".
func twoWorkspaces(t *testing.T) (context.Context, care.Store, *care.Workspace, *care.Workspace) {
	t.Helper()
	ctx := context.Background()
	s := testdb.SQLite(t)
	a, b := &care.Workspace{Slug: "a", Name: "A"}, &care.Workspace{Slug: "b", Name: "B"}
	for _, ws := range []*care.Workspace{a, b} {
		if err := s.CreateWorkspace(ctx, ws); err != nil {
			t.Fatal(err)
		}
	}
	return ctx, s, a, b
}
