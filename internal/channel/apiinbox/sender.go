package apiinbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// SecretCredential is the key of the webhook signing secret in an API inbox's
// Credentials.
const SecretCredential = "webhook_secret"

// A rotation with a grace period keeps the old secret, and when it ends, in
// these credentials; until then deliveries carry a signature made with each.
const (
	PreviousSecretCredential = "previous_webhook_secret"
	PreviousUntilCredential  = "previous_until" // RFC 3339
)

// InGrace reports whether in's previous secrets are still honoured at now.
func InGrace(in *care.Inbox, now time.Time) bool {
	until, err := time.Parse(time.RFC3339, in.Credentials[PreviousUntilCredential])
	return err == nil && now.Before(until)
}

// maxResponseBytes bounds what is read of a receiver's response: enough for an
// id or an error message, not enough to exhaust memory.
const maxResponseBytes = 64 << 10

// Sender posts replies to API inboxes' webhooks. Its zero value is ready to
// use; it is safe for concurrent use.
type Sender struct {
	// Client makes the requests; nil means a client on
	// http.DefaultTransport. Deadlines come from the context given to Send.
	// Redirects are never followed, whatever Client.CheckRedirect says: a
	// 301, 302 or 303 would turn the POST into a GET without a body, and
	// the reply would be reported sent.
	Client *http.Client
	// Now stamps signatures; nil means time.Now.
	Now func() time.Time
	// Secret returns an inbox's signing secret; nil means
	// in.Credentials[SecretCredential].
	Secret func(in care.Inbox) []byte
}

var _ channel.Sender = (*Sender)(nil)

// Send posts out to out.Inbox.WebhookURL as described in the package
// documentation. It returns a permanent *channel.SendError when the inbox has
// no usable webhook URL or secret or the contact has no identity in the
// inbox, a temporary one when the receiver cannot be reached in time, and
// otherwise what channel.ClassifyHTTP makes of a non-2xx response.
func (s *Sender) Send(ctx context.Context, out channel.Outbound) (channel.Result, error) {
	in := &out.Inbox
	u, err := url.Parse(in.WebhookURL)
	switch {
	case in.WebhookURL == "":
		return channel.Result{}, channel.Permanent("the inbox has no webhook URL", nil)
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return channel.Result{}, channel.Permanent("the inbox's webhook URL is not an http or https URL", err)
	}
	secret := s.secret(*in)
	if len(secret) == 0 {
		return channel.Result{}, channel.Permanent("the inbox has no webhook secret", nil)
	}
	recipient, ok := out.Recipient()
	if !ok {
		return channel.Result{}, channel.Permanent(fmt.Sprintf("the contact has no identity on channel %q", in.Channel), nil)
	}
	body, err := encodePayload(&out, recipient)
	if err != nil {
		return channel.Result{}, channel.Permanent("the message cannot be encoded", err)
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return channel.Result{}, channel.Permanent("the inbox's webhook URL is not usable", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Parley")
	req.Header.Set("Parley-Event", string(care.EventMessageCreated))
	if out.IdempotencyKey != "" {
		req.Header.Set("Idempotency-Key", out.IdempotencyKey)
	}
	now := s.now()
	if prev := in.Credentials[PreviousSecretCredential]; s.Secret == nil && prev != "" && InGrace(in, now) {
		req.Header.Set(SignatureHeader, SignAll(now, body, secret, []byte(prev)))
	} else {
		req.Header.Set(SignatureHeader, Sign(secret, now, body))
	}

	resp, err := s.client().Do(req)
	if err != nil {
		reason := "the webhook could not be reached"
		if ctx.Err() != nil || isTimeout(err) {
			reason = "the webhook did not answer in time"
		}
		return channel.Result{}, channel.Temporary(reason, 0, err)
	}
	defer resp.Body.Close()
	respBody, readErr := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	// Drain a little more so the connection can be reused; give up on a
	// receiver that sends more than that.
	_, _ = io.CopyN(io.Discard, resp.Body, maxResponseBytes)

	if err := channel.ClassifyHTTP(resp, respBody, s.now()); err != nil {
		return channel.Result{}, err
	}
	// A 2xx means the receiver has the reply even if its body was cut off;
	// retrying would only deliver it twice, so a read error costs the id.
	if readErr != nil {
		respBody = nil
	}
	return channel.Result{PlatformID: platformID(respBody), Status: care.DeliverySent}, nil
}

func (s *Sender) client() *http.Client { return channel.NoRedirects(s.Client) }

func (s *Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Sender) secret(in care.Inbox) []byte {
	if s.Secret != nil {
		return s.Secret(in)
	}
	return []byte(in.Credentials[SecretCredential])
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &t) && t.Timeout()
}

// platformID returns the string "id" of a JSON object, or "" for anything
// else. Decoding into a map, not a struct, keeps the key match exact: a
// struct would also take "ID" or "Id". Control characters are refused because
// the id is stored and displayed, and PostgreSQL text cannot hold a NUL.
func platformID(body []byte) string {
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) != nil {
		return ""
	}
	var id string
	if json.Unmarshal(obj["id"], &id) != nil || len(id) > care.MaxPlatformIDBytes {
		return ""
	}
	for _, r := range id {
		if r < 0x20 || r == 0x7f {
			return ""
		}
	}
	return id
}
