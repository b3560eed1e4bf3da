package webchat

import (
	"bytes"
	"encoding/json"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Client frame types, from the widget to Parley.
const (
	TypeHello    = "hello"
	TypeMessage  = "message"
	TypeTyping   = "typing"
	TypeIdentify = "identify"
	TypeSeen     = "seen"
)

// Server frame types, from Parley to the widget (TypeMessage and
// TypeTyping also go this way).
const (
	TypeWelcome = "welcome"
	TypeAck     = "ack"
	TypeVisitor = "visitor"
	TypeError   = "error"
)

// Bounds of client frames.
const (
	// MaxFrameBytes bounds one client frame: a message of care.MaxTextBytes
	// with room for JSON escapes. The widget checks it before sending.
	MaxFrameBytes = 2*care.MaxTextBytes + 4096
	// MaxClientIDBytes bounds a client id.
	MaxClientIDBytes = 64
	// MaxNameChars bounds a visitor's name, in characters.
	MaxNameChars = 100
	// MaxEmailBytes is the longest address SMTP carries (RFC 5321 §4.5.3.1.3
	// limits a path to 256 octets, brackets included).
	MaxEmailBytes = 254
)

// ClientFrame is one frame from the widget, decoded and validated: only
// the fields of its Type are set.
type ClientFrame struct {
	Type string `json:"type"`
	// Token, on hello, is the visitor token the widget kept; "" for a
	// first visit.
	Token string `json:"token,omitempty"`
	// ClientID, on message, is the widget's id for the message, the same
	// on every resend.
	ClientID string `json:"client_id,omitempty"`
	// Text, on message, normalised: new lines as "\n", no other control
	// characters, no leading or trailing space.
	Text string `json:"text,omitempty"`
	// On, on typing, is true while the visitor types.
	On bool `json:"on,omitempty"`
	// Name and Email, on identify; Email with its domain in lower case.
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	// ID, on seen, is the reply the visitor has seen.
	ID care.ID `json:"id,omitempty"`
}

// rawFrame is a client frame as sent; pointers tell a missing field from
// a zero one.
type rawFrame struct {
	Type     string   `json:"type"`
	Token    *string  `json:"token"`
	ClientID *string  `json:"client_id"`
	Text     *string  `json:"text"`
	On       *bool    `json:"on"`
	Name     *string  `json:"name"`
	Email    *string  `json:"email"`
	ID       *care.ID `json:"id"`
}

// DecodeClient decodes and validates one client frame: a JSON object with a
// known type and that type's fields. Unknown fields are ignored, so the
// widget can grow. It returns ETOOLARGE for a frame over MaxFrameBytes or a
// text over care.MaxTextBytes, and EINVALID, with a message naming the
// field, for anything else wrong.
func DecodeClient(data []byte) (ClientFrame, error) {
	if len(data) > MaxFrameBytes {
		return ClientFrame{}, care.Errorf(care.ETOOLARGE, "A frame is limited to %d bytes.", MaxFrameBytes)
	}
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return ClientFrame{}, care.Errorf(care.EINVALID, "A frame is a JSON object.")
	}
	var r rawFrame
	if err := json.Unmarshal(data, &r); err != nil {
		return ClientFrame{}, care.Errorf(care.EINVALID, "The frame is not valid JSON of the web chat protocol.")
	}
	f := ClientFrame{Type: r.Type}
	switch r.Type {
	case TypeHello:
		if r.Token != nil {
			if len(*r.Token) > MaxTokenBytes {
				return ClientFrame{}, care.Errorf(care.EINVALID, "token is longer than %d bytes.", MaxTokenBytes)
			}
			f.Token = *r.Token
		}
	case TypeMessage:
		if r.ClientID == nil || !validClientID(*r.ClientID) {
			return ClientFrame{}, care.Errorf(care.EINVALID, "client_id must be 1 to %d characters of A-Z, a-z, 0-9, _ and -.", MaxClientIDBytes)
		}
		if r.Text == nil {
			return ClientFrame{}, care.Errorf(care.EINVALID, "text is required.")
		}
		text, err := NormalizeText(*r.Text)
		if err != nil {
			return ClientFrame{}, err
		}
		f.ClientID, f.Text = *r.ClientID, text
	case TypeTyping:
		if r.On == nil {
			return ClientFrame{}, care.Errorf(care.EINVALID, "on is required: true or false.")
		}
		f.On = *r.On
	case TypeIdentify:
		var name, email string
		if r.Name != nil {
			name = *r.Name
		}
		if r.Email != nil {
			email = *r.Email
		}
		var err error
		if f.Name, err = NormalizeName(name); err != nil {
			return ClientFrame{}, err
		}
		if f.Email, err = NormalizeEmail(email); err != nil {
			return ClientFrame{}, err
		}
		if f.Name == "" && f.Email == "" {
			return ClientFrame{}, care.Errorf(care.EINVALID, "identify needs a name or an email.")
		}
	case TypeSeen:
		if r.ID == nil || *r.ID <= 0 {
			return ClientFrame{}, care.Errorf(care.EINVALID, "id must be the id of a message.")
		}
		f.ID = *r.ID
	default:
		return ClientFrame{}, care.Errorf(care.EINVALID, "Unknown frame type %q.", channel.Cut(r.Type, 32))
	}
	return f, nil
}

