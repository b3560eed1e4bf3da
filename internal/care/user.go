package care

import (
	"encoding/json"
	"strconv"
	"time"
)

// Role is what a member may do inside a workspace.
type Role string

// Roles, from most to least privileged. Admins manage the workspace, its
// inboxes, users and tokens; supervisors manage teams and any conversation;
// agents work conversations.
const (
	RoleAdmin      Role = "admin"
	RoleSupervisor Role = "supervisor"
	RoleAgent      Role = "agent"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleSupervisor || r == RoleAgent }

// AtLeast reports whether r grants at least the rights of min.
func (r Role) AtLeast(min Role) bool { return r.rank() >= min.rank() }

func (r Role) rank() int {
	switch r {
	case RoleAdmin:
		return 3
	case RoleSupervisor:
		return 2
	case RoleAgent:
		return 1
	}
	return 0
}

// User is a person who signs in. Users are global to the install; their rights
// come from memberships in workspaces.
type User struct {
	ID           ID        `json:"id"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
	Disabled     bool      `json:"disabled"`
}

// Member is a user's place in one workspace.
type Member struct {
	WorkspaceID ID   `json:"workspace_id"`
	UserID      ID   `json:"user_id"`
	Role        Role `json:"role"`
}

// Team groups agents of a workspace, for routing and for escalation (a PR or
// marketing team is an ordinary team).
type Team struct {
	ID          ID        `json:"id"`
	WorkspaceID ID        `json:"workspace_id"`
	Name        string    `json:"name"`
	MemberIDs   []ID      `json:"member_ids"`
	CreatedAt   time.Time `json:"created_at"`
	// Skills are what the team handles; routing gives it only matching
	// work it is asked to route to it.
	Skills Skills `json:"skills"`
	// Hours is the team's business-hours calendar (see package hours) as
	// JSON; empty means always open.
	Hours json.RawMessage `json:"hours,omitempty"`
	// Escalation marks a team conversations are handed to rather than
	// routed to: PR, marketing, legal.
	Escalation bool `json:"escalation"`
	// Partner marks an outsourced team: its members (other than admins)
	// see only the conversations of their own teams and those assigned to
	// them, and the contacts and events of those (see Scope).
	Partner bool `json:"partner"`
}

// Token is an API token. Only a hash of its secret is stored; the secret is
// shown once, when the token is created.
type Token struct {
	ID          ID         `json:"id"`
	WorkspaceID ID         `json:"workspace_id"`
	UserID      ID         `json:"user_id,omitempty"`
	Name        string     `json:"name"`
	Role        Role       `json:"role"`
	Hash        []byte     `json:"-"`
	CreatedAt   time.Time  `json:"created_at"`
	LastUsedAt  *time.Time `json:"last_used_at,omitempty"`
}

// Session is a signed-in browser. Like tokens, only a hash is stored.
type Session struct {
	Hash      []byte
	UserID    ID
	CSRF      string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Principal is whoever is making a request: a user through a session, or a
// token. Every operation checks the principal's role in the workspace.
type Principal struct {
	UserID      ID     // 0 for a token not tied to a user
	TokenID     ID     // 0 for a session
	WorkspaceID ID     // the workspace the request acts in
	Role        Role   // role in that workspace
	Name        string // for the audit trail
	// System names Parley itself acting ("moderation", "rule:7") when no
	// person or token does.
	System string
	// Scope limits what the principal sees; nil sees the whole workspace.
	Scope *Scope
}

// Actor describes the principal for the audit trail, e.g. "user:4" or "token:2".
func (p Principal) Actor() string {
	switch {
	case p.UserID != 0:
		return "user:" + itoa(p.UserID)
	case p.TokenID != 0:
		return "token:" + itoa(p.TokenID)
	case p.System != "":
		return p.System
	}
	return "system"
}

func itoa(i ID) string { return strconv.FormatInt(i, 10) }
