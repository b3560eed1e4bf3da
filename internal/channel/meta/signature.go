package meta

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"io"
	"net/http"
	"strings"

	"github.com/parleyhq/parley/internal/care"
)

// SignatureHeader carries Meta's signature of a webhook delivery.
const SignatureHeader = "X-Hub-Signature-256"

// Sign returns the X-Hub-Signature-256 value for body: "sha256=" and the
// lower-case hex HMAC-SHA256 of the bytes under the App Secret.
func Sign(appSecret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(appSecret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether header is a valid signature of body under
// appSecret. The comparison is over the decoded MAC, in constant time, so the
// hex case does not matter. An empty secret verifies nothing.
func Verify(appSecret string, body []byte, header string) bool {
	if appSecret == "" {
		return false
	}
	h, ok := strings.CutPrefix(strings.TrimSpace(header), "sha256=")
	if !ok || len(h) != 2*sha256.Size {
		return false
	}
	got, err := hex.DecodeString(h)
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, []byte(appSecret))
	m.Write(body)
	return hmac.Equal(got, m.Sum(nil))
}

// maxChallenge bounds the hub.challenge echoed back. Meta sends an integer;
// anything much longer is not Meta.
const maxChallenge = 256

// AnswerSubscription answers Meta's verification request, for every Meta
// product (Messenger, Instagram, WhatsApp)
// (GET ?hub.mode=subscribe&hub.challenge=…&hub.verify_token=…,
// developers.facebook.com/docs/graph-api/webhooks/getting-started): 200 with
// the challenge as a plain-text body when the token matches, 403 otherwise.
func AnswerSubscription(w http.ResponseWriter, r *http.Request, in care.Inbox) {
	q := r.URL.Query()
	want := in.Credentials[CredVerifyToken]
	if q.Get("hub.mode") != "subscribe" || want == "" ||
		subtle.ConstantTimeCompare([]byte(q.Get("hub.verify_token")), []byte(want)) != 1 {
		http.Error(w, "verification failed", http.StatusForbidden)
		return
	}
	challenge := q.Get("hub.challenge")
	// Meta documents the challenge as an integer; echoing only token-like
	// text keeps the endpoint from reflecting markup.
	if challenge == "" || len(challenge) > maxChallenge || strings.IndexFunc(challenge, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-')
	}) >= 0 {
		http.Error(w, "hub.challenge is missing or malformed", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, challenge)
}
