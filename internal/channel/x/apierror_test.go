package x

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/channel"
)

func header(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

func TestRateLimit(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	reset := now.Add(15 * time.Minute).Unix()
	tests := []struct {
		name      string
		h         http.Header
		wantLine  string
		wantRetry time.Duration
	}{
		{"window", header("x-rate-limit-limit", "15", "x-rate-limit-remaining", "12", "x-rate-limit-reset", itoa(reset)),
			"12/15 left, resets 10:15:00Z", 15*time.Minute + time.Second},
		{"window spent", header("x-rate-limit-limit", "300", "x-rate-limit-remaining", "0", "x-rate-limit-reset", itoa(now.Add(90*time.Second).Unix())),
			"0/300 left, resets 10:01:30Z", 91 * time.Second},
		{"daily cap spent wins", header("x-rate-limit-limit", "100", "x-rate-limit-remaining", "99", "x-rate-limit-reset", itoa(reset),
			"x-user-limit-24hour-limit", "1440", "x-user-limit-24hour-remaining", "0", "x-user-limit-24hour-reset", itoa(now.Add(20*time.Minute).Unix())),
			"0/1440 left, resets 10:20:00Z (daily)", 20*time.Minute + time.Second},
		// A daily cap's reset is waited for whole, past the hour other
		// waits are held to.
		{"app daily cap", header("x-app-limit-24hour-limit", "10000", "x-app-limit-24hour-remaining", "0", "x-app-limit-24hour-reset", itoa(now.Add(5*time.Hour).Unix())),
			"0/10000 left, resets 15:00:00Z (daily)", 5*time.Hour + time.Second},
		{"user daily cap, reset a day away", header("x-rate-limit-limit", "100", "x-rate-limit-remaining", "40", "x-rate-limit-reset", itoa(reset),
			"x-user-limit-24hour-limit", "100", "x-user-limit-24hour-remaining", "0", "x-user-limit-24hour-reset", itoa(now.Add(23*time.Hour+59*time.Minute).Unix())),
			"0/100 left, resets 09:59:00Z (daily)", 23*time.Hour + 59*time.Minute + time.Second},
		{"daily cap reset beyond a day", header("x-user-limit-24hour-limit", "100", "x-user-limit-24hour-remaining", "0", "x-user-limit-24hour-reset", itoa(now.Add(72*time.Hour).Unix())),
			"0/100 left, resets 10:00:00Z (daily)", maxDayWait},
		{"window reset beyond the hour", header("x-rate-limit-limit", "15", "x-rate-limit-remaining", "0", "x-rate-limit-reset", itoa(now.Add(3*time.Hour).Unix())),
			"0/15 left, resets 13:00:00Z", channel.MaxRetryAfter},
		{"no reset", header("x-rate-limit-limit", "15", "x-rate-limit-remaining", "3"), "3/15 left", 0},
		{"reset in the past", header("x-rate-limit-limit", "15", "x-rate-limit-remaining", "0", "x-rate-limit-reset", itoa(now.Add(-time.Hour).Unix())),
			"0/15 left, resets 09:00:00Z", 0},
		{"Retry-After only", header("Retry-After", "30"), "", 30 * time.Second},
		{"nothing", header(), "", 0},
		{"garbage", header("x-rate-limit-limit", "many", "x-rate-limit-remaining", "-1", "x-rate-limit-reset", "soon"), "", 0},
		{"overflowing", header("x-rate-limit-limit", strings.Repeat("9", 40), "x-rate-limit-remaining", "1"), "", 0},
		{"absurd reset", header("x-rate-limit-limit", "1", "x-rate-limit-remaining", "0", "x-rate-limit-reset", "99999999999"), "0/1 left", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rateLimitLine(tt.h); got != tt.wantLine {
				t.Errorf("rateLimitLine = %q, want %q", got, tt.wantLine)
			}
			if got := retryAfter(tt.h, now); got != tt.wantRetry {
				t.Errorf("retryAfter = %v, want %v", got, tt.wantRetry)
			}
		})
	}
}

func TestProblemDetail(t *testing.T) {
	tests := []struct{ body, want string }{
		{`{"title":"Forbidden","detail":"You are not allowed to create a Tweet with duplicate content.","type":"about:blank","status":403}`,
			"You are not allowed to create a Tweet with duplicate content."},
		{`{"errors":[{"parameters":{"text":[""]},"message":"text must not be empty"}],"title":"Invalid Request","detail":"","type":"https://api.x.com/2/problems/invalid-request"}`,
			"text must not be empty"},
		// The documented invalid-request body: the reason is in errors,
		// beside a generic detail (x-api/webhooks/introduction).
		{`{"errors":[{"message":"CrcValidationFailed: no response_token"}],"title":"Invalid Request","detail":"One or more parameters to your request was invalid.","type":"https://api.twitter.com/2/problems/invalid-request"}`,
			"CrcValidationFailed: no response_token"},
		{`{"title":"Usage Capped","detail":"Usage cap exceeded: Monthly product cap","type":"https://api.x.com/2/problems/usage-capped"}`,
			"Usage cap exceeded: Monthly product cap"},
		{`{"errors":[{"code":88,"message":"Rate limit exceeded"}]}`, "Rate limit exceeded"},
		{`{"title":"Unauthorized","type":"about:blank","status":401}`, "Unauthorized"},
		{"<html>Bad gateway\r\n\x1b[31m</html>", "<html>Bad gateway [31m</html>"},
		{"", ""},
		{strings.Repeat("é", 500), strings.Repeat("é", (maxDetail-len("…"))/2) + "…"},
	}
	for _, tt := range tests {
		if got := problemDetail([]byte(tt.body)); got != tt.want {
			t.Errorf("problemDetail(%.40q) = %q, want %q", tt.body, got, tt.want)
		}
	}
}

