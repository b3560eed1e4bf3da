package api

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/parleyhq/parley/internal/care"
)

// Teams are managed here for the API and the web interface alike: the
// exported methods hold the rules (who may, what a name is, whose members)
// and write the audit trail, so the People page cannot drift from the API.

// TeamCreate is a new team: the body of POST /api/v1/teams.
type TeamCreate struct {
	Name      string    `json:"name"`
	MemberIDs []care.ID `json:"member_ids"`
	// Skills are what the team handles, as PATCH takes them.
	Skills *care.Skills `json:"skills,omitempty"`
	// Partner is an admin's to set: it decides what the team's members see.
	Partner *bool `json:"partner,omitempty"`
}

// TeamPatch changes a team: the body of PATCH /api/v1/teams/{id}. Nil
// fields stay; Hours "null" removes the hours.
type TeamPatch struct {
	Name       *string         `json:"name"`
	Skills     *care.Skills    `json:"skills"`
	Hours      json.RawMessage `json:"hours"`
	Escalation *bool           `json:"escalation"`
	// Partner is an admin's to set: it decides what the team's members see.
	Partner *bool `json:"partner,omitempty"`
}

type teamMembersRequest struct {
	MemberIDs []care.ID `json:"member_ids"`
}

func (s *Server) listTeams(w http.ResponseWriter, r *http.Request) {
	ts, err := s.Store.Teams(r.Context(), principal(r).WorkspaceID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	for i := range ts {
		hideMembers(principal(r), &ts[i])
	}
	writeJSON(w, http.StatusOK, map[string]any{"teams": ts})
}

func (s *Server) getTeam(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	t, err := s.teamIn(r.Context(), principal(r).WorkspaceID, id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	hideMembers(principal(r), t)
	writeJSON(w, http.StatusOK, t)
}

// teamChange answers the requests that change teams (POST, PATCH and PUT
// members) with status and the team apply leaves. The caller is refused
// before the body is read, so a partner's member learns nothing from how
// their request was malformed; apply is handed the body as Req and, when
// the route has one, the path's team id (0 without).
func teamChange[Req any](status int, byID bool, apply func(context.Context, care.Principal, care.ID, Req) (*care.Team, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var id care.ID
		if byID {
			var err error
			if id, err = pathID(r); err != nil {
				writeError(w, r, err)
				return
			}
		}
		if err := mayManageTeams(principal(r)); err != nil {
			writeError(w, r, err)
			return
		}
		var req Req
		if err := decodeJSON(w, r, &req); err != nil {
			writeError(w, r, err)
			return
		}
		t, err := apply(r.Context(), principal(r), id, req)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, status, t)
	}
}

func (s *Server) createTeam() http.HandlerFunc {
	return teamChange(http.StatusCreated, false, func(ctx context.Context, p care.Principal, _ care.ID, req TeamCreate) (*care.Team, error) {
		return s.CreateTeam(ctx, p, req)
	})
}

func (s *Server) updateTeam() http.HandlerFunc { return teamChange(http.StatusOK, true, s.ChangeTeam) }

func (s *Server) setTeamMembers() http.HandlerFunc {
	return teamChange(http.StatusOK, true, func(ctx context.Context, p care.Principal, id care.ID, req teamMembersRequest) (*care.Team, error) {
		return s.SetTeamMembers(ctx, p, id, req.MemberIDs)
	})
}

// mayManageTeams lets supervisors and admins manage teams, except members
// of a partner team: they could make a team, join it, or add themselves
// to another, and be handed what it is given.
func mayManageTeams(p care.Principal) error {
	if !p.Role.AtLeast(care.RoleSupervisor) {
		return care.Errorf(care.EFORBIDDEN, "Only supervisors and admins manage teams.")
	}
	return p.Scope.Refuse("manage teams")
}

// onlyAdminPartners keeps the partner flag an admin's: a supervisor who
// could lift it would see the whole workspace, one who could set it would
// hide it from a team.
func onlyAdminPartners(p care.Principal) error {
	if p.Role != care.RoleAdmin {
		return care.Errorf(care.EFORBIDDEN, "Only an admin can mark a team as a partner team.")
	}
	return nil
}

// teamName trims a team's name and checks its length.
func teamName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 {
		return "", care.Errorf(care.EINVALID, "A team needs a name of up to 100 bytes.")
	}
	return name, nil
}

func (s *Server) checkMembers(ctx context.Context, workspaceID care.ID, ids []care.ID) error {
	for _, id := range ids {
		if _, err := s.Store.Member(ctx, workspaceID, id); err != nil {
			return care.Errorf(care.EINVALID, "User %d is not a member of this workspace.", id)
		}
	}
	return nil
}

