package redditfake

import "net/http"

// Handler serves the token endpoint (Reddit's is on www.reddit.com) and
// the API (on oauth.reddit.com) on one host.
func (f *Fake) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/access_token", f.limited(f.accessToken))
	mux.HandleFunc("GET /api/v1/me", f.api(f.me))
	mux.HandleFunc("GET /message/{where}", f.api(f.listMessages))
	mux.HandleFunc("GET /user/{name}/comments", f.api(f.userComments))
	mux.HandleFunc("GET /search", f.api(f.search))
	mux.HandleFunc("GET /api/info", f.api(f.info))
	mux.HandleFunc("POST /api/comment", f.api(f.postComment))
	mux.HandleFunc("POST /api/compose", f.api(f.compose))
	mux.HandleFunc("POST /api/remove", f.api(f.moderate("remove")))
	mux.HandleFunc("POST /api/approve", f.api(f.moderate("approve")))
	mux.HandleFunc("/", f.limited(func(w http.ResponseWriter, r *http.Request) {
		writeHTTPError(w, http.StatusNotFound)
	}))
	return mux
}
