package mastofake

import "net/http"

// Handler serves the instance's API: the REST methods Parley uses (search
// and hashtag timelines included) and the streaming API, on one host (GET
// /api/v1/streaming answers 404, which tells clients that the streaming
// API is on the same host).
func (f *Fake) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/accounts/verify_credentials", f.rest(f.verifyCredentials))
	mux.HandleFunc("GET /api/v2/instance", f.rest(f.instance))
	mux.HandleFunc("GET /api/v1/notifications", f.rest(f.listNotifications))
	mux.HandleFunc("GET /api/v1/statuses/{id}", f.rest(f.getStatus))
	mux.HandleFunc("POST /api/v1/statuses", f.rest(f.postStatus))
	mux.HandleFunc("GET /api/v2/search", f.rest(f.search))
	mux.HandleFunc("GET /api/v1/timelines/tag/{hashtag}", f.rest(f.tagTimeline))
	mux.HandleFunc("GET /api/v1/streaming/health", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("OK"))
	})
	mux.HandleFunc("GET /api/v1/streaming/user", f.streaming(false))
	mux.HandleFunc("GET /api/v1/streaming/user/notification", f.streaming(true))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "Record not found")
	})
	return mux
}
