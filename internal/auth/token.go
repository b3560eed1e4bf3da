package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
)

// TokenPrefix starts every API token, so that people and secret scanners can
// recognise a Parley token that has leaked into a repository or a log.
const TokenPrefix = "prl_"

// tokenBytes of randomness (256 bits) make a token impossible to guess.
const tokenBytes = 32

// NewToken returns a new secret, prefix followed by 32 random bytes in
// unpadded base64url, and its hash. Store only the hash; show the secret
// once.
func NewToken(prefix string) (secret string, hash []byte, err error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("auth: generate token: %w", err)
	}
	secret = prefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, HashToken(secret), nil
}

// HashToken returns the SHA-256 of secret, the form in which tokens and
// session ids are stored and looked up. A fast hash is right here, unlike for
// passwords: a slow hash defends a guessable secret against offline search,
// but these secrets carry 256 random bits and cannot be searched, and a fast
// hash lets every request find its token through an index.
func HashToken(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// NewSessionID returns a new session id, for the cookie, and its hash, for
// storage. It is a token without a prefix.
func NewSessionID() (id string, hash []byte, err error) {
	return NewToken("")
}

// NewCSRFToken returns a random token of 128 bits for a form or header to
// echo back. It cannot fail: crypto/rand stops the program rather than return
// weak randomness.
func NewCSRFToken() string {
	return rand.Text()
}

// EqualToken reports whether a and b are the same token, in time that does
// not depend on where they differ. Two empty strings are not equal, so a
// missing cookie and a missing form field cannot match each other.
func EqualToken(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
