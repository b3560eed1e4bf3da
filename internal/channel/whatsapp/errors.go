package whatsapp

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/channel"
)

// graphError is the body of a failed Graph API call:
// {"error":{"message","type","code","error_data":{"details"},"error_subcode","fbtrace_id"}}
// (".../whatsapp/support/error-codes"). Meta asks integrations to act on code
// and details; titles inside message may go away.
type graphError struct {
	Error *struct {
		Message   string `json:"message"`
		Type      string `json:"type"`
		Code      int    `json:"code"`
		ErrorData struct {
			Details string `json:"details"`
		} `json:"error_data"`
		FBTraceID string `json:"fbtrace_id"`
	} `json:"error"`
}

// errorClass is how Parley treats one Cloud API error code.
type errorClass struct {
	// reason is shown to the agent; "" means a generic reason with the
	// platform's details.
	reason string
	// temporary errors are retried, not before wait.
	temporary bool
	wait      time.Duration
	// withDetails appends WhatsApp's details, which name the offending
	// parameter.
	withDetails bool
	// refused errors concern this one customer (their window, their
	// number, their choices) or this one message (its type, its
	// attachment, its values), not the business account: the reply
	// fails, and the inbox's health is left alone.
	refused bool
}

// errorClasses covers the codes of ".../whatsapp/support/error-codes" a reply
// can meet. Codes not listed are classified by HTTP status.
var errorClasses = map[int]errorClass{
	// Throttling. WhatsApp sends no Retry-After, so the wait is a first
	// guess that backoff grows: 130429 is the number's messages-per-second
	// throughput, 131056 the pair limit of about one message every six
	// seconds to one customer, 4 and 80007 hourly app and account limits.
	4:      {reason: "WhatsApp is limiting the app's API calls", temporary: true, wait: time.Minute},
	80007:  {reason: "WhatsApp is limiting the business account's API calls", temporary: true, wait: time.Minute},
	130429: {reason: "WhatsApp's message throughput for this number was reached", temporary: true, wait: 5 * time.Second},
	131056: {reason: "Too many messages to this customer in a short time", temporary: true, wait: 6 * time.Second},

	// Meta's side.
	1:      {reason: "WhatsApp had an unknown error", temporary: true},
	2:      {reason: "WhatsApp is temporarily unavailable", temporary: true},
	131000: {reason: "WhatsApp failed to send the message", temporary: true},
	131016: {reason: "WhatsApp is temporarily unavailable", temporary: true},
	131057: {reason: "The WhatsApp Business Account is in maintenance mode", temporary: true, wait: time.Minute},
	133004: {reason: "WhatsApp is temporarily unavailable", temporary: true},

	// The conversation. 131047, 131026, 131049, 131050 and 130472 concern
	// the one customer (developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes:
	// "more than 24 hours have passed since the customer last replied",
	// "message undeliverable", "per-user marketing limit", "user has
	// stopped marketing messages", "part of an experiment"); 131048 and
	// 131030 the business number.
	131047: {reason: "outside WhatsApp's 24-hour window: send an approved template", refused: true},
	131026: {reason: "WhatsApp could not deliver the message: the number may not use WhatsApp, may have blocked this business, or runs an old WhatsApp version", refused: true},
	131021: {reason: "the recipient is this business number itself", refused: true},
	131030: {reason: "the recipient is not on this test number's list of allowed recipients"},
	131048: {reason: "WhatsApp is limiting this number because earlier messages were blocked or reported as spam; check its quality in WhatsApp Manager"},
	131049: {reason: "WhatsApp chose not to deliver this message to keep engagement healthy", refused: true},
	131050: {reason: "the customer has turned off marketing messages from this business", refused: true},
	130472: {reason: "the customer is part of a WhatsApp experiment and was not sent this marketing message", refused: true},

	// The content. 131051, 131053 and 131009 concern this one message
	// (".../whatsapp/support/error-codes": "Message type is not
	// supported", "Unable to upload the media used in the message.
	// Possible reasons include an unsupported media type", "One or more
	// parameter values are invalid"), so they are refused: the agent
	// changes the reply, the account is fine. Not 100 ("unsupported or
	// misspelled parameters", or a phone number id that does not match)
	// nor 131008 (a required parameter missing): those are the request
	// Parley builds, the same for every reply, or the inbox's number. Nor
	// 131052, which the page documents for media the customer sent
	// ("Unable to download the media sent by the user"), not for a reply.
	131051: {reason: "WhatsApp refused the message: it does not support this kind of message; send it as text or as another attachment", refused: true},
	131052: {reason: "WhatsApp could not download the attachment", withDetails: true},
	131053: {reason: "WhatsApp refused the message: it could not upload the attachment, which may be of a type WhatsApp does not take", withDetails: true, refused: true},
	100:    {reason: "WhatsApp rejected a parameter of the message", withDetails: true},
	131008: {reason: "WhatsApp says a required parameter is missing", withDetails: true},
	131009: {reason: "WhatsApp refused the message: a value in it is not valid", withDetails: true, refused: true},
	132000: {reason: "the template's parameters do not match its placeholders", withDetails: true},
	132001: {reason: "the template does not exist in this language or is not approved yet"},
	132005: {reason: "the template's text is too long once filled in"},
	132007: {reason: "the template breaks WhatsApp's formatting policy"},
	132012: {reason: "a template parameter has the wrong format", withDetails: true},
	132015: {reason: "the template is paused because of its low quality"},
	132016: {reason: "the template is disabled because of its low quality"},

	// The account and its credentials.
	0:      {reason: "WhatsApp could not authenticate the access token: update the inbox's access_token"},
	190:    {reason: "the WhatsApp access token has expired or was revoked: update the inbox's access_token"},
	3:      {reason: "the access token lacks a capability or permission this needs (whatsapp_business_messaging)"},
	10:     {reason: "the access token lacks the whatsapp_business_messaging permission"},
	33:     {reason: "the business phone number id is wrong or the number was deleted"},
	368:    {reason: "the WhatsApp Business Account is restricted for a policy violation"},
	130497: {reason: "the WhatsApp Business Account may not message customers in this country"},
	131031: {reason: "the WhatsApp Business Account is locked"},
	131042: {reason: "the WhatsApp Business Account has a payment problem; check its payment method"},
	131045: {reason: "the phone number's certificate is invalid; register the number again"},
	133010: {reason: "the phone number is not registered with the Cloud API"},
}

