package desk

import (
	"context"
	"slices"

	"github.com/parleyhq/parley/internal/care"
)

// message loads a message the principal may act on, with its conversation:
// one of another workspace, or in a conversation outside a partner member's
// scope, is "not found".
func message(ctx context.Context, q care.Queries, p care.Principal, id care.ID) (*care.Message, *care.Conversation, error) {
	m, err := q.Message(ctx, id)
	switch {
	case care.ErrorCode(err) == care.ENOTFOUND:
		return nil, nil, care.MessageNotFound()
	case err != nil:
		return nil, nil, err
	case m.WorkspaceID != p.WorkspaceID:
		return nil, nil, care.MessageNotFound()
	}
	c, err := q.Conversation(ctx, m.ConversationID)
	if err != nil {
		return nil, nil, err
	}
	if !p.Scope.Sees(c) {
		return nil, nil, care.MessageNotFound()
	}
	return m, c, nil
}

// withinScope refuses a partner member's change that would hand a
// conversation to people outside their teams, or drop it out of their own
// view: a partner team works its own queue and passes work only among its
// own people. Everyone else may make any change. It runs before the checks
// that say whether a team or user exists, so a partner member cannot use
// Update to probe the workspace's teams and users.
func withinScope(ctx context.Context, q care.Queries, p care.Principal, before *care.Conversation, u care.ConversationUpdate) error {
	s := p.Scope
	if s == nil {
		return nil
	}
	if u.EscalationTeamID != nil && *u.EscalationTeamID != 0 {
		return care.Errorf(care.EFORBIDDEN, "Members of a partner team cannot escalate a conversation; ask a supervisor of your company's own team.")
	}
	if u.EscalationTeamID != nil && before.EscalationTeamID != 0 && !slices.Contains(s.Teams, before.EscalationTeamID) {
		// The escalation is another team's to end: it would lose the
		// conversation without being told.
		return care.Errorf(care.EFORBIDDEN, "Only the team this conversation was escalated to can end the escalation.")
	}
	if u.TeamID != nil && *u.TeamID != 0 && !slices.Contains(s.Teams, *u.TeamID) {
		return care.Errorf(care.EFORBIDDEN, "You can only move a conversation to one of your teams.")
	}
	if u.AssigneeID != nil && *u.AssigneeID != 0 {
		ok, err := s.Shares(ctx, q, p.WorkspaceID, *u.AssigneeID)
		if err != nil {
			return err
		}
		if !ok {
			return care.Errorf(care.EFORBIDDEN, "You can only assign a conversation to a member of one of your teams.")
		}
	}
	if u.TeamID != nil && *u.TeamID == 0 && before.TeamID != 0 {
		// Handing work on, or ending an escalation, may rightly take a
		// conversation out of their view; taking its team off only loses
		// it, unless it stays theirs another way.
		after := *before
		after.TeamID = 0
		if u.AssigneeID != nil {
			after.AssigneeID = *u.AssigneeID
		}
		if u.EscalationTeamID != nil {
			after.EscalationTeamID = *u.EscalationTeamID
		}
		if !s.Sees(&after) {
			return care.Errorf(care.EFORBIDDEN, "You cannot take the team off this conversation: it would leave your view. Move it to another of your teams instead, or assign it to yourself first.")
		}
	}
	return nil
}

// seesConversation reports whether the member userID, of the given role,
// may see conv: a partner member is told only of their teams' work.
func seesConversation(ctx context.Context, q care.Queries, conv *care.Conversation, userID care.ID, role care.Role) (bool, error) {
	sc, err := care.ScopeOf(ctx, q, conv.WorkspaceID, userID, role)
	return err == nil && sc.Sees(conv), err
}
