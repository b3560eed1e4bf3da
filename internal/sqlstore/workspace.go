package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

func (q queries) CreateWorkspace(ctx context.Context, w *care.Workspace) error {
	if w.CreatedAt.IsZero() {
		w.CreatedAt = time.Now()
	}
	w.CreatedAt = fromMicros(micros(w.CreatedAt))
	id, err := q.insert(ctx, `INSERT INTO workspaces (slug, name, created_at) VALUES (?, ?, ?)`,
		w.Slug, w.Name, micros(w.CreatedAt))
	if err != nil {
		return q.wrap(err, "workspace")
	}
	w.ID = id
	return nil
}

const workspaceCols = `id, slug, name, created_at`

func scanWorkspace(sc interface{ Scan(...any) error }) (*care.Workspace, error) {
	var w care.Workspace
	var at int64
	if err := sc.Scan(&w.ID, &w.Slug, &w.Name, &at); err != nil {
		return nil, err
	}
	w.CreatedAt = fromMicros(at)
	return &w, nil
}

func (q queries) Workspace(ctx context.Context, id care.ID) (*care.Workspace, error) {
	w, err := scanWorkspace(q.row(ctx, `SELECT `+workspaceCols+` FROM workspaces WHERE id = ?`, id))
	return w, q.wrap(err, "workspace")
}

func (q queries) WorkspaceBySlug(ctx context.Context, slug string) (*care.Workspace, error) {
	w, err := scanWorkspace(q.row(ctx, `SELECT `+workspaceCols+` FROM workspaces WHERE slug = ?`, slug))
	return w, q.wrap(err, "workspace")
}

func (q queries) Workspaces(ctx context.Context) ([]care.Workspace, error) {
	rows, err := q.query(ctx, `SELECT `+workspaceCols+` FROM workspaces ORDER BY id`)
	if err != nil {
		return nil, q.wrap(err, "workspaces")
	}
	return collect(rows, scanWorkspace, q, "workspaces")
}

// collect scans every row with scan.
func collect[T any](rows *sql.Rows, scan func(interface{ Scan(...any) error }) (*T, error), q queries, what string) ([]T, error) {
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, q.wrap(err, what)
		}
		out = append(out, *v)
	}
	return out, q.wrap(rows.Err(), what)
}

func (q queries) CreateUser(ctx context.Context, u *care.User) error {
	if u.CreatedAt.IsZero() {
		u.CreatedAt = time.Now()
	}
	u.CreatedAt = fromMicros(micros(u.CreatedAt))
	id, err := q.insert(ctx, `INSERT INTO users (email, name, password_hash, disabled, created_at) VALUES (?, ?, ?, ?, ?)`,
		strings.ToLower(u.Email), u.Name, u.PasswordHash, b2i(u.Disabled), micros(u.CreatedAt))
	if err != nil {
		return q.wrap(err, "user")
	}
	u.Email = strings.ToLower(u.Email)
	u.ID = id
	return nil
}

const userCols = `id, email, name, password_hash, disabled, created_at`

func scanUser(sc interface{ Scan(...any) error }) (*care.User, error) {
	var u care.User
	var at, disabled int64
	if err := sc.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, &disabled, &at); err != nil {
		return nil, err
	}
	u.Disabled = disabled != 0
	u.CreatedAt = fromMicros(at)
	return &u, nil
}

func (q queries) User(ctx context.Context, id care.ID) (*care.User, error) {
	u, err := scanUser(q.row(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, id))
	return u, q.wrap(err, "user")
}

// UserByEmail matches case-insensitively: addresses are stored lower-cased.
func (q queries) UserByEmail(ctx context.Context, email string) (*care.User, error) {
	u, err := scanUser(q.row(ctx, `SELECT `+userCols+` FROM users WHERE email = ?`, strings.ToLower(email)))
	return u, q.wrap(err, "user")
}

func (q queries) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := q.row(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, q.wrap(err, "users")
}

func (q queries) SetPassword(ctx context.Context, userID care.ID, hash string) error {
	return q.affectOne(ctx, "user", `UPDATE users SET password_hash = ? WHERE id = ?`, hash, userID)
}

func (q queries) SetUserDisabled(ctx context.Context, userID care.ID, disabled bool) error {
	return q.inTx(ctx, func(q queries) error {
		if err := q.affectOne(ctx, "user", `UPDATE users SET disabled = ? WHERE id = ?`, b2i(disabled), userID); err != nil || !disabled {
			return err
		}
		_, err := q.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
		return q.wrap(err, "sessions")
	})
}