func TestUsageCapped(t *testing.T) {
	tests := []struct {
		body string
		want bool
	}{
		{`{"title":"Usage Capped","detail":"Usage cap exceeded: Monthly product cap","type":"https://api.x.com/2/problems/usage-capped"}`, true},
		{`{"type":"https://api.twitter.com/2/problems/usage-capped"}`, true},
		{`{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}`, false},
		{`{"errors":[{"code":88,"message":"Rate limit exceeded"}]}`, false},
		{`not json`, false},
	}
	for _, tt := range tests {
		if got := usageCapped([]byte(tt.body)); got != tt.want {
			t.Errorf("usageCapped(%s) = %v, want %v", tt.body, got, tt.want)
		}
	}
}

func TestCapReset(t *testing.T) {
	now := time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC)
	newYear := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		h         http.Header
		want      time.Time
		wantNamed bool
	}{
		// The window's reset is not the cap's.
		{"no reset named", http.Header{"X-Rate-Limit-Reset": {itoa(now.Add(15 * time.Minute).Unix())}}, newYear, false},
		{"Retry-After seconds", http.Header{"Retry-After": {"86400"}}, now.Add(24 * time.Hour), true},
		{"Retry-After date", http.Header{"Retry-After": {"Sat, 09 Jan 2027 00:00:00 GMT"}}, time.Date(2027, 1, 9, 0, 0, 0, 0, time.UTC), true},
		{"Retry-After past", http.Header{"Retry-After": {"Thu, 01 Jan 2026 00:00:00 GMT"}}, newYear, false},
		{"Retry-After zero", http.Header{"Retry-After": {"0"}}, newYear, false},
		{"Retry-After absurd", http.Header{"Retry-After": {"999999999999999999"}}, now.Add(maxCapWait), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, named := capReset(tt.h, now)
			if !got.Equal(tt.want) || named != tt.wantNamed {
				t.Errorf("capReset = %v, %v; want %v, %v", got, named, tt.want, tt.wantNamed)
			}
		})
	}
	// With no reset named, X is asked again a day later: the App's cycle
	// may turn on any day, or its plan be raised.
	march := time.Date(2026, 3, 2, 10, 0, 0, 0, time.FixedZone("PST", -8*3600))
	if got, named := capReset(http.Header{}, march); !got.Equal(march.Add(24*time.Hour)) || named {
		t.Errorf("capReset on 2 March = %v, %v; want a day later, not named", got, named)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func FuzzRateLimitHeaders(f *testing.F) {
	f.Add("15", "12", "1772532675", "", "", "", "30")
	f.Add("100", "0", "1772532675", "1440", "0", "1772539999", "")
	f.Add("x", "-1", "99999999999999999999", "", "", "", "Sun, 01 Mar 2026 12:00:30 GMT")
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, limit, remaining, reset, dayLimit, dayRemaining, dayReset, retry string) {
		h := header("x-rate-limit-limit", limit, "x-rate-limit-remaining", remaining, "x-rate-limit-reset", reset,
			"x-user-limit-24hour-limit", dayLimit, "x-user-limit-24hour-remaining", dayRemaining, "x-user-limit-24hour-reset", dayReset,
			"Retry-After", retry)
		line := rateLimitLine(h)
		if len(line) > 120 {
			t.Fatalf("rateLimitLine = %q: too long", line)
		}
		if d := retryAfter(h, now); d < 0 || d > maxDayWait {
			t.Fatalf("retryAfter = %v, outside [0, %v]", d, maxDayWait)
		}
		for _, p := range []string{windowLimit, userDayLimit, appDayLimit} {
			if rl, ok := parseRateLimit(h, p); ok && (rl.Limit < 0 || rl.Remaining < 0) {
				t.Fatalf("parseRateLimit(%s) = %+v", p, rl)
			}
		}
	})
}

// The worked example of X's "Creating a signature" page
// (fundamentals/authentication/oauth-1-0a/creating-a-signature).
func TestOAuth1Signature(t *testing.T) {
	u, _ := url.Parse("https://api.twitter.com/1.1/statuses/update.json?include_entities=true")
	params := u.Query()
	for k, v := range map[string]string{
		"status":                 "Hello Ladies + Gentlemen, a signed OAuth request!",
		"oauth_consumer_key":     "xvz1evFS4wEEPTGEFPHBog",
		"oauth_nonce":            "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",
		"oauth_signature_method": "HMAC-SHA1",
		"oauth_timestamp":        "1318622958",
		"oauth_token":            "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
		"oauth_version":          "1.0",
	} {
		params.Set(k, v)
	}
	got := oauth1Signature("POST", u, params, "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw", "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE")
	if want := "hCtSmYh+iHYCEqBWrE7C7hYmtUk="; got != want {
		t.Errorf("oauth1Signature = %q, want %q", got, want)
	}
	if got, want := percentEncode("Ladies + Gentlemen, ñ~"), "Ladies%20%2B%20Gentlemen%2C%20%C3%B1~"; got != want {
		t.Errorf("percentEncode = %q, want %q", got, want)
	}
}
