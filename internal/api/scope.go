package api

import (
	"context"
	"net/http"

	"github.com/parleyhq/parley/internal/care"
)

// visibility tells whether the caller sees conversations, loading each at
// most once: lists (search hits, held replies, notifications) name the same
// conversation many times.
type visibility struct {
	store care.Store
	p     care.Principal
	seen  map[care.ID]bool
}

func (s *Server) visibility(r *http.Request) *visibility {
	return &visibility{store: s.Store, p: principal(r), seen: map[care.ID]bool{}}
}

// sees reports whether the conversation exists in the caller's workspace
// and within their scope. A missing conversation is not seen; any other
// failure is returned, so a list is never cut short by an outage unawares.
func (v *visibility) sees(ctx context.Context, id care.ID) (bool, error) {
	if ok, done := v.seen[id]; done {
		return ok, nil
	}
	c, err := v.store.Conversation(ctx, id)
	switch {
	case care.ErrorCode(err) == care.ENOTFOUND:
		v.seen[id] = false
		return false, nil
	case err != nil:
		return false, err
	}
	ok := c.WorkspaceID == v.p.WorkspaceID && v.p.Scope.Sees(c)
	v.seen[id] = ok
	return ok, nil
}

// hideLink clears c's link to its public or private other half when the
// caller does not see that one: its id would confirm it exists.
func (v *visibility) hideLink(ctx context.Context, c *care.Conversation) error {
	if v.p.Scope == nil || c.LinkedID == 0 {
		return nil
	}
	ok, err := v.sees(ctx, c.LinkedID)
	if err == nil && !ok {
		c.LinkedID = 0
	}
	return err
}

// seesContact reports whether the caller sees a contact of their workspace:
// anyone unscoped does; a scoped caller needs one of its conversations in
// their scope.
func (s *Server) seesContact(ctx context.Context, p care.Principal, contactID care.ID) (bool, error) {
	if p.Scope == nil {
		return true, nil
	}
	page, err := s.Store.Conversations(ctx, care.ConversationFilter{WorkspaceID: p.WorkspaceID, ContactID: contactID, Scope: p.Scope, Limit: 1})
	if err != nil {
		return false, err
	}
	return len(page.Conversations) > 0, nil
}

// teammates is who a scoped caller may see in lists of people: the members
// of their teams and themselves. nil for an unscoped caller: everyone.
func (s *Server) teammates(r *http.Request) (map[care.ID]bool, error) {
	p := principal(r)
	if p.Scope == nil {
		return nil, nil
	}
	ids := map[care.ID]bool{p.UserID: true}
	for _, id := range p.Scope.Teams {
		t, err := s.Store.Team(r.Context(), id)
		if err != nil {
			return nil, err
		}
		for _, m := range t.MemberIDs {
			ids[m] = true
		}
	}
	return ids, nil
}
