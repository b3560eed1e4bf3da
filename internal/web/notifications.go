package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/parleyhq/parley/internal/care"
)

// The notifications page lists what needs the agent: colleagues' @mentions
// and automation rules' calls. Opening a conversation marks its
// notifications read; the page has a button for the rest.

type notificationView struct {
	ID              care.ID
	Kind            string
	Text            string
	Href            string
	When, WhenTitle string
	Unread          bool
}

type notificationsPage struct {
	layout
	Items []notificationView
}

// notificationLimit is how many notifications the page shows.
const notificationLimit = 100

func (h *Handler) notifications(w http.ResponseWriter, r *http.Request, a *agent) {
	ns, err := h.Store.Notifications(r.Context(), a.WorkspaceID, a.UserID, false, notificationLimit)
	if err == nil {
		ns, err = h.visibleNotifications(r.Context(), a, ns)
	}
	if err != nil {
		h.renderError(w, r, a, err)
		return
	}
	now := h.now()
	p := notificationsPage{layout: layout{Title: "Notifications", Page: "notifications", Agent: a}}
	for _, n := range ns {
		v := notificationView{ID: n.ID, Kind: string(n.Kind), Text: plain(n.Text), When: ago(n.CreatedAt, now),
			WhenTitle: stamp(n.CreatedAt), Unread: n.ReadAt == nil}
		if n.ConversationID != 0 {
			v.Href = "/c/" + strconv.FormatInt(n.ConversationID, 10)
			if n.MessageID != 0 {
				v.Href += "#m" + strconv.FormatInt(n.MessageID, 10)
			}
		}
		p.Items = append(p.Items, v)
	}
	h.render(w, r, http.StatusOK, "notifications", p)
}

// readAll marks every notification of the agent read.
func (h *Handler) readAll(w http.ResponseWriter, r *http.Request, a *agent) {
	if _, err := h.Store.ReadNotifications(r.Context(), a.WorkspaceID, a.UserID, nil, h.now()); err != nil {
		h.renderError(w, r, a, err)
		return
	}
	http.Redirect(w, r, "/notifications", http.StatusSeeOther)
}

// readConversation marks the agent's notifications about a conversation
// read, now that they have opened it.
func (h *Handler) readConversation(ctx context.Context, a *agent, convID care.ID) error {
	_, err := h.Store.ReadConversationNotifications(ctx, a.WorkspaceID, a.UserID, convID, h.now())
	return err
}

// visibleNotifications keeps the notifications about conversations a
// sees, and those about none. A colleague may @mention a member of a
// partner team in a conversation outside their scope: its words must not
// reach them through the notification either.
func (h *Handler) visibleNotifications(ctx context.Context, a *agent, ns []care.Notification) ([]care.Notification, error) {
	if !a.Scoped() {
		return ns, nil
	}
	seen := h.sight(a)
	return filterErr(ns, func(n care.Notification) (bool, error) {
		if n.ConversationID == 0 {
			return true, nil
		}
		return seen.sees(ctx, n.ConversationID)
	})
}

// unreadScan is how many unread notifications are read to count those a
// member of a partner team sees.
const unreadScan = 500

// unreadCount counts a's unread notifications, for the navigation.
func (h *Handler) unreadCount(ctx context.Context, a *agent) (int, error) {
	if !a.Scoped() {
		return h.Store.UnreadNotifications(ctx, a.WorkspaceID, a.UserID)
	}
	ns, err := h.Store.Notifications(ctx, a.WorkspaceID, a.UserID, true, unreadScan)
	if err == nil {
		ns, err = h.visibleNotifications(ctx, a, ns)
	}
	return len(ns), err
}
