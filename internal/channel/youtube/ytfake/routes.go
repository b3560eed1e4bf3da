package ytfake

import (
	"net/http"
	"strings"
)

// Handler serves the YouTube Data API v3 methods Parley calls, under
// /youtube/v3 as www.googleapis.com does, and Google's token endpoint at
// /token. Point an inbox's api_base at the server's URL; its token_url
// defaults to {api_base}/token.
func (f *Fake) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /token", f.token)
	mux.HandleFunc("GET /youtube/v3/commentThreads", f.api(costList, f.listThreads))
	mux.HandleFunc("GET /youtube/v3/comments", f.api(costList, f.listComments))
	mux.HandleFunc("POST /youtube/v3/comments", f.api(costInsert, f.insertComment))
	mux.HandleFunc("POST /youtube/v3/comments/setModerationStatus", f.api(costModerate, f.setModerationStatus))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "notFound", "global", "Not Found")
	})
	return mux
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// api wraps a method: it checks the bearer token (401 as Google answers
// it), plays an injected failure, charges cost units (403 quotaExceeded
// when the day's quota cannot pay), records the request and runs h with
// f.mu held.
func (f *Fake) api(cost int, h func(w http.ResponseWriter, r *http.Request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		sw := &statusWriter{ResponseWriter: w}
		req := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query()}
		defer func() {
			req.Status = sw.status
			f.requests = append(f.requests, req)
		}()
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if exp, known := f.tokens[token]; !ok || !known || !f.now().Before(exp) {
			sw.Header().Set("WWW-Authenticate", `Bearer realm="https://accounts.google.com/", error="invalid_token"`)
			writeError(sw, http.StatusUnauthorized, "authError", "global", "Invalid Credentials")
			return
		}
		if fl, ok := f.failure(r.URL.Path); ok {
			if f.charge(1) {
				req.Units = 1
			}
			writeError(sw, fl.status, fl.reason, domainOf(fl.reason), messageOf(fl.reason))
			return
		}
		if !f.charge(cost) {
			writeError(sw, http.StatusForbidden, "quotaExceeded", "youtube.quota", messageOf("quotaExceeded"))
			return
		}
		req.Units = cost
		h(sw, r)
	}
}
