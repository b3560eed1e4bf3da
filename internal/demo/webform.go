package demo

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/apiinbox"
)

// maxWebhookBody bounds one reply webhook the web form accepts. A reply is
// at most a few kilobytes of text; Parley's own limit on inbound API
// messages is the same.
const maxWebhookBody = apiinbox.MaxBodyBytes

// webReply is an agent's reply as the web form's backend receives it.
type webReply struct {
	MessageID   int64  // Parley's id of the reply
	Text        string // what the agent wrote
	RecipientID string // the customer, as the web form named them
	PlatformID  string // the id the backend gave the reply
}

// webform plays the backend of Orbit's web form: customers' messages go to
// Parley's API inbox, and Parley posts agents' replies to its webhook,
// signed with the inbox's secret.
type webform struct {
	now func() time.Time

	mu      sync.Mutex
	secret  []byte
	replies []webReply
	seen    map[string]string // Idempotency-Key → the id given, so retries get the same
}

func newWebform() *webform {
	return &webform{now: time.Now, seen: map[string]string{}}
}

// setSecret gives the form the inbox's webhook secret, shown once when the
// inbox is created.
func (f *webform) setSecret(s string) {
	f.mu.Lock()
	f.secret = []byte(s)
	f.mu.Unlock()
}

// ServeHTTP receives one reply: it verifies the signature over the raw
// body, decodes it, and answers with an id of its own, which Parley stores
// as the reply's platform id.
func (f *webform) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
	if err != nil {
		http.Error(w, "body too large or unreadable", http.StatusRequestEntityTooLarge)
		return
	}
	f.mu.Lock()
	secret := f.secret
	f.mu.Unlock()
	if err := apiinbox.Verify(r.Header.Get(apiinbox.SignatureHeader), secret, body, f.now(), 0); err != nil {
		http.Error(w, "signature does not verify", http.StatusUnauthorized)
		return
	}
	rep, err := decodeWebReply(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	key := r.Header.Get("Idempotency-Key")
	f.mu.Lock()
	id, again := f.seen[key]
	if !again || key == "" {
		id = "wf-reply-" + strconv.Itoa(len(f.replies)+1)
		rep.PlatformID = id
		f.replies = append(f.replies, rep)
		if key != "" && len(f.seen) < 1<<20 {
			f.seen[key] = id
		}
	}
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]string{"id": id})
}

// sent returns the replies received, oldest first.
func (f *webform) sent() []webReply {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]webReply(nil), f.replies...)
}

// decodeWebReply reads a reply webhook's body (see package apiinbox). Only
// message.created is expected; anything without a message id or a
// recipient is refused, since the backend could not file it.
func decodeWebReply(body []byte) (webReply, error) {
	var d struct {
		Event   string `json:"event"`
		Message struct {
			ID         int64           `json:"id"`
			Text       string          `json:"text"`
			Visibility care.Visibility `json:"visibility"`
		} `json:"message"`
		Recipient struct {
			PlatformUserID string `json:"platform_user_id"`
		} `json:"recipient"`
	}
	if err := json.Unmarshal(body, &d); err != nil {
		return webReply{}, fmt.Errorf("demo: reply webhook: %w", err)
	}
	switch {
	case d.Event != "message.created":
		return webReply{}, fmt.Errorf("demo: reply webhook: unexpected event %.40q", d.Event)
	case d.Message.ID <= 0:
		return webReply{}, errors.New("demo: reply webhook: no message id")
	case d.Recipient.PlatformUserID == "" || len(d.Recipient.PlatformUserID) > care.MaxPlatformIDBytes:
		return webReply{}, errors.New("demo: reply webhook: no usable recipient")
	case len(d.Message.Text) > care.MaxTextBytes:
		return webReply{}, errors.New("demo: reply webhook: text too long")
	}
	return webReply{MessageID: d.Message.ID, Text: d.Message.Text, RecipientID: d.Recipient.PlatformUserID}, nil
}
