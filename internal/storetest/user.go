package storetest

import (
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

func testUsers(t *testing.T, open opener) {
	t.Run("CreateAndGet", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		n, err := s.CountUsers(ctx)
		must(t, err, "CountUsers")
		if n != 0 {
			t.Errorf("CountUsers() on a fresh store = %d, want 0", n)
		}
		u := &care.User{Email: "ada@example.com", Name: "Ada Lovelace", PasswordHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", CreatedAt: at(0), Disabled: true}
		must(t, s.CreateUser(ctx, u), "CreateUser")
		if u.ID == 0 {
			t.Fatal("CreateUser did not assign an ID")
		}
		want := &care.User{ID: u.ID, Email: "ada@example.com", Name: "Ada Lovelace", PasswordHash: u.PasswordHash, CreatedAt: micro(at(0)), Disabled: true}
		got, err := s.User(ctx, u.ID)
		must(t, err, "User(%d)", u.ID)
		if d := diff(want, got); d != "" {
			t.Errorf("User(%d) mismatch (-want +got):\n%s", u.ID, d)
		}
		checkUTC(t, "User.CreatedAt", got.CreatedAt)

		mustUser(t, s, "grace@example.com")
		n, err = s.CountUsers(ctx)
		must(t, err, "CountUsers")
		if n != 2 {
			t.Errorf("CountUsers() = %d, want 2", n)
		}
	})

	t.Run("ByEmail", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		mustUser(t, s, "ada@example.com")
		// The contract leaves case folding to the adapter: look up with the
		// very string the user was created with.
		u := mustUser(t, s, "Grace.Hopper@Example.com")
		got, err := s.UserByEmail(ctx, "Grace.Hopper@Example.com")
		must(t, err, "UserByEmail")
		if got.ID != u.ID {
			t.Errorf("UserByEmail(%q).ID = %d, want %d", "Grace.Hopper@Example.com", got.ID, u.ID)
		}
		_, err = s.UserByEmail(ctx, "nobody@example.com")
		wantCode(t, err, care.ENOTFOUND, "UserByEmail(missing)")
	})

	t.Run("DuplicateEmail", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		mustUser(t, s, "ada@example.com")
		err := s.CreateUser(ctx, &care.User{Email: "ada@example.com", Name: "Impostor", CreatedAt: at(0)})
		wantCode(t, err, care.ECONFLICT, "CreateUser(duplicate email)")
		n, err := s.CountUsers(ctx)
		must(t, err, "CountUsers")
		if n != 1 {
			t.Errorf("CountUsers() after a conflict = %d, want 1", n)
		}
	})

	t.Run("SetPassword", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		u := mustUser(t, s, "ada@example.com")
		other := mustUser(t, s, "grace@example.com")
		must(t, s.SetPassword(ctx, u.ID, "new-hash"), "SetPassword")
		got, err := s.User(ctx, u.ID)
		must(t, err, "User")
		if got.PasswordHash != "new-hash" {
			t.Errorf("User(%d).PasswordHash = %q, want %q", u.ID, got.PasswordHash, "new-hash")
		}
		got, err = s.User(ctx, other.ID)
		must(t, err, "User")
		if got.PasswordHash != "" {
			t.Errorf("SetPassword changed another user's hash to %q", got.PasswordHash)
		}
		wantCode(t, s.SetPassword(ctx, missingID, "x"), care.ENOTFOUND, "SetPassword(missing user)")
	})

	t.Run("SetUserDisabled", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		u := mustUser(t, s, "ada@example.com")
		other := mustUser(t, s, "grace@example.com")
		for i, id := range []care.ID{u.ID, other.ID} {
			sess := &care.Session{Hash: []byte{byte('a' + i)}, UserID: id, CSRF: "c", CreatedAt: at(0), ExpiresAt: at(time.Hour)}
			must(t, s.CreateSession(ctx, sess), "CreateSession")
		}
		must(t, s.SetUserDisabled(ctx, u.ID, true), "SetUserDisabled(true)")
		if got, err := s.User(ctx, u.ID); err != nil || !got.Disabled {
			t.Errorf("User after SetUserDisabled(true) = %+v, %v; want disabled", got, err)
		}
		_, err := s.SessionByHash(ctx, []byte{'a'})
		wantCode(t, err, care.ENOTFOUND, "SessionByHash(a disabled user's session)")
		if _, err := s.SessionByHash(ctx, []byte{'b'}); err != nil {
			t.Errorf("disabling one user ended another's session: %v", err)
		}
		if got, _ := s.User(ctx, other.ID); got.Disabled {
			t.Error("SetUserDisabled disabled another user")
		}
		must(t, s.SetUserDisabled(ctx, u.ID, false), "SetUserDisabled(false)")
		if got, err := s.User(ctx, u.ID); err != nil || got.Disabled {
			t.Errorf("User after SetUserDisabled(false) = %+v, %v; want enabled", got, err)
		}
		wantCode(t, s.SetUserDisabled(ctx, missingID, true), care.ENOTFOUND, "SetUserDisabled(missing user)")
	})

	t.Run("NotFound", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		_, err := s.User(ctx, missingID)
		wantCode(t, err, care.ENOTFOUND, "User(missing)")
	})
}

