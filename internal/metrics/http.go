package metrics

import (
	"net/http"
	"strconv"
	"time"
)

// Middleware counts and times the requests next serves. route names a
// request's route for the labels; nil means the ServeMux pattern that matched
// it (r.Pattern), and an empty name is recorded as "other", so unmatched paths
// cannot create a series each.
//
// route is called after next returns, so Middleware may wrap the ServeMux
// itself: the mux records the pattern on the request it is given. A handler
// between the two that replaces the request (r.WithContext) hides the pattern;
// route can then read it from wherever that handler keeps it.
//
// Long-lived responses such as event streams are timed until they end, so
// they are best left outside, or given a route of their own.
func (m *Metrics) Middleware(route func(*http.Request) string, next http.Handler) http.Handler {
	if route == nil {
		route = func(r *http.Request) string { return r.Pattern }
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		name := route(r)
		if name == "" {
			name = "other"
		}
		code := sw.code
		if code == 0 {
			code = http.StatusOK
		}
		m.HTTPRequests.WithLabelValues(methodLabel(r.Method), name, strconv.Itoa(code)).Inc()
		m.HTTPDuration.WithLabelValues(name).Observe(time.Since(start).Seconds())
	})
}

// methodLabel keeps the method label bounded: clients may send any token.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return method
	}
	return "other"
}

// statusWriter remembers the status code a handler sends.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	// Informational responses (103 Early Hints) precede the real one.
	if w.code == 0 && code >= 200 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer, for
// flushing and deadlines.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
