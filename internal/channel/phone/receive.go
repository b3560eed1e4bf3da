package phone

import (
	"net/http"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/apiinbox"
)

// SignatureHeader carries the signature of a record in Parley's format:
// the API inbox's scheme, "t=<unix seconds>,v1=<hex HMAC-SHA256 of t.body>"
// (see apiinbox.Verify).
const SignatureHeader = apiinbox.SignatureHeader

// TwilioSignatureHeader carries Twilio's signature of a Voice status
// callback.
const TwilioSignatureHeader = "X-Twilio-Signature"

// Receive authenticates a call record in Parley's format by its
// Parley-Signature, made with the inbox's webhook_secret within
// apiinbox.DefaultTolerance of now, and returns its events (see events).
// It returns EUNAUTHORIZED when the signature does not verify (or the
// delivery is Twilio's, which only ReceiveURL can verify), ETOOLARGE for a
// record over MaxRecordBytes, and EINVALID, naming the field, for a record
// that is not valid.
func (a *Adapter) Receive(h http.Header, body []byte, in care.Inbox, now time.Time) ([]channel.Event, error) {
	if h.Get(TwilioSignatureHeader) != "" {
		return nil, care.Errorf(care.EUNAUTHORIZED, "Twilio signs the request URL, which this delivery arrived without")
	}
	secret := in.Credentials[CredWebhookSecret]
	if err := apiinbox.Verify(h.Get(SignatureHeader), []byte(secret), body, now, apiinbox.DefaultTolerance); err != nil {
		return nil, err
	}
	_, c, err := decode(body, now)
	if err != nil {
		return nil, err
	}
	return events(c, body), nil
}

// ReceiveURL is called by the webhook handler with the URL the delivery
// was posted to. A delivery signed with X-Twilio-Signature is a Twilio
// Voice status callback, verified over that URL and its parameters (see
// receiveTwilio); any other is a record in Parley's format, for Receive.
func (a *Adapter) ReceiveURL(rawURL string, h http.Header, body []byte, in care.Inbox, now time.Time) ([]channel.Event, error) {
	if h.Get(TwilioSignatureHeader) != "" {
		return a.receiveTwilio(rawURL, h, body, in, now)
	}
	return a.Receive(h, body, in, now)
}

// Handshake answers a GET to the webhook URL: nobody verifies it that
// way, so the visitor (often an admin checking the URL in a browser) is
// told how records arrive.
func (a *Adapter) Handshake(w http.ResponseWriter, r *http.Request, in care.Inbox) {
	w.Header().Set("Allow", http.MethodPost)
	http.Error(w, "Post call records to this URL, signed with the inbox's webhook secret in a Parley-Signature header, or point a Twilio Voice status callback here.", http.StatusMethodNotAllowed)
}
