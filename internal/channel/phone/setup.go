package phone

import (
	"crypto/rand"
	"encoding/hex"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Bounds of the secrets an admin may supply.
const (
	minSecretBytes = 24
	maxSecretBytes = 256
)

// Prepare validates a new phone inbox and generates its webhook_secret
// when the admin gave none: "whsec_" and 64 hexadecimal digits (256
// bits), like Parley's other webhook secrets. It returns EINVALID naming
// what is wrong: a webhook_secret shorter than 24 or longer than 256
// printable ASCII characters, a twilio_auth_token of another shape than
// Twilio's 32 hexadecimal digits, a twilio_account_sid that is not AC and
// 32 hexadecimal digits.
func (a *Adapter) Prepare(in *care.Inbox) error {
	if in.Credentials == nil {
		in.Credentials = map[string]string{}
	}
	c := in.Credentials
	if s := c[CredWebhookSecret]; s != "" && (len(s) < minSecretBytes || len(s) > maxSecretBytes || !asciiPrintable(s)) {
		return care.Errorf(care.EINVALID, "credentials.webhook_secret must be %d to %d printable ASCII characters; leave it empty to have one generated.", minSecretBytes, maxSecretBytes)
	}
	if t := c[CredTwilioAuthToken]; t != "" && !hexDigits(t, 32) {
		return care.Errorf(care.EINVALID, "credentials.twilio_auth_token must be the account's Auth Token: 32 hexadecimal digits, from the Twilio Console.")
	}
	if sid := c[CredTwilioAccountSID]; sid != "" && !(strings.HasPrefix(sid, "AC") && hexDigits(sid[2:], 32)) {
		return care.Errorf(care.EINVALID, "credentials.twilio_account_sid must be the Account SID: AC and 32 hexadecimal digits.")
	}
	if c[CredWebhookSecret] == "" {
		b := make([]byte, 32)
		rand.Read(b)
		c[CredWebhookSecret] = "whsec_" + hex.EncodeToString(b)
	}
	return nil
}

// Instructions lists what to configure in the telephony system: where to
// post call records and how to sign them and, for Twilio, the status
// callback URL.
func (a *Adapter) Instructions(in care.Inbox, webhookURL string) []channel.Instruction {
	out := []channel.Instruction{
		{Label: "Webhook URL (POST, Content-Type: application/json)", Value: webhookURL},
		{Label: "Signing secret", Value: in.Credentials[CredWebhookSecret]},
		{Label: "Signature header", Value: SignatureHeader + ": t=<unix seconds>,v1=<hex HMAC-SHA256 of t + \".\" + body, keyed with the signing secret>"},
		{Label: "Record format", Value: "one JSON call record per request, posted once the call has ended; see docs/channels/phone.md"},
	}
	if in.Credentials[CredTwilioAuthToken] == "" {
		return append(out, channel.Instruction{Label: "Twilio", Value: "not connected: add credentials.twilio_auth_token to accept Twilio's Voice status callbacks"})
	}
	return append(out,
		channel.Instruction{Label: "Twilio status callback URL (HTTP POST; events: completed)", Value: webhookURL},
		channel.Instruction{Label: "Twilio recordings", Value: "create calls with Record=true so the status callback carries RecordingUrl"},
	)
}

func asciiPrintable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

func hexDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}
