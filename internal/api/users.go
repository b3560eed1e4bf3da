package api

import (
	"context"
	"net/http"

	"github.com/parleyhq/parley/internal/accounts"
	"github.com/parleyhq/parley/internal/care"
)

// Members are added and changed here for the API and the web interface
// alike: the exported methods hold the rules (admins only, never a
// workspace without an enabled admin) and write the audit trail.

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
	u, password, err := s.AddMember(r.Context(), principal(r), req.Email, req.Name, req.Role, req.Password)
	if err != nil {
		writeError(w, r, err)
		return
	}
	resp := map[string]any{"user": memberView{ID: u.ID, Email: u.Email, Name: u.Name, Role: req.Role, Disabled: u.Disabled}}
	if password != "" {
		resp["password"] = password
	}
	writeJSON(w, http.StatusCreated, resp)
}

// MemberPatch changes a member: the body of PATCH /api/v1/users/{id}.
// Nil fields stay.
type MemberPatch struct {
	Role *care.Role `json:"role"`
	// Disabled turns the account off (no sign-in, no session, no token of
	// theirs, no new work) or on again.
	Disabled *bool `json:"disabled"`
}

func (s *Server) updateMember(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var req MemberPatch
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	p := principal(r)
	if err := s.ChangeMember(r.Context(), p, id, req); err != nil {
		writeError(w, r, err)
		return
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

func onlyAdmins(p care.Principal) error {
	if p.Role != care.RoleAdmin {
		return care.Errorf(care.EFORBIDDEN, "Only admins add people and change their roles and accounts.")
	}
	return nil
}

// AddMember adds a user to p's workspace, creating the account if the
// address is new, as POST /api/v1/users does. Without a password one is
// generated and returned, to be shown once; an existing account keeps its
// own and "" is returned. An address with an account in a workspace p is
// not an admin of is refused (403, naming the operator's command) without
// a word about that account: see accounts.AddMember.
func (s *Server) AddMember(ctx context.Context, p care.Principal, email, name string, role care.Role, password string) (*care.User, string, error) {
	if err := onlyAdmins(p); err != nil {
		return nil, "", err
	}
	u, generated, err := accounts.AddMember(ctx, s.Store, p, email, name, role, password, s.now())
	if err != nil {
		return nil, "", err
	}
	s.audit(ctx, p, "user.create", idTarget("user", u.ID), map[string]any{"email": u.Email, "role": role})
	return u, generated, nil
}

// ChangeMember changes a member of p's workspace, as PATCH
// /api/v1/users/{id} does: their role there, and whether their account is
// disabled. No change may leave a workspace without an enabled admin (409,
// saying whom to promote first), and no one lowers or disables themselves.
//
// A disabled user's requests fail at once (sessions are ended, their API
// tokens refused); they go offline, so routing offers them nothing and
// takes back what it gave them that still waits for a first answer, as
// when they go away. What they were answering stays theirs until a
// supervisor reassigns it.
func (s *Server) ChangeMember(ctx context.Context, p care.Principal, id care.ID, req MemberPatch) error {
	if err := onlyAdmins(p); err != nil {
		return err
	}
	if req.Role != nil && !req.Role.Valid() {
		return care.Errorf(care.EINVALID, "Unknown role %q; use admin, supervisor or agent.", *req.Role)
	}
	if _, err := s.Store.Member(ctx, p.WorkspaceID, id); err != nil {
		return care.Errorf(care.ENOTFOUND, "User not found in this workspace.")
	}
	if id == p.UserID {
		if req.Role != nil && *req.Role != care.RoleAdmin {
			return care.Errorf(care.EINVALID, "You cannot lower your own role; ask another admin.")
		}
		if req.Disabled != nil && *req.Disabled {
			return care.Errorf(care.EINVALID, "You cannot disable your own account; ask another admin.")
		}
	}
	var roleChanged, disabling, enabling bool
	var offline []care.ID // the workspaces where a disabled user went offline
	err := s.Store.Update(ctx, func(q care.Queries) error {
		roleChanged, disabling, enabling, offline = false, false, false, nil
		m, err := q.Member(ctx, p.WorkspaceID, id)
		if err != nil {
			return err
		}
		u, err := q.User(ctx, id)
		if err != nil {
			return err
		}
		roleChanged = req.Role != nil && *req.Role != m.Role
		disabling = req.Disabled != nil && *req.Disabled && !u.Disabled
		enabling = req.Disabled != nil && !*req.Disabled && u.Disabled
		var elsewhere []care.Member
		if disabling || enabling {
			if elsewhere, err = accountElsewhere(ctx, q, p, u); err != nil {
				return err
			}
		}
		if !u.Disabled && m.Role == care.RoleAdmin && (roleChanged || disabling) {
			todo := "change their role"
			if disabling {
				todo = "disable them"
			}
			if err := keepAnAdmin(ctx, q, p.WorkspaceID, u, todo); err != nil {
				return err
			}
		}
		if roleChanged {
			if err := q.SetMember(ctx, care.Member{WorkspaceID: p.WorkspaceID, UserID: id, Role: *req.Role}); err != nil {
				return err
			}
		}
		if !disabling && !enabling {
			return nil
		}
		if disabling {
			// The other workspaces keep an enabled admin: the caller, whom
			// accountElsewhere found an admin of each.
			//
			// Offline before disabled: a disabled user is no agent to
			// update, and going offline closes the door on a claim by
			// routing in between.
			off := care.PresenceOffline
			for _, ws := range append([]care.ID{p.WorkspaceID}, workspaceIDs(elsewhere)...) {
				if _, err := q.UpdateAgent(ctx, ws, id, care.AgentUpdate{Presence: &off}, s.now()); err != nil {
					return err
				}
				offline = append(offline, ws)
			}
		}
		return q.SetUserDisabled(ctx, id, disabling)
	})
	if err != nil {
		return err
	}
	if roleChanged {
		s.audit(ctx, p, "user.role", idTarget("user", id), map[string]any{"role": *req.Role})
	}
	switch {
	case disabling:
		s.audit(ctx, p, "user.disable", idTarget("user", id), nil)
	case enabling:
		s.audit(ctx, p, "user.enable", idTarget("user", id), nil)
	}
	if s.Router != nil {
		for _, ws := range offline {
			if err := s.Router.PresenceChanged(ctx, ws, id, care.PresenceOffline); err != nil {
				// The account is off either way; routing takes back what
				// it gave them on its next pass.
				s.logger().ErrorContext(ctx, "api: routing after disabling a user", "user", id, "workspace", ws, "err", err)
			}
		}
	}
	return nil
}

func (s *Server) removeMember(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if err := s.RemoveMember(r.Context(), principal(r), id); err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// RemoveMember takes a user out of p's workspace, as DELETE
// /api/v1/users/{id} does: their membership, their places in its teams
// and their API tokens for it go; the account, and its other workspaces,
// stay. Never the workspace's last enabled admin (409), nor oneself
// (400). Like disabling,
// it sets them offline first, so routing takes back what it gave them
// that still waits for a first answer; what they were answering stays
// assigned to them until a supervisor reassigns it.
func (s *Server) RemoveMember(ctx context.Context, p care.Principal, id care.ID) error {
	if err := onlyAdmins(p); err != nil {
		return err
	}
	if id == p.UserID {
		return care.Errorf(care.EINVALID, "You cannot remove yourself; ask another admin.")
	}
	var email string
	err := s.Store.Update(ctx, func(q care.Queries) error {
		m, err := q.Member(ctx, p.WorkspaceID, id)
		if care.ErrorCode(err) == care.ENOTFOUND {
			return care.Errorf(care.ENOTFOUND, "User not found in this workspace.")
		} else if err != nil {
			return err
		}
		u, err := q.User(ctx, id)
		if err != nil {
			return err
		}
		email = u.Email
		if m.Role == care.RoleAdmin && !u.Disabled {
			if err := keepAnAdmin(ctx, q, p.WorkspaceID, u, "remove them"); err != nil {
				return err
			}
		}
		off := care.PresenceOffline
		if _, err := q.UpdateAgent(ctx, p.WorkspaceID, id, care.AgentUpdate{Presence: &off}, s.now()); err != nil {
			return err
		}
		return q.DeleteMember(ctx, p.WorkspaceID, id)
	})
	if err != nil {
		return err
	}
	s.audit(ctx, p, "user.remove", idTarget("user", id), map[string]any{"email": email})
	if s.Router != nil {
		if err := s.Router.PresenceChanged(ctx, p.WorkspaceID, id, care.PresenceOffline); err != nil {
			// They are out either way; routing takes back what it gave
			// them on its next pass.
			s.logger().ErrorContext(ctx, "api: routing after removing a member", "user", id, "workspace", p.WorkspaceID, "err", err)
		}
	}
	return nil
}

// accountElsewhere lists u's memberships in workspaces other than p's. A
// user's account is one for the whole install: an admin may turn it off
// or on only when they are an admin of every workspace it opens, or they
// would lock someone out of a workspace that is not theirs.
func accountElsewhere(ctx context.Context, q care.Queries, p care.Principal, u *care.User) ([]care.Member, error) {
	ms, err := q.Memberships(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	var out []care.Member
	for _, m := range ms {
		if m.WorkspaceID == p.WorkspaceID {
			continue
		}
		mine, err := q.Member(ctx, m.WorkspaceID, p.UserID)
		if p.UserID == 0 || care.ErrorCode(err) == care.ENOTFOUND || err == nil && mine.Role != care.RoleAdmin {
			return nil, care.Errorf(care.EFORBIDDEN, "%s also belongs to a workspace you are not an admin of, and one account serves both; ask someone who is an admin of both to disable or enable it.", u.Email)
		} else if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// keepAnAdmin refuses, with what to do instead, a change that would leave
// workspace ws without an enabled admin once u is no longer one.
func keepAnAdmin(ctx context.Context, q care.Queries, ws care.ID, u *care.User, todo string) error {
	ms, err := q.Members(ctx, ws)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.Role != care.RoleAdmin || m.UserID == u.ID {
			continue
		}
		other, err := q.User(ctx, m.UserID)
		if err != nil {
			return err
		}
		if !other.Disabled {
			return nil
		}
	}
	return care.Errorf(care.ECONFLICT, "%s is the last enabled admin of this workspace; make another member an admin first, then %s.", u.Email, todo)
}

func workspaceIDs(ms []care.Member) []care.ID {
	ids := make([]care.ID, len(ms))
	for i, m := range ms {
		ids[i] = m.WorkspaceID
	}
	return ids
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