// validClientID reports whether id is 1 to MaxClientIDBytes of A-Z, a-z,
// 0-9, _ and -: what crypto.randomUUID() and base64url make.
func validClientID(id string) bool {
	if id == "" || len(id) > MaxClientIDBytes {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// NormalizeText makes a visitor's text what Parley stores: "\r\n" and "\r"
// become "\n", tabs stay, other control characters (NUL included) go,
// leading and trailing space goes. It returns EINVALID for text that is
// then empty or not UTF-8, and ETOOLARGE for more than care.MaxTextBytes.
func NormalizeText(s string) (string, error) {
	if len(s) > 2*care.MaxTextBytes {
		return "", care.Errorf(care.ETOOLARGE, "A message is limited to %d bytes.", care.MaxTextBytes)
	}
	if !utf8.ValidString(s) {
		return "", care.Errorf(care.EINVALID, "text is not valid UTF-8.")
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\n' || r == '\t':
			return r
		case r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0:
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", care.Errorf(care.EINVALID, "A message needs some text.")
	case len(s) > care.MaxTextBytes:
		return "", care.Errorf(care.ETOOLARGE, "A message is limited to %d bytes.", care.MaxTextBytes)
	}
	return s, nil
}

// NormalizeName trims a visitor's name, collapses its runs of space and
// drops the invisible format characters channel.CleanName drops: agents
// see the name as the contact's, and a bidirectional override would make
// "Ana\u202Egnp.exe" read as another name. "" stays "". It returns
// EINVALID for a name with control characters or over MaxNameChars.
func NormalizeName(s string) (string, error) {
	if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\t' }) {
		return "", care.Errorf(care.EINVALID, "name must be text on one line.")
	}
	s = strings.Join(strings.Fields(channel.CleanName(s, len(s))), " ")
	if utf8.RuneCountInString(s) > MaxNameChars {
		return "", care.Errorf(care.EINVALID, "name is limited to %d characters.", MaxNameChars)
	}
	return s, nil
}

// NormalizeEmail checks a visitor's email: one bare address (no display
// name, no angle brackets, no comments), as net/mail parses it, of at most
// MaxEmailBytes. The domain is lower-cased (RFC 5321 §2.4: domains are
// case-insensitive; the local part is the receiving server's business and
// is kept). "" stays "". It returns EINVALID for anything else, and for
// an address with an invisible format character, which net/mail takes
// (RFC 6532 allows UTF-8) but no mailbox has: a bidirectional override in
// it shows agents another address than the one replies are mailed to.
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	bad := care.Errorf(care.EINVALID, "email must be an address like name@example.com.")
	if len(s) > MaxEmailBytes || !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Cf, r) || unicode.IsSpace(r) }) {
		return "", bad
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return "", bad
	}
	at := strings.LastIndexByte(s, '@')
	local, domain := s[:at], s[at+1:]
	if local == "" || !strings.Contains(domain, ".") || strings.HasPrefix(domain, "[") {
		return "", bad
	}
	return local + "@" + strings.ToLower(domain), nil
}

