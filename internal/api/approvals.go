package api

import (
	"net/http"

	"github.com/parleyhq/parley/internal/desk"
)

type approvalList struct {
	Approvals []desk.Approval `json:"approvals"`
}

// listApprovals is the approvers' queue: public replies held for approval,
// oldest first, each with when it is due by the workspace's approval SLA.
// A member of a partner team sees only the replies held in conversations
// their scope sees (desk.Approvals keeps to it).
func (s *Server) listApprovals(w http.ResponseWriter, r *http.Request) {
	list, err := s.Desk.Approvals(r.Context(), principal(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, approvalList{Approvals: list})
}

type approveRequest struct {
	// Text, when set, is the approver's edit of the reply.
	Text *string `json:"text"`
}

func (s *Server) approveMessage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var req approveRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	m, err := s.Desk.Approve(r.Context(), principal(r), id, req.Text)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

type rejectRequest struct {
	Reason string `json:"reason"`
}

func (s *Server) rejectMessage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var req rejectRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	m, err := s.Desk.Reject(r.Context(), principal(r), id, req.Reason)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}