// classOf returns how code is treated; known is false for codes not listed.
func classOf(code int) (c errorClass, known bool) {
	if c, ok := errorClasses[code]; ok {
		return c, true
	}
	switch {
	case code >= 200 && code <= 299:
		return errorClasses[10], true
	case code >= 132000 && code < 133000:
		return errorClass{reason: "WhatsApp refused the template", withDetails: true}, true
	}
	return errorClass{}, false
}

// maxDetailBytes bounds the part of a reason WhatsApp wrote, so a reason
// fits care.Inbound's status_reason.
const maxDetailBytes = 300

// describe is the agent-facing account of a Cloud API error, from its
// code and whichever of details, title and message WhatsApp filled in.
func describe(code int, title, message, details string) string {
	// The message is "(#131047) Re-engagement message"; the code is shown
	// once, at the end.
	if _, rest, ok := strings.Cut(message, ") "); ok && strings.HasPrefix(message, "(#") {
		message = rest
	}
	// Shown to agents and stored: one line of bounded, printable text.
	detail := channel.CleanName(cmp.Or(details, title, message), maxDetailBytes)
	c, known := classOf(code)
	reason := c.reason
	if !known {
		reason = "WhatsApp refused the message"
	}
	if (!known || c.withDetails) && detail != "" {
		reason += ": " + detail
	}
	return fmt.Sprintf("%s (WhatsApp error %d)", reason, code)
}

// sendError classifies a failed send from its response: by the Cloud API
// error code when the body carries one, else by HTTP status. Usage headers
// and Retry-After, where present, set the wait.
func sendError(resp *http.Response, body []byte, now time.Time) error {
	rateLimit, regain := usage(resp.Header)
	var ge graphError
	if json.Unmarshal(body, &ge) != nil || ge.Error == nil {
		err := channel.ClassifyHTTP(resp, body, now)
		if se, ok := err.(*channel.SendError); ok {
			se.RateLimit = rateLimit
			if !se.Permanent {
				se.RetryAfter = min(max(se.RetryAfter, regain), channel.MaxRetryAfter)
			}
		}
		return err
	}
	e := ge.Error
	c, known := classOf(e.Code)
	if !known {
		// Classified like any HTTP answer: 429 and 5xx are worth a retry.
		c.temporary = resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
	}
	se := &channel.SendError{
		Permanent: !c.temporary,
		Refused:   c.refused && !c.temporary,
		Status:    resp.StatusCode,
		Reason:    describe(e.Code, "", e.Message, e.ErrorData.Details),
		Err:       fmt.Errorf("whatsapp: graph error %d (%s, fbtrace_id %s): %s", e.Code, e.Type, e.FBTraceID, e.Message),
		RateLimit: rateLimit,
	}
	if c.temporary {
		se.RetryAfter = max(c.wait, regain)
		if d, ok := channel.ParseRetryAfter(resp.Header.Get("Retry-After"), now); ok {
			se.RetryAfter = max(se.RetryAfter, d)
		}
		se.RetryAfter = min(se.RetryAfter, channel.MaxRetryAfter)
	}
	return se
}
