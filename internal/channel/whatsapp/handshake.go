package whatsapp

import (
	"net/http"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/meta"
)

// Handshake answers Meta's subscription check, the same for WhatsApp as for
// Messenger: the challenge when hub.verify_token matches the inbox's
// verify_token, 403 otherwise.
func (a *Adapter) Handshake(w http.ResponseWriter, r *http.Request, in care.Inbox) {
	meta.AnswerSubscription(w, r, in)
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
