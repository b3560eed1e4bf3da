package care

import (
	"context"
	"errors"
	"slices"
	"testing"
)

func TestScopeFor(t *testing.T) {
	vendor := Team{ID: 1, Partner: true}
	support := Team{ID: 2}
	pr := Team{ID: 3, Escalation: true}
	tests := []struct {
		name   string
		user   ID
		role   Role
		theirs []Team
		want   *Scope
	}{
		{"NoTeams", 7, RoleAgent, nil, nil},
		{"InHouseOnly", 7, RoleAgent, []Team{support, pr}, nil},
		{"PartnerAgent", 7, RoleAgent, []Team{vendor}, &Scope{UserID: 7, Teams: []ID{1}}},
		{"PartnerAndInHouse", 7, RoleAgent, []Team{support, vendor}, &Scope{UserID: 7, Teams: []ID{2, 1}}},
		{"PartnerSupervisor", 7, RoleSupervisor, []Team{vendor}, &Scope{UserID: 7, Teams: []ID{1}}},
		{"AdminSeesAll", 7, RoleAdmin, []Team{vendor}, nil},
		{"TokenWithoutUser", 0, RoleAgent, []Team{vendor}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ScopeFor(tt.user, tt.role, tt.theirs)
			if (got == nil) != (tt.want == nil) || got != nil && (got.UserID != tt.want.UserID || !slices.Equal(got.Teams, tt.want.Teams)) {
				t.Errorf("ScopeFor(%d, %s, %v) = %+v, want %+v", tt.user, tt.role, tt.theirs, got, tt.want)
			}
		})
	}
}

func TestScopeSees(t *testing.T) {
	s := &Scope{UserID: 7, Teams: []ID{1, 3}}
	tests := []struct {
		name string
		s    *Scope
		c    Conversation
		want bool
	}{
		{"NilSeesAll", nil, Conversation{TeamID: 9}, true},
		{"OwnTeam", s, Conversation{TeamID: 1}, true},
		{"EscalatedToOwnTeam", s, Conversation{TeamID: 9, EscalationTeamID: 3}, true},
		{"AssignedToThem", s, Conversation{TeamID: 9, AssigneeID: 7}, true},
		{"OtherTeam", s, Conversation{TeamID: 9, AssigneeID: 8}, false},
		{"NoTeamUnassigned", s, Conversation{}, false},
		{"NoTeamsNoUser", &Scope{}, Conversation{}, false},
		{"UserZeroDoesNotMatchUnassigned", &Scope{Teams: []ID{1}}, Conversation{TeamID: 2}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.Sees(&tt.c); got != tt.want {
				t.Errorf("%+v.Sees(%+v) = %v, want %v", tt.s, tt.c, got, tt.want)
			}
		})
	}
}

func TestSight(t *testing.T) {
	convs := map[ID]*Conversation{
		1: {ID: 1, WorkspaceID: 1, TeamID: 7},
		2: {ID: 2, WorkspaceID: 1, TeamID: 8},
		3: {ID: 3, WorkspaceID: 2, TeamID: 7}, // another workspace's
	}
	loads := 0
	load := func(_ context.Context, id ID) (*Conversation, error) {
		loads++
		if c, ok := convs[id]; ok {
			return c, nil
		}
		if id == 99 {
			return nil, errors.New("disk on fire")
		}
		return nil, Errorf(ENOTFOUND, "Conversation not found.")
	}
	s := NewSight(Principal{UserID: 5, WorkspaceID: 1, Scope: &Scope{UserID: 5, Teams: []ID{7}}}, load)
	for _, tt := range []struct {
		id   ID
		want bool
	}{{1, true}, {2, false}, {3, false}, {4, false}, {1, true}, {2, false}} {
		if got, err := s.Sees(t.Context(), tt.id); err != nil || got != tt.want {
			t.Errorf("Sees(%d) = %v, %v; want %v", tt.id, got, err, tt.want)
		}
	}
	if loads != 4 {
		t.Errorf("%d loads for 4 distinct conversations, want each read once", loads)
	}
	if _, err := s.Sees(t.Context(), 99); err == nil {
		t.Error("Sees hid a failed read")
	}
	unscoped := NewSight(Principal{WorkspaceID: 1}, load)
	loads = 0
	if ok, err := unscoped.Sees(t.Context(), 2); !ok || err != nil || loads != 0 {
		t.Errorf("an unscoped sight = %v, %v after %d loads; want seen without a read", ok, err, loads)
	}
}
