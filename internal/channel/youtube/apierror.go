package youtube

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/parleyhq/parley/internal/channel"
)

// googleError is the error body of Google's JSON APIs
// (developers.google.com/youtube/v3/docs/errors):
//
//	{"error": {"code": 403, "message": "…", "status": "PERMISSION_DENIED",
//	  "errors": [{"message": "…", "domain": "youtube.quota", "reason": "quotaExceeded"}]}}
//
// The reason, "quotaExceeded", "commentsDisabled", is what each method's
// reference lists under "Error detail".
type googleError struct {
	Error struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Status  string `json:"status"`
		Errors  []struct {
			Message string `json:"message"`
			Domain  string `json:"domain"`
			Reason  string `json:"reason"`
		} `json:"errors"`
	} `json:"error"`
}

// parseError reads a Google error body: the first reason it names (letters
// only, else "") and its message, shortened and safe to show.
func parseError(body []byte) (reason, message string) {
	var e googleError
	if json.Unmarshal(body, &e) != nil {
		return "", channel.Excerpt(body, 200)
	}
	for _, d := range e.Error.Errors {
		if reason == "" && plainWord(d.Reason) {
			reason = d.Reason
		}
		if message == "" {
			message = d.Message
		}
	}
	if e.Error.Message != "" {
		message = e.Error.Message
	}
	return reason, channel.Excerpt([]byte(message), 200)
}

// errorReason is the reason a Google error body names, "" if none.
func errorReason(body []byte) string {
	r, _ := parseError(body)
	return r
}

