package web

import (
	"encoding/json"
	"net/http"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/presence"
)

// touch records that the agent has the conversation open, and whether they
// are typing in it (form field typing=1), or that they left it (leave=1).
// It answers the other agents there, so the page shows them at once; later
// changes arrive on the event stream as "presence" events.
func (h *Handler) touch(w http.ResponseWriter, r *http.Request, a *agent) {
	c, err := h.conversationOf(r.Context(), a, r)
	if err != nil {
		http.Error(w, care.ErrorMessage(err), httpStatus(err))
		return
	}
	others := []presence.Viewer{}
	typing, leave := formValue(r, "typing") == "1", formValue(r, "leave") == "1"
	if h.ReplyTyping != nil && (formValue(r, "box") == "reply" || leave) {
		h.ReplyTyping(a.WorkspaceID, c.ID, a.UserID, a.Shown(), typing && !leave)
	}
	if h.Presence != nil {
		h.Presence.Touch(presence.Touch{WorkspaceID: a.WorkspaceID, ConversationID: c.ID, UserID: a.UserID, Name: a.Shown(),
			Typing: typing, Leave: leave})
		for _, v := range h.Presence.Viewers(c.ID) {
			if v.UserID != a.UserID {
				others = append(others, v)
			}
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(presence.Update{ConversationID: c.ID, Viewers: others})
}
