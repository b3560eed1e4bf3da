package api

import (
	"net/http"

	"github.com/parleyhq/parley/internal/care"
)

type notificationList struct {
	Notifications []care.Notification `json:"notifications"`
	Unread        int                 `json:"unread"`
}

// listNotifications answers the caller's notifications, newest first,
// with how many are unread; ?unread=true leaves out the read ones.
func (s *Server) listNotifications(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if p.UserID == 0 {
		writeError(w, r, care.Errorf(care.EINVALID, "Notifications belong to a person; this token is not one."))
		return
	}
	limit, err := queryInt(r, "limit", 50, 200)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var unreadOnly bool
	switch v := r.URL.Query().Get("unread"); v {
	case "", "false":
	case "true":
		unreadOnly = true
	default:
		writeError(w, r, care.Errorf(care.EINVALID, "unread must be true or false."))
		return
	}
	list, err := s.Desk.Notifications(r.Context(), p, unreadOnly, limit)
	if err != nil {
		writeError(w, r, err)
		return
	}
	n, err := s.Desk.UnreadNotifications(r.Context(), p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if list == nil {
		list = []care.Notification{}
	}
	writeJSON(w, http.StatusOK, notificationList{Notifications: list, Unread: n})
}

type readNotificationsRequest struct {
	// IDs to mark read; none means all of the caller's.
	IDs []care.ID `json:"ids"`
}

type readNotificationsResponse struct {
	Read   int `json:"read"`
	Unread int `json:"unread"`
}

func (s *Server) readNotifications(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if p.UserID == 0 {
		writeError(w, r, care.Errorf(care.EINVALID, "Notifications belong to a person; this token is not one."))
		return
	}
	var req readNotificationsRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	ids, err := s.Desk.ReadableNotifications(r.Context(), p, req.IDs)
	if err != nil {
		writeError(w, r, err)
		return
	}
	n := 0
	if ids == nil || len(ids) > 0 {
		if n, err = s.Store.ReadNotifications(r.Context(), p.WorkspaceID, p.UserID, ids, s.now()); err != nil {
			writeError(w, r, err)
			return
		}
	}
	left, err := s.Desk.UnreadNotifications(r.Context(), p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, readNotificationsResponse{Read: n, Unread: left})
}
