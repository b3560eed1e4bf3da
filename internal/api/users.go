package api

import (
	"net/http"
	"slices"
	"strings"

	"github.com/parleyhq/parley/internal/accounts"
	"github.com/parleyhq/parley/internal/care"
)

// memberView is a workspace member as the API shows it.
type memberView struct {
	ID       care.ID   `json:"id"`
	Email    string    `json:"email"`
	Name     string    `json:"name"`
	Role     care.Role `json:"role"`
	Disabled bool      `json:"disabled"`
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	ms, err := s.Store.Members(r.Context(), principal(r).WorkspaceID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	// A partner's people see their own colleagues, not the brand's staff.
	mates, err := s.teammates(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	out := make([]memberView, 0, len(ms))
	for _, m := range ms {
		if mates != nil && !mates[m.UserID] {
			continue
		}
		u, err := s.Store.User(r.Context(), m.UserID)
		if err != nil {
			writeError(w, r, err)
			return
		}
		out = append(out, memberView{ID: u.ID, Email: u.Email, Name: u.Name, Role: m.Role, Disabled: u.Disabled})
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": out})
}

type createUserRequest struct {
	Email    string    `json:"email"`
	Name     string    `json:"name"`
	Role     care.Role `json:"role"`
	Password string    `json:"password"`
}

// createUser adds a user to the workspace, creating the account if the
// address is new. Without a password one is generated and shown once.
func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	var req createUserRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	p := principal(r)
	u, password, err := accounts.CreateUser(r.Context(), s.Store, p.WorkspaceID, req.Email, req.Name, req.Role, req.Password, s.now())
	if err != nil {
		writeError(w, r, err)
		return
	}
	s.auditf(r, "user.create", idTarget("user", u.ID), map[string]any{"email": u.Email, "role": req.Role})
	resp := map[string]any{"user": memberView{ID: u.ID, Email: u.Email, Name: u.Name, Role: req.Role}}
	if password != "" {
		resp["password"] = password
	}
	writeJSON(w, http.StatusCreated, resp)
}

type memberPatch struct {
	Role *care.Role `json:"role"`
}

func (s *Server) updateMember(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var req memberPatch
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	p := principal(r)
	if _, err := s.Store.Member(r.Context(), p.WorkspaceID, id); err != nil {
		writeError(w, r, care.Errorf(care.ENOTFOUND, "User not found in this workspace."))
		return
	}
	if req.Role != nil {
		if id == p.UserID && *req.Role != care.RoleAdmin {
			writeError(w, r, care.Errorf(care.EINVALID, "You cannot lower your own role; ask another admin."))
			return
		}
		if err := s.Store.SetMember(r.Context(), care.Member{WorkspaceID: p.WorkspaceID, UserID: id, Role: *req.Role}); err != nil {
			writeError(w, r, err)
			return
		}
		s.auditf(r, "user.role", idTarget("user", id), map[string]any{"role": *req.Role})
	}
	m, err := s.Store.Member(r.Context(), p.WorkspaceID, id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	u, err := s.Store.User(r.Context(), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, memberView{ID: u.ID, Email: u.Email, Name: u.Name, Role: m.Role, Disabled: u.Disabled})
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

type teamRequest struct {
	Name      string    `json:"name"`
	MemberIDs []care.ID `json:"member_ids"`
	// Partner is an admin's to set: it decides what the team's members see.
	Partner *bool `json:"partner,omitempty"`
}

func (s *Server) checkMembers(r *http.Request, ids []care.ID) error {
	for _, id := range ids {
		if _, err := s.Store.Member(r.Context(), principal(r).WorkspaceID, id); err != nil {
			return care.Errorf(care.EINVALID, "User %d is not a member of this workspace.", id)
		}
	}
	return nil
}

// createTeam makes a team. Members of a partner team may not manage teams:
// they could make one, join it and be handed what it is given.
func (s *Server) createTeam(w http.ResponseWriter, r *http.Request) {
	if err := principal(r).Scope.Refuse("manage teams"); err != nil {
		writeError(w, r, err)
		return
	}
	var req teamRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	if req.Partner != nil {
		if err := onlyAdminPartners(r); err != nil {
			writeError(w, r, err)
			return
		}
	}
	req.Name = strings.TrimSpace(req.Name)
	if req.Name == "" || len(req.Name) > 100 {
		writeError(w, r, care.Errorf(care.EINVALID, "A team needs a name of up to 100 bytes."))
		return
	}
	if err := s.checkMembers(r, req.MemberIDs); err != nil {
		writeError(w, r, err)
		return
	}
	t := &care.Team{WorkspaceID: principal(r).WorkspaceID, Name: req.Name, MemberIDs: req.MemberIDs, CreatedAt: s.now(),
		Partner: req.Partner != nil && *req.Partner}
	if err := s.Store.CreateTeam(r.Context(), t); err != nil {
		writeError(w, r, err)
		return
	}
	s.auditf(r, "team.create", idTarget("team", t.ID), req)
	t, err := s.Store.Team(r.Context(), t.ID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, t)
}

func (s *Server) teamOf(r *http.Request) (*care.Team, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	t, err := s.Store.Team(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if t.WorkspaceID != principal(r).WorkspaceID {
		return nil, care.Errorf(care.ENOTFOUND, "Team not found.")
	}
	return t, nil
}

func (s *Server) getTeam(w http.ResponseWriter, r *http.Request) {
	t, err := s.teamOf(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	hideMembers(principal(r), t)
	writeJSON(w, http.StatusOK, t)
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

type teamMembersRequest struct {
	MemberIDs []care.ID `json:"member_ids"`
}

// setTeamMembers replaces a team's members. Members of a partner team may
// not: adding themselves to another team would widen their own scope.
func (s *Server) setTeamMembers(w http.ResponseWriter, r *http.Request) {
	if err := principal(r).Scope.Refuse("manage teams"); err != nil {
		writeError(w, r, err)
		return
	}
	t, err := s.teamOf(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var req teamMembersRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	if err := s.checkMembers(r, req.MemberIDs); err != nil {
		writeError(w, r, err)
		return
	}
	if err := s.Store.SetTeamMembers(r.Context(), t.ID, req.MemberIDs); err != nil {
		writeError(w, r, err)
		return
	}
	s.auditf(r, "team.members", idTarget("team", t.ID), req)
	if t, err = s.Store.Team(r.Context(), t.ID); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) {
	ts, err := s.Store.Tokens(r.Context(), principal(r).WorkspaceID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": ts})
}

type tokenRequest struct {
	Name string    `json:"name"`
	Role care.Role `json:"role"`
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	var req tokenRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	p := principal(r)
	t, secret, err := accounts.CreateToken(r.Context(), s.Store, p.WorkspaceID, 0, req.Name, req.Role, s.now())
	if err != nil {
		writeError(w, r, err)
		return
	}
	s.auditf(r, "token.create", idTarget("token", t.ID), req)
	writeJSON(w, http.StatusCreated, map[string]any{"token": t, "secret": secret})
}

func (s *Server) deleteToken(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if err := s.Store.DeleteToken(r.Context(), principal(r).WorkspaceID, id); err != nil {
		writeError(w, r, err)
		return
	}
	s.auditf(r, "token.delete", idTarget("token", id), nil)
	w.WriteHeader(http.StatusNoContent)
}
