package accounts_test

import (
	"context"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/accounts"
	"github.com/parleyhq/parley/internal/auth"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/testdb"
)

func TestCreateUser(t *testing.T) {
	ctx := context.Background()
	s := testdb.SQLite(t)
	now := time.Now()
	ws1, ws2 := &care.Workspace{Slug: "a", Name: "A"}, &care.Workspace{Slug: "b", Name: "B"}
	s.CreateWorkspace(ctx, ws1)
	s.CreateWorkspace(ctx, ws2)

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
