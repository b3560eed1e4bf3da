package webhook

import (
	"bytes"
	"errors"
	"maps"
	"net/http"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Every refusal at /webhooks/{inbox} reads the same whether the inbox
// exists, which channel it is, or whether it takes webhooks at all:
// otherwise anyone could count through inbox ids and learn which exist and
// on which platform. Only a request the inbox's platform handshake accepts
// (it knows the inbox's verify token, or is X's CRC check) gets more.

// refuseDelivery answers a POST that is not a signed delivery for an inbox
// of this URL, as an inbox answers one whose signature does not verify.
func refuseDelivery(w http.ResponseWriter) {
	http.Error(w, "signature does not verify", http.StatusUnauthorized)
}

// refuseHandshake answers a GET that is not a verification request the
// inbox's platform would send: often an admin checking the URL in a
// browser, who is told what the URL is for, in words true of every inbox.
func refuseHandshake(w http.ResponseWriter) {
	w.Header().Set("Allow", http.MethodPost)
	http.Error(w, "This is a Parley webhook address: the platform posts signed deliveries to it, and verifies it with its own handshake.", http.StatusMethodNotAllowed)
}

// maxHandshakeBytes bounds an adapter's handshake answer: a challenge or
// a signed token, never more than a few hundred bytes.
const maxHandshakeBytes = 16 << 10

// answerHandshake lets the adapter answer a verification request, passing
// on only a success; any refusal of the adapter's, whose wording would name
// the channel, becomes refuseHandshake.
func answerHandshake(w http.ResponseWriter, r *http.Request, wh channel.Webhook, in *care.Inbox) {
	rec := &handshakeRecorder{header: http.Header{}}
	wh.Handshake(rec, r, *in)
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	if rec.status < 200 || rec.status > 299 || rec.overflow {
		refuseHandshake(w)
		return
	}
	maps.Copy(w.Header(), rec.header)
	w.WriteHeader(rec.status)
	w.Write(rec.body.Bytes())
}

var errHandshakeTooLong = errors.New("webhook: handshake answer too long")

// handshakeRecorder holds an adapter's handshake answer until it is known
// to be a success.
type handshakeRecorder struct {
	header   http.Header
	status   int
	body     bytes.Buffer
	overflow bool
}

func (rec *handshakeRecorder) Header() http.Header { return rec.header }

func (rec *handshakeRecorder) WriteHeader(status int) {
	if rec.status == 0 {
		rec.status = status
	}
}

func (rec *handshakeRecorder) Write(b []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	if rec.body.Len()+len(b) > maxHandshakeBytes {
		rec.overflow = true
		return 0, errHandshakeTooLong
	}
	return rec.body.Write(b)
}
