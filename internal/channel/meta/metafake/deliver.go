package metafake

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"unicode/utf8"
)

// Delivery is one webhook POST: an object ("page" or "instagram") and its
// entries, each as Meta writes it.
type Delivery struct {
	Object  string
	Entries []json.RawMessage
}

// Batch joins deliveries of one object into one, as Meta batches events.
// It panics if the objects differ.
func Batch(ds ...*Delivery) *Delivery {
	out := &Delivery{}
	for _, d := range ds {
		if out.Object != "" && d.Object != out.Object {
			panic("metafake: Batch of deliveries for different objects")
		}
		out.Object = d.Object
		out.Entries = append(out.Entries, d.Entries...)
	}
	return out
}

// Body renders the delivery as Meta sends it: JSON with every non-ASCII
// character escaped as \uXXXX in lower-case hex and "/" as "\/". The
// signature covers exactly these bytes.
func (d *Delivery) Body() []byte {
	b, err := json.Marshal(struct {
		Object string            `json:"object"`
		Entry  []json.RawMessage `json:"entry"`
	}{d.Object, d.Entries})
	if err != nil {
		panic("metafake: " + err.Error())
	}
	return Escape(b)
}

// Escape rewrites JSON text the way Meta serialises webhook bodies:
// non-ASCII as \uXXXX (UTF-16, surrogate pairs beyond the BMP, lower-case
// hex) and "/" as "\/". Outside strings, JSON is ASCII, so the rewrite only
// touches string contents.
func Escape(js []byte) []byte {
	var b bytes.Buffer
	b.Grow(len(js))
	for len(js) > 0 {
		r, n := utf8.DecodeRune(js)
		switch {
		case r == '/':
			b.WriteString(`\/`)
		case r < utf8.RuneSelf:
			b.WriteByte(byte(r))
		case r > 0xFFFF:
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xD800+(r>>10), 0xDC00+(r&0x3FF))
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		js = js[n:]
	}
	return b.Bytes()
}

// Sign returns the X-Hub-Signature-256 header for body.
func (f *Fake) Sign(body []byte) string {
	m := hmac.New(sha256.New, []byte(f.AppSecret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Deliver POSTs d to url, signed, and returns the response status.
func (f *Fake) Deliver(ctx context.Context, url string, d *Delivery) (int, error) {
	body := d.Body()
	return f.Post(ctx, url, body, f.Sign(body))
}

// Post sends body to url with the given signature header, as Meta would;
// for testing what a receiver does with a wrong signature.
func (f *Fake) Post(ctx context.Context, url string, body []byte, signature string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if signature != "" {
		req.Header.Set("X-Hub-Signature-256", signature)
	}
	resp, err := f.client().Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
	return resp.StatusCode, nil
}

// VerifySubscription runs Meta's subscription check against a callback URL:
// GET ?hub.mode=subscribe&hub.challenge=<random int>&hub.verify_token=…,
// expecting 200 with the challenge as the body.
func (f *Fake) VerifySubscription(ctx context.Context, callback, verifyToken string) error {
	n, err := rand.Int(rand.Reader, big.NewInt(1<<31))
	if err != nil {
		return err
	}
	challenge := strconv.FormatInt(n.Int64(), 10)
	u, err := url.Parse(callback)
	if err != nil {
		return err
	}
	q := u.Query()
	q.Set("hub.mode", "subscribe")
	q.Set("hub.challenge", challenge)
	q.Set("hub.verify_token", verifyToken)
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return err
	}
	resp, err := f.client().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
	switch {
	case resp.StatusCode != http.StatusOK:
		return fmt.Errorf("metafake: callback verification answered %d", resp.StatusCode)
	case string(body) != challenge:
		return fmt.Errorf("metafake: callback verification echoed %q, want %q", body, challenge)
	}
	return nil
}

func (f *Fake) client() *http.Client {
	if f.Client != nil {
		return f.Client
	}
	return http.DefaultClient
}