// affectOne runs a write that must change exactly one row, ENOTFOUND otherwise.
func (q queries) affectOne(ctx context.Context, what, query string, args ...any) error {
	res, err := q.exec(ctx, query, args...)
	if err != nil {
		return q.wrap(err, what)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return q.wrap(err, what)
	}
	if n == 0 {
		return care.Errorf(care.ENOTFOUND, "%s not found.", capitalise(what))
	}
	return nil
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (q queries) SetMember(ctx context.Context, m care.Member) error {
	if !m.Role.Valid() {
		return care.Errorf(care.EINVALID, "Unknown role %q.", m.Role)
	}
	_, err := q.exec(ctx, `INSERT INTO members (workspace_id, user_id, role) VALUES (?, ?, ?)
		ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = excluded.role`, m.WorkspaceID, m.UserID, string(m.Role))
	return q.wrap(err, "member")
}

func scanMember(sc interface{ Scan(...any) error }) (*care.Member, error) {
	var m care.Member
	var role string
	if err := sc.Scan(&m.WorkspaceID, &m.UserID, &role); err != nil {
		return nil, err
	}
	m.Role = care.Role(role)
	return &m, nil
}

func (q queries) Member(ctx context.Context, workspaceID, userID care.ID) (*care.Member, error) {
	m, err := scanMember(q.row(ctx, `SELECT workspace_id, user_id, role FROM members WHERE workspace_id = ? AND user_id = ?`, workspaceID, userID))
	return m, q.wrap(err, "member")
}

func (q queries) Members(ctx context.Context, workspaceID care.ID) ([]care.Member, error) {
	rows, err := q.query(ctx, `SELECT workspace_id, user_id, role FROM members WHERE workspace_id = ? ORDER BY user_id`, workspaceID)
	if err != nil {
		return nil, q.wrap(err, "members")
	}
	return collect(rows, scanMember, q, "members")
}

func (q queries) Memberships(ctx context.Context, userID care.ID) ([]care.Member, error) {
	rows, err := q.query(ctx, `SELECT workspace_id, user_id, role FROM members WHERE user_id = ? ORDER BY workspace_id`, userID)
	if err != nil {
		return nil, q.wrap(err, "members")
	}
	return collect(rows, scanMember, q, "members")
}

func (q queries) DeleteMember(ctx context.Context, workspaceID, userID care.ID) error {
	return q.inTx(ctx, func(q queries) error {
		if err := q.affectOne(ctx, "member", `DELETE FROM members WHERE workspace_id = ? AND user_id = ?`, workspaceID, userID); err != nil {
			return err
		}
		if _, err := q.exec(ctx, `DELETE FROM team_members WHERE user_id = ? AND team_id IN (SELECT id FROM teams WHERE workspace_id = ?)`,
			userID, workspaceID); err != nil {
			return q.wrap(err, "team members")
		}
		_, err := q.exec(ctx, `DELETE FROM tokens WHERE workspace_id = ? AND user_id = ?`, workspaceID, userID)
		return q.wrap(err, "tokens")
	})
}

func (q queries) CreateTeam(ctx context.Context, t *care.Team) error {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = time.Now()
	}
	t.CreatedAt = fromMicros(micros(t.CreatedAt))
	// A team's skills are matched as an agent's are: cleaned the same way.
	clean, err := normalizeSkills(t.Skills)
	if err != nil {
		return err
	}
	return q.inTx(ctx, func(q queries) error {
		skills, err := json.Marshal(clean)
		if err != nil {
			return fmt.Errorf("sqlstore: encode skills: %w", err)
		}
		id, err := q.insert(ctx, `INSERT INTO teams (workspace_id, name, created_at, skills, hours, escalation, partner) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			t.WorkspaceID, t.Name, micros(t.CreatedAt), string(skills), string(t.Hours), b2i(t.Escalation), b2i(t.Partner))
		if err != nil {
			return q.wrap(err, "team")
		}
		t.ID = id
		if len(t.MemberIDs) > 0 {
			return q.SetTeamMembers(ctx, id, t.MemberIDs)
		}
		t.MemberIDs = []care.ID{}
		return nil
	})
}

func (q queries) Team(ctx context.Context, id care.ID) (*care.Team, error) {
	var t care.Team
	var at, esc, partner int64
	var skills, hours string
	err := q.row(ctx, `SELECT id, workspace_id, name, created_at, skills, hours, escalation, partner FROM teams WHERE id = ?`, id).
		Scan(&t.ID, &t.WorkspaceID, &t.Name, &at, &skills, &hours, &esc, &partner)
	if err != nil {
		return nil, q.wrap(err, "team")
	}
	t.CreatedAt, t.Escalation, t.Partner = fromMicros(at), esc != 0, partner != 0
	if hours != "" {
		t.Hours = []byte(hours)
	}
	if err := json.Unmarshal([]byte(skills), &t.Skills); err != nil {
		return nil, fmt.Errorf("decode team skills: %w", err)
	}
	if t.MemberIDs, err = q.teamMembers(ctx, id); err != nil {
		return nil, err
	}
	return &t, nil
}

func (q queries) teamMembers(ctx context.Context, id care.ID) ([]care.ID, error) {
	rows, err := q.query(ctx, `SELECT user_id FROM team_members WHERE team_id = ? ORDER BY user_id`, id)
	if err != nil {
		return nil, q.wrap(err, "team members")
	}
	return collectIDs(rows, q)
}

func collectIDs(rows *sql.Rows, q queries) ([]care.ID, error) {
	defer rows.Close()
	ids := []care.ID{}
	for rows.Next() {
		var id care.ID
		if err := rows.Scan(&id); err != nil {
			return nil, q.wrap(err, "ids")
		}
		ids = append(ids, id)
	}
	return ids, q.wrap(rows.Err(), "ids")
}

func (q queries) Teams(ctx context.Context, workspaceID care.ID) ([]care.Team, error) {
	rows, err := q.query(ctx, `SELECT id FROM teams WHERE workspace_id = ? ORDER BY id`, workspaceID)
	if err != nil {
		return nil, q.wrap(err, "teams")
	}
	ids, err := collectIDs(rows, q)
	if err != nil {
		return nil, err
	}
	teams := make([]care.Team, 0, len(ids))
	for _, id := range ids {
		t, err := q.Team(ctx, id)
		if err != nil {
			return nil, err
		}
		teams = append(teams, *t)
	}
	return teams, nil
}

func (q queries) TeamsOfMember(ctx context.Context, workspaceID, userID care.ID) ([]care.Team, error) {
	rows, err := q.query(ctx, `SELECT t.id, t.name, t.escalation, t.partner FROM teams t JOIN team_members m ON m.team_id = t.id
		WHERE t.workspace_id = ? AND m.user_id = ? ORDER BY t.id`, workspaceID, userID)
	if err != nil {
		return nil, q.wrap(err, "teams")
	}
	defer rows.Close()
	teams := []care.Team{}
	for rows.Next() {
		t := care.Team{WorkspaceID: workspaceID}
		var esc, partner int64
		if err := rows.Scan(&t.ID, &t.Name, &esc, &partner); err != nil {
			return nil, q.wrap(err, "teams")
		}
		t.Escalation, t.Partner = esc != 0, partner != 0
		teams = append(teams, t)
	}
	return teams, q.wrap(rows.Err(), "teams")
}

func (q queries) UpdateTeam(ctx context.Context, t *care.Team) error {
	clean, err := normalizeSkills(t.Skills)
	if err != nil {
		return err
	}
	skills, err := json.Marshal(clean)
	if err != nil {
		return fmt.Errorf("sqlstore: encode skills: %w", err)
	}
	return q.affectOne(ctx, "team", `UPDATE teams SET name = ?, skills = ?, hours = ?, escalation = ?, partner = ? WHERE id = ? AND workspace_id = ?`,
		t.Name, string(skills), string(t.Hours), b2i(t.Escalation), b2i(t.Partner), t.ID, t.WorkspaceID)
}

func (q queries) SetTeamMembers(ctx context.Context, teamID care.ID, userIDs []care.ID) error {
	return q.inTx(ctx, func(q queries) error {
		if _, err := q.Team(ctx, teamID); err != nil {
			return err
		}
		if _, err := q.exec(ctx, `DELETE FROM team_members WHERE team_id = ?`, teamID); err != nil {
			return q.wrap(err, "team members")
		}
		for _, u := range userIDs {
			if _, err := q.exec(ctx, `INSERT INTO team_members (team_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, teamID, u); err != nil {
				return q.wrap(err, "team member")
			}
		}
		return nil
	})
}

