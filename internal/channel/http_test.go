package channel

import (
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func TestParseRetryAfter(t *testing.T) {
	tests := []struct {
		name   string
		header string
		want   time.Duration
		wantOK bool
	}{
		{"delta seconds", "7", 7 * time.Second, true},
		{"zero", "0", 0, true},
		{"surrounding whitespace", " \t120 ", 2 * time.Minute, true},
		{"leading zeros", "0007", 7 * time.Second, true},
		{"exactly the cap", "3600", time.Hour, true},
		{"over the cap", "3601", MaxRetryAfter, true},
		{"huge number", strings.Repeat("9", 400), MaxRetryAfter, true},
		{"IMF-fixdate", "Sun, 01 Mar 2026 12:00:30 GMT", 30 * time.Second, true},
		{"RFC 850 date", "Sunday, 01-Mar-26 12:01:00 GMT", time.Minute, true},
		{"asctime date", "Sun Mar  1 12:00:05 2026", 5 * time.Second, true},
		{"date in the past", "Sun, 01 Mar 2026 11:00:00 GMT", 0, true},
		{"date beyond the cap", "Mon, 02 Mar 2026 12:00:00 GMT", MaxRetryAfter, true},
		{"empty", "", 0, false},
		{"blank", "   ", 0, false},
		{"negative", "-5", 0, false},
		{"plus sign", "+5", 0, false},
		{"fraction", "1.5", 0, false},
		{"unit suffix", "5s", 0, false},
		{"inner space", "1 0", 0, false},
		{"not a date", "tomorrow", 0, false},
		{"ISO 8601 date", "2026-03-01T12:00:30Z", 0, false},
		{"long garbage", strings.Repeat("x", 1000), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseRetryAfter(tt.header, now)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("ParseRetryAfter(%q) = %v, %v, want %v, %v", tt.header, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"", "0", "7", "3601", "99999999999999999999999", "-1", " 5 ",
		"Sun, 01 Mar 2026 12:00:30 GMT", "Sunday, 01-Mar-26 12:01:00 GMT", "Sun Mar  1 12:00:05 2026",
		"Fri, 31 Dec 9999 23:59:59 GMT", "Thu, 01 Jan 1970 00:00:00 GMT"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		d, ok := ParseRetryAfter(h, now)
		if d < 0 || d > MaxRetryAfter {
			t.Fatalf("ParseRetryAfter(%q) = %v, outside [0, %v]", h, d, MaxRetryAfter)
		}
		if !ok && d != 0 {
			t.Fatalf("ParseRetryAfter(%q) = %v, false: a rejected value must yield 0", h, d)
		}
		if trimmed := strings.Trim(h, " \t"); trimmed != "" && isDigits(trimmed) && !ok {
			t.Fatalf("ParseRetryAfter(%q) rejected delta-seconds", h)
		}
		if d2, ok2 := ParseRetryAfter(h, now); d2 != d || ok2 != ok {
			t.Fatalf("ParseRetryAfter(%q) is not deterministic", h)
		}
	})
}

func response(code int, header ...string) *http.Response {
	h := http.Header{}
	for i := 0; i+1 < len(header); i += 2 {
		h.Set(header[i], header[i+1])
	}
	return &http.Response{StatusCode: code, Status: "ignored", Header: h}
}

func TestClassifyHTTP(t *testing.T) {
	tests := []struct {
		name string
		resp *http.Response
		body string
		want *SendError // nil means ClassifyHTTP returns nil
	}{
		{"200", response(200), `{"id":"1"}`, nil},
		{"202", response(202), "", nil},
		{"204", response(204), "", nil},
		{"408", response(408), "", &SendError{Status: 408, Reason: "408 Request Timeout"}},
		{"425", response(425), "", &SendError{Status: 425, Reason: "425 Too Early"}},
		{"429 with delta", response(429, "Retry-After", "7"), "slow down",
			&SendError{Status: 429, RetryAfter: 7 * time.Second, Reason: "429 Too Many Requests: slow down"}},
		{"429 with date", response(429, "Retry-After", "Sun, 01 Mar 2026 12:02:00 GMT"), "",
			&SendError{Status: 429, RetryAfter: 2 * time.Minute, Reason: "429 Too Many Requests"}},
		{"429 with malformed Retry-After", response(429, "Retry-After", "soon"), "",
			&SendError{Status: 429, Reason: "429 Too Many Requests"}},
		{"500", response(500), "boom", &SendError{Status: 500, Reason: "500 Internal Server Error: boom"}},
		{"503 with Retry-After", response(503, "Retry-After", "30"), "",
			&SendError{Status: 503, RetryAfter: 30 * time.Second, Reason: "503 Service Unavailable"}},
		{"599", response(599), "", &SendError{Status: 599, Reason: "599"}},
		{"400", response(400), `{"error":"unknown recipient"}`,
			&SendError{Permanent: true, Status: 400, Reason: `400 Bad Request: {"error":"unknown recipient"}`}},
		{"401", response(401), "", &SendError{Permanent: true, Status: 401, Reason: "401 Unauthorized"}},
		{"404", response(404), "", &SendError{Permanent: true, Status: 404, Reason: "404 Not Found"}},
		{"410", response(410), "", &SendError{Permanent: true, Status: 410, Reason: "410 Gone"}},
		{"400 ignores Retry-After", response(400, "Retry-After", "7"), "",
			&SendError{Permanent: true, Status: 400, Reason: "400 Bad Request"}},
		{"301 is not followed", response(301, "Location", "http://elsewhere"), "",
			&SendError{Permanent: true, Status: 301, Reason: "301 Moved Permanently"}},
		{"body with control characters", response(422), "line one\r\n\tline\x00two\x1b[31m \u202eevil",
			&SendError{Permanent: true, Status: 422, Reason: "422 Unprocessable Entity: line one line two [31m evil"}},
		{"body with invalid UTF-8", response(400), "bad \xff\xfe bytes",
			&SendError{Permanent: true, Status: 400, Reason: "400 Bad Request: bad bytes"}},
		{"long body", response(400), strings.Repeat("a", 10000),
			&SendError{Permanent: true, Status: 400, Reason: "400 Bad Request: " + strings.Repeat("a", maxExcerpt-len("…")) + "…"}},
		{"long body cut between runes", response(400), strings.Repeat("é", 1000),
			&SendError{Permanent: true, Status: 400, Reason: "400 Bad Request: " + strings.Repeat("é", (maxExcerpt-len("…"))/2) + "…"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ClassifyHTTP(tt.resp, []byte(tt.body), now)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("ClassifyHTTP = %v, want nil", err)
				}
				return
			}
			var got *SendError
			if !errors.As(err, &got) {
				t.Fatalf("ClassifyHTTP = %v, want a *SendError", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ClassifyHTTP mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestClassifyHTTPNilResponse(t *testing.T) {
	var se *SendError
	if err := ClassifyHTTP(nil, nil, now); !errors.As(err, &se) || se.Permanent {
		t.Errorf("ClassifyHTTP(nil) = %v, want a temporary *SendError", err)
	}
}

func TestExcerpt(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		in    string
		limit int
		want  string
	}{
		{"short", "plain", 10, "plain"},
		{"exactly limit", "abcde", 5, "abcde"},
		{"cut within limit", "abcdef", 5, "ab…"},
		{"never cuts a rune in two", "日本語", 8, "日…"},
		{"no space before the ellipsis", "abc defgh", 7, "abc…"},
		{"trailing white space is no cut", "abcde \r\n\t", 5, "abcde"},
		{"white space counts once", "a \t\r\n b", 3, "a b"},
		{"below an ellipsis, none", "abcdef", 2, "ab"},
		{"limit 0", "abc", 0, ""},
		{"limit negative", "abc", -1, ""},
		{"format characters go", "a\u202Eb\u200Bc", 10, "abc"},
		{"invalid bytes go", "a\xff\xfeb", 10, "ab"},
	} {
		if got := Excerpt([]byte(tt.in), tt.limit); got != tt.want {
			t.Errorf("%s: Excerpt(%q, %d) = %q, want %q", tt.name, tt.in, tt.limit, got, tt.want)
		}
	}
}

// FuzzExcerpt: whatever the body and limit, the excerpt is one line of
// valid UTF-8 without controls or format characters, within the limit,
// and the whole body's excerpt when that fits.
func FuzzExcerpt(f *testing.F) {
	for _, s := range textSeeds {
		f.Add(s, 16)
	}
	f.Add("abc defgh", 7)
	f.Add("日本語", 2)
	f.Fuzz(func(t *testing.T, s string, limit int) {
		limit %= 1 << 12
		got := Excerpt([]byte(s), limit)
		switch {
		case !utf8.ValidString(got):
			t.Fatalf("Excerpt(%q, %d) = %q: not valid UTF-8", s, limit, got)
		case limit >= 0 && len(got) > limit, limit < 0 && got != "":
			t.Fatalf("Excerpt(%q, %d) = %q: %d bytes", s, limit, got, len(got))
		case strings.ContainsFunc(got, func(r rune) bool {
			return unicode.IsControl(r) || unicode.IsSpace(r) && r != ' ' || unicode.Is(unicode.Cf, r)
		}):
			t.Fatalf("Excerpt(%q, %d) = %+q: a control or format character", s, limit, got)
		case strings.TrimSpace(got) != got || strings.Contains(got, "  "):
			t.Fatalf("Excerpt(%q, %d) = %q: not one trimmed line", s, limit, got)
		}
		whole := Excerpt([]byte(s), math.MaxInt)
		if len(whole) <= limit && got != whole {
			t.Fatalf("Excerpt(%q, %d) = %q, want %q", s, limit, got, whole)
		}
		if len(whole) > limit && !strings.HasPrefix(whole, strings.TrimSuffix(got, ellipsis)) {
			t.Fatalf("Excerpt(%q, %d) = %q, not a cut of %q", s, limit, got, whole)
		}
	})
}
