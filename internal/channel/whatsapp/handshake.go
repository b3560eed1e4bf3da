package whatsapp

import (
	"crypto/subtle"
	"io"
	"net/http"

	"github.com/parleyhq/parley/internal/care"
)

// Handshake answers Meta's subscription check: GET
// ?hub.mode=subscribe&hub.challenge=…&hub.verify_token=… is answered 200 with
// the challenge when the token matches the inbox's verify_token, and 403
// otherwise (developers.facebook.com/docs/graph-api/webhooks/getting-started).
func (a *Adapter) Handshake(w http.ResponseWriter, r *http.Request, in care.Inbox) {
	q := r.URL.Query()
	want := in.Credentials[CredVerifyToken]
	got := q.Get("hub.verify_token")
	if q.Get("hub.mode") != "subscribe" || want == "" ||
		subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		http.Error(w, "verification failed", http.StatusForbidden)
		return
	}
	// Meta documents the challenge as an int. Echo only token-like text, so
	// the endpoint cannot be made to reflect markup.
	challenge := q.Get("hub.challenge")
	if !tokenLike(challenge, 256) {
		http.Error(w, "malformed hub.challenge", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	io.WriteString(w, challenge)
}

// tokenLike reports whether s is 1 to max bytes of letters, digits, '.', '_'
// and '-'.
func tokenLike(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
