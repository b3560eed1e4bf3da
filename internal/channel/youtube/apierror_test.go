package youtube

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func googleBody(code int, reason, message string) []byte {
	return []byte(`{"error":{"code":` + strconv.Itoa(code) + `,"message":"` + message + `","errors":[{"message":"` + message + `","domain":"youtube.comment","reason":"` + reason + `"}]}}`)
}

func TestAPIError(t *testing.T) {
	t.Parallel()
	reset := nextReset(testNow)
	for _, tt := range []struct {
		name       string
		status     int
		body       []byte
		header     http.Header
		op         op
		permanent  bool
		retryAfter time.Duration
		reason     string
		refused    bool // the video's or comment's refusal, not the channel's
	}{
		{"quota, the documented body", 403, []byte(`{"error":{"code":403,"message":"The request cannot be completed because you have exceeded your <a href=\"/youtube/v3/getting-started#quota\">quota</a>.","errors":[{"message":"The request cannot be completed because you have exceeded your <a href=\"/youtube/v3/getting-started#quota\">quota</a>.","domain":"youtube.quota","reason":"quotaExceeded"}]}}`),
			nil, opReply, false, 22 * time.Hour, "daily quota is spent (quotaExceeded): the reply will be sent after midnight Pacific Time (08:00 UTC)", false},
		{"quota while polling", 403, googleBody(403, "quotaExceeded", "quota"), nil, opPoll, false, 22 * time.Hour, "polling resumes after midnight", false},
		{"rate limit", 403, googleBody(403, "rateLimitExceeded", "slow down"), nil, opReply, false, time.Minute, "limiting the project's request rate (rateLimitExceeded)", false},
		{"429 with Retry-After", 429, nil, http.Header{"Retry-After": {"30"}}, opPoll, false, 30 * time.Second, "request rate", false},
		{"backend error", 503, googleBody(503, "backendError", "Backend Error"), nil, opReply, false, 0, "YouTube failed (503 backendError)", false},
		{"500 without a body", 500, nil, nil, opPoll, false, 0, "YouTube failed (500)", false},
		{"processingFailure on a read", 400, googleBody(400, "processingFailure", "x"), nil, opPoll, false, 0, "could not process", false},
		{"processingFailure on a write", 400, googleBody(400, "processingFailure", "x"), nil, opReply, true, 0, "edit it and send it again", false},
		{"comments off", 403, googleBody(403, "commentsDisabled", "x"), nil, opReply, true, 0, "YouTube refused the reply: comments are turned off on this video (commentsDisabled)", true},
		{"forbidden", 403, googleBody(403, "forbidden", "x"), nil, opReply, true, 0, "must be the channel owner's", false},
		{"forbidden moderation", 403, googleBody(403, "forbidden", "x"), nil, opModerate, true, 0, "only the channel's owner may moderate", false},
		{"not enabled", 403, googleBody(403, "accessNotConfigured", "x"), nil, opPoll, true, 0, "YouTube Data API v3 is not enabled", false},
		{"too long", 400, googleBody(400, "commentTextTooLong", "x"), nil, opReply, true, 0, "YouTube refused the reply: it is longer than YouTube's 10,000 characters (commentTextTooLong)", true},
		{"empty", 400, googleBody(400, "commentTextRequired", "x"), nil, opReply, true, 0, "it is empty (commentTextRequired)", true},
		{"custom emoji", 400, googleBody(400, "invalidCustomEmoji", "x"), nil, opReply, true, 0, "custom emoji", true},
		{"parent gone", 404, googleBody(404, "parentCommentNotFound", "x"), nil, opReply, true, 0, "no longer exists on YouTube (parentCommentNotFound)", true},
		{"private parent", 400, googleBody(400, "parentCommentIsPrivate", "x"), nil, opReply, true, 0, "parentCommentIsPrivate", true},
		{"unauthorised", 401, []byte(`{"error":{"code":401,"message":"Request had invalid authentication credentials.","errors":[{"message":"Invalid Credentials","domain":"global","reason":"authError","location":"Authorization","locationType":"header"}],"status":"UNAUTHENTICATED"}}`),
			nil, opPoll, true, 0, "refused the channel's authorisation (authError): connect the channel again", false},
		{"unknown reason keeps the message", 400, googleBody(400, "somethingNew", "Something new went wrong"), nil, opReply, true, 0, "Something new went wrong (somethingNew)", false},
		{"not JSON", 418, []byte("<html>\x00teapot</html>"), nil, opPoll, true, 0, "<html> teapot</html>", false},
		{"hostile reason", 400, googleBody(400, "x<script>", "m"), nil, opReply, true, 0, "YouTube refused the reply: m", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := tt.header
			if h == nil {
				h = http.Header{}
			}
			e := apiError(&response{status: tt.status, header: h, body: tt.body}, tt.op, reset, testNow)
			if e.Permanent != tt.permanent || e.RetryAfter != tt.retryAfter || e.Status != tt.status || e.Refused != tt.refused {
				t.Errorf("apiError = permanent %v, retry after %v, status %d, refused %v; want %v, %v, %d, %v",
					e.Permanent, e.RetryAfter, e.Status, e.Refused, tt.permanent, tt.retryAfter, tt.status, tt.refused)
			}
			if !strings.Contains(e.Reason, tt.reason) {
				t.Errorf("reason %q, want it to contain %q", e.Reason, tt.reason)
			}
			if strings.ContainsAny(e.Reason, "\x00\n") {
				t.Errorf("reason %q is not one line", e.Reason)
			}
		})
	}
}
