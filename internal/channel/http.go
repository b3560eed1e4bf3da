package channel

import (
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxRetryAfter bounds the wait a platform can impose through Retry-After, so
// a misconfigured or hostile endpoint cannot park a reply for days.
const MaxRetryAfter = time.Hour

// maxExcerpt bounds the part of an error response body kept in a reason.
const maxExcerpt = 200

// statusLine is the canonical "429 Too Many Requests". The platform's own
// reason phrase is ignored: it is text the far end controls and adds nothing.
func statusLine(code int) string {
	if t := http.StatusText(code); t != "" {
		return strconv.Itoa(code) + " " + t
	}
	return strconv.Itoa(code)
}

// ParseRetryAfter interprets a Retry-After header value (RFC 9110 §10.2.3):
// either delta-seconds or an HTTP-date in any of the three formats HTTP/1.1
// recipients must accept. The result is between 0 and MaxRetryAfter; a date in
// the past means "now". ok is false for an empty or malformed value.
func ParseRetryAfter(h string, now time.Time) (d time.Duration, ok bool) {
	h = strings.Trim(h, " \t")
	if h == "" {
		return 0, false
	}
	if isDigits(h) {
		// Accumulate with an early stop rather than strconv, so any number of
		// digits is a valid, capped delay instead of an overflow error.
		limit := int64(MaxRetryAfter / time.Second)
		var secs int64
		for i := 0; i < len(h) && secs <= limit; i++ {
			secs = secs*10 + int64(h[i]-'0')
		}
		return min(time.Duration(secs)*time.Second, MaxRetryAfter), true
	}
	// The longest HTTP-date (RFC 850 with a long weekday) is 33 bytes; don't
	// hand the time parser anything much larger.
	if len(h) > 64 {
		return 0, false
	}
	t, err := http.ParseTime(h)
	if err != nil {
		return 0, false
	}
	d = t.Sub(now)
	switch {
	case d < 0:
		return 0, true
	case d > MaxRetryAfter:
		return MaxRetryAfter, true
	}
	return d, true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ClassifyHTTP turns a platform's HTTP response into nil for a 2xx or a
// *SendError otherwise. 408, 425, 429 and 5xx are temporary and honour
// Retry-After; every other status is permanent, including 3xx, since a sender
// that gets one has chosen not to follow it. The reason is the status line and
// a short excerpt of body, with control characters and invalid UTF-8 removed
// so it is safe to store and display.
func ClassifyHTTP(resp *http.Response, body []byte, now time.Time) error {
	if resp == nil {
		return Temporary("no response", 0, nil)
	}
	code := resp.StatusCode
	if code >= 200 && code <= 299 {
		return nil
	}
	reason := statusLine(code)
	if ex := Excerpt(body, maxExcerpt); ex != "" {
		reason += ": " + ex
	}
	e := &SendError{Permanent: true, Status: code, Reason: reason}
	switch {
	case code == http.StatusRequestTimeout, code == http.StatusTooEarly,
		code == http.StatusTooManyRequests, code >= 500 && code <= 599:
		e.Permanent = false
		if d, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), now); ok {
			e.RetryAfter = d
		}
	}
	return e
}

// Excerpt returns at most limit bytes of b as one line of printable text:
// runs of whitespace and control characters become one space, format
// characters (which can reorder what a reader sees) and invalid UTF-8 are
// dropped, and a cut is marked with an ellipsis, counted within limit as
// Cut counts it, so that the caller's bound is the excerpt's.
func Excerpt(b []byte, limit int) string {
	var s strings.Builder
	space := false
	// What is past limit does not change where the excerpt is cut.
	for len(b) > 0 && s.Len() <= limit {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		switch {
		case r == utf8.RuneError && size <= 1:
			continue
		case unicode.IsSpace(r) || unicode.IsControl(r):
			space = s.Len() > 0
			continue
		case unicode.Is(unicode.Cf, r):
			continue
		}
		if space {
			s.WriteByte(' ')
			space = false
		}
		s.WriteRune(r)
	}
	ex := s.String()
	if len(ex) <= limit {
		return ex
	}
	n, tail := cutAt(ex, limit)
	return strings.TrimRight(ex[:n], " ") + tail
}
