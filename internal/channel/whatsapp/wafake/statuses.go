package wafake

import (
	"cmp"
	"context"
	"fmt"
	"hash/fnv"
)

// next is the status after each one on the way to read.
var next = map[string]string{"": "sent", "sent": "delivered", "delivered": "read"}

// Status posts a status webhook ("sent", "delivered" or "read") for the
// accepted message wamid, with pricing in the fake's PricingModel on the
// sent status and the first status after it.
func (f *Fake) Status(ctx context.Context, wamid, status string) error {
	if status != "sent" && status != "delivered" && status != "read" {
		return fmt.Errorf("wafake: status %q is not sent, delivered or read", status)
	}
	return f.postStatus(ctx, wamid, status, nil)
}

// Fail posts a failed status for the accepted message wamid, carrying a
// Cloud API error such as 131026 ("Message undeliverable").
func (f *Fake) Fail(ctx context.Context, wamid string, code int, title, details string) error {
	e := map[string]any{
		"code": code, "title": title, "message": title,
		"error_data": map[string]string{"details": details},
		"href":       "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
	}
	return f.postStatus(ctx, wamid, "failed", e)
}

// Advance moves every accepted message one step along sent → delivered →
// read, posting one webhook per status, and returns how many it posted. A
// message sent outside the window with DeferWindowErrors set fails with
// error 131047 instead of being sent.
func (f *Fake) Advance(ctx context.Context) (int, error) {
	type step struct{ id, status string }
	var steps []step
	var fails []string
	f.mu.Lock()
	for _, s := range f.sent {
		switch {
		case s.lastStatus == "failed" || s.lastStatus == "read":
		case s.failWindow:
			fails = append(fails, s.ID)
		default:
			steps = append(steps, step{s.ID, next[s.lastStatus]})
		}
	}
	f.mu.Unlock()
	n := 0
	for _, id := range fails {
		if err := f.Fail(ctx, id, 131047, "Re-engagement message",
			"Message failed to send because more than 24 hours have passed since the customer last replied to this number."); err != nil {
			return n, err
		}
		n++
	}
	for _, s := range steps {
		if err := f.Status(ctx, s.id, s.status); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func (f *Fake) postStatus(ctx context.Context, wamid, status string, failure map[string]any) error {
	f.mu.Lock()
	i := f.find(wamid)
	if i < 0 {
		f.mu.Unlock()
		return fmt.Errorf("wafake: no accepted message %q", wamid)
	}
	s := f.sent[i]
	st := map[string]any{
		"id": s.ID, "status": status, "timestamp": unix(f.now()),
		"recipient_user_id": cmp.Or(s.Recipient, BSUID(s.To)),
	}
	if s.To != "" {
		st["recipient_id"] = s.To
	}
	if s.Opaque != "" {
		st["biz_opaque_callback_data"] = s.Opaque
	}
	priced := false
	if failure != nil {
		st["errors"] = []any{failure}
	} else if status == "sent" || !s.pricingSent {
		f.addPricing(st, &s, status)
		priced = status != "sent"
	}
	v := f.value(s.PhoneNumberID)
	v["statuses"] = []any{st}
	f.mu.Unlock()

	body, err := envelope("messages", v)
	if err != nil {
		return err
	}
	if _, err := f.post(ctx, body); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if i := f.find(wamid); i >= 0 {
		f.sent[i].lastStatus = status
		f.sent[i].pricingSent = f.sent[i].pricingSent || priced
	}
	return nil
}

// addPricing adds the pricing of s in the fake's model. Per-message pricing
// (since 1 July 2025) has a type; conversation-based pricing a conversation
// object, whose expiration comes with the sent status only.
func (f *Fake) addPricing(st map[string]any, s *Sent, status string) {
	template := s.Template != ""
	if f.PricingModel == "CBP" {
		h := fnv.New128a()
		h.Write([]byte(s.PhoneNumberID + s.To + s.Recipient))
		conv := map[string]any{"id": fmt.Sprintf("%x", h.Sum(nil)), "origin": map[string]string{"type": s.category}}
		if status == "sent" {
			conv["expiration_timestamp"] = unix(s.At.Add(window))
		}
		st["conversation"] = conv
		st["pricing"] = map[string]any{"billable": true, "pricing_model": "CBP", "category": s.category}
		return
	}
	typ := "free_customer_service"
	if template {
		typ = "regular"
	}
	st["pricing"] = map[string]any{"billable": template, "pricing_model": "PMP", "type": typ, "category": s.category}
}

// find returns the index of the accepted message wamid, or -1. The caller
// holds f.mu.
func (f *Fake) find(wamid string) int {
	for i := range f.sent {
		if f.sent[i].ID == wamid {
			return i
		}
	}
	return -1
}
