package apiinbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

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
	// encoding/json replaces invalid UTF-8 with U+FFFD rather than failing,
	// which would make two different ids one, and the second message a
	// "duplicate" never stored. JSON text is UTF-8 (RFC 8259, section 8.1).
	if !utf8.Valid(body) {
		return care.Inbound{}, care.Errorf(care.EINVALID, "The body is not valid UTF-8 (first bad byte at offset %d); JSON must be sent as UTF-8.", invalidAt(body))
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
	// An escaped lone surrogate ("\udc80") decodes to U+FFFD too: in an
	// id it would merge distinct messages, or customers.
	for _, f := range []struct{ name, v string }{{"id", m.ID}, {"reply_to_id", m.ReplyToID}, {"author.id", m.Author.ID}} {
		if strings.ContainsRune(f.v, utf8.RuneError) {
			return care.Inbound{}, care.Errorf(care.EINVALID, "%s contains U+FFFD or an unpaired surrogate escape; ids must be text as the sending system stores them.", f.name)
		}
	}
	// A message of white space alone shows as an empty bubble; agents
	// cannot send one either.
	if strings.TrimSpace(m.Text) == "" && m.Text != "" && len(m.Attachments) == 0 {
		return care.Inbound{}, care.Errorf(care.EINVALID, "text is only white space; a message needs text or at least one attachment.")
	}
	// An attachment's address becomes a link in the agent's timeline, and
	// a sending system is no more trusted than the customers it relays: a
	// javascript: or data: link must never be stored, nor a scheme such as
	// meta-media: that names a file some platform keeps. The rule is the
	// one agents' replies and listening imports follow.
	for i, a := range m.Attachments {
		if a.URL != "" && !care.WebLink(a.URL) {
			return care.Inbound{}, care.Errorf(care.EINVALID, "attachments[%d].url must be an absolute http or https link of at most 2048 bytes, such as \"https://example.com/photo.jpg\"; upload the file somewhere reachable and send its address.", i)
		}
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
		return care.Inbound{}, care.Errorf(care.ErrorCode(err), "%s", apiNames.Replace(care.ErrorMessage(err)))
	}
	return in, nil
}

// apiNames turns the field names of Parley's normalised inbound event, as
// care.Inbound.Validate names them, into this API's.
var apiNames = strings.NewReplacer(
	"reply_to_platform_id", "reply_to_id",
	"platform_id", "id",
	"author.platform_user_id", "author.id",
	"author.display_name", "author.name",
)

// invalidAt is the offset of the first byte of b that is not valid UTF-8.
func invalidAt(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

func jsonProblem(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var when *time.ParseError
	switch {
	case errors.Is(err, io.EOF):
		return "the body is empty"
	case errors.As(err, &syntax):
		return fmt.Sprintf("invalid JSON at byte %d", syntax.Offset)
	case errors.As(err, &typ) && typ.Field == "":
		return fmt.Sprintf("the body must be a JSON object, not %s", typ.Value)
	case errors.As(err, &typ):
		return fmt.Sprintf("field %q must be %s, not %s", typ.Field, care.JSONKind(typ.Type), typ.Value)
	case errors.As(err, &when) || strings.Contains(err.Error(), "Time.UnmarshalJSON"):
		// Message has one time, and time.Time's errors name no field.
		return `field "sent_at" must be a time in RFC 3339 form, such as "2026-11-24T09:30:00Z"`
	}
	if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok && len(f) < 100 {
		return "unknown field " + f
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "the JSON ends too early"
	}
	return "invalid JSON"
}
