package api

import (
	"net/http"

	"github.com/parleyhq/parley/internal/care"
)

func (s *Server) contactOf(r *http.Request) (*care.Contact, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	c, err := s.Store.Contact(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if c.WorkspaceID != principal(r).WorkspaceID {
		return nil, care.Errorf(care.ENOTFOUND, "Contact not found.")
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
// exists.
func (s *Server) mergeContact(w http.ResponseWriter, r *http.Request) {
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
		err = care.Errorf(care.ENOTFOUND, "Contact not found.")
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
