package web

import (
	"context"
	"net/http"
	"slices"

	"github.com/parleyhq/parley/internal/care"
)

// A member of a partner team (an outsourced team) works in a scope: their
// teams' conversations and those assigned to them, and the contacts of
// those. Every page and action checks it here, beside the desk's own
// check, so that nothing outside it is shown, changed or even confirmed to
// exist: a conversation outside it is "not found", like a missing one,
// and what only makes sense for the whole workspace (queues, merging
// contacts) is refused.

// Scoped reports whether the agent sees only part of the workspace, for
// the templates to leave out what they may not use.
func (a *agent) Scoped() bool { return a.Scope != nil }

// loadConversation loads conversation id when a may see it.
func (h *Handler) loadConversation(ctx context.Context, a *agent, id care.ID) (*care.Conversation, error) {
	if id <= 0 {
		return nil, care.ConversationNotFound()
	}
	c, err := h.Store.Conversation(ctx, id)
	if care.ErrorCode(err) == care.ENOTFOUND || err == nil && (c.WorkspaceID != a.WorkspaceID || !a.Scope.Sees(c)) {
		return nil, care.ConversationNotFound()
	}
	return c, err
}

// checkScope refuses an action on the request's conversation when it is
// outside the agent's scope, before anything (an upload) is stored for
// it. An agent without a scope pays nothing: the desk finds a missing
// conversation itself.
func (h *Handler) checkScope(ctx context.Context, a *agent, r *http.Request) error {
	if a.Scope == nil {
		return nil
	}
	_, err := h.conversationOf(ctx, a, r)
	return err
}

// checkMessageScope is checkScope for an action on the request's message
// {mid}: both the conversation of the address and the message's own must
// be in scope.
func (h *Handler) checkMessageScope(ctx context.Context, a *agent, r *http.Request) error {
	if a.Scope == nil {
		return nil
	}
	if _, err := h.conversationOf(ctx, a, r); err != nil {
		return err
	}
	mid, ok := messageID(r)
	if !ok {
		return care.MessageNotFound()
	}
	_, err := h.visibleMessage(ctx, a, mid)
	return err
}

// visibleMessage loads message id when its conversation is one a may see.
func (h *Handler) visibleMessage(ctx context.Context, a *agent, id care.ID) (*care.Message, error) {
	m, err := h.Store.Message(ctx, id)
	if care.ErrorCode(err) == care.ENOTFOUND || err == nil && m.WorkspaceID != a.WorkspaceID {
		return nil, care.MessageNotFound()
	} else if err != nil {
		return nil, err
	}
	if a.Scope == nil {
		return m, nil
	}
	if _, err := h.loadConversation(ctx, a, m.ConversationID); care.ErrorCode(err) == care.ENOTFOUND {
		return nil, care.MessageNotFound()
	} else if err != nil {
		return nil, err
	}
	return m, nil
}

// inScope keeps the teams a scoped agent belongs to; an agent without a
// scope keeps them all.
func inScope(a *agent, teams []care.Team) []care.Team {
	if a.Scope == nil {
		return teams
	}
	return slices.DeleteFunc(teams, func(t care.Team) bool { return !slices.Contains(a.Scope.Teams, t.ID) })
}
