package api

import (
	"net/http"

	"github.com/parleyhq/parley/internal/care"
)

// search finds the caller's workspace's messages and contacts by words; a
// member of a partner team finds only what their scope sees (see
// desk.Search).
func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	limit, err := queryInt(r, "limit", care.DefaultSearchLimit, care.MaxSearchLimit)
	if err != nil {
		writeError(w, r, err)
		return
	}
	hits, err := s.Desk.Search(r.Context(), principal(r), r.URL.Query().Get("q"), limit)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if hits == nil {
		hits = []care.SearchHit{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"hits": hits})
}