func (q queries) CreateToken(ctx context.Context, t *care.Token) error {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = time.Now()
	}
	t.CreatedAt = fromMicros(micros(t.CreatedAt))
	id, err := q.insert(ctx, `INSERT INTO tokens (workspace_id, user_id, name, role, hash, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		t.WorkspaceID, t.UserID, t.Name, string(t.Role), t.Hash, micros(t.CreatedAt))
	if err != nil {
		return q.wrap(err, "token")
	}
	t.ID = id
	return nil
}

const tokenCols = `id, workspace_id, user_id, name, role, hash, created_at, last_used_at`

func scanToken(sc interface{ Scan(...any) error }) (*care.Token, error) {
	var t care.Token
	var role string
	var at int64
	var used sql.NullInt64
	if err := sc.Scan(&t.ID, &t.WorkspaceID, &t.UserID, &t.Name, &role, &t.Hash, &at, &used); err != nil {
		return nil, err
	}
	t.Role = care.Role(role)
	t.CreatedAt = fromMicros(at)
	t.LastUsedAt = timePtr(used)
	return &t, nil
}

func (q queries) TokenByHash(ctx context.Context, hash []byte) (*care.Token, error) {
	t, err := scanToken(q.row(ctx, `SELECT `+tokenCols+` FROM tokens WHERE hash = ?`, hash))
	return t, q.wrap(err, "token")
}

// TouchToken records that the token was used at at. A time is never moved
// back, so uses recorded out of order (two nodes, one request each) keep
// the latest; a token deleted meanwhile is no error. How often it is called
// is the caller's to decide: the API calls it at most once a minute per
// token, not on every request.
func (q queries) TouchToken(ctx context.Context, id care.ID, at time.Time) error {
	_, err := q.exec(ctx, `UPDATE tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)`,
		micros(at), id, micros(at))
	return q.wrap(err, "token use")
}

func (q queries) Tokens(ctx context.Context, workspaceID care.ID) ([]care.Token, error) {
	rows, err := q.query(ctx, `SELECT `+tokenCols+` FROM tokens WHERE workspace_id = ? ORDER BY id`, workspaceID)
	if err != nil {
		return nil, q.wrap(err, "tokens")
	}
	return collect(rows, scanToken, q, "tokens")
}

func (q queries) DeleteToken(ctx context.Context, workspaceID, id care.ID) error {
	return q.affectOne(ctx, "token", `DELETE FROM tokens WHERE workspace_id = ? AND id = ?`, workspaceID, id)
}

func (q queries) CreateSession(ctx context.Context, s *care.Session) error {
	_, err := q.exec(ctx, `INSERT INTO sessions (hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		s.Hash, s.UserID, s.CSRF, micros(s.CreatedAt), micros(s.ExpiresAt))
	return q.wrap(err, "session")
}

