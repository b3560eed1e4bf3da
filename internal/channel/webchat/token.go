package webchat

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/internal/care"
)

// A visitor is anonymous: Parley knows them by a random visitor id, which
// the widget keeps as a signed token. The server keeps no session state:
// any node that knows the inbox's secret recognises the token.
const (
	// visitorIDLen is a visitor id's length: 128 random bits in hex.
	visitorIDLen = 32
	// visitorPrefix starts a visitor's platform user id, "v:<visitor id>".
	visitorPrefix = "v:"
	// tokenVersion starts every token, so the format can change.
	tokenVersion = "v1"
	// MaxTokenBytes bounds a token as a client sends it.
	MaxTokenBytes = 256
)

// NewVisitorID returns a fresh random visitor id: 32 lower-case hex digits.
func NewVisitorID() string {
	b := make([]byte, visitorIDLen/2)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// VisitorUserID is the platform user id of a visitor: "v:<visitor id>".
func VisitorUserID(visitorID string) string { return visitorPrefix + visitorID }

// SignVisitor returns the token for visitorID on the inbox:
//
//	v1.<visitor id>.<base64url(HMAC-SHA256(secret, "parley-webchat-visitor\n" + inbox id + "\n" + visitor id))>
//
// The inbox id is signed too, so a token from one site's widget is worth
// nothing on another's.
func SignVisitor(secret []byte, inboxID care.ID, visitorID string) string {
	return tokenVersion + "." + visitorID + "." + base64.RawURLEncoding.EncodeToString(visitorMAC(secret, inboxID, visitorID))
}

// VerifyVisitor returns the visitor id of token if it is a well-formed
// token that secret signed for the inbox, comparing in constant time.
func VerifyVisitor(secret []byte, inboxID care.ID, token string) (visitorID string, ok bool) {
	if len(token) > MaxTokenBytes || len(secret) == 0 {
		return "", false
	}
	version, rest, _ := strings.Cut(token, ".")
	id, sig, _ := strings.Cut(rest, ".")
	if version != tokenVersion || !validVisitorID(id) {
		return "", false
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, visitorMAC(secret, inboxID, id)) {
		return "", false
	}
	return id, true
}

func visitorMAC(secret []byte, inboxID care.ID, visitorID string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("parley-webchat-visitor\n" + strconv.FormatInt(inboxID, 10) + "\n" + visitorID))
	return m.Sum(nil)
}

// validVisitorID reports whether id is 32 lower-case hex digits.
func validVisitorID(id string) bool {
	if len(id) != visitorIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// VisitorOf returns the visitor id and client id of a visitor message's
// platform id, "<visitor id>:<client id>"; ok is false for any other id
// (a reply's "out:<id>").
func VisitorOf(platformID string) (visitorID, clientID string, ok bool) {
	visitorID, clientID, ok = strings.Cut(platformID, ":")
	if !ok || !validVisitorID(visitorID) || !validClientID(clientID) {
		return "", "", false
	}
	return visitorID, clientID, true
}

// anonymousName is how an anonymous visitor is named to agents: "Visitor
// 3f2a91", the start of their id, so two anonymous visitors can be told
// apart.
func anonymousName(visitorID string) string { return "Visitor " + visitorID[:6] }
