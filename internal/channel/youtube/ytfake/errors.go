package ytfake

import (
	"encoding/json"
	"net/http"
)

// errorBody is Google's JSON error (developers.google.com/youtube/v3/docs/errors).
type errorBody struct {
	Error struct {
		Code    int           `json:"code"`
		Message string        `json:"message"`
		Errors  []errorDetail `json:"errors"`
	} `json:"error"`
}

type errorDetail struct {
	Message      string `json:"message"`
	Domain       string `json:"domain"`
	Reason       string `json:"reason"`
	Location     string `json:"location,omitempty"`
	LocationType string `json:"locationType,omitempty"`
}

// messages are the descriptions YouTube's reference gives each reason.
var messages = map[string]string{
	"quotaExceeded":          `The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.`,
	"rateLimitExceeded":      "The request cannot be completed because you have exceeded your rate limit.",
	"authError":              "Invalid Credentials",
	"backendError":           "Backend Error",
	"forbidden":              "The comment cannot be created due to insufficient permissions. The request might not be properly authorized.",
	"commentsDisabled":       "The video identified by the videoId parameter has disabled comments.",
	"commentTextRequired":    "The comment resource that is being inserted must specify a value for the snippet.textOriginal property. Comments cannot be empty.",
	"commentTextTooLong":     "The comment resource that is being inserted contains too many characters in the snippet.textOriginal property.",
	"invalidCommentMetadata": "The request metadata is invalid.",
	"operationNotSupported":  "The API user is not able to insert a comment in reply to the top-level comment identified by the snippet.parentId property.",
	"parentIdMissing":        "The comment that is being inserted must be linked to a parent comment.",
	"parentCommentNotFound":  "The specified parent comment could not be found.",
	"commentNotFound":        "One or more of the comments that the request is trying to update cannot be found.",
	"banWithoutReject":       "The banAuthor parameter can only be used if the moderationStatus parameter value is rejected.",
	"invalidPageToken":       "The request specifies an invalid page token.",
	"processingFailure":      "The API server failed to successfully process the request.",
}

func messageOf(reason string) string {
	if m, ok := messages[reason]; ok {
		return m
	}
	return reason
}

func domainOf(reason string) string {
	switch reason {
	case "quotaExceeded":
		return "youtube.quota"
	case "rateLimitExceeded":
		return "usageLimits"
	case "authError", "backendError", "notFound":
		return "global"
	}
	return "youtube.comment"
}

// writeError writes a Google error body.
func writeError(w http.ResponseWriter, status int, reason, domain, message string) {
	var b errorBody
	b.Error.Code, b.Error.Message = status, message
	d := errorDetail{Message: message, Domain: domain, Reason: reason}
	if reason == "authError" {
		b.Error.Message = "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential."
		d.Location, d.LocationType = "Authorization", "header"
	}
	b.Error.Errors = []errorDetail{d}
	writeJSON(w, status, b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
