package api

import (
	"fmt"
	"net/http"

	"github.com/parleyhq/parley/internal/care"
)

// contactOf loads the contact in the path, if the caller sees it: one of
// their workspace and, for a member of a partner team, with a conversation
// in their scope. Any other is not found, exactly as a missing one.
func (s *Server) contactOf(r *http.Request) (*care.Contact, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	c, err := s.Store.Contact(r.Context(), id)
	if care.ErrorCode(err) == care.ENOTFOUND {
		return nil, care.ContactNotFound()
	}
	if err != nil {
		return nil, err
	}
	p := principal(r)
	if c.WorkspaceID != p.WorkspaceID {
		return nil, care.ContactNotFound()
	}
	if p.Scope == nil {
		return c, nil
	}
	conv, err := s.Desk.ContactConversation(r.Context(), p, c.ID)
	if err != nil {
		return nil, fmt.Errorf("api: conversations of contact %d: %w", c.ID, err)
	}
	if conv == 0 {
		return nil, care.ContactNotFound()
	}
	return c, nil
}

func (s *Server) getContact(w http.ResponseWriter, r *http.Request) {
	c, err := s.contactOf(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (s *Server) listIdentities(w http.ResponseWriter, r *http.Request) {
	c, err := s.contactOf(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	ids := c.Identities
	if ids == nil {
		ids = []care.Identity{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"identities": ids})
}

type mergeRequest struct {
	ContactID care.ID `json:"contact_id"`
}

// mergeContact folds the contact named in the body into the one in the path.
// Both are looked up here first so that a contact of another workspace is
// "not found", as everywhere else, rather than an error that confirms it
// exists. Members of a partner team may not merge: a merge moves every
// conversation of both contacts, theirs to see or not.
func (s *Server) mergeContact(w http.ResponseWriter, r *http.Request) {
	if err := principal(r).Scope.Refuse("merge contacts"); err != nil {
		writeError(w, r, err)
		return
	}
	winner, err := s.contactOf(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var req mergeRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	if req.ContactID <= 0 {
		writeError(w, r, care.Errorf(care.EINVALID, "contact_id must name the contact to merge into contact %d.", winner.ID))
		return
	}
	loser, err := s.Store.Contact(r.Context(), req.ContactID)
	if err == nil && loser.WorkspaceID != principal(r).WorkspaceID {
		err = care.ContactNotFound()
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	m, err := s.Desk.Merge(r.Context(), principal(r), winner.ID, loser.ID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

func (s *Server) undoMerge(w http.ResponseWriter, r *http.Request) {
	if err := principal(r).Scope.Refuse("undo contact merges"); err != nil {
		writeError(w, r, err)
		return
	}
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	m, err := s.Desk.Unmerge(r.Context(), principal(r), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}
