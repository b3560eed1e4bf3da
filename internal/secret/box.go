// Package secret seals values that must not sit in the database in clear,
// such as the access tokens and app secrets of connected inboxes. A database
// dump or backup then reveals nothing without the key, which lives outside
// the database: in PARLEY_SECRET_KEY or in a key file beside it.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"fmt"
)

// KeySize is the length of a key in bytes: AES-256.
const KeySize = 32

// version1 marks AES-256-GCM with a random 96-bit nonce. The version byte
// leads every sealed value so the scheme can change without guessing what an
// old row holds.
const version1 = 0x01

const (
	nonceSize = 12
	tagSize   = 16
	// overhead is what Seal adds to the plaintext.
	overhead = 1 + nonceSize + tagSize
)

// Errors returned by Open, so a caller can tell a damaged value from a key
// that does not match the one the value was sealed with.
var (
	ErrTruncated      = errors.New("secret: sealed value is too short")
	ErrUnknownVersion = errors.New("secret: sealed value has an unknown version")
	ErrAuthentication = errors.New("secret: sealed value failed authentication (wrong key or tampered data)")
)

// Box seals and opens values with one key. It is safe for concurrent use.
// Use NewBox; the zero Box is not usable.
type Box struct {
	aead cipher.AEAD
}

// NewBox returns a Box for key, which must be exactly KeySize bytes.
func NewBox(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("secret: key is %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	// The standard library draws the nonce and prepends it, which keeps nonce
	// handling out of this package. Random 96-bit nonces are safe for far more
	// values than an install will ever seal under one key.
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	return &Box{aead: aead}, nil
}

// Seal encrypts plaintext. The result is a version byte, a 12-byte random
// nonce and the GCM ciphertext with its tag; sealing the same plaintext twice
// gives different results.
func (b *Box) Seal(plaintext []byte) ([]byte, error) {
	out := make([]byte, 1, overhead+len(plaintext))
	out[0] = version1
	// The version byte is authenticated as additional data, so it cannot be
	// altered to make a future version misread this value.
	return b.aead.Seal(out, nil, plaintext, out[:1]), nil
}

// Open decrypts a value made by Seal. It returns ErrTruncated, ErrUnknownVersion
// or ErrAuthentication, the last when the key is wrong or the value was
// altered.
func (b *Box) Open(sealed []byte) ([]byte, error) {
	if len(sealed) < overhead {
		return nil, ErrTruncated
	}
	if sealed[0] != version1 {
		return nil, fmt.Errorf("%w: %#02x", ErrUnknownVersion, sealed[0])
	}
	plaintext, err := b.aead.Open(nil, nil, sealed[1:], sealed[:1])
	if err != nil {
		return nil, ErrAuthentication
	}
	return plaintext, nil
}
