package xfake

import (
	"net/http"
	"slices"
	"strings"
)

// SetMediaBase makes the fake name its DM files at base (its own URL, say)
// instead of https://ton.twitter.com, so that a test can fetch them from it.
func (f *Fake) SetMediaBase(base string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.mediaBase = strings.TrimRight(base, "/")
}

// dmMedia serves GET /1.1/ton/data/dm/{dm}/{media}/{name} as X does: only
// to a request authorized, with a bearer token or signed with OAuth 1.0a,
// for the DM's sender or recipient (developer.x.com,
// direct-messages/message-attachments/guides/retrieving-media); 401
// otherwise, 404 for a file it does not have.
func (f *Fake) dmMedia(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	token, bearer := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	user := f.tokens[token]
	if !bearer || token == "" {
		user = f.oauth1User(r)
	}
	i := slices.IndexFunc(f.dms, func(d *DM) bool { return d.ID == r.PathValue("dm") })
	var d *DM
	if i >= 0 {
		d = f.dms[i]
	}
	f.mu.Unlock()
	switch {
	case user == "":
		writeJSON(w, http.StatusUnauthorized, map[string]any{"errors": []any{map[string]any{"code": 32, "message": "Could not authenticate you."}}})
		return
	case d == nil || d.Media == nil || d.Media.ID != r.PathValue("media") || d.Media.Name != r.PathValue("name"):
		http.NotFound(w, r)
		return
	case user != d.SenderID && user != d.RecipientID:
		writeJSON(w, http.StatusForbidden, map[string]any{"errors": []any{map[string]any{"code": 200, "message": "Forbidden."}}})
		return
	}
	w.Header().Set("Content-Type", d.Media.ContentType)
	w.Write(d.Media.Body)
}