func testMembers(t *testing.T, open opener) {
	t.Run("AddAndChangeRole", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws := mustWorkspace(t, s, "acme")
		u := mustUser(t, s, "ada@example.com")
		for _, role := range []care.Role{care.RoleAgent, care.RoleAdmin, care.RoleSupervisor} {
			m := care.Member{WorkspaceID: ws.ID, UserID: u.ID, Role: role}
			must(t, s.SetMember(ctx, m), "SetMember(%s)", role)
			got, err := s.Member(ctx, ws.ID, u.ID)
			must(t, err, "Member")
			if d := diff(&m, got); d != "" {
				t.Errorf("Member() after SetMember(%s) mismatch (-want +got):\n%s", role, d)
			}
			all, err := s.Members(ctx, ws.ID)
			must(t, err, "Members")
			if d := diff([]care.Member{m}, all); d != "" {
				t.Errorf("Members() after SetMember(%s) mismatch (-want +got):\n%s", role, d)
			}
		}
	})

	t.Run("List", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws1, ws2, ws3 := mustWorkspace(t, s, "one"), mustWorkspace(t, s, "two"), mustWorkspace(t, s, "three")
		u1, u2, u3 := mustUser(t, s, "u1@example.com"), mustUser(t, s, "u2@example.com"), mustUser(t, s, "u3@example.com")
		// Added out of order: lists come back sorted by the other side's ID.
		for _, m := range []care.Member{
			{WorkspaceID: ws2.ID, UserID: u1.ID, Role: care.RoleAgent},
			{WorkspaceID: ws1.ID, UserID: u2.ID, Role: care.RoleAgent},
			{WorkspaceID: ws1.ID, UserID: u1.ID, Role: care.RoleSupervisor},
		} {
			must(t, s.SetMember(ctx, m), "SetMember")
		}
		tests := []struct {
			name string
			list func() ([]care.Member, error)
			want []care.Member
		}{
			{"MembersOfOne", func() ([]care.Member, error) { return s.Members(ctx, ws1.ID) }, []care.Member{
				{WorkspaceID: ws1.ID, UserID: u1.ID, Role: care.RoleSupervisor},
				{WorkspaceID: ws1.ID, UserID: u2.ID, Role: care.RoleAgent},
			}},
			{"MembersOfTwo", func() ([]care.Member, error) { return s.Members(ctx, ws2.ID) }, []care.Member{
				{WorkspaceID: ws2.ID, UserID: u1.ID, Role: care.RoleAgent},
			}},
			{"MembersOfEmpty", func() ([]care.Member, error) { return s.Members(ctx, ws3.ID) }, nil},
			{"MembershipsOfU1", func() ([]care.Member, error) { return s.Memberships(ctx, u1.ID) }, []care.Member{
				{WorkspaceID: ws1.ID, UserID: u1.ID, Role: care.RoleSupervisor},
				{WorkspaceID: ws2.ID, UserID: u1.ID, Role: care.RoleAgent},
			}},
			{"MembershipsOfNobody", func() ([]care.Member, error) { return s.Memberships(ctx, u3.ID) }, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := tt.list()
				must(t, err, "list")
				if d := diff(tt.want, got); d != "" {
					t.Errorf("mismatch (-want +got):\n%s", d)
				}
			})
		}
	})

	t.Run("MissingMember", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws := mustWorkspace(t, s, "acme")
		other := mustWorkspace(t, s, "other")
		u := mustUser(t, s, "ada@example.com")
		must(t, s.SetMember(ctx, care.Member{WorkspaceID: other.ID, UserID: u.ID, Role: care.RoleAdmin}), "SetMember")
		_, err := s.Member(ctx, ws.ID, u.ID)
		wantCode(t, err, care.ENOTFOUND, "Member(not a member)")
	})

	t.Run("InvalidRole", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws := mustWorkspace(t, s, "acme")
		u := mustUser(t, s, "ada@example.com")
		err := s.SetMember(ctx, care.Member{WorkspaceID: ws.ID, UserID: u.ID, Role: "owner"})
		wantCode(t, err, care.EINVALID, "SetMember(role %q)", "owner")
	})
}
