package sms

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// apiError is the body of a failed REST API call:
// {"code": 21211, "message": "The 'To' number … is not a valid phone
// number.", "more_info": "https://www.twilio.com/docs/errors/21211",
// "status": 400}.
type apiError struct {
	Code     int    `json:"code"`
	Message  string `json:"message"`
	MoreInfo string `json:"more_info"`
	Status   int    `json:"status"`
}

// errorReasons explain, to an agent, the Twilio error codes a reply meets:
// when it is sent (21xxx, 20xxx) and in a failed or undelivered status
// callback (30xxx). Each code's page is www.twilio.com/docs/api/errors/CODE.
var errorReasons = map[int]string{
	// The account and the inbox's credentials.
	20003: "Twilio rejected the inbox's account_sid and auth_token: update the inbox's credentials",
	20404: "Twilio does not know this account: check the inbox's account_sid",
	20429: "Twilio is limiting the account's API requests",
	20500: "Twilio had an internal error",
	20503: "Twilio is temporarily unavailable",
	21606: "the inbox's from number cannot send SMS to this destination",
	21608: "a Twilio trial account can only message verified numbers",
	21701: "the inbox's messaging_service_sid is not a Messaging Service of this account",
	21703: "the Messaging Service has no phone number to send from",
	30002: "the Twilio account is suspended",
	30032: "the toll-free number is not verified yet, so carriers block its messages",
	30034: "the number is not registered for US A2P 10DLC messaging, so carriers block its messages",

	// The customer.
	21211: "the customer's number is not a valid phone number",
	21408: "the Twilio account may not send SMS to this country: allow it under Messaging > Settings > Geo permissions",
	21610: optedOutReason,
	21612: "the customer's number cannot receive SMS from this sender",
	21614: "the customer's number is not a mobile number that can receive SMS",
	30003: "the customer's phone is unreachable: switched off, out of coverage or unable to receive SMS",
	30004: "the message was blocked: the customer may have blocked this number, or their carrier did",
	30005: "the customer's number is unknown to their carrier or no longer exists",
	30006: "the customer's number is a landline or its carrier cannot be reached",
	30007: "the carrier filtered the message as spam or against its rules",
	30008: "the carrier reported an unknown error",

	// The message.
	21602: "the message is empty",
	21617: "the message is longer than Twilio's 1,600 characters",
	21620: "Twilio could not use an attachment's URL",
	30001: "too many messages were waiting to be sent from this number",
	30010: "the message cost more than the maximum price set for it",
}

// temporaryCodes are the errors that trying again later can cure.
var temporaryCodes = map[int]bool{20429: true, 20500: true, 20503: true}

// refusedCodes are the send errors of this one customer's number, which
// leave the inbox's health alone: it unsubscribed (21610), is not a valid
// number (21211), cannot be reached from this sender (21612), or is not a
// mobile number (21614, and 21635, a landline; www.twilio.com/docs/api/errors/21635).
// Those of the account or its numbers (20003, 21606, 21608, 21408…) are
// not among them.
var refusedCodes = map[int]bool{21610: true, 21211: true, 21612: true, 21614: true, 21635: true}

// maxDetailBytes bounds the part of a reason Twilio wrote.
const maxDetailBytes = 300

// describe is the agent-facing account of Twilio error code, with Twilio's
// own message when Parley has no explanation of the code; fallback is the
// reason when there is neither.
func describe(code int, message, fallback string) string {
	reason, known := errorReasons[code]
	if !known {
		reason = fallback
		if detail := channel.Excerpt([]byte(message), maxDetailBytes); detail != "" {
			reason += ": " + detail
		}
	}
	if code == 0 {
		return reason
	}
	return fmt.Sprintf("%s (Twilio error %d)", reason, code)
}

// sendError classifies a failed send: by Twilio's error code when the body
// carries one, else by HTTP status. 429 (error 20429) and 5xx are temporary
// and honour Retry-After; every other answer is permanent.
func sendError(resp *http.Response, body []byte, now time.Time) error {
	var ae apiError
	if json.Unmarshal(body, &ae) != nil || ae.Code == 0 && ae.Message == "" {
		return channel.ClassifyHTTP(resp, body, now)
	}
	temporary := temporaryCodes[ae.Code] || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
	se := &channel.SendError{
		Permanent: !temporary,
		Refused:   !temporary && refusedCodes[ae.Code],
		Status:    resp.StatusCode,
		Reason:    describe(ae.Code, ae.Message, "Twilio refused the message"),
		Err:       fmt.Errorf("sms: twilio error %d (HTTP %d): %s", ae.Code, resp.StatusCode, strings.TrimSpace(ae.Message)),
	}
	if temporary {
		if d, ok := channel.ParseRetryAfter(resp.Header.Get("Retry-After"), now); ok {
			se.RetryAfter = d
		}
	}
	return se
}

// statusReason is the reason shown on a message Twilio reports failed or
// undelivered, from the callback's ErrorCode.
func statusReason(code int, status string) string {
	switch {
	case status == "canceled" && code == 0:
		return "the scheduled message was canceled"
	case code == 0:
		return "Twilio could not deliver the message and gave no reason"
	}
	return channel.CleanName(describe(code, "", "Twilio could not deliver the message"), care.MaxNameBytes)
}
