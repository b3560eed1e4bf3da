package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/parleyhq/parley/internal/care"
)

// problem is an RFC 9457 problem detail.
type problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail"`
	Code     string `json:"code"`
	Instance string `json:"instance,omitempty"`
}

// errMethod is the code of a request to a path the API serves, with a
// method it does not serve there. Only the router answers it.
const errMethod = "method_not_allowed"

var statusOf = map[string]int{
	errMethod:          http.StatusMethodNotAllowed,
	care.EINVALID:      http.StatusBadRequest,
	care.EUNAUTHORIZED: http.StatusUnauthorized,
	care.EFORBIDDEN:    http.StatusForbidden,
	care.ENOTFOUND:     http.StatusNotFound,
	care.ECONFLICT:     http.StatusConflict,
	care.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	care.EUNAVAILABLE:  http.StatusServiceUnavailable,
	care.EINTERNAL:     http.StatusInternalServerError,
}

// writeError answers with application/problem+json. Only the coded error's
// safe message reaches the client; internal causes go to the log.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := care.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	retry := ""
	var refused *SignInRefused
	if errors.As(err, &refused) {
		// Logged as a warning where it was refused: a sign-in not checked
		// is no failure of Parley's, and a flood of them must not be one.
		status, retry = refused.Status, strconv.Itoa(refused.RetryAfterSeconds())
	} else if status >= 500 {
		slog.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="parley"`)
	}
	if status == http.StatusServiceUnavailable && retry == "" {
		retry = "5"
	}
	if retry != "" {
		w.Header().Set("Retry-After", retry)
	}
	p := problem{
		Type:     "https://parley.dev/problems/" + code,
		Title:    http.StatusText(status),
		Status:   status,
		Detail:   care.ErrorMessage(err),
		Code:     code,
		Instance: r.URL.Path,
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(p)
}

// CrossOriginRefused answers a request that http.CrossOriginProtection
// refused, a browser's from a page of another origin, as every other
// refusal is answered: a problem detail that says what to do instead.
func CrossOriginRefused(w http.ResponseWriter, r *http.Request) {
	writeError(w, r, care.Errorf(care.EFORBIDDEN, "Cross-origin request refused: the browser says it was sent from a page of another site (Sec-Fetch-Site or Origin header). "+
		"Send it from Parley's own pages, or call the API from a server or script with an API token (Authorization: Bearer <token>)."))
}

// writeJSON answers with v as JSON. It encodes before it answers, so a
// value JSON cannot hold (an infinite number) is a 500 that says so, not a
// 200 with an empty body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		slog.Error("answer not written as JSON", "err", err)
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusInternalServerError)
		json.NewEncoder(w).Encode(problem{Type: "https://parley.dev/problems/" + care.EINTERNAL, Title: "Internal Server Error",
			Status: http.StatusInternalServerError, Detail: "The answer could not be written as JSON; this is a bug in Parley.", Code: care.EINTERNAL})
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}