// plainWord reports whether s is 1 to 64 ASCII letters, as every reason
// Google documents is.
func plainWord(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// quotaReason reports whether reason says the project's daily quota is
// spent. dailyLimitExceeded is the older, Google-wide name of the same.
func quotaReason(reason string) bool {
	return reason == "quotaExceeded" || reason == "dailyLimitExceeded"
}

// defaultRateWait is the wait after a rate limit that names none.
const defaultRateWait = time.Minute

// apiError classifies YouTube's refusal r of a request for o:
//
//   - quotaExceeded (403) is temporary until the quota resets at the next
//     Pacific midnight (reset);
//   - rateLimitExceeded, userRateLimitExceeded (403) and 429 are
//     temporary, after Retry-After or a minute;
//   - 5xx (backendError, serviceUnavailable), 408 and 425 are temporary;
//   - processingFailure (400), "while this can be a transient error, it
//     usually indicates that the request's input is invalid": temporary
//     for reads, which cost a unit, permanent for writes, which cost fifty
//     each time and whose input is the agent's to change;
//   - 401 (after the token was renewed once), every other 4xx
//     (commentsDisabled, forbidden, ineligibleAccount,
//     parentCommentNotFound, commentTextTooLong, …) is permanent.
//
// The reason agents read names YouTube's reason code and what to do.
func apiError(r *response, o op, reset, now time.Time) *channel.SendError {
	code, msg := parseError(r.body)
	e := &channel.SendError{Permanent: true, Status: r.status}
	e.Err = errors.New("youtube: HTTP " + strconv.Itoa(r.status) + " " + code + ": " + msg)
	refused := "YouTube refused " + o.what
	tag := ""
	if code != "" {
		tag = " (" + code + ")"
	}
	retryAfter := func(def time.Duration) time.Duration {
		if d, ok := channel.ParseRetryAfter(r.header.Get("Retry-After"), now); ok {
			return max(d, time.Second)
		}
		return def
	}
	switch {
	case quotaReason(code):
		e.Permanent, e.RetryAfter = false, max(reset.Sub(now), time.Second)
		then := "polling resumes"
		if o.write {
			then = o.then
		}
		e.Reason = "YouTube says the project's daily quota is spent (" + code + "): " + then + " after midnight Pacific Time (" + reset.UTC().Format("15:04") + " UTC)"
	case code == "rateLimitExceeded" || code == "userRateLimitExceeded" || r.status == http.StatusTooManyRequests:
		e.Permanent, e.RetryAfter = false, retryAfter(defaultRateWait)
		e.Reason = "YouTube is limiting the project's request rate" + tag + "; retrying shortly"
	case r.status >= 500 || r.status == http.StatusRequestTimeout || r.status == http.StatusTooEarly:
		e.Permanent, e.RetryAfter = false, retryAfter(0)
		e.Reason = "YouTube failed (" + strconv.Itoa(r.status) + ")"
		if code != "" {
			e.Reason = "YouTube failed (" + strconv.Itoa(r.status) + " " + code + ")"
		}
	case code == "processingFailure" && !o.write:
		e.Permanent = false
		e.Reason = "YouTube could not process " + o.what + " (processingFailure); retrying"
	case r.status == http.StatusUnauthorized:
		e.Reason = "YouTube refused the channel's authorisation" + tag + ": connect the channel again (the refresh token may have been revoked)"
	default:
		e.Reason = refused + ": " + explain(code, o, msg)
		e.Refused = replyRefused[code]
	}
	return e
}

// replyRefused are the refusals of this one reply: of the video or comment
// it answers (its comments are off, it is gone or private), or of its own
// text (too long, empty, a custom emoji YouTube does not take). The
// channel's authorisation and quota work, so the inbox's health is left
// alone (developers.google.com/youtube/v3/docs/comments/insert, "Errors").
// processingFailure is not among them: the reference says only that the
// request's input is usually invalid and to "check the structure of the
// comment resource", which is Parley's and the same for every reply.
var replyRefused = map[string]bool{
	"commentsDisabled": true, "parentCommentNotFound": true, "parentCommentIsPrivate": true, "commentNotFound": true,
	"commentTextTooLong": true, "commentTextRequired": true, "invalidCustomEmoji": true,
}

// explain says what a permanent refusal means and what to do.
func explain(code string, o op, msg string) string {
	switch code {
	case "commentsDisabled":
		return "comments are turned off on this video (commentsDisabled)"
	case "forbidden":
		if o == opModerate {
			return "only the channel's owner may moderate its comments (forbidden): the refresh token must be the owner's"
		}
		return "the account may not do this (forbidden): the refresh token must be the channel owner's, with the " + Scope + " scope"
	case "insufficientPermissions":
		return "the refresh token lacks the " + Scope + " scope (insufficientPermissions): connect the channel again"
	case "accessNotConfigured", "SERVICE_DISABLED":
		return "the YouTube Data API v3 is not enabled in the Google Cloud project (" + code + "): enable it in the project's API Library"
	case "ineligibleAccount":
		return "the channel's YouTube account must be merged with its Google Account to comment (ineligibleAccount)"
	case "commentTextTooLong":
		return "it is longer than YouTube's " + channel.Thousands(MaxTextChars) + " characters (commentTextTooLong): shorten it, or split it into two replies"
	case "commentTextRequired":
		return "it is empty (commentTextRequired)"
	case "invalidCustomEmoji":
		return "it holds a custom emoji YouTube does not take (invalidCustomEmoji): remove it"
	case "operationNotSupported":
		if o == opModerate {
			return "YouTube offers no moderation of this comment (operationNotSupported)"
		}
		return "YouTube takes no replies in this thread (operationNotSupported)"
	case "parentCommentIsPrivate":
		return "the comment answered is private, and YouTube takes no replies to it (parentCommentIsPrivate)"
	case "parentCommentNotFound":
		return "the comment answered no longer exists on YouTube (parentCommentNotFound)"
	case "commentNotFound":
		return "the comment no longer exists on YouTube (commentNotFound)"
	case "channelNotFound":
		return "YouTube knows no channel with the inbox's external_id (channelNotFound)"
	case "processingFailure":
		return "YouTube could not process it (processingFailure), which usually means the text: edit it and send it again"
	case "":
		if msg == "" {
			return "no explanation"
		}
		return msg
	}
	if msg == "" {
		return code
	}
	return msg + " (" + code + ")"
}
