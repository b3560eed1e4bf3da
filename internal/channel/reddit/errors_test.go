package reddit

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestParseWait(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		msg  string
		want time.Duration
		ok   bool
	}{
		{"you are doing that too much. try again in 5 minutes.", 5*time.Minute + time.Second, true},
		{"you are doing that too much. try again in 1 minute.", time.Minute + time.Second, true},
		{"you are doing that too much. try again in 9 seconds.", 10 * time.Second, true},
		{"Looks like you've been doing that a lot. Take a break for 2 minutes before trying again.", 2*time.Minute + time.Second, true},
		{"try again in 1 hour and 3 minutes", time.Hour, true},
		{"try again in 500 milliseconds", 1500 * time.Millisecond, true},
		{"you are doing that too much. try again later.", 0, false},
		{"", 0, false},
		{"try again in 999999 hours", time.Hour, true},
	} {
		got, ok := parseWait(tt.msg)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseWait(%q) = %v, %v; want %v, %v", tt.msg, got, ok, tt.want, tt.ok)
		}
	}
}

func TestEnvelopeError(t *testing.T) {
	t.Parallel()
	errs := func(e ...[]nullString) [][]nullString { return e }
	for _, tt := range []struct {
		name      string
		errs      [][]nullString
		permanent bool
		retry     time.Duration
		reason    string
		refused   bool // this reply's refusal, not the account's
	}{
		{"ratelimit", errs([]nullString{"RATELIMIT", "you are doing that too much. try again in 5 minutes.", "ratelimit"}), false, 5*time.Minute + time.Second, "slow down", false},
		{"ratelimit without a wait", errs([]nullString{"RATELIMIT", "try again later", ""}), false, defaultRatelimitWait, "slow down", false},
		{"ratelimit wins", errs([]nullString{"TOO_LONG", "x", "text"}, []nullString{"RATELIMIT", "try again in 2 seconds", "ratelimit"}), false, 3 * time.Second, "slow down", false},
		{"locked", errs([]nullString{"THREAD_LOCKED", "Comments are locked.", "parent"}), true, 0, "locked", true},
		{"too old", errs([]nullString{"TOO_OLD", "that's a piece of history now", "parent"}), true, 0, "archived", true},
		{"unknown", errs([]nullString{"SOMETHING_NEW", "a \u202emessage\n", "x"}), true, 0, "Reddit refused the reply: a message (SOMETHING_NEW)", false},
		{"deleted post", errs([]nullString{"DELETED_LINK", "the link you are commenting on has been deleted", "parent"}), true, 0, "post being answered was deleted", true},
		{"not whitelisted", errs([]nullString{"NOT_WHITELISTED_BY_USER_MESSAGE", "", "to"}), true, 0, "only from people they allowed", true},
		{"account muted", errs([]nullString{"USER_MUTED", "", "parent"}), true, 0, "account is muted", false},
		{"captcha", errs([]nullString{"BAD_CAPTCHA", "care to try these again?", "captcha"}), true, 0, "captcha", false},
		{"empty", errs([]nullString{}), true, 0, "(UNKNOWN)", false},
		{"too long", errs([]nullString{"TOO_LONG", "this is too long (max: 10000)", "text"}), true, 0, "Reddit refused the reply: it is longer than 10,000 characters", true},
		{"too long, another limit", errs([]nullString{"TOO_LONG", "this is too long (max: 40000)", "comment"}), true, 0, "longer than 40,000 characters", true},
		{"too long, no limit named", errs([]nullString{"TOO_LONG", "", ""}), true, 0, "longer than 10,000 characters", true},
		{"subject too long", errs([]nullString{"TOO_LONG", "this is too long (max: 100)", "subject"}), true, 0, "its subject is longer than 100 characters (TOO_LONG)", true},
		{"no text", errs([]nullString{"NO_TEXT", "we need something here", "text"}), true, 0, "Reddit refused the reply: it is empty (NO_TEXT)", true},
		{"no subject", errs([]nullString{"NO_SUBJECT", "please enter a subject", "subject"}), true, 0, "it has no subject (NO_SUBJECT)", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := envelopeError(tt.errs, testNow)
			if e.Permanent != tt.permanent || e.RetryAfter != tt.retry || !strings.Contains(e.Reason, tt.reason) || e.Refused != tt.refused {
				t.Errorf("envelopeError = %+v; want permanent %v, retry %v, refused %v, reason with %q", e, tt.permanent, tt.retry, tt.refused, tt.reason)
			}
		})
	}
}

func TestAPIError(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		status    int
		body      string
		retry     string
		permanent bool
		reason    string
	}{
		{401, `{"message": "Unauthorized", "error": 401}`, "", true, "refused the account's authorisation (Unauthorized)"},
		{403, `{"message": "Forbidden", "error": 403}`, "", true, "403 Forbidden"},
		{404, `<html>not found</html>`, "", true, "404"},
		{418, " {\"explanation\": \"short and \\u202estout\", \"reason\": \"TEAPOT\"}", "", true, "418: short and stout"},
		{418, "<html>\n<script>x</script>", "", true, "418: no explanation"},
		{429, ``, "", false, "rate limit"},
		{500, ``, "7", false, "Reddit failed (500)"},
	} {
		h := http.Header{}
		if tt.retry != "" {
			h.Set("Retry-After", tt.retry)
		}
		e := apiError(&response{status: tt.status, header: h, body: []byte(tt.body), rate: parseRateLimit(h, testNow)}, testNow)
		if e.Permanent != tt.permanent || e.Status != tt.status || !strings.Contains(e.Reason, tt.reason) {
			t.Errorf("apiError(%d, %q) = %+v; want permanent %v, reason with %q", tt.status, tt.body, e, tt.permanent, tt.reason)
		}
		if tt.status == 500 && e.RetryAfter != 7*time.Second {
			t.Errorf("500 with Retry-After: %v", e.RetryAfter)
		}
		if tt.status == 429 && e.RetryAfter != defaultRateWait {
			t.Errorf("429 without headers: %v", e.RetryAfter)
		}
	}
}
