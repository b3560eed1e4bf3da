package storetest

import (
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

func testTeams(t *testing.T, open opener) {
	t.Run("CreateAndGet", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws := mustWorkspace(t, s, "acme")
		u1, u2 := mustUser(t, s, "u1@example.com"), mustUser(t, s, "u2@example.com")
		tm := &care.Team{WorkspaceID: ws.ID, Name: "Escalations", MemberIDs: []care.ID{u2.ID, u1.ID}, CreatedAt: at(0)}
		must(t, s.CreateTeam(ctx, tm), "CreateTeam")
		if tm.ID == 0 {
			t.Fatal("CreateTeam did not assign an ID")
		}
		want := &care.Team{ID: tm.ID, WorkspaceID: ws.ID, Name: "Escalations", MemberIDs: []care.ID{u1.ID, u2.ID}, CreatedAt: micro(at(0))}
		got, err := s.Team(ctx, tm.ID)
		must(t, err, "Team(%d)", tm.ID)
		if d := diff(want, got); d != "" {
			t.Errorf("Team(%d) mismatch (-want +got):\n%s", tm.ID, d)
		}
		checkUTC(t, "Team.CreatedAt", got.CreatedAt)
	})

	t.Run("List", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws, other := mustWorkspace(t, s, "acme"), mustWorkspace(t, s, "other")
		u := mustUser(t, s, "u1@example.com")
		a := mustTeam(t, s, ws, "Billing")
		mustTeam(t, s, other, "Billing")
		b := &care.Team{WorkspaceID: ws.ID, Name: "PR", MemberIDs: []care.ID{u.ID}, CreatedAt: at(0)}
		must(t, s.CreateTeam(ctx, b), "CreateTeam")
		want := []care.Team{
			{ID: a.ID, WorkspaceID: ws.ID, Name: "Billing", CreatedAt: micro(at(0))},
			{ID: b.ID, WorkspaceID: ws.ID, Name: "PR", MemberIDs: []care.ID{u.ID}, CreatedAt: micro(at(0))},
		}
		got, err := s.Teams(ctx, ws.ID)
		must(t, err, "Teams")
		if d := diff(want, got); d != "" {
			t.Errorf("Teams(%d) mismatch (-want +got):\n%s", ws.ID, d)
		}
	})

	t.Run("SetMembersReplaces", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws := mustWorkspace(t, s, "acme")
		u1, u2, u3 := mustUser(t, s, "u1@example.com"), mustUser(t, s, "u2@example.com"), mustUser(t, s, "u3@example.com")
		tm := mustTeam(t, s, ws, "Support")
		other := mustTeam(t, s, ws, "Other")
		must(t, s.SetTeamMembers(ctx, other.ID, []care.ID{u2.ID}), "SetTeamMembers(other)")
		// Steps run in order; each replaces the whole set.
		steps := []struct {
			name string
			set  []care.ID
			want []care.ID
		}{
			{"Unsorted", []care.ID{u3.ID, u1.ID}, []care.ID{u1.ID, u3.ID}},
			{"Replace", []care.ID{u2.ID}, []care.ID{u2.ID}},
			{"Repeated", []care.ID{u1.ID, u2.ID, u1.ID}, []care.ID{u1.ID, u2.ID}},
			{"Empty", []care.ID{}, nil},
			{"Nil", nil, nil},
			{"All", []care.ID{u2.ID, u3.ID, u1.ID}, []care.ID{u1.ID, u2.ID, u3.ID}},
		}
		for _, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				must(t, s.SetTeamMembers(ctx, tm.ID, st.set), "SetTeamMembers(%v)", st.set)
				got, err := s.Team(ctx, tm.ID)
				must(t, err, "Team")
				if d := diff(st.want, got.MemberIDs); d != "" {
					t.Errorf("MemberIDs after SetTeamMembers(%v) mismatch (-want +got):\n%s", st.set, d)
				}
			})
		}
		got, err := s.Team(ctx, other.ID)
		must(t, err, "Team(other)")
		if d := diff([]care.ID{u2.ID}, got.MemberIDs); d != "" {
			t.Errorf("another team's members changed (-want +got):\n%s", d)
		}
	})

	t.Run("PartnerAndTeamsOfMember", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws, other := mustWorkspace(t, s, "acme"), mustWorkspace(t, s, "other")
		u, v := mustUser(t, s, "u1@example.com"), mustUser(t, s, "u2@example.com")
		vendor := &care.Team{WorkspaceID: ws.ID, Name: "Vendor", MemberIDs: []care.ID{u.ID}, Partner: true, CreatedAt: at(0)}
		must(t, s.CreateTeam(ctx, vendor), "CreateTeam(partner)")
		got, err := s.Team(ctx, vendor.ID)
		must(t, err, "Team")
		if !got.Partner {
			t.Error("Team.Partner = false after creating a partner team")
		}
		pr := &care.Team{WorkspaceID: ws.ID, Name: "PR", MemberIDs: []care.ID{u.ID, v.ID}, Escalation: true, CreatedAt: at(0)}
		must(t, s.CreateTeam(ctx, pr), "CreateTeam(PR)")
		mustTeam(t, s, ws, "Nobody's")
		elsewhere := &care.Team{WorkspaceID: other.ID, Name: "Elsewhere", MemberIDs: []care.ID{u.ID}, Partner: true, CreatedAt: at(0)}
		must(t, s.CreateTeam(ctx, elsewhere), "CreateTeam(other workspace)")

		mine, err := s.TeamsOfMember(ctx, ws.ID, u.ID)
		must(t, err, "TeamsOfMember")
		want := []care.Team{
			{ID: vendor.ID, WorkspaceID: ws.ID, Name: "Vendor", Partner: true},
			{ID: pr.ID, WorkspaceID: ws.ID, Name: "PR", Escalation: true},
		}
		if d := diff(want, mine); d != "" {
			t.Errorf("TeamsOfMember mismatch (-want +got):\n%s", d)
		}
		none, err := s.TeamsOfMember(ctx, other.ID, v.ID)
		must(t, err, "TeamsOfMember(none)")
		if len(none) != 0 {
			t.Errorf("TeamsOfMember of a user in no team = %v, want none", none)
		}

		got.Partner = false
		must(t, s.UpdateTeam(ctx, got), "UpdateTeam")
		if got, _ = s.Team(ctx, vendor.ID); got.Partner {
			t.Error("Team.Partner = true after UpdateTeam cleared it")
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		u := mustUser(t, s, "u1@example.com")
		_, err := s.Team(ctx, missingID)
		wantCode(t, err, care.ENOTFOUND, "Team(missing)")
		wantCode(t, s.SetTeamMembers(ctx, missingID, []care.ID{u.ID}), care.ENOTFOUND, "SetTeamMembers(missing team)")
	})
}