// teamIn loads a team of the workspace; another workspace's is not found.
func (s *Server) teamIn(ctx context.Context, workspaceID, id care.ID) (*care.Team, error) {
	t, err := s.Store.Team(ctx, id)
	if err != nil {
		return nil, err
	}
	if t.WorkspaceID != workspaceID {
		return nil, care.Errorf(care.ENOTFOUND, "Team not found.")
	}
	return t, nil
}

// managedTeam loads a team of p's workspace for p to change.
func (s *Server) managedTeam(ctx context.Context, p care.Principal, id care.ID) (*care.Team, error) {
	if err := mayManageTeams(p); err != nil {
		return nil, err
	}
	return s.teamIn(ctx, p.WorkspaceID, id)
}

// hideMembers empties the member list of a team outside a scoped caller's
// teams: who works in the brand's own teams is not a partner's to know
// (the list of users leaves them out too). The team's name stays, so a
// conversation's team can be named.
func hideMembers(p care.Principal, t *care.Team) {
	if p.Scope != nil && !slices.Contains(p.Scope.Teams, t.ID) {
		t.MemberIDs = []care.ID{}
	}
}

// CreateTeam makes a team in p's workspace, as POST /api/v1/teams does.
func (s *Server) CreateTeam(ctx context.Context, p care.Principal, req TeamCreate) (*care.Team, error) {
	if err := mayManageTeams(p); err != nil {
		return nil, err
	}
	if req.Partner != nil {
		if err := onlyAdminPartners(p); err != nil {
			return nil, err
		}
	}
	name, err := teamName(req.Name)
	if err != nil {
		return nil, err
	}
	if err := s.checkMembers(ctx, p.WorkspaceID, req.MemberIDs); err != nil {
		return nil, err
	}
	t := &care.Team{WorkspaceID: p.WorkspaceID, Name: name, MemberIDs: req.MemberIDs, CreatedAt: s.now(),
		Partner: req.Partner != nil && *req.Partner}
	if req.Skills != nil {
		t.Skills = *req.Skills
	}
	if err := s.Store.CreateTeam(ctx, t); err != nil {
		return nil, err
	}
	s.audit(ctx, p, "team.create", idTarget("team", t.ID), req)
	return s.Store.Team(ctx, t.ID)
}

// ChangeTeam applies a TeamPatch to a team of p's workspace, as PATCH
// /api/v1/teams/{id} does.
func (s *Server) ChangeTeam(ctx context.Context, p care.Principal, id care.ID, req TeamPatch) (*care.Team, error) {
	t, err := s.managedTeam(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if req.Partner != nil {
		if err := onlyAdminPartners(p); err != nil {
			return nil, err
		}
		t.Partner = *req.Partner
	}
	if req.Name != nil {
		if t.Name, err = teamName(*req.Name); err != nil {
			return nil, err
		}
	}
	if req.Skills != nil {
		t.Skills = *req.Skills
	}
	if req.Escalation != nil {
		t.Escalation = *req.Escalation
	}
	switch {
	case req.Hours == nil:
	case string(req.Hours) == "null":
		t.Hours = nil
	default:
		if s.ValidateHours != nil {
			if err := s.ValidateHours(req.Hours); err != nil {
				return nil, care.Errorf(care.EINVALID, "Business hours: %s", care.ErrorMessage(err))
			}
		}
		t.Hours = slices.Clone(req.Hours)
	}
	if err := s.Store.UpdateTeam(ctx, t); err != nil {
		return nil, err
	}
	if req.Hours != nil && s.HoursChanged != nil {
		s.HoursChanged(t.WorkspaceID)
	}
	s.audit(ctx, p, "team.update", idTarget("team", t.ID), req)
	return s.Store.Team(ctx, t.ID)
}

// SetTeamMembers replaces the members of a team of p's workspace, as PUT
// /api/v1/teams/{id}/members does.
func (s *Server) SetTeamMembers(ctx context.Context, p care.Principal, id care.ID, memberIDs []care.ID) (*care.Team, error) {
	t, err := s.managedTeam(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if err := s.checkMembers(ctx, p.WorkspaceID, memberIDs); err != nil {
		return nil, err
	}
	if err := s.Store.SetTeamMembers(ctx, t.ID, memberIDs); err != nil {
		return nil, err
	}
	s.audit(ctx, p, "team.members", idTarget("team", t.ID), teamMembersRequest{MemberIDs: memberIDs})
	return s.Store.Team(ctx, t.ID)
}
