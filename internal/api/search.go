package api

import (
	"fmt"
	"net/http"

	"github.com/parleyhq/parley/internal/care"
)

// scopedOverfetch is how many more hits a scoped search asks the index for
// than it returns, since hits outside the scope are dropped afterwards. The
// index caps a search at care.MaxSearchLimit all the same, so a scope that
// sees little of a busy workspace may get fewer hits than asked for.
const scopedOverfetch = 4

// search finds the caller's workspace's messages and contacts by words. A
// member of a partner team gets only the hits whose conversation their
// scope sees; a contact hit names the contact's newest conversation, so it
// is kept only when that one is theirs.
func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	limit, err := queryInt(r, "limit", care.DefaultSearchLimit, care.MaxSearchLimit)
	if err != nil {
		writeError(w, r, err)
		return
	}
	p := principal(r)
	ask := limit
	if p.Scope != nil {
		ask = min(limit*scopedOverfetch, care.MaxSearchLimit)
	}
	hits, err := s.Store.Search(r.Context(), p.WorkspaceID, r.URL.Query().Get("q"), ask)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if p.Scope != nil {
		v := s.visibility(r)
		kept := hits[:0]
		for _, h := range hits {
			ok, err := v.sees(r.Context(), h.ConversationID)
			if err != nil {
				writeError(w, r, fmt.Errorf("api: search hit in conversation %d: %w", h.ConversationID, err))
				return
			}
			if ok {
				kept = append(kept, h)
			}
			if len(kept) == limit {
				break
			}
		}
		hits = kept
	}
	if hits == nil {
		hits = []care.SearchHit{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"hits": hits})
}
