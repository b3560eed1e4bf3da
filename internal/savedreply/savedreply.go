// Package savedreply holds a workspace's saved replies: texts agents insert
// into the composer instead of typing them again, with a handful of
// variables ({{contact.first_name}}, {{agent.name}}, …) filled in for the
// conversation at hand.
//
// The replies are one JSON document, the workspace setting "saved_replies",
// which admins write through the API's settings endpoint:
//
//	{"replies": [{"id": 1, "name": "Order delayed",
//	  "text": "Hi {{contact.first_name}}, sorry for the wait! …",
//	  "channels": ["x", "instagram"]}]}
//
// Parse checks such a document strictly, so a variable misspelt by an admin
// is refused when it is saved rather than sent to a customer as written.
// Render fills the variables in; it is not a template language: the values
// are inserted as plain text and never read for variables themselves.
package savedreply

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
)

// SettingName is the workspace setting that holds the saved replies.
const SettingName = "saved_replies"

// Limits of a document. The text limit leaves room under every platform's
// own limit for the variables' values; the count keeps the composer's
// picker (and the page that carries it) a manageable size.
const (
	MaxReplies   = 500
	MaxNameBytes = 100
	MaxTextBytes = 4000
	// MaxChannels bounds one reply's channel list.
	MaxChannels = 20
	// maxDocBytes bounds the work Parse does before it looks at anything:
	// 500 replies at their largest, with room for JSON escapes.
	maxDocBytes = 4 << 20
)

// Reply is one saved reply.
type Reply struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Text string `json:"text"`
	// Channels the reply is offered on ("x", "sms", …); empty means all.
	Channels []string `json:"channels,omitempty"`
}

// Set is a workspace's saved replies, in the order admins gave them.
type Set struct {
	Replies []Reply `json:"replies"`
}

// Parse checks a saved replies document: a JSON object with only the
// fields above; at most MaxReplies replies, each with a unique id above 0,
// a name of 1 to MaxNameBytes bytes, a text of 1 to MaxTextBytes bytes
// using only the variables Render knows, and channel names as Parley
// spells them. It returns EINVALID saying what is wrong, and where.
func Parse(doc []byte) (*Set, error) {
	if len(doc) > maxDocBytes {
		return nil, care.Errorf(care.EINVALID, "Saved replies: the document is larger than %d bytes.", maxDocBytes)
	}
	if trimmed := bytes.TrimSpace(doc); len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, care.Errorf(care.EINVALID, `Saved replies: the document must be a JSON object such as {"replies": []}.`)
	}
	var s Set
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, care.Errorf(care.EINVALID, "Saved replies: %v.", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, care.Errorf(care.EINVALID, "Saved replies: the document must hold one JSON object and nothing after it.")
	}
	if len(s.Replies) > MaxReplies {
		return nil, care.Errorf(care.EINVALID, "Saved replies: at most %d replies; this document has %d.", MaxReplies, len(s.Replies))
	}
	seen := make(map[int64]bool, len(s.Replies))
	for i := range s.Replies {
		r := &s.Replies[i]
		if r.ID <= 0 {
			return nil, care.Errorf(care.EINVALID, "Saved replies: the %s reply needs an id above 0.", ordinal(i+1))
		}
		if seen[r.ID] {
			return nil, care.Errorf(care.EINVALID, "Saved replies: the id %d is used twice.", r.ID)
		}
		seen[r.ID] = true
		if err := checkReply(r); err != nil {
			return nil, care.Errorf(care.EINVALID, "Saved replies: reply %d: %s", r.ID, care.ErrorMessage(err))
		}
	}
	return &s, nil
}

// checkReply checks one reply's name, text and channels.
func checkReply(r *Reply) error {
	switch {
	case !utf8.ValidString(r.Name) || strings.IndexFunc(r.Name, unicode.IsControl) >= 0:
		return care.Errorf(care.EINVALID, "the name must be text without control characters.")
	case strings.TrimSpace(r.Name) == "" || len(r.Name) > MaxNameBytes:
		return care.Errorf(care.EINVALID, "the name must be 1 to %d bytes; it is %d.", MaxNameBytes, len(r.Name))
	case !utf8.ValidString(r.Text) || strings.IndexByte(r.Text, 0) >= 0:
		return care.Errorf(care.EINVALID, "the text is not valid UTF-8 text.")
	case strings.TrimSpace(r.Text) == "" || len(r.Text) > MaxTextBytes:
		return care.Errorf(care.EINVALID, "the text must be 1 to %d bytes; it is %d.", MaxTextBytes, len(r.Text))
	case len(r.Channels) > MaxChannels:
		return care.Errorf(care.EINVALID, "at most %d channels.", MaxChannels)
	}
	for _, ch := range r.Channels {
		if !care.Channel(ch).Valid() {
			return care.Errorf(care.EINVALID, "%.40q is not a channel name such as \"x\" or \"sms\".", ch)
		}
	}
	return checkVariables(r.Text)
}

// For returns the replies offered on a channel: those that name it, and
// those that name none.
func (s *Set) For(ch care.Channel) []Reply {
	if s == nil {
		return nil
	}
	var out []Reply
	for _, r := range s.Replies {
		if len(r.Channels) == 0 || slices.Contains(r.Channels, string(ch)) {
			out = append(out, r)
		}
	}
	return out
}

// Find returns the reply with the given id.
func (s *Set) Find(id int64) (Reply, bool) {
	if s == nil {
		return Reply{}, false
	}
	for _, r := range s.Replies {
		if r.ID == id {
			return r, true
		}
	}
	return Reply{}, false
}

// ordinal names a position for an error message: "1st", "2nd", "23rd".
func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

// Text returns the workspace's saved reply id rendered for conversation
// conv: the customer's name is contactName, or the contact's when empty,
// and the brand is the workspace's name. ok is false when the workspace
// has no such reply; a stored document that no longer parses is an error.
func Text(ctx context.Context, q care.Queries, conv *care.Conversation, id int64, contactName string) (text string, ok bool, err error) {
	doc, err := q.Setting(ctx, conv.WorkspaceID, SettingName)
	if care.ErrorCode(err) == care.ENOTFOUND {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	set, err := Parse(doc)
	if err != nil {
		return "", false, err
	}
	r, ok := set.Find(id)
	if !ok {
		return "", false, nil
	}
	vars := Vars{ContactName: contactName}
	if vars.ContactName == "" {
		if c, err := q.Contact(ctx, conv.ContactID); err == nil {
			vars.ContactName = c.Name
		}
	}
	if w, err := q.Workspace(ctx, conv.WorkspaceID); err == nil {
		vars.Brand = w.Name
	}
	return Render(r.Text, vars), true, nil
}
