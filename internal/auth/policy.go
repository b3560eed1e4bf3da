package auth

import (
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
)

// Password policy. Length is what makes a password hard to guess, so that is
// all it asks for; composition rules mostly produce "Password1!" (NIST SP
// 800-63B advises against them). The upper bound keeps hashing input and
// request bodies small while leaving room for any passphrase.
const (
	MinPasswordChars = 10
	MaxPasswordBytes = 256
)

// CheckPassword reports whether pw may be set as a password. It returns
// EINVALID with a message to show the person choosing it.
func CheckPassword(pw string) error {
	switch {
	case len(pw) > MaxPasswordBytes:
		return care.Errorf(care.EINVALID, "password must be at most %d bytes (fewer characters if it uses accents or non-Latin scripts)", MaxPasswordBytes)
	case !utf8.ValidString(pw):
		return care.Errorf(care.EINVALID, "password is not valid UTF-8 text")
	case utf8.RuneCountInString(pw) < MinPasswordChars:
		return care.Errorf(care.EINVALID, "password must be at least %d characters; a few unrelated words make a long one that is easy to remember", MinPasswordChars)
	}
	return nil
}
