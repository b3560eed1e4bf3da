package meta

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseUsage(t *testing.T) {
	tests := []struct {
		name    string
		headers map[string]string
		budgets map[string]int
		regain  time.Duration
		str     string
	}{
		{"documented app usage", map[string]string{"X-App-Usage": `{"call_count":28,"total_time":25,"total_cputime":25}`},
			map[string]int{"app": 28}, 0, "app 28% used"},
		{"documented business use case usage",
			map[string]string{"X-Business-Use-Case-Usage": `{"112233":[{"type":"pages","call_count":100,"total_cputime":25,"total_time":25,"estimated_time_to_regain_access":19}]}`},
			map[string]int{"pages": 100}, 19 * time.Minute, "pages 100% used; access back in 19m0s"},
		{"both, several objects", map[string]string{
			"X-App-Usage":               `{"call_count":5,"total_time":1,"total_cputime":1}`,
			"X-Business-Use-Case-Usage": `{"1":[{"type":"pages","call_count":40,"total_cputime":2,"total_time":3,"estimated_time_to_regain_access":0}],"2":[{"type":"instagram","call_count":10,"total_cputime":60,"total_time":3,"estimated_time_to_regain_access":2}]}`},
			map[string]int{"app": 5, "pages": 40, "instagram": 60}, 2 * time.Minute, "instagram 60% used, pages 40% used, app 5% used; access back in 2m0s"},
		{"regain capped", map[string]string{"X-Business-Use-Case-Usage": `{"1":[{"type":"pages","call_count":100,"estimated_time_to_regain_access":100000}]}`},
			map[string]int{"pages": 100}, time.Hour, "pages 100% used; access back in 1h0m0s"},
		{"hostile type name", map[string]string{"X-Business-Use-Case-Usage": `{"1":[{"type":"<b>\n","call_count":1}]}`},
			map[string]int{"b": 1}, 0, "b 1% used"},
		{"not JSON", map[string]string{"X-App-Usage": `call_count=5`}, nil, 0, ""},
		{"none", nil, nil, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.headers {
				h.Set(k, v)
			}
			u, ok := parseUsage(h)
			if ok != (tt.budgets != nil) || !cmp.Equal(u.budgets, tt.budgets) || u.regain != tt.regain || u.String() != tt.str {
				t.Errorf("parseUsage = %v %v %v %q, want %v %v %q", u.budgets, u.regain, ok, u.String(), tt.budgets, tt.regain, tt.str)
			}
		})
	}
}

func TestParseGraphError(t *testing.T) {
	body := `{"error":{"message":"Message describing the error","type":"OAuthException","code":190,"error_subcode":460,"error_user_title":"A title","error_user_msg":"A message","fbtrace_id":"EJplcsCHuLu"}}`
	got, ok := parseGraphError([]byte(body))
	want := graphError{Message: "Message describing the error", Type: "OAuthException", Code: 190, Subcode: 460,
		UserTitle: "A title", UserMsg: "A message", FBTraceID: "EJplcsCHuLu"}
	if !ok || got != want {
		t.Errorf("parseGraphError(documented example) = %+v, %v; want %+v", got, ok, want)
	}
	for _, b := range []string{``, `{}`, `{"error":null}`, `{"error":"x"}`, `<html>`, `{"error":{"code":"4"}}`} {
		if _, ok := parseGraphError([]byte(b)); ok {
			t.Errorf("parseGraphError(%q) ok, want not", b)
		}
	}
}

func TestGraphSendError(t *testing.T) {
	tests := []struct {
		code, sub, status int
		permanent         bool
		reason            string
	}{
		{4, 0, 400, false, "rate-limiting"},
		{17, 0, 400, false, "rate-limiting"},
		{32, 0, 400, false, "rate-limiting"},
		{613, 0, 400, false, "rate-limiting"},
		{80006, 0, 400, false, "rate-limiting"},
		{1, 0, 500, false, "temporary"},
		{2, 0, 500, false, "unexpected error (code 2), which it also sends when the customer has blocked the business"},
		{2, 2018344, 503, false, "temporary"},
		{1200, 0, 400, false, "temporary"},
		{10, 2018278, 400, true, "messaging window"},
		{10, 2018065, 400, true, "messaging window"},
		{10, 2534022, 403, true, "messaging window"},
		{10, 2018108, 400, true, "isn't receiving messages"},
		{200, 1545041, 400, true, "isn't available"},
		{100, 2018109, 400, true, "larger than Meta accepts"},
		{12345, 0, 429, false, "rate-limiting"},
		{10, 0, 403, true, "permission"},
		{200, 0, 403, true, "permission"},
		{230, 0, 403, true, "permission"},
		{190, 460, 400, true, "token"},
		{100, 2018001, 400, true, "no such person"},
		{100, 0, 400, true, "invalid"},
		{551, 1545041, 400, true, "isn't available"},
		{10900, 0, 400, true, "already has its private reply"},
		{10903, 0, 400, true, "older than 7 days"},
		{368, 0, 400, true, "abusive"},
		{12345, 0, 400, true, "error 12345"},
		{12345, 0, 503, false, "temporary"},
	}
	for _, tt := range tests {
		e := graphSendError(&graphError{Code: tt.code, Subcode: tt.sub, Message: "m"}, tt.status)
		if e.Permanent != tt.permanent || !contains(e.Reason, tt.reason) {
			t.Errorf("graphSendError(code %d/%d, HTTP %d) = %+v, want permanent %v with %q", tt.code, tt.sub, tt.status, e, tt.permanent, tt.reason)
		}
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
