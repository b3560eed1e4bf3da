package phone

import (
	"log/slog"
	"net/url"
	"time"

	"github.com/parleyhq/parley/internal/channel"
)

// Credential keys of a phone inbox.
const (
	// CredWebhookSecret signs call records in Parley's format; Prepare
	// generates one.
	CredWebhookSecret = "webhook_secret"
	// CredTwilioAuthToken verifies Twilio's X-Twilio-Signature on Voice
	// status callbacks; without it they are refused.
	CredTwilioAuthToken = "twilio_auth_token"
	// CredTwilioAccountSID, when set, refuses callbacks of other Twilio
	// accounts.
	CredTwilioAccountSID = "twilio_account_sid"
)

// ReplyRefusal is what CheckReply and Send say of a reply: a phone line
// carries calls, not text.
const ReplyRefusal = "Call the customer back: use the number's call link"

// TwilioVerifier checks a Twilio webhook's X-Twilio-Signature header
// against the auth token, the URL Twilio posted to and the POST
// parameters, returning EUNAUTHORIZED unless it matches
// (www.twilio.com/docs/usage/webhooks/webhooks-security). The SMS adapter
// implements Twilio's scheme; the app wires its verification here, so
// the two channels check signatures with one piece of code.
type TwilioVerifier func(authToken, signature, rawURL string, params url.Values) error

// Adapter receives call records. Register it once:
//
//	r.Register(care.ChannelPhone, &phone.Adapter{TwilioVerify: sms.VerifySignature})
//
// Its zero value is ready to use, with Twilio's callbacks refused, and it
// is safe for concurrent use.
type Adapter struct {
	// TwilioVerify verifies Twilio's Voice status callbacks; nil refuses
	// them (Parley's own signed records are unaffected).
	TwilioVerify TwilioVerifier
	// Logger notes what Receive skips on purpose; nil means
	// slog.Default().
	Logger *slog.Logger
}

var (
	_ channel.Sender    = (*Adapter)(nil)
	_ channel.Webhook   = (*Adapter)(nil)
	_ channel.URLSigned = (*Adapter)(nil)
	_ channel.Policy    = (*Adapter)(nil)
	_ channel.Setup     = (*Adapter)(nil)
)

func (a *Adapter) logger() *slog.Logger {
	if a.Logger != nil {
		return a.Logger
	}
	return slog.Default()
}

// maxFutureSkew is how far ahead of Parley's clock a call may say it
// started: more than clock skew means the sender's clock or data is wrong.
const maxFutureSkew = 24 * time.Hour
