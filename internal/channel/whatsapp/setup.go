package whatsapp

import (
	"crypto/rand"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Prepare validates a new WhatsApp inbox and generates its verify_token when
// the admin gave none. It returns EINVALID naming what is missing: the
// app_secret, the access_token, or a numeric ExternalID (the phone number
// id).
func (a *Adapter) Prepare(in *care.Inbox) error {
	if in.Credentials == nil {
		in.Credentials = map[string]string{}
	}
	switch {
	case !validPhoneNumberID(in.ExternalID):
		return care.Errorf(care.EINVALID, "external_id must be the number's phone number id (digits, shown under API Setup in the app dashboard), not the phone number.")
	case in.Credentials[CredAppSecret] == "":
		return care.Errorf(care.EINVALID, "credentials.app_secret is required: the App Secret under App settings > Basic, used to verify webhooks.")
	case in.Credentials[CredAccessToken] == "":
		return care.Errorf(care.EINVALID, "credentials.access_token is required: a system user token with the whatsapp_business_messaging permission.")
	}
	if in.Credentials[CredAPIBase] != "" {
		if _, err := a.baseURL(*in); err != nil {
			return err
		}
	}
	if in.Credentials[CredVerifyToken] == "" {
		in.Credentials[CredVerifyToken] = rand.Text()
	}
	return nil
}

// Instructions lists what to enter in the Meta app dashboard for in.
func (a *Adapter) Instructions(in care.Inbox, webhookURL string) []channel.Instruction {
	subscribe := "POST " + DefaultBaseURL + "/{waba_id}/subscribed_apps with the access token"
	if id := in.Credentials[CredWABAID]; id != "" {
		subscribe = "POST " + DefaultBaseURL + "/" + id + "/subscribed_apps with the access token"
	}
	return []channel.Instruction{
		{Label: "Callback URL", Value: webhookURL},
		{Label: "Verify token", Value: in.Credentials[CredVerifyToken]},
		{Label: "Webhook fields", Value: "messages (and smb_message_echoes if the number is also used in the WhatsApp Business app)"},
		{Label: "Subscribe the app to the WhatsApp Business Account", Value: subscribe},
		{Label: "Access token permissions", Value: "whatsapp_business_messaging, whatsapp_business_management"},
		{Label: "Phone number id", Value: in.ExternalID},
	}
}
