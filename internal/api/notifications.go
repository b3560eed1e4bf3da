package api

import (
	"context"
	"fmt"
	"net/http"
	"slices"

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
	list, err := s.Store.Notifications(r.Context(), p.WorkspaceID, p.UserID, unreadOnly, limit)
	if err != nil {
		writeError(w, r, err)
		return
	}
	v := s.visibility(r)
	if list, err = v.notifications(r.Context(), list); err != nil {
		writeError(w, r, err)
		return
	}
	n, err := s.unreadNotifications(r, v)
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
	v := s.visibility(r)
	ids, err := s.readable(r, v, req.IDs)
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
	left, err := s.unreadNotifications(r, v)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, readNotificationsResponse{Read: n, Unread: left})
}

// readable narrows the ids a caller marks read (none: all of theirs) to
// the unread ones they may see. Unscoped, it is ids itself; scoped, it is
// never nil, and empty when nothing is left, since the store would read
// an empty list as "all". Otherwise "read": 1 for a hidden notification's
// id, and 0 for a missing one, would tell the two apart.
func (s *Server) readable(r *http.Request, v *visibility, ids []care.ID) ([]care.ID, error) {
	p := principal(r)
	if p.Scope == nil {
		return ids, nil
	}
	unread, err := s.Store.Notifications(r.Context(), p.WorkspaceID, p.UserID, true, maxScopedUnread)
	if err != nil {
		return nil, err
	}
	if unread, err = v.notifications(r.Context(), unread); err != nil {
		return nil, err
	}
	out := []care.ID{}
	for _, n := range unread {
		if len(ids) == 0 || slices.Contains(ids, n.ID) {
			out = append(out, n.ID)
		}
	}
	return out, nil
}

// maxScopedUnread bounds how many unread notifications are read back to
// count those a scoped caller sees; any beyond are counted as seen.
const maxScopedUnread = 500

// notifications keeps those about a conversation the caller sees, or about
// none: a member of a partner team may have been mentioned in, or a rule may
// have told their team of, a conversation since moved out of their scope.
func (v *visibility) notifications(ctx context.Context, list []care.Notification) ([]care.Notification, error) {
	if v.p.Scope == nil {
		return list, nil
	}
	kept := list[:0]
	for _, n := range list {
		if n.ConversationID != 0 {
			ok, err := v.sees(ctx, n.ConversationID)
			if err != nil {
				return nil, fmt.Errorf("api: notification %d: %w", n.ID, err)
			}
			if !ok {
				continue
			}
		}
		kept = append(kept, n)
	}
	return kept, nil
}

// unreadNotifications counts the caller's unread notifications they may
// read, so the count matches the list.
func (s *Server) unreadNotifications(r *http.Request, v *visibility) (int, error) {
	p := principal(r)
	n, err := s.Store.UnreadNotifications(r.Context(), p.WorkspaceID, p.UserID)
	if err != nil || p.Scope == nil || n == 0 {
		return n, err
	}
	unread, err := s.Store.Notifications(r.Context(), p.WorkspaceID, p.UserID, true, min(n, maxScopedUnread))
	if err != nil {
		return 0, err
	}
	beyond := max(n-len(unread), 0)
	if unread, err = v.notifications(r.Context(), unread); err != nil {
		return 0, err
	}
	return len(unread) + beyond, nil
}