func (q queries) SessionByHash(ctx context.Context, hash []byte) (*care.Session, error) {
	var s care.Session
	var created, expires int64
	err := q.row(ctx, `SELECT hash, user_id, csrf, created_at, expires_at FROM sessions WHERE hash = ?`, hash).
		Scan(&s.Hash, &s.UserID, &s.CSRF, &created, &expires)
	if err != nil {
		return nil, q.wrap(err, "session")
	}
	s.CreatedAt, s.ExpiresAt = fromMicros(created), fromMicros(expires)
	return &s, nil
}

func (q queries) DeleteSession(ctx context.Context, hash []byte) error {
	_, err := q.exec(ctx, `DELETE FROM sessions WHERE hash = ?`, hash)
	return q.wrap(err, "session")
}

func (q queries) DeleteUserSessions(ctx context.Context, userID care.ID, keep []byte) (int, error) {
	query, args := `DELETE FROM sessions WHERE user_id = ?`, []any{userID}
	if keep != nil {
		query, args = query+` AND hash <> ?`, append(args, keep)
	}
	res, err := q.exec(ctx, query, args...)
	if err != nil {
		return 0, q.wrap(err, "sessions")
	}
	n, err := res.RowsAffected()
	return int(n), q.wrap(err, "sessions")
}

func (q queries) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	res, err := q.exec(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, micros(now))
	if err != nil {
		return 0, q.wrap(err, "sessions")
	}
	n, err := res.RowsAffected()
	return int(n), q.wrap(err, "sessions")
}
