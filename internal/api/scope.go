package api

import (
	"context"
	"net/http"

	"github.com/parleyhq/parley/internal/care"
)

// visibility is the caller's care.Sight, for what an answer must leave
// out of their view.
type visibility struct{ *care.Sight }

func (s *Server) visibility(r *http.Request) visibility {
	return visibility{care.NewSight(principal(r), s.Store.Conversation)}
}

// hideLink clears c's link to its public or private other half when the
// caller does not see that one: its id would confirm it exists.
func (v visibility) hideLink(ctx context.Context, c *care.Conversation) error {
	if c.LinkedID == 0 {
		return nil
	}
	ok, err := v.Sees(ctx, c.LinkedID)
	if err == nil && !ok {
		c.LinkedID = 0
	}
	return err
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
