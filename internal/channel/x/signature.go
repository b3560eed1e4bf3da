package x

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"

	"github.com/parleyhq/parley/internal/care"
)

// SignatureHeader carries X's signature of a webhook delivery.
const SignatureHeader = "X-Twitter-Webhooks-Signature"

// maxCRCToken bounds the crc_token Parley will sign; X's are short.
const maxCRCToken = 1024

// Sign returns X's signature of msg under the app's consumer secret:
// "sha256=" and the base64 (standard, padded) HMAC-SHA256. X signs each
// webhook delivery's raw body this way, in the x-twitter-webhooks-signature
// header, and expects a challenge-response check's crc_token signed this way
// as its response_token (docs.x.com, x-api/webhooks/quickstart: "Use the
// crc_token value … as the message; use your app's consumer secret (API
// secret key) as the key; create an HMAC SHA-256 hash; Base64 encode the
// result; prepend sha256=").
func Sign(consumerSecret string, msg []byte) string {
	m := hmac.New(sha256.New, []byte(consumerSecret))
	m.Write(msg)
	return "sha256=" + base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// verify reports whether sig is X's signature of body under the secret,
// comparing in constant time.
func verify(consumerSecret string, body []byte, sig string) bool {
	return consumerSecret != "" && hmac.Equal([]byte(Sign(consumerSecret, body)), []byte(sig))
}

// Handshake answers X's challenge-response check, GET ?crc_token=…, with 200
// and {"response_token": "sha256=…"}, the token signed with the inbox's
// consumer secret. X sends it when the webhook is registered, when it is
// re-validated (PUT /2/webhooks/:id) and every hour (x-api/webhooks/quickstart);
// a webhook that fails it is marked invalid and stops receiving events. A missing or oversized token is answered 400;
// an inbox without a consumer secret 500, which X treats as a passing
// failure rather than a wrong answer.
func (a *Adapter) Handshake(w http.ResponseWriter, r *http.Request, in care.Inbox) {
	token := r.URL.Query().Get("crc_token")
	switch {
	case token == "" || len(token) > maxCRCToken:
		http.Error(w, "crc_token is required", http.StatusBadRequest)
		return
	case in.Credentials[CredConsumerSecret] == "":
		a.logger().Error("x: CRC for an inbox without a consumer_secret", "inbox", in.ID)
		http.Error(w, "this inbox has no consumer secret", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(map[string]string{"response_token": Sign(in.Credentials[CredConsumerSecret], []byte(token))})
}
