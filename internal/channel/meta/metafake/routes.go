package metafake

import (
	"net/http"
)

// Handler serves the fake Graph API and its CDN (media.go). Paths have no
// version prefix: point an inbox's api_base at the server's root.
func (f *Fake) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /{id}/messages", f.sendMessage)
	mux.HandleFunc("POST /{id}/comments", f.replyComment)
	mux.HandleFunc("POST /{id}/replies", f.replyIGComment)
	mux.HandleFunc("POST /{id}/mentions", f.replyMention)
	mux.HandleFunc("POST /{id}", f.updateComment)
	mux.HandleFunc("DELETE /{id}", f.deleteComment)
	mux.HandleFunc("GET /{id}", f.getProfile)
	mux.HandleFunc("GET /v/{dir}/{file}", f.serveMedia)
	return mux
}
