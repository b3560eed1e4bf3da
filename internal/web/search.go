package web

import (
	"context"
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
// q, newest first, each linking to its conversation. A member of a partner
// team finds only what their scope sees: the store searches the whole
// workspace, so more hits are read than shown and the others dropped.
func (h *Handler) search(w http.ResponseWriter, r *http.Request, a *agent) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	p := searchPage{layout: layout{Title: "Search", Page: "search", Agent: a, Query: q}}
	if q == "" {
		h.render(w, r, http.StatusOK, "search", p)
		return
	}
	p.Title = "Search: " + q
	limit := searchLimit
	if a.Scoped() {
		limit = care.MaxSearchLimit
	}
	hits, err := h.Store.Search(r.Context(), a.WorkspaceID, q, limit)
	if care.ErrorCode(err) == care.EINVALID {
		p.Error = care.ErrorMessage(err)
		h.render(w, r, http.StatusBadRequest, "search", p)
		return
	} else if err != nil {
		h.renderError(w, r, a, err)
		return
	}
	p.Searched = true
	if hits, err = h.visibleHits(r.Context(), a, hits); err != nil {
		h.renderError(w, r, a, err)
		return
	}
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

// visibleHits keeps the hits a sees, at most searchLimit: a message in a
// conversation of their scope, a contact with one (linked to it, not to
// the contact's latest conversation, which may lie outside).
func (h *Handler) visibleHits(ctx context.Context, a *agent, hits []care.SearchHit) ([]care.SearchHit, error) {
	if !a.Scoped() {
		return hits, nil
	}
	seen := h.sight(a)
	out := hits[:0]
	for _, hit := range hits {
		if len(out) == searchLimit {
			break
		}
		ok, err := seen.sees(ctx, hit.ConversationID)
		if err != nil {
			return nil, err
		}
		if !ok && hit.MessageID == 0 {
			id, err := h.visibleConversationOf(ctx, a, hit.ContactID)
			if err != nil {
				return nil, err
			}
			hit.ConversationID, ok = id, id != 0
		}
		if ok {
			out = append(out, hit)
		}
	}
	return out, nil
}
