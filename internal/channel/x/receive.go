package x

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Receive authenticates a webhook delivery by its x-twitter-webhooks-signature
// over the raw body, with the inbox's consumer secret, and returns the events
// in it that matter for care. It reads both of X's webhook products: the X
// Activity API (one event in {"data": …}) and the Account Activity API
// (for_user_id and arrays of events). Each event's Account is the subscribed
// X user (data.filter.user_id or for_user_id), so one webhook can serve
// several connected accounts, and its Raw a delivery of that event alone.
//
// It returns EUNAUTHORIZED when the signature does not verify or the inbox has
// no consumer secret, and EINVALID for a body that is not JSON or not in
// either format's shape. A well-formed delivery of an event Parley does not
// handle yields no events; so does a single event that cannot be stored (a
// missing id, say), which is logged and skipped without failing the rest.
func (a *Adapter) Receive(h http.Header, body []byte, in care.Inbox, now time.Time) ([]channel.Event, error) {
	secret := in.Credentials[CredConsumerSecret]
	if secret == "" {
		return nil, care.Errorf(care.EUNAUTHORIZED, "The inbox has no consumer_secret to verify X's signature with.")
	}
	if !verify(secret, body, h.Get(SignatureHeader)) {
		return nil, care.Errorf(care.EUNAUTHORIZED, "The x-twitter-webhooks-signature does not verify.")
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return nil, care.Errorf(care.EINVALID, "The delivery is not a JSON object: %s.", jsonProblem(err))
	}
	if data, ok := top["data"]; ok {
		if !isObject(data) {
			return nil, care.Errorf(care.EINVALID, "The delivery's data is not an object.")
		}
		return a.parseXAA(body, now)
	}
	for _, k := range aaaKeys {
		if _, ok := top[k]; ok {
			return a.parseAAA(body, now)
		}
	}
	keys := make([]string, 0, len(top))
	for k := range top {
		keys = append(keys, channel.Cut(k, 40))
	}
	a.logger().Info("x: delivery of an unknown kind ignored", "inbox", in.ID, "keys", channel.Cut(strings.Join(keys, ","), 200))
	return nil, nil
}

// jsonProblem describes a decoding error without echoing the input.
func jsonProblem(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil:
		return "no data"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the JSON ends too early"
	case errors.As(err, &syntax):
		return fmt.Sprintf("invalid JSON at byte %d", syntax.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("field %q must be %s, not %s", channel.Cut(typ.Field, 100), typ.Type, typ.Value)
	}
	return "invalid JSON"
}
