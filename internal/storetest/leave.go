package storetest

import (
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

func testUserSessions(t *testing.T, open opener) {
	tests := []struct {
		name    string
		keep    []byte
		wantN   int
		survive []string
	}{
		{"All", nil, 3, []string{"other-user"}},
		{"AllButOne", []byte("b"), 2, []string{"b", "other-user"}},
		{"KeepUnknown", []byte("nope"), 3, []string{"other-user"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ctx := open(t), t.Context()
			u, other := mustUser(t, s, "ada@example.com"), mustUser(t, s, "bob@example.com")
			for _, h := range []string{"a", "b", "c"} {
				must(t, s.CreateSession(ctx, &care.Session{Hash: []byte(h), UserID: u.ID, CSRF: h, CreatedAt: at(0), ExpiresAt: at(time.Hour)}), "CreateSession(%s)", h)
			}
			must(t, s.CreateSession(ctx, &care.Session{Hash: []byte("other-user"), UserID: other.ID, CSRF: "o", CreatedAt: at(0), ExpiresAt: at(time.Hour)}), "CreateSession(other)")
			n, err := s.DeleteUserSessions(ctx, u.ID, tt.keep)
			must(t, err, "DeleteUserSessions")
			if n != tt.wantN {
				t.Errorf("DeleteUserSessions(%q) = %d, want %d", tt.keep, n, tt.wantN)
			}
			for _, h := range []string{"a", "b", "c", "other-user"} {
				_, err := s.SessionByHash(ctx, []byte(h))
				alive := err == nil
				want := false
				for _, k := range tt.survive {
					want = want || k == h
				}
				if alive != want {
					t.Errorf("session %s alive = %v, want %v (err %v)", h, alive, want, err)
				}
			}
		})
	}
}

func testDeleteMember(t *testing.T, open opener) {
	t.Run("LeavesTheRest", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws, other := mustWorkspace(t, s, "acme"), mustWorkspace(t, s, "other")
		u, stays := mustUser(t, s, "ada@example.com"), mustUser(t, s, "bob@example.com")
		for _, m := range []care.Member{
			{WorkspaceID: ws.ID, UserID: u.ID, Role: care.RoleAgent},
			{WorkspaceID: other.ID, UserID: u.ID, Role: care.RoleAdmin},
			{WorkspaceID: ws.ID, UserID: stays.ID, Role: care.RoleAdmin},
		} {
			must(t, s.SetMember(ctx, m), "SetMember")
		}
		team, otherTeam := mustTeam(t, s, ws, "Billing"), mustTeam(t, s, other, "Care")
		must(t, s.SetTeamMembers(ctx, team.ID, []care.ID{u.ID, stays.ID}), "SetTeamMembers")
		must(t, s.SetTeamMembers(ctx, otherTeam.ID, []care.ID{u.ID}), "SetTeamMembers(other)")
		tokens := map[string]*care.Token{
			"gone":        {WorkspaceID: ws.ID, UserID: u.ID, Name: "mine", Role: care.RoleAgent, Hash: []byte("gone"), CreatedAt: at(0)},
			"elsewhere":   {WorkspaceID: other.ID, UserID: u.ID, Name: "mine there", Role: care.RoleAgent, Hash: []byte("elsewhere"), CreatedAt: at(0)},
			"colleague":   {WorkspaceID: ws.ID, UserID: stays.ID, Name: "theirs", Role: care.RoleAgent, Hash: []byte("colleague"), CreatedAt: at(0)},
			"integration": {WorkspaceID: ws.ID, Name: "crm", Role: care.RoleAgent, Hash: []byte("integration"), CreatedAt: at(0)},
		}
		for name, tok := range tokens {
			must(t, s.CreateToken(ctx, tok), "CreateToken(%s)", name)
		}

		must(t, s.DeleteMember(ctx, ws.ID, u.ID), "DeleteMember")

		_, err := s.Member(ctx, ws.ID, u.ID)
		wantCode(t, err, care.ENOTFOUND, "Member(removed)")
		ms, err := s.Memberships(ctx, u.ID)
		must(t, err, "Memberships")
		if d := diff([]care.Member{{WorkspaceID: other.ID, UserID: u.ID, Role: care.RoleAdmin}}, ms); d != "" {
			t.Errorf("Memberships() mismatch (-want +got):\n%s", d)
		}
		if _, err := s.User(ctx, u.ID); err != nil {
			t.Errorf("User(removed member): %v; the account stays", err)
		}
		for id, want := range map[care.ID][]care.ID{team.ID: {stays.ID}, otherTeam.ID: {u.ID}} {
			got, err := s.Team(ctx, id)
			must(t, err, "Team(%d)", id)
			if d := diff(want, got.MemberIDs); d != "" {
				t.Errorf("Team(%d).MemberIDs mismatch (-want +got):\n%s", id, d)
			}
		}
		for name, tok := range tokens {
			_, err := s.TokenByHash(ctx, tok.Hash)
			if name == "gone" {
				wantCode(t, err, care.ENOTFOUND, "TokenByHash(%s)", name)
			} else if err != nil {
				t.Errorf("TokenByHash(%s): %v", name, err)
			}
		}
	})

	t.Run("NotAMember", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws := mustWorkspace(t, s, "acme")
		u := mustUser(t, s, "ada@example.com")
		wantCode(t, s.DeleteMember(ctx, ws.ID, u.ID), care.ENOTFOUND, "DeleteMember(not a member)")
	})
}
