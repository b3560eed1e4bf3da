package sse

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/parleyhq/parley/internal/care"
)

// Conversations looks up a conversation, so that a stream limited to a
// scope can tell whether an event's conversation is in it. care.Store
// satisfies it.
type Conversations interface {
	Conversation(ctx context.Context, id care.ID) (*care.Conversation, error)
}

// maxRemembered bounds how many conversations a scoped stream remembers the
// verdict of; past it, one is forgotten for each new one, to be looked up
// again if it comes back.
const maxRemembered = 4096

// scopeFilter decides which events and signals a stream limited to a scope
// delivers: those of the conversations the scope sees. It is used by one
// stream's goroutine only.
type scopeFilter struct {
	scope       *care.Scope
	workspaceID care.ID
	// lookup is nil when the stream has no way to look conversations up;
	// then only conversation.* events, which carry the conversation, can be
	// judged, replayed or not, and the rest are withheld.
	lookup Conversations
	seen   map[care.ID]bool
	// replayTo is the newest event when the stream started. The events up
	// to it are replayed history, judged by their conversation as it is
	// now rather than as the event left it: a conversation since moved
	// out of the scope is not replayed, as REST no longer shows it, and
	// one since moved in is, as REST shows it whole. The lookups happen
	// after replayTo was read, so they are at least as new as any event
	// replayed; the events after it are judged as they come.
	replayTo care.ID
}

func newScopeFilter(scope *care.Scope, workspaceID care.ID, lookup Conversations) *scopeFilter {
	return &scopeFilter{scope: scope, workspaceID: workspaceID, lookup: lookup, seen: map[care.ID]bool{}}
}

// event reports whether e may be delivered. Events of no conversation
// (contact merges, which move conversations of both contacts whoever sees
// them) are withheld. An error means the conversation could not be looked
// up; the stream ends, and the client resumes once storage answers again.
func (f *scopeFilter) event(ctx context.Context, e care.Event) (bool, error) {
	if e.ConversationID == 0 {
		return false, nil
	}
	if e.ID <= f.replayTo && f.lookup != nil {
		return f.sees(ctx, e.ConversationID)
	}
	// A conversation event carries the conversation as it now is: it says
	// whether the scope sees it without a lookup, and a move into or out of
	// the scope's teams takes effect from that event on.
	if strings.HasPrefix(string(e.Type), "conversation.") {
		if c, ok := snapshot(e); ok {
			seen := f.scope.Sees(c)
			f.remember(e.ConversationID, seen)
			return seen, nil
		}
	}
	return f.sees(ctx, e.ConversationID)
}

// hideLink removes from a delivered conversation event the link to the
// conversation's other half (public thread or private follow-up) when the
// scope does not see that one: its id would confirm it exists.
func (f *scopeFilter) hideLink(ctx context.Context, e *care.Event) error {
	if !strings.HasPrefix(string(e.Type), "conversation.") || !strings.Contains(string(e.Data), `"linked_id"`) {
		return nil
	}
	var d map[string]json.RawMessage
	if json.Unmarshal(e.Data, &d) != nil {
		return nil
	}
	var linked care.ID
	if json.Unmarshal(d["linked_id"], &linked) != nil || linked == 0 {
		return nil
	}
	seen, err := f.sees(ctx, linked)
	if err != nil || seen {
		return err
	}
	delete(d, "linked_id")
	data, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("sse: event %d: %w", e.ID, err)
	}
	e.Data = data
	return nil
}

// signal reports whether an ephemeral signal may be delivered: those that
// name a conversation the scope sees. A signal is not worth ending the
// stream for, so a failed lookup withholds it.
func (f *scopeFilter) signal(ctx context.Context, sig Signal) bool {
	var d struct {
		ConversationID care.ID `json:"conversation_id"`
	}
	if json.Unmarshal(sig.Data, &d) != nil || d.ConversationID == 0 {
		return false
	}
	ok, err := f.sees(ctx, d.ConversationID)
	return err == nil && ok
}

// sees answers from memory, else from a lookup it remembers.
func (f *scopeFilter) sees(ctx context.Context, id care.ID) (bool, error) {
	if seen, ok := f.seen[id]; ok {
		return seen, nil
	}
	if f.lookup == nil {
		return false, nil
	}
	c, err := f.lookup.Conversation(ctx, id)
	switch {
	case care.ErrorCode(err) == care.ENOTFOUND:
		f.remember(id, false)
		return false, nil
	case err != nil:
		return false, fmt.Errorf("sse: conversation %d: %w", id, err)
	}
	seen := c.WorkspaceID == f.workspaceID && f.scope.Sees(c)
	f.remember(id, seen)
	return seen, nil
}

func (f *scopeFilter) remember(id care.ID, seen bool) {
	if _, ok := f.seen[id]; !ok && len(f.seen) >= maxRemembered {
		for old := range f.seen {
			delete(f.seen, old)
			break
		}
	}
	f.seen[id] = seen
}

// snapshot reads the fields a scope judges by from a conversation event's
// data. ok is false when the data is not the event's conversation.
func snapshot(e care.Event) (c *care.Conversation, ok bool) {
	var d struct {
		ID               care.ID `json:"id"`
		WorkspaceID      care.ID `json:"workspace_id"`
		AssigneeID       care.ID `json:"assignee_id"`
		TeamID           care.ID `json:"team_id"`
		EscalationTeamID care.ID `json:"escalation_team_id"`
	}
	if json.Unmarshal(e.Data, &d) != nil || d.ID != e.ConversationID || d.WorkspaceID != e.WorkspaceID {
		return nil, false
	}
	return &care.Conversation{ID: d.ID, WorkspaceID: d.WorkspaceID, AssigneeID: d.AssigneeID, TeamID: d.TeamID,
		EscalationTeamID: d.EscalationTeamID}, true
}
