package sms

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// maxResponseBytes bounds what is read of a REST API response.
const maxResponseBytes = 64 << 10

// sendResponse is what Send reads of a created Message resource.
type sendResponse struct {
	SID    string `json:"sid"`
	Status string `json:"status"`
}

// Send creates a Message resource (POST
// /2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded, HTTP Basic
// authentication with the account SID and auth token) and returns its SID.
// The message goes through the inbox's messaging_service_sid and from its
// from number, whichever are set (with both, the service's features apply
// to that sender), to the contact's SMS identity, with the reply's
// attachments as MediaUrl (an MMS where carriers support it) and the
// inbox's status callback URL, if known, as StatusCallback.
//
// It returns a permanent *channel.SendError when the inbox is not fully
// configured, the contact has no SMS identity or opted out (their newest
// opt-out or opt-in keyword to the inbox, in any conversation, is an
// opt-out; see History), the reply cannot be one message (see CheckReply),
// or Twilio refuses it (error 21610 for a customer who replied STOP); a
// temporary one when Twilio is throttling (429, error 20429, with its
// Retry-After), failing (5xx) or does not answer in time, or the History
// cannot be read.
//
// The Messages resource has no idempotency key. When Twilio accepts a
// message but its answer is lost, the outbox sends the reply again and the
// customer receives it twice: delivery is at least once.
func (a *Adapter) Send(ctx context.Context, out channel.Outbound) (channel.Result, error) {
	in := &out.Inbox
	base, err := a.baseURL(*in)
	if err != nil {
		return channel.Result{}, channel.Permanent("the inbox's api_base is not an http or https URL", err)
	}
	account, token := in.Credentials[CredAccountSID], in.Credentials[CredAuthToken]
	from, service := in.Credentials[CredFrom], in.Credentials[CredMessagingServiceSID]
	switch {
	case !validSID(account, "AC"):
		return channel.Result{}, channel.Permanent("the inbox's account_sid is missing or is not an AC… account SID", nil)
	case token == "":
		return channel.Result{}, channel.Permanent("the inbox has no auth_token", nil)
	case from == "" && service == "":
		return channel.Result{}, channel.Permanent("the inbox has neither a from number nor a messaging_service_sid", nil)
	}
	rcpt, ok := out.Recipient()
	if !ok || rcpt.PlatformUserID == "" {
		return channel.Result{}, channel.Permanent("the contact has no SMS identity", nil)
	}
	// Twilio would refuse it too (error 21610); a reply queued before the
	// STOP arrived, or written in another of the customer's conversations,
	// must not go out either.
	stopped, err := a.optedOutOn(ctx, &out)
	if err != nil {
		return channel.Result{}, channel.Temporary("Parley could not read the customer's earlier messages to check for an opt-out", 0, err)
	}
	if stopped {
		// The customer's choice, not the account's trouble.
		return channel.Result{}, &channel.SendError{Permanent: true, Refused: true, Reason: optedOutReason}
	}
	if err := checkContent(out.Message.Text, out.Message.Attachments); err != nil {
		return channel.Result{}, channel.Permanent(care.ErrorMessage(err), err)
	}

	form := url.Values{"To": {rcpt.PlatformUserID}}
	// With both, the Messaging Service's features apply and from is the
	// sender it uses.
	if service != "" {
		form.Set("MessagingServiceSid", service)
	}
	if from != "" {
		form.Set("From", from)
	}
	if out.Message.Text != "" {
		form.Set("Body", out.Message.Text)
	}
	for _, att := range out.Message.Attachments {
		form.Add("MediaUrl", att.URL)
	}
	if cb := a.statusCallback(*in); cb != "" {
		form.Set("StatusCallback", cb)
	}

	endpoint := base + "/2010-04-01/Accounts/" + url.PathEscape(account) + "/Messages.json"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return channel.Result{}, channel.Permanent("the inbox's api_base is not usable", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.SetBasicAuth(account, token)
	resp, err := a.client().Do(req)
	if err != nil {
		reason := "Twilio could not be reached"
		if ctx.Err() != nil || isTimeout(err) {
			reason = "Twilio did not answer in time"
		}
		return channel.Result{}, channel.Temporary(reason, 0, err)
	}
	defer resp.Body.Close()
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	_, _ = io.CopyN(io.Discard, resp.Body, maxResponseBytes)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return channel.Result{}, sendError(resp, body, a.now())
	}
	// A 2xx means Twilio has the message even if the body was cut off:
	// retrying would send it twice, so a read error costs only the SID.
	res := channel.Result{Status: care.DeliverySent}
	var sr sendResponse
	if readErr == nil && json.Unmarshal(body, &sr) == nil && messageSID(sr.SID) {
		res.PlatformID = sr.SID
	}
	return res, nil
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &t) && t.Timeout()
}
