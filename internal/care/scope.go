package care

import (
	"context"
	"fmt"
	"slices"
)

// Partner teams: see Team.Partner and docs/ownership.md.

// Scope is what a member of a partner team may see of a workspace: the
// conversations owned by or escalated to one of their teams, and those
// assigned to them. A contact is seen through its conversations.
type Scope struct {
	UserID ID
	// Teams are all the user's teams, partner or not.
	Teams []ID
}

// Sees reports whether the scope includes c. A nil scope sees everything.
func (s *Scope) Sees(c *Conversation) bool {
	if s == nil {
		return true
	}
	if s.UserID != 0 && c.AssigneeID == s.UserID {
		return true
	}
	for _, t := range s.Teams {
		if t != 0 && (c.TeamID == t || c.EscalationTeamID == t) {
			return true
		}
	}
	return false
}

// ScopeFor is the scope of userID, given the teams they belong to: nil
// (the whole workspace) for admins and for users in no partner team.
func ScopeFor(userID ID, role Role, theirs []Team) *Scope {
	if userID == 0 || role == RoleAdmin {
		return nil
	}
	for i := range theirs {
		if theirs[i].Partner {
			s := &Scope{UserID: userID}
			for _, t := range theirs {
				s.Teams = append(s.Teams, t.ID)
			}
			return s
		}
	}
	return nil
}

// Refuse is the answer to a scoped principal asking for what spans the
// whole workspace; what names it ("see workspace reports"). A nil scope is
// refused nothing.
func (s *Scope) Refuse(what string) error {
	if s == nil {
		return nil
	}
	return Errorf(EFORBIDDEN, "Members of a partner team cannot %s; ask a supervisor of your company's own team.", what)
}

// The answers for a conversation, message or contact that is missing, of
// another workspace or outside the caller's scope: word for word the same,
// since any difference (a 403, other words) would confirm to a partner
// team that the id is real.
func ConversationNotFound() error { return Errorf(ENOTFOUND, "Conversation not found.") }
func MessageNotFound() error      { return Errorf(ENOTFOUND, "Message not found.") }
func ContactNotFound() error      { return Errorf(ENOTFOUND, "Contact not found.") }

// TeamLister is the store's one read the scope needs.
type TeamLister interface {
	TeamsOfMember(ctx context.Context, workspaceID, userID ID) ([]Team, error)
}

// ScopeOf reads userID's teams in the workspace and returns their scope:
// nil for admins (without a read) and for users in no partner team.
func ScopeOf(ctx context.Context, q TeamLister, workspaceID, userID ID, role Role) (*Scope, error) {
	if userID == 0 || role == RoleAdmin {
		return nil, nil
	}
	teams, err := q.TeamsOfMember(ctx, workspaceID, userID)
	if err != nil {
		return nil, fmt.Errorf("care: teams of user %d: %w", userID, err)
	}
	return ScopeFor(userID, role, teams), nil
}

// Shares reports whether userID is in one of the scope's teams: the people
// a partner member may hand work to, or manage. A nil scope shares with
// everyone.
func (s *Scope) Shares(ctx context.Context, q TeamLister, workspaceID, userID ID) (bool, error) {
	if s == nil || userID == s.UserID {
		return true, nil
	}
	theirs, err := q.TeamsOfMember(ctx, workspaceID, userID)
	if err != nil {
		return false, fmt.Errorf("care: teams of user %d: %w", userID, err)
	}
	for _, t := range theirs {
		if slices.Contains(s.Teams, t.ID) {
			return true, nil
		}
	}
	return false, nil
}

// Sight answers, for one request, whether a principal sees conversations
// by id, reading each at most once: lists (search hits, held replies,
// notifications) name the same conversation many times. Without a scope
// every conversation of the principal's workspace is seen, without a read.
type Sight struct {
	p    Principal
	load func(ctx context.Context, id ID) (*Conversation, error)
	seen map[ID]bool
}

// NewSight returns p's sight, loading conversations with load (a store's
// Conversation).
func NewSight(p Principal, load func(ctx context.Context, id ID) (*Conversation, error)) *Sight {
	return &Sight{p: p, load: load, seen: map[ID]bool{}}
}

// Sees reports whether the conversation is one of the principal's
// workspace within their scope. A missing one is not seen; any other
// failure is returned, so that a list is never cut short unawares.
func (s *Sight) Sees(ctx context.Context, id ID) (bool, error) {
	if s.p.Scope == nil {
		return true, nil
	}
	if ok, known := s.seen[id]; known {
		return ok, nil
	}
	c, err := s.load(ctx, id)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		s.seen[id] = false
		return false, nil
	case err != nil:
		return false, err
	}
	ok := c.WorkspaceID == s.p.WorkspaceID && s.p.Scope.Sees(c)
	s.seen[id] = ok
	return ok, nil
}
