package reddit

import (
	"net/http"
	"testing"
	"time"
)

func TestParseRateLimit(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		used, remaining, reset string
		want                   string
		low                    bool
	}{
		{"12", "588.0", "300", "588/600 left, resets 10:05:00Z", false},
		{"950", "50.0", "60", "50/1000 left, resets 10:01:00Z", true},
		{"0", "600", "", "600/600 left", false},
		{"5", "15", "1", "15/20 left, resets 10:00:01Z", true},
		{"x", "1", "1", "", false},
		{"1", "-1", "1", "", false},
		{"1", "NaN", "1", "", false},
		{"", "", "", "", false},
	} {
		h := http.Header{}
		h.Set("X-Ratelimit-Used", tt.used)
		h.Set("X-Ratelimit-Remaining", tt.remaining)
		h.Set("X-Ratelimit-Reset", tt.reset)
		r := parseRateLimit(h, testNow)
		if got := r.String(); got != tt.want || r.low() != tt.low {
			t.Errorf("parseRateLimit(%q, %q, %q) = %q low %v; want %q low %v", tt.used, tt.remaining, tt.reset, got, r.low(), tt.want, tt.low)
		}
	}
}

func TestRateWait(t *testing.T) {
	t.Parallel()
	h := http.Header{}
	if w := parseRateLimit(h, testNow).wait(h, testNow); w != defaultRateWait {
		t.Errorf("wait without headers = %v", w)
	}
	h.Set("Retry-After", "42")
	if w := parseRateLimit(h, testNow).wait(h, testNow); w != 42*time.Second {
		t.Errorf("wait with Retry-After = %v", w)
	}
	h.Set("X-Ratelimit-Reset", "99999999")
	if w := parseRateLimit(h, testNow).wait(h, testNow); w != time.Hour {
		t.Errorf("wait with a huge reset = %v, want the cap", w)
	}
	h.Set("X-Ratelimit-Reset", "0")
	if w := parseRateLimit(h, testNow).wait(h, testNow); w != time.Second {
		t.Errorf("wait with a passed reset = %v", w)
	}
}
