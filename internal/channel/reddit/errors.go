package reddit

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/channel"
)

// defaultRatelimitWait is the wait after a RATELIMIT error that names
// none Parley can read.
const defaultRatelimitWait = time.Minute

// refusals says, for the errors of an api_type=json envelope that Parley
// explains, what the agent reads; the rest are shown as Reddit words them.
// Codes and messages: r2/r2/lib/errors.py, and the checks of POST_comment
// and POST_compose in r2/r2/controllers/api.py. The refusals of the text
// (TOO_LONG, NO_TEXT, NO_SUBJECT) are worded by textRefusal, which reads
// the field the error names.
var refusals = map[string]string{
	"THREAD_LOCKED":                   "the thread is locked: Reddit takes no new comments in it",
	"DELETED_COMMENT":                 "the comment being answered was deleted",
	"DELETED_LINK":                    "the post being answered was deleted",
	"DELETED_THING":                   "what is being answered was deleted",
	"TOO_OLD":                         "the thread is archived: it is too old to reply to",
	"NO_THING_ID":                     "the comment or message being answered no longer exists",
	"USER_BLOCKED":                    "the customer has blocked the account, or the account has blocked them",
	"USER_BLOCKED_MESSAGE":            "the customer does not accept messages from the account",
	"NOT_WHITELISTED_BY_USER_MESSAGE": "the customer accepts messages only from people they allowed",
	"USER_MUTED":                      "the account is muted in this subreddit",
	"MUTED_FROM_SUBREDDIT":            "the customer is muted in this subreddit",
	"USER_DOESNT_EXIST":               "the customer's Reddit account no longer exists",
	"NO_USER":                         "the message has no recipient",
	"SUBREDDIT_NOTALLOWED":            "the account may not comment in this subreddit",
	"SUBREDDIT_NOEXIST":               "the subreddit does not exist",
	"USER_REQUIRED":                   "Reddit did not take the authorisation as the account's: connect the account again",
	"BAD_CAPTCHA":                     "Reddit asks the account to solve a captcha: it needs more karma or a verified email",
}

// refusedCodes are the refusals of this one reply, whose thing or person is
// gone, closed or unwilling, or whose text Reddit does not take (too long,
// empty, a message without a subject): the account works, so the inbox's
// health is left alone. Those of the account (USER_MUTED,
// SUBREDDIT_NOTALLOWED, USER_REQUIRED, BAD_CAPTCHA) are not among them.
var refusedCodes = map[string]bool{
	"THREAD_LOCKED": true, "DELETED_COMMENT": true, "DELETED_LINK": true, "DELETED_THING": true, "TOO_OLD": true,
	"NO_THING_ID": true, "USER_BLOCKED": true, "USER_BLOCKED_MESSAGE": true, "NOT_WHITELISTED_BY_USER_MESSAGE": true,
	"MUTED_FROM_SUBREDDIT": true, "USER_DOESNT_EXIST": true,
	"TOO_LONG": true, "NO_TEXT": true, "NO_SUBJECT": true,
}

// envelopeError turns the errors of an envelope into a *channel.SendError:
// RATELIMIT is temporary, until the wait its message names; every other
// error is permanent, with a reason saying what it means.
func envelopeError(errs [][]nullString, now time.Time) *channel.SendError {
	code, msg, field := "", "", ""
	for _, e := range errs {
		if len(e) == 0 {
			continue
		}
		c := channel.Excerpt([]byte(e[0]), 64)
		if code == "" || c == "RATELIMIT" {
			code, msg, field = c, "", ""
			if len(e) > 1 {
				msg = channel.Excerpt([]byte(e[1]), 200)
			}
			if len(e) > 2 {
				field = channel.Excerpt([]byte(e[2]), 64)
			}
		}
	}
	if code == "" {
		code = "UNKNOWN"
	}
	err := fmt.Errorf("reddit: %s: %s", code, msg)
	if code == "RATELIMIT" {
		wait, ok := parseWait(msg)
		if !ok {
			wait = defaultRatelimitWait
		}
		return &channel.SendError{RetryAfter: wait, Err: err,
			Reason: "Reddit asks the account to slow down (" + msg + "); Parley will retry"}
	}
	reason, ok := textRefusal(code, msg, field)
	if !ok {
		reason, ok = refusals[code]
	}
	if !ok {
		reason = "Reddit refused the reply"
		if msg != "" {
			reason += ": " + msg
		}
	}
	return &channel.SendError{Permanent: true, Refused: refusedCodes[code], Reason: reason + " (" + code + ")", Err: err}
}

