package gbpfake

import "net/http"

// Handler serves the token endpoint and the reviews API on one host:
// point an inbox's api_base at the server and its token_url at
// /token. Unknown paths are answered 404 NOT_FOUND with Google's error
// body.
func (f *Fake) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /token", f.token)
	mux.HandleFunc("GET /v4/accounts/{account}/locations/{location}/reviews", f.api(f.listReviews))
	mux.HandleFunc("GET /v4/accounts/{account}/locations/{location}/reviews/{review}", f.api(f.getReview))
	mux.HandleFunc("PUT /v4/accounts/{account}/locations/{location}/reviews/{review}/reply", f.api(f.updateReply))
	mux.HandleFunc("DELETE /v4/accounts/{account}/locations/{location}/reviews/{review}/reply", f.api(f.deleteReply))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "NOT_FOUND", "Requested entity was not found.")
	})
	return mux
}
