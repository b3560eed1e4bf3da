package metafake

import (
	"fmt"
	"net/http"
	"time"
)

// Failure is an error the fake answers with instead of serving a call. With
// Code 0 and no Message the body is an HTML page, as from a proxy in front
// of the API.
type Failure struct {
	Status  int
	Code    int
	Subcode int
	Type    string
	Message string
	// Header is added to the response (usage headers, Retry-After).
	Header http.Header
}

// FailNext makes the next Graph API calls fail, one failure per call, in
// order.
func (f *Fake) FailNext(fs ...Failure) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures = append(f.failures, fs...)
}

// Throttled is a rate-limit error: code 4 (application), 17 (user), 32
// (Page), 613 (calls exceeded) or an 80000-series Business Use Case code,
// with the usage headers Meta sends, estimating access back after regain.
func Throttled(code int, regain time.Duration) Failure {
	h := http.Header{}
	mins := int(regain.Round(time.Minute) / time.Minute)
	h.Set("X-Business-Use-Case-Usage", fmt.Sprintf(
		`{"1000000000000001":[{"type":"pages","call_count":100,"total_cputime":25,"total_time":25,"estimated_time_to_regain_access":%d}]}`, mins))
	h.Set("X-App-Usage", `{"call_count":100,"total_time":20,"total_cputime":20}`)
	msg := "(#4) Application request limit reached"
	switch code {
	case 17:
		msg = "(#17) User request limit reached"
	case 32:
		msg = "(#32) Page request limit reached"
	case 613:
		msg = "(#613) Calls to this api have exceeded the rate limit."
	}
	if code >= 80000 {
		msg = fmt.Sprintf("(#%d) There have been too many calls from this Page. Wait a bit and try again.", code)
	}
	return Failure{Status: http.StatusBadRequest, Code: code, Type: "OAuthException", Message: msg, Header: h}
}

// Outage is Meta's temporary failure: HTTP 500, code 2.
func Outage() Failure {
	return Failure{Status: http.StatusInternalServerError, Code: 2, Type: "OAuthException",
		Message: "An unexpected error has occurred. Please retry your request later."}
}

// PermissionDenied is a missing-permission error (code 200 family).
func PermissionDenied() Failure {
	return Failure{Status: http.StatusForbidden, Code: 200, Type: "OAuthException",
		Message: "(#200) Requires pages_messaging permission to manage the object"}
}

// TokenExpired is an expired or revoked access token (code 190).
func TokenExpired() Failure {
	return Failure{Status: http.StatusBadRequest, Code: 190, Subcode: 463, Type: "OAuthException",
		Message: "Error validating access token: Session has expired."}
}

// popFailure takes the next injected failure; f.mu is held.
func (f *Fake) popFailure() (Failure, bool) {
	if len(f.failures) == 0 {
		return Failure{}, false
	}
	fl := f.failures[0]
	f.failures = f.failures[1:]
	return fl, true
}
