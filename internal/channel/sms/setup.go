package sms

import (
	"cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Prepare validates a new SMS inbox. It returns EINVALID naming what is
// missing or malformed: the account_sid, the auth_token, a sender (a from
// number in E.164 or a short code, or a messaging_service_sid), or an
// api_base or status_callback that is not an http(s) URL. An inbox without
// an external id gets its sender as one, so it can be told apart from the
// workspace's other numbers.
func (a *Adapter) Prepare(in *care.Inbox) error {
	if in.Credentials == nil {
		in.Credentials = map[string]string{}
	}
	c := in.Credentials
	from, service := c[CredFrom], c[CredMessagingServiceSID]
	switch {
	case !validSID(c[CredAccountSID], "AC"):
		return care.Errorf(care.EINVALID, "credentials.account_sid is required: the Account SID (AC followed by 32 hexadecimal digits) on the Twilio Console's home page.")
	case c[CredAuthToken] == "" || len(c[CredAuthToken]) > 256:
		return care.Errorf(care.EINVALID, "credentials.auth_token is required: the account's primary Auth Token, which signs webhooks and authenticates sends.")
	case from == "" && service == "":
		return care.Errorf(care.EINVALID, "credentials.from (the Twilio number in E.164, e.g. +14155550100) or credentials.messaging_service_sid is required.")
	case from != "" && !validSender(from):
		return care.Errorf(care.EINVALID, "credentials.from must be a Twilio number in E.164, e.g. +14155550100, or a short code.")
	case service != "" && !validSID(service, "MG"):
		return care.Errorf(care.EINVALID, "credentials.messaging_service_sid must be a Messaging Service SID: MG followed by 32 hexadecimal digits.")
	case c[CredStatusCallback] != "" && !httpURL(c[CredStatusCallback]):
		return care.Errorf(care.EINVALID, "credentials.status_callback must be an http or https URL: the inbox's public webhook URL.")
	}
	if c[CredAPIBase] != "" {
		if _, err := a.baseURL(*in); err != nil {
			return err
		}
	}
	if in.ExternalID == "" {
		in.ExternalID = cmp.Or(from, service)
	}
	return nil
}

// Instructions lists what to enter in the Twilio Console for in: the
// webhook URL, with HTTP POST, for incoming messages and for delivery
// statuses.
func (a *Adapter) Instructions(in care.Inbox, webhookURL string) []channel.Instruction {
	c := in.Credentials
	ins := []channel.Instruction{{Label: "Account SID", Value: c[CredAccountSID]}}
	if service := c[CredMessagingServiceSID]; service != "" {
		ins = append(ins,
			channel.Instruction{Label: "Messaging Service", Value: service},
			channel.Instruction{Label: "Messaging Service > Integration > Incoming messages: Send a webhook, Request URL (HTTP POST)", Value: webhookURL},
			channel.Instruction{Label: "Messaging Service > Integration > Delivery Status Callback", Value: webhookURL})
	}
	if from := c[CredFrom]; from != "" {
		ins = append(ins,
			channel.Instruction{Label: "Phone number", Value: from},
			channel.Instruction{Label: "Phone number > Messaging Configuration > A message comes in: Webhook, URL (HTTP POST)", Value: webhookURL})
	}
	switch cb := a.statusCallback(in); {
	case cb != "":
		ins = append(ins, channel.Instruction{Label: "Delivery statuses: Parley asks Twilio for them with each message, at", Value: cb})
	case c[CredMessagingServiceSID] == "":
		ins = append(ins, channel.Instruction{Label: "Delivery statuses: set the inbox's status_callback credential to", Value: webhookURL})
	}
	return ins
}
