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
	ns, err := h.Desk.Notifications(r.Context(), a.Principal, false, notificationLimit)
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
