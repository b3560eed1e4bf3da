package web

import (
	"net/http"
	"strings"

	"github.com/parleyhq/parley/internal/care"
)

// searchLimit is how many hits the search page shows.
const searchLimit = 50

type searchPage struct {
	layout
	Searched bool
	Hits     []searchHit
}

type searchHit struct {
	ConvID  care.ID
	Contact string
	Kind    string // "message" or "contact"
	Snippet string // hidden characters dropped; the template escapes it
}

// search shows the workspace's messages and contacts matching the words of
// q, newest first, each linking to its conversation; a member of a partner
// team finds only what their scope sees (see desk.Search).
func (h *Handler) search(w http.ResponseWriter, r *http.Request, a *agent) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	p := searchPage{layout: layout{Title: "Search", Page: "search", Agent: a, Query: q}}
	if q == "" {
		h.render(w, r, http.StatusOK, "search", p)
		return
	}
	p.Title = "Search: " + q
	hits, err := h.Desk.Search(r.Context(), a.Principal, q, searchLimit)
	if care.ErrorCode(err) == care.EINVALID {
		p.Error = care.ErrorMessage(err)
		h.render(w, r, http.StatusBadRequest, "search", p)
		return
	} else if err != nil {
		h.renderError(w, r, a, err)
		return
	}
	p.Searched = true
	names := map[care.ID]string{}
	for _, hit := range hits {
		name, ok := names[hit.ContactID]
		if !ok {
			if c, err := h.Store.Contact(r.Context(), hit.ContactID); err == nil && c.WorkspaceID == a.WorkspaceID {
				name = personName(c)
			}
			names[hit.ContactID] = name
		}
		kind := "message"
		if hit.MessageID == 0 {
			kind = "contact"
		}
		p.Hits = append(p.Hits, searchHit{ConvID: hit.ConversationID, Contact: name, Kind: kind, Snippet: plain(hit.Snippet)})
	}
	h.render(w, r, http.StatusOK, "search", p)
}