// Welcome is the server's first frame, the answer to hello.
type Welcome struct {
	Type string `json:"type"` // "welcome"
	// Token is the visitor's token to keep: the one sent, or a new one
	// for a new visitor (or a token that did not verify).
	Token   string  `json:"token"`
	Visitor Visitor `json:"visitor"`
	// AgentsAvailable is false when no agent can answer now: the widget
	// shows the offline form.
	AgentsAvailable bool      `json:"agents_available"`
	Inbox           InboxInfo `json:"inbox"`
	// History is the end of the visitor's conversation, oldest first.
	History []Message `json:"history"`
}

// Visitor is who Parley knows the visitor as.
type Visitor struct {
	ID string `json:"id"`
	// Name and Email are "" until the visitor gives them.
	Name  string `json:"name"`
	Email string `json:"email"`
}

// InboxInfo is what the widget shows of its inbox.
type InboxInfo struct {
	Title          string `json:"title"`
	Greeting       string `json:"greeting"`
	OfflineMessage string `json:"offline_message"`
	Color          string `json:"color"`
}

// Message is one message of the conversation as the visitor sees it: a
// frame of its own (Type "message") or an entry of Welcome.History.
type Message struct {
	Type      string         `json:"type,omitempty"`
	ID        care.ID        `json:"id"`
	Direction care.Direction `json:"direction"`
	Text      string         `json:"text"`
	// Author is the agent's first name on a reply ("" for the visitor's
	// own messages, the inbox's title for replies without a person).
	Author string    `json:"author"`
	SentAt time.Time `json:"sent_at"`
	// ClientID is the widget's id of the visitor's own message.
	ClientID string `json:"client_id,omitempty"`
}

// Ack says a message is stored: sent as soon as it is durable, before it
// is threaded into a conversation.
type Ack struct {
	Type     string `json:"type"` // "ack"
	ClientID string `json:"client_id"`
	// ID is the receipt: the stored event's id, the same for every resend.
	ID care.ID `json:"id"`
}

// TypingFrame tells the widget an agent started or stopped typing.
type TypingFrame struct {
	Type string `json:"type"` // "typing"
	On   bool   `json:"on"`
	// Name is the agent's first name.
	Name string `json:"name"`
}

// VisitorFrame confirms identify.
type VisitorFrame struct {
	Type    string  `json:"type"` // "visitor"
	Visitor Visitor `json:"visitor"`
}

// Error reports a frame Parley did not act on. ClientID names the message
// it is about, if any: the widget keeps that message queued and resends it
// unless Code is invalid or too_large.
type Error struct {
	Type     string `json:"type"` // "error"
	Code     string `json:"code"`
	Message  string `json:"message"`
	ClientID string `json:"client_id,omitempty"`
}

// Error codes.
const (
	CodeInvalid        = "invalid"          // the frame is malformed; do not resend it
	CodeTooLarge       = "too_large"        // the message is too long; do not resend it
	CodeRateLimited    = "rate_limited"     // slow down; resend later
	CodeUnavailable    = "unavailable"      // Parley could not store it; resend later
	CodeHelloFirst     = "hello_required"   // the first frame must be hello
	CodeTooManySockets = "too_many_sockets" // the visitor has too many tabs open
)

// ServerFrame is any server frame, for clients that decode them (the
// webchatfake visitor, tests): Type says which fields are set.
type ServerFrame struct {
	Type string `json:"type"`
	// welcome
	Token           string     `json:"token"`
	Visitor         *Visitor   `json:"visitor"`
	AgentsAvailable bool       `json:"agents_available"`
	Inbox           *InboxInfo `json:"inbox"`
	History         []Message  `json:"history"`
	// ack, message, error
	ClientID string  `json:"client_id"`
	ID       care.ID `json:"id"`
	// message
	Direction care.Direction `json:"direction"`
	Text      string         `json:"text"`
	Author    string         `json:"author"`
	SentAt    time.Time      `json:"sent_at"`
	// typing
	On   bool   `json:"on"`
	Name string `json:"name"`
	// error
	Code    string `json:"code"`
	Message string `json:"message"`
}

// AsMessage returns a message frame's message.
func (f ServerFrame) AsMessage() Message {
	return Message{ID: f.ID, Direction: f.Direction, Text: f.Text, Author: f.Author, SentAt: f.SentAt, ClientID: f.ClientID}
}
