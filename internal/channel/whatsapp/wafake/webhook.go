package wafake

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/parleyhq/parley/internal/channel/meta"
	"github.com/parleyhq/parley/internal/channel/meta/metafake"
)

// Message is a customer's message for the fake to deliver.
type Message struct {
	// PhoneNumberID is the business number written to;
	// DefaultPhoneNumberID when "".
	PhoneNumberID string
	// From is the customer's phone number (wa_id), digits only; "" for a
	// customer who hides it behind a username (then UserID is required).
	From string
	// UserID is the customer's BSUID; BSUID(From) when "" unless
	// PhoneOnly is set.
	UserID string
	// PhoneOnly leaves the BSUID out, as deliveries did before April 2026.
	PhoneOnly bool
	// Name is the customer's profile name; Username their optional
	// WhatsApp username.
	Name, Username string
	// ID is the message's wamid; a new one when "".
	ID string
	// Time is when the customer sent it; the fake's now when zero.
	Time time.Time
	// Type is the message type; "text" when "".
	Type string
	// Text is a text message's body.
	Text string
	// Content is the type's object (for "image", {"id": …, "mime_type":
	// …}); for type "text" it replaces Text.
	Content any
	// ReplyTo is the wamid the customer replied to (context.id).
	ReplyTo string
	// Referral is the click-to-WhatsApp ad object, if any.
	Referral any
}

// Deliver sends m to WebhookURL as a signed messages webhook, records it for
// the 24-hour window, and returns its wamid. It returns an error when the
// callback does not answer 200.
func (f *Fake) Deliver(ctx context.Context, m Message) (string, error) {
	phoneID := cmp.Or(m.PhoneNumberID, DefaultPhoneNumberID)
	if m.UserID == "" && m.From != "" && !m.PhoneOnly {
		m.UserID = BSUID(m.From)
	}
	if m.UserID == "" && m.From == "" {
		return "", errors.New("wafake: a message needs From or UserID")
	}
	f.mu.Lock()
	if m.ID == "" {
		m.ID = f.nextID()
	}
	if m.Time.IsZero() {
		m.Time = f.now()
	}
	f.remember(phoneID, m.From, m.Time)
	f.remember(phoneID, m.UserID, m.Time)
	f.mu.Unlock()

	typ := cmp.Or(m.Type, "text")
	msg := map[string]any{"id": m.ID, "timestamp": unix(m.Time), "type": typ}
	if m.UserID != "" {
		msg["from_user_id"] = m.UserID
	}
	if m.From != "" {
		msg["from"] = m.From
	}
	switch {
	case m.Content != nil:
		msg[typ] = m.Content
	case typ == "text":
		msg["text"] = map[string]string{"body": m.Text}
	}
	if m.ReplyTo != "" {
		msg["context"] = map[string]string{"from": DefaultDisplayPhoneNumber, "id": m.ReplyTo}
	}
	if m.Referral != nil {
		msg["referral"] = m.Referral
	}
	profile := map[string]string{"name": m.Name}
	if m.Username != "" {
		profile["username"] = m.Username
	}
	contact := map[string]any{"profile": profile}
	if m.UserID != "" {
		contact["user_id"] = m.UserID
	}
	if m.From != "" {
		contact["wa_id"] = m.From
	}
	v := f.value(phoneID)
	v["contacts"] = []any{contact}
	v["messages"] = []any{msg}
	body, err := envelope("messages", v)
	if err != nil {
		return "", err
	}
	if _, err := f.post(ctx, body); err != nil {
		return "", err
	}
	return m.ID, nil
}

// ChangeNumber delivers the system message WhatsApp sends when the
// customer with phone number from changes it to to: type
// user_changed_number, without a contacts array, with the new number and
// the new BSUID (BSUID(to)) beside the BSUID replaced (BSUID(from)), as
// the system messages reference shows them since August 2026. It returns
// the message's wamid.
func (f *Fake) ChangeNumber(ctx context.Context, from, to, name string) (string, error) {
	f.mu.Lock()
	id, now := f.nextID(), f.now()
	f.mu.Unlock()
	v := f.value(DefaultPhoneNumberID)
	v["messages"] = []any{map[string]any{
		"from": from, "id": id, "timestamp": unix(now), "type": "system",
		"system": map[string]string{
			"body": "User " + name + " changed from " + from + " to " + to, "type": "user_changed_number",
			"wa_id": to, "user_id": BSUID(to), "previous_user_id": BSUID(from),
		},
	}}
	body, err := envelope("messages", v)
	if err != nil {
		return "", err
	}
	if _, err := f.post(ctx, body); err != nil {
		return "", err
	}
	return id, nil
}

// Post signs payload, after escaping it as Meta does, and posts it to
// WebhookURL. It returns the HTTP status, and an error when the request
// failed or the status was not 200.
func (f *Fake) Post(ctx context.Context, payload []byte) (int, error) {
	return f.post(ctx, payload)
}

func (f *Fake) post(ctx context.Context, payload []byte) (int, error) {
	// Non-ASCII as \uXXXX and "/" as "\/", the bytes Meta signs.
	body := metafake.Escape(payload)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.WebhookURL, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("wafake: webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "facebookexternalua")
	req.Header.Set(meta.SignatureHeader, meta.Sign(f.appSecret, body))
	resp, err := f.client().Do(req)
	if err != nil {
		return 0, fmt.Errorf("wafake: post webhook: %w", err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, fmt.Errorf("wafake: webhook answered %s", resp.Status)
	}
	return resp.StatusCode, nil
}

func (f *Fake) client() *http.Client {
	if f.Client != nil {
		return f.Client
	}
	return &http.Client{Timeout: 10 * time.Second}
}

// value starts a change's value for business number phoneID.
func (f *Fake) value(phoneID string) map[string]any {
	return map[string]any{
		"messaging_product": "whatsapp",
		"metadata":          map[string]string{"display_phone_number": DefaultDisplayPhoneNumber, "phone_number_id": phoneID},
	}
}

// envelope wraps one change in a webhook body.
func envelope(field string, value map[string]any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // Meta leaves <, > and & as they are
	err := enc.Encode(map[string]any{
		"object": "whatsapp_business_account",
		"entry": []any{map[string]any{
			"id":      DefaultWABAID,
			"changes": []any{map[string]any{"value": value, "field": field}},
		}},
	})
	if err != nil {
		return nil, fmt.Errorf("wafake: encode webhook: %w", err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// Verify performs the subscription check of the app dashboard's "Verify
// and save": GET callbackURL with hub.mode=subscribe, a random
// hub.challenge and verifyToken, expecting the challenge back.
func (f *Fake) Verify(ctx context.Context, callbackURL, verifyToken string) error {
	n, err := rand.Int(rand.Reader, big.NewInt(1<<31))
	if err != nil {
		return err
	}
	challenge := n.String()
	u, err := url.Parse(callbackURL)
	if err != nil {
		return fmt.Errorf("wafake: callback URL: %w", err)
	}
	q := u.Query()
	q.Set("hub.mode", "subscribe")
	q.Set("hub.challenge", challenge)
	q.Set("hub.verify_token", verifyToken)
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return fmt.Errorf("wafake: verification request: %w", err)
	}
	resp, err := f.client().Do(req)
	if err != nil {
		return fmt.Errorf("wafake: verify callback: %w", err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
	if resp.StatusCode != http.StatusOK || string(got) != challenge {
		return fmt.Errorf("wafake: the callback URL could not be validated: %s, body %.40q", resp.Status, got)
	}
	return nil
}

func unix(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }
