package apiinbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// Message is what a system posts to POST /api/v1/inboxes/{id}/messages: one
// customer message. ID is the sender's own id for the message and the
// dedupe key: posting the same ID twice is acknowledged and changes nothing.
type Message struct {
	ID          string            `json:"id"`
	ReplyToID   string            `json:"reply_to_id,omitempty"`
	Visibility  care.Visibility   `json:"visibility,omitempty"` // "private" (default) or "public"
	Author      Author            `json:"author"`
	Text        string            `json:"text"`
	Subject     string            `json:"subject,omitempty"`
	Attachments []care.Attachment `json:"attachments,omitempty"`
	SentAt      *time.Time        `json:"sent_at,omitempty"`
}

// Author is the customer as the posting system knows them.
type Author struct {
	ID        string `json:"id"`
	Name      string `json:"name,omitempty"`
	Handle    string `json:"handle,omitempty"`
	Followers int64  `json:"followers,omitempty"`
	Verified  bool   `json:"verified,omitempty"`
}

// MaxBodyBytes bounds one posted message.
const MaxBodyBytes = 128 << 10

// Decode parses and validates a posted message for the given inbox. Unknown
// fields, wrong types, trailing data and out-of-bounds values are rejected
// with an EINVALID error that names the problem.
func Decode(body []byte, inboxID care.ID, now time.Time) (care.Inbound, error) {
	if len(body) > MaxBodyBytes {
		return care.Inbound{}, care.Errorf(care.ETOOLARGE, "The message is larger than %d bytes.", MaxBodyBytes)
	}
	var m Message
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return care.Inbound{}, care.Errorf(care.EINVALID, "The body is not a valid message: %s.", jsonProblem(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return care.Inbound{}, care.Errorf(care.EINVALID, "The body must hold exactly one JSON object.")
	}
	if m.Visibility == "" {
		m.Visibility = care.Private
	}
	in := care.Inbound{
		InboxID: inboxID, Channel: care.ChannelAPI, PlatformID: m.ID, ReplyToPlatformID: m.ReplyToID,
		Visibility: m.Visibility, Text: m.Text, Subject: m.Subject, Attachments: m.Attachments,
		Author: care.Author{PlatformUserID: m.Author.ID, DisplayName: m.Author.Name, Handle: m.Author.Handle,
			Followers: m.Author.Followers, Verified: m.Author.Verified},
		SentAt: now,
	}
	if m.SentAt != nil {
		// A sender's clock is not ours to trust for ordering beyond a day
		// ahead; an absurd timestamp is replaced by the receipt time.
		if t := m.SentAt.UTC(); t.Year() >= 2000 && t.Before(now.Add(24*time.Hour)) {
			in.SentAt = t
		}
	}
	if err := in.Validate(); err != nil {
		return care.Inbound{}, err
	}
	return in, nil
}

func jsonProblem(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return "the body is empty"
	case errors.As(err, &syntax):
		return fmt.Sprintf("invalid JSON at byte %d", syntax.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("field %q must be %s, not %s", typ.Field, typ.Type, typ.Value)
	}
	if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok && len(f) < 100 {
		return "unknown field " + f
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "the JSON ends too early"
	}
	return "invalid JSON"
}