// maxLength matches the limit r2 names in TOO_LONG's message, "this is
// too long (max: 10000)".
var maxLength = regexp.MustCompile(`\(max: ?(\d{1,7})\)`)

// textRefusal words Reddit's refusal of the reply's text, or of a new
// message's subject, as the agent can act on it: "Reddit refused the
// reply: it is longer than 10,000 characters". field is the form field
// the error names ("text", "comment" or "message" for the reply,
// "subject"); the limit is the one Reddit's message names, else r2's
// (VMarkdownLength of 10,000 for the text, VLength of 100 for the
// subject). ok is false for other codes.
func textRefusal(code, msg, field string) (reason string, ok bool) {
	subject := field == "subject"
	switch code {
	case "TOO_LONG":
		limit := MaxTextChars
		if subject {
			limit = MaxSubjectChars
		}
		if m := maxLength.FindStringSubmatch(msg); m != nil {
			if n, err := strconv.Atoi(m[1]); err == nil && n > 0 {
				limit = n
			}
		}
		if subject {
			return "Reddit refused the message: its subject is longer than " + channel.Thousands(limit) + " characters", true
		}
		return "Reddit refused the reply: it is longer than " + channel.Thousands(limit) + " characters; shorten it, or split it into two replies", true
	case "NO_TEXT":
		return "Reddit refused the reply: it is empty", true
	case "NO_SUBJECT":
		return "Reddit refused the message: it has no subject", true
	}
	return "", false
}

// waitPart matches a duration in a RATELIMIT message: "try again in 5
// minutes.", "try again in 9 seconds.", "Take a break for 2 minutes
// before trying again.", "… in 1 hour and 3 minutes".
var waitPart = regexp.MustCompile(`(?i)(\d{1,6})\s*(milliseconds?|ms|seconds?|secs?|minutes?|mins?|hours?|hrs?)\b`)

// parseWait reads the wait a RATELIMIT message names, plus a second, at
// most channel.MaxRetryAfter; ok is false when it names none.
func parseWait(msg string) (time.Duration, bool) {
	if len(msg) > 512 {
		msg = msg[:512]
	}
	var d time.Duration
	found := false
	for _, m := range waitPart.FindAllStringSubmatch(msg, 4) {
		n, err := strconv.Atoi(m[1])
		if err != nil {
			continue
		}
		unit := strings.ToLower(m[2])
		switch {
		case unit == "ms" || strings.HasPrefix(unit, "milli"):
			d += time.Duration(n) * time.Millisecond
		case strings.HasPrefix(unit, "s"):
			d += time.Duration(n) * time.Second
		case strings.HasPrefix(unit, "m"):
			d += time.Duration(n) * time.Minute
		default:
			d += time.Duration(n) * time.Hour
		}
		found = true
		if d > channel.MaxRetryAfter {
			break
		}
	}
	if !found {
		return 0, false
	}
	return min(d+time.Second, channel.MaxRetryAfter), true
}

// sendReason is the reason of a send error, for wrapping.
func sendReason(err error) string {
	var se *channel.SendError
	if errors.As(err, &se) && se.Reason != "" {
		return se.Reason
	}
	return "Reddit did not accept the request"
}
