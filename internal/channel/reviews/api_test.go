package reviews

import (
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// TestAPIError maps Google's errors, as documented and as seen, to what
// the outbox and the agent need.
func TestAPIError(t *testing.T) {
	t.Parallel()
	quota := func(limit string) string {
		return `{"error":{"code":429,"message":"Quota exceeded for quota metric 'Requests' and limit 'Requests per minute'.","status":"RESOURCE_EXHAUSTED",
			"details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"RATE_LIMIT_EXCEEDED","domain":"googleapis.com","metadata":{"quota_limit_value":"` + limit + `"}}]}}`
	}
	for _, tc := range []struct {
		name       string
		status     int
		header     http.Header
		body       string
		permanent  bool
		retryAfter time.Duration
		rateLimit  string
		says       string
	}{
		{"quota", 429, nil, quota("300"), false, time.Minute, "0/300 left this minute (project quota)", "quota"},
		{"quota with retry-after", 429, http.Header{"Retry-After": {"7"}}, quota("300"), false, 7 * time.Second, "0/300 left this minute (project quota)", "quota"},
		{"quota with retry info", 429, nil, `{"error":{"code":429,"status":"RESOURCE_EXHAUSTED","message":"x","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"42s"}]}}`, false, 42 * time.Second, "quota exhausted", "quota"},
		{"no quota at all", 429, nil, quota("0"), true, 0, "", "approved"},
		{"resource exhausted as 403", 403, nil, `{"error":{"code":403,"status":"RESOURCE_EXHAUSTED","message":"quota"}}`, false, time.Minute, "quota exhausted", "quota"},
		{"unauthenticated", 401, nil, `{"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}}`, true, 0, "", "connect the location again"},
		{"unverified", 400, nil, `{"error":{"code":400,"message":"Precondition check failed. The location is not verified.","status":"FAILED_PRECONDITION"}}`, true, 0, "", "not verified"},
		{"unverified by reason", 403, nil, `{"error":{"code":403,"message":"The caller does not have permission","status":"PERMISSION_DENIED","details":[{"reason":"LOCATION_UNVERIFIED"}]}}`, true, 0, "", "not verified"},
		{"api disabled", 403, nil, `{"error":{"code":403,"message":"My Business API has not been used in project 1 before or it is disabled.","status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"SERVICE_DISABLED"}]}}`, true, 0, "", "not enabled"},
		{"api disabled, older format", 403, nil, `{"error":{"code":403,"message":"Access Not Configured.","errors":[{"reason":"accessNotConfigured"}]}}`, true, 0, "", "not enabled"},
		{"no access", 403, nil, `{"error":{"code":403,"message":"The caller does not have permission","status":"PERMISSION_DENIED"}}`, true, 0, "", "owner or manager"},
		{"not found", 404, nil, `{"error":{"code":404,"message":"Requested entity was not found.","status":"NOT_FOUND"}}`, true, 0, "", "no such review"},
		{"invalid", 400, nil, `{"error":{"code":400,"message":"Request contains an invalid argument.","status":"INVALID_ARGUMENT"}}`, true, 0, "", "invalid argument"},
		{"unavailable", 503, http.Header{"Retry-After": {"30"}}, `{"error":{"code":503,"message":"The service is currently unavailable.","status":"UNAVAILABLE"}}`, false, 30 * time.Second, "", "Google failed (503)"},
		{"html", 502, nil, "<html><body>Bad Gateway</body></html>", false, 0, "", "Bad Gateway"},
		{"empty", 500, nil, "", false, 0, "", "Internal Server Error"},
		{"hostile", 400, nil, `{"error":{"message":"\u202eevil\u0000` + strings.Repeat("x", 500) + `"}}`, true, 0, "", "evil"},
	} {
		h := tc.header
		if h == nil {
			h = http.Header{}
		}
		e := apiError(&response{status: tc.status, header: h, body: []byte(tc.body)}, testNow)
		if e.Permanent != tc.permanent || e.RetryAfter != tc.retryAfter || e.RateLimit != tc.rateLimit || e.Status != tc.status || !strings.Contains(e.Reason, tc.says) {
			t.Errorf("%s: apiError = %+v", tc.name, e)
		}
		if !utf8.ValidString(e.Reason) || len(e.Reason) > 400 || strings.ContainsAny(e.Reason, "\x00\u202e") {
			t.Errorf("%s: reason %q is not safe to show", tc.name, e.Reason)
		}
	}
}
