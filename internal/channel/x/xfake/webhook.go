package xfake

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
)

// Format is one of X's webhook products.
type Format int

// Formats of webhook deliveries.
const (
	// XAA is the X Activity API: one event per delivery in
	// {"data": {"event_type": …, "filter": {"user_id": …}, "payload": …}}.
	XAA Format = iota
	// AAA is the Account Activity API: {"for_user_id": …, "<kind>_events": […]}.
	AAA
)

// SignatureHeader carries a delivery's signature.
const SignatureHeader = "X-Twitter-Webhooks-Signature"

// Sign returns "sha256=" and the base64 HMAC-SHA256 of msg under secret:
// X's signature of a delivery's body and its CRC response token.
func Sign(secret string, msg []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(msg)
	return "sha256=" + base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// PostEvent returns the delivery that tells forUser's subscription about
// the post: in XAA, post.reply.create when it answers one of forUser's
// posts, post.quote.create when it quotes one, post.mention.create when it
// mentions forUser, post.create when forUser wrote it; in AAA, a
// tweet_create_events delivery. It fails for an unknown post.
func (f *Fake) PostEvent(format Format, forUser, postID string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.post(postID)
	if p == nil {
		return nil, fmt.Errorf("xfake: no post %s", postID)
	}
	if format == AAA {
		d := map[string]any{"for_user_id": forUser, "tweet_create_events": []any{f.v1Tweet(p)}}
		if p.AuthorID != forUser {
			// A string, as the documentation's mention example has it
			// (x-api/account-activity/introduction).
			d["user_has_blocked"] = "false"
		}
		return json.Marshal(d)
	}
	typ := "post.mention.create"
	target, quoted := f.post(p.InReplyTo), f.post(p.Quotes)
	switch {
	case p.AuthorID == forUser:
		typ = "post.create"
	case target != nil && target.AuthorID == forUser:
		typ = "post.reply.create"
	case quoted != nil && quoted.AuthorID == forUser:
		typ = "post.quote.create"
	case !slices.Contains(p.Mentions, forUser):
		return nil, fmt.Errorf("xfake: post %s does not concern user %s", postID, forUser)
	}
	var users []any
	for _, id := range append([]string{p.AuthorID}, p.Mentions...) {
		if u, ok := f.users[id]; ok && !slices.ContainsFunc(users, func(v any) bool { return v.(map[string]any)["id"] == id }) {
			users = append(users, v2User(u))
		}
	}
	return f.xaa(typ, forUser, f.v2Post(p), map[string]any{"users": users})
}

// DMEvent returns the delivery that tells forUser's subscription about the
// DM: dm.received or dm.sent in XAA, direct_message_events in AAA, with the
// two users.
func (f *Fake) DMEvent(format Format, forUser, dmID string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	i := slices.IndexFunc(f.dms, func(d *DM) bool { return d.ID == dmID })
	if i < 0 {
		return nil, fmt.Errorf("xfake: no DM %s", dmID)
	}
	d := f.dms[i]
	if format == AAA {
		us := map[string]any{}
		for _, id := range []string{d.SenderID, d.RecipientID} {
			if u, ok := f.users[id]; ok {
				v := v1User(u)
				v["id"] = u.ID // the AAA users map gives ids as strings
				us[id] = v
			}
		}
		return json.Marshal(map[string]any{"for_user_id": forUser, "direct_message_events": []any{f.legacyDM(d)}, "users": us})
	}
	typ := "dm.received"
	if d.SenderID == forUser {
		typ = "dm.sent"
	}
	us := map[string]any{}
	for _, id := range []string{d.SenderID, d.RecipientID} {
		if u, ok := f.users[id]; ok {
			us[id] = map[string]any{"data": v2User(u)}
		}
	}
	return f.xaa(typ, forUser, map[string]any{"direct_message_events": []any{f.legacyDM(d)}, "users": us}, nil)
}

// DeleteEvent returns the delivery that tells forUser's subscription the
// post was deleted: post.delete in XAA (which X sends for the subscribed
// user's own posts), tweet_delete_events in AAA.
func (f *Fake) DeleteEvent(format Format, forUser, postID string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.post(postID)
	if p == nil {
		return nil, fmt.Errorf("xfake: no post %s", postID)
	}
	if format == AAA {
		return json.Marshal(map[string]any{"for_user_id": forUser, "tweet_delete_events": []any{map[string]any{
			"status": map[string]any{"id": p.ID, "user_id": p.AuthorID}, "timestamp_ms": fmt.Sprint(f.now().UnixMilli())}}})
	}
	var includes map[string]any
	if u, ok := f.users[p.AuthorID]; ok {
		includes = map[string]any{"users": []any{map[string]any{"data": v2User(u)}}}
	}
	return f.xaa("post.delete", forUser, map[string]any{"id": p.ID, "author_id": p.AuthorID}, includes)
}

func (f *Fake) xaa(typ, forUser string, payload, includes any) ([]byte, error) {
	data := map[string]any{"event_uuid": f.newID(), "filter": map[string]any{"user_id": forUser}, "event_type": typ,
		"tag": typ, "payload": payload}
	if includes != nil {
		data["includes"] = includes
	}
	return json.Marshal(map[string]any{"data": data})
}

// Deliver posts event to a webhook URL as X does, signed with the consumer
// secret, and returns the status the webhook answered. X counts a delivery
// failed when no 200 comes within 3 seconds, and retries it (the Account
// Activity API's retries guide: up to three times over five minutes); the
// fake neither retries nor holds a webhook to 3 seconds, waiting up to 10
// so that a slow test machine does not fail what X would retry.
func (f *Fake) Deliver(webhookURL string, event []byte) (int, error) {
	return f.deliver(webhookURL, event, Sign(f.secret, event))
}

// DeliverSigned posts event with the given signature header value ("" for
// none), to test how a webhook treats a wrong one.
func (f *Fake) DeliverSigned(webhookURL string, event []byte, signature string) (int, error) {
	return f.deliver(webhookURL, event, signature)
}

func (f *Fake) deliver(webhookURL string, event []byte, signature string) (int, error) {
	req, err := http.NewRequest(http.MethodPost, webhookURL, bytes.NewReader(event))
	if err != nil {
		return 0, fmt.Errorf("xfake: deliver: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if signature != "" {
		req.Header.Set(SignatureHeader, signature)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("xfake: deliver: %w", err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, nil
}

// CRC runs X's challenge-response check against a webhook URL: a GET with a
// fresh crc_token, which must be answered 200 with the JSON
// {"response_token": Sign(consumer secret, crc_token)}. It returns nil when
// the webhook passes, and an error saying how it failed otherwise.
func (f *Fake) CRC(webhookURL string) error {
	u, err := url.Parse(webhookURL)
	if err != nil {
		return fmt.Errorf("xfake: CRC: %w", err)
	}
	token := rand.Text()
	q := u.Query()
	q.Set("crc_token", token)
	u.RawQuery = q.Encode()
	req, err := http.NewRequest(http.MethodGet, u.String(), nil)
	if err != nil {
		return fmt.Errorf("xfake: CRC: %w", err)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return fmt.Errorf("xfake: CRC: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("xfake: CRC: status %d, want 200", resp.StatusCode)
	}
	var answer struct {
		ResponseToken string `json:"response_token"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		return fmt.Errorf("xfake: CRC: answer is not JSON: %w", err)
	}
	if want := Sign(f.secret, []byte(token)); !hmac.Equal([]byte(answer.ResponseToken), []byte(want)) {
		return fmt.Errorf("xfake: CRC: response_token %q, want %q", answer.ResponseToken, want)
	}
	return nil
}
