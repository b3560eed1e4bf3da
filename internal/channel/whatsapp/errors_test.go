package whatsapp

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/channel"
)

func graphBody(code int, message, details string) string {
	return `{"error":{"message":"` + message + `","type":"OAuthException","code":` + strconv.Itoa(code) +
		`,"error_data":{"messaging_product":"whatsapp","details":"` + details + `"},"fbtrace_id":"Az8or2yhqkZfEZ-_4Qn_Bam"}}`
}

func TestSendError(t *testing.T) {
	for _, tt := range []struct {
		name       string
		status     int
		header     http.Header
		body       string
		permanent  bool
		retryAfter time.Duration
		reason     string
		rateLimit  string
		refused    bool // this customer's refusal, not the account's
	}{
		{"window", 400, nil, graphBody(131047, "(#131047) Re-engagement message", "Message failed to send because more than 24 hours have passed since the customer last replied to this number."),
			true, 0, "outside WhatsApp's 24-hour window: send an approved template (WhatsApp error 131047)", "", true},
		{"throughput", 400, nil, graphBody(130429, "(#130429) Rate limit hit", "Cloud API message throughput has been reached."),
			false, 5 * time.Second, "throughput", "", false},
		{"pair limit", 400, nil, graphBody(131056, "(#131056) (Business Account, Consumer Account) pair rate limit hit", ""),
			false, 6 * time.Second, "Too many messages to this customer", "", false},
		{"account limit with usage header", 400,
			http.Header{"X-Business-Use-Case-Usage": {`{"102290129340398":[{"type":"whatsapp_business_management","call_count":100,"total_cputime":10,"total_time":12,"estimated_time_to_regain_access":7}]}`}},
			graphBody(80007, "(#80007) Rate limit issues", ""), false, 7 * time.Minute, "business account's API calls", "Graph API usage 100% of the limit, blocked for about 7 min", false},
		{"retry-after header", 400, http.Header{"Retry-After": {"120"}}, graphBody(4, "(#4) Application request limit reached", ""),
			false, 2 * time.Minute, "app's API calls", "", false},
		{"undeliverable", 400, nil, graphBody(131026, "(#131026) Message undeliverable", ""), true, 0, "could not deliver", "", true},
		{"marketing limit", 400, nil, graphBody(131049, "(#131049) This message was not delivered to maintain healthy ecosystem engagement.", ""), true, 0, "engagement healthy", "", true},
		{"marketing stopped", 400, nil, graphBody(131050, "(#131050) Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.", ""),
			true, 0, "turned off marketing messages", "", true},
		{"spam rate limit", 400, nil, graphBody(131048, "(#131048) Spam rate limit hit", ""), true, 0, "reported as spam", "", false},
		{"account locked", 400, nil, graphBody(131031, "(#131031) Account has been locked", ""), true, 0, "is locked", "", false},
		{"unsupported type", 400, nil, graphBody(131051, "(#131051) Unsupported message type", ""), true, 0, "does not support", "", true},
		{"media upload", 400, nil, graphBody(131053, "(#131053) Media upload error", "Unsupported Image mime type image/heic"), true, 0, "could not upload the attachment", "", true},
		{"parameter value", 400, nil, graphBody(131009, "(#131009) Parameter value is not valid", "Param image['link'] is not a valid URI."), true, 0, "a value in it is not valid: Param image['link']", "", true},
		{"invalid parameter", 400, nil, graphBody(100, "(#100) Invalid parameter", "Unexpected key on param."), true, 0, "rejected a parameter", "", false},
		{"template param count", 400, nil, graphBody(132000, "(#132000) Number of parameters does not match the expected number of params", "body: number of localizable_params (0) does not match the expected number of params (1)"),
			true, 0, "do not match its placeholders: body: number of localizable_params (0)", "", false},
		{"template other", 400, nil, graphBody(132068, "(#132068) Flow is blocked", "Flow is in blocked state"), true, 0, "refused the template: Flow is in blocked state (WhatsApp error 132068)", "", false},
		{"expired token", 401, nil, graphBody(190, "Error validating access token: Session has expired", ""), true, 0, "access token has expired", "", false},
		{"permission", 403, nil, graphBody(200, "(#200) Permissions error", ""), true, 0, "whatsapp_business_messaging", "", false},
		{"something went wrong", 500, nil, graphBody(131000, "(#131000) Something went wrong", ""), false, 0, "failed to send", "", false},
		{"unknown code, 4xx", 400, nil, graphBody(999999, "(#999999) Brand new error", "Details here"), true, 0, "WhatsApp refused the message: Details here (WhatsApp error 999999)", "", false},
		{"unknown code, 5xx", 503, nil, graphBody(999998, "(#999998) Brand new outage", ""), false, 0, "Brand new outage", "", false},
		{"not JSON, 502", 502, http.Header{"Retry-After": {"30"}}, "<html>Bad Gateway</html>", false, 30 * time.Second, "502 Bad Gateway", "", false},
		{"not JSON, 404", 404, nil, "not found", true, 0, "404 Not Found", "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: tt.status, Header: tt.header}
			if resp.Header == nil {
				resp.Header = http.Header{}
			}
			err := sendError(resp, []byte(tt.body), testNow)
			se, ok := err.(*channel.SendError)
			if !ok {
				t.Fatalf("sendError = %T %v, want *channel.SendError", err, err)
			}
			if se.Permanent != tt.permanent || se.RetryAfter != tt.retryAfter || !strings.Contains(se.Reason, tt.reason) ||
				se.RateLimit != tt.rateLimit || se.Status != tt.status || se.Refused != tt.refused {
				t.Errorf("sendError = {Permanent %v, RetryAfter %v, Reason %q, RateLimit %q, Status %d, Refused %v},\nwant {%v, %v, …%q…, %q, %d, %v}",
					se.Permanent, se.RetryAfter, se.Reason, se.RateLimit, se.Status, se.Refused, tt.permanent, tt.retryAfter, tt.reason, tt.rateLimit, tt.status, tt.refused)
			}
			if strings.Contains(se.Error(), "EAAG") {
				t.Errorf("error text leaks a token: %v", se)
			}
		})
	}
}

func TestUsage(t *testing.T) {
	for _, tt := range []struct {
		name    string
		header  http.Header
		summary string
		regain  time.Duration
	}{
		{"none", http.Header{}, "", 0},
		{"app usage", http.Header{"X-App-Usage": {`{"call_count":28,"total_time":25,"total_cputime":25}`}}, "Graph API usage 28% of the limit", 0},
		{"business usage, two businesses", http.Header{"X-Business-Use-Case-Usage": {`{"1":[{"call_count":5}],"2":[{"call_count":40,"estimated_time_to_regain_access":0}]}`}},
			"Graph API usage 40% of the limit", 0},
		{"absurd values are bounded", http.Header{"X-App-Usage": {`{"call_count":1e9}`}, "X-Business-Use-Case-Usage": {`{"1":[{"estimated_time_to_regain_access":1e12}]}`}},
			"Graph API usage 100% of the limit, blocked for about 1440 min", 24 * time.Hour},
		{"malformed", http.Header{"X-App-Usage": {`{call_count:1`}}, "", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			summary, regain := usage(tt.header)
			if summary != tt.summary || regain != tt.regain {
				t.Errorf("usage = %q, %v; want %q, %v", summary, regain, tt.summary, tt.regain)
			}
		})
	}
}
