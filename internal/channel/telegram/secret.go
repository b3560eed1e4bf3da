package telegram

import (
	"crypto/subtle"
	"net/http"

	"github.com/parleyhq/parley/internal/care"
)

// Telegram does not sign its webhook requests. setWebhook's secret_token
// is "sent in a header X-Telegram-Bot-Api-Secret-Token in every webhook
// request" (core.telegram.org/bots/api#setwebhook), so knowing it is the
// proof a request comes from Telegram.

// verifySecret checks the secret header of a webhook request against the
// inbox's secret_token, in constant time. It returns EUNAUTHORIZED when the
// inbox has no secret (an unauthenticated endpoint would take anyone's
// updates), when the header is absent or repeated, or when it differs.
func verifySecret(secret string, h http.Header) error {
	got := h.Values(SecretHeader)
	switch {
	case secret == "":
		return care.Errorf(care.EUNAUTHORIZED, "the inbox has no secret_token to verify updates with")
	case len(got) == 0:
		return care.Errorf(care.EUNAUTHORIZED, "missing %s header", SecretHeader)
	case len(got) > 1:
		return care.Errorf(care.EUNAUTHORIZED, "repeated %s header", SecretHeader)
	case subtle.ConstantTimeCompare([]byte(got[0]), []byte(secret)) != 1:
		return care.Errorf(care.EUNAUTHORIZED, "%s does not match the inbox's secret_token", SecretHeader)
	}
	return nil
}

// Handshake answers a GET to the webhook URL. Telegram never makes one: a
// webhook is registered by calling setWebhook, and updates only arrive by
// POST. A GET is someone else (often an admin checking the URL in a
// browser), so it gets 405 and a pointer to what to do instead.
func (a *Adapter) Handshake(w http.ResponseWriter, r *http.Request, in care.Inbox) {
	w.Header().Set("Allow", http.MethodPost)
	http.Error(w, "Telegram delivers updates to this URL by POST once the bot's webhook is set with setWebhook.", http.StatusMethodNotAllowed)
}
