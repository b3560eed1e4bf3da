package demo

import (
	"testing"
	"unicode/utf8"
)

// FuzzDecodeWebReply feeds the web form's webhook decoder anything: it
// must never panic, and what it accepts must be usable.
func FuzzDecodeWebReply(f *testing.F) {
	f.Add([]byte(replyBody))
	f.Add([]byte(`{"event":"message.created","message":{"id":1},"recipient":{"platform_user_id":"a"}}`))
	f.Add([]byte(`{"event":"message.created","message":{"id":-1,"text":"\u0000"},"recipient":{}}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := decodeWebReply(body)
		if err != nil {
			return
		}
		if r.MessageID <= 0 || r.RecipientID == "" || len(r.RecipientID) > 256 || !utf8.ValidString(r.Text) {
			t.Errorf("decodeWebReply(%q) accepted %+v", body, r)
		}
	})
}

// FuzzWithEngagement checks that adding metrics to a delivery never panics
// and keeps the post's id exact, whatever the delivery holds.
func FuzzWithEngagement(f *testing.F) {
	f.Add([]byte(`{"data":{"event_type":"post.mention.create","payload":{"id":"1900000000000000001","text":"hi"}}}`), int64(10))
	f.Add([]byte(`{"data":{"payload":{"id":1900000000000000001}}}`), int64(0))
	f.Add([]byte(`{"data":null}`), int64(5))
	f.Fuzz(func(t *testing.T, event []byte, n int64) {
		out, err := withEngagement(event, n)
		if err == nil && !utf8.Valid(out) {
			t.Errorf("withEngagement(%q) = %q, not UTF-8", event, out)
		}
	})
}
