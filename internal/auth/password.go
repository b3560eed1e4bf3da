package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are the argon2id cost parameters. They are written into every hash,
// so raising DefaultParams later leaves existing hashes verifiable.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over memory
	Threads uint8
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultParams are the parameters HashPassword uses. RFC 9106 recommends one
// pass over 2 GiB; 64 MiB, its fallback for constrained memory, suits a small
// server signing in many agents at once.
var DefaultParams = Params{Memory: 64 * 1024, Time: 1, Threads: 2, SaltLen: 16, KeyLen: 32}

// ceiling bounds what a stored hash may ask of VerifyPassword. A corrupt or
// planted hash could otherwise demand gigabytes of memory or minutes of CPU
// per sign-in attempt.
var ceiling = Params{Memory: 1 << 20, Time: 20, Threads: 16, SaltLen: 128, KeyLen: 128}

const (
	minLen = 8 // smallest salt and key, in bytes
	// maxEncodedLen comfortably exceeds the longest hash within ceiling
	// (about 380 bytes) and stops parsing of anything larger.
	maxEncodedLen = 512
)

// ErrMalformedHash is returned by VerifyPassword for a stored hash it cannot
// or will not use: not argon2id, badly formed, or with parameters out of
// bounds.
var ErrMalformedHash = errors.New("auth: malformed password hash")

// b64 is the PHC string format's base64: standard alphabet, no padding.
var b64 = base64.RawStdEncoding

// HashPassword hashes pw with DefaultParams and a random salt, returning a
// PHC string such as "$argon2id$v=19$m=65536,t=1,p=2$<salt>$<hash>".
func HashPassword(pw string) (string, error) {
	return HashPasswordWith(pw, DefaultParams)
}

// HashPasswordWith is HashPassword with chosen parameters. It returns an error
// if they are outside the bounds VerifyPassword accepts.
func HashPasswordWith(pw string, p Params) (string, error) {
	if err := p.check(ceiling); err != nil {
		return "", fmt.Errorf("auth: argon2id parameters: %w", err)
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: generate salt: %w", err)
	}
	return hashWithSalt(pw, salt, p), nil
}

func hashWithSalt(pw string, salt []byte, p Params) string {
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return encodeHash(p, salt, key)
}

func encodeHash(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// VerifyPassword reports whether pw matches encoded, a hash made by
// HashPassword. A wrong password gives false and a nil error; a hash that
// cannot be used gives an error wrapping ErrMalformedHash, before any costly
// work is done.
func VerifyPassword(encoded, pw string) (bool, error) {
	return verifyWithin(encoded, pw, ceiling)
}

func verifyWithin(encoded, pw string, max Params) (bool, error) {
	p, salt, key, err := decodeHash(encoded, max)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// decodeHash parses a PHC argon2id string. It accepts only the canonical form
// encodeHash writes, so whatever it accepts re-encodes to the same string.
func decodeHash(encoded string, max Params) (p Params, salt, key []byte, err error) {
	malformed := func(format string, args ...any) (Params, []byte, []byte, error) {
		return Params{}, nil, nil, fmt.Errorf("%w: %s", ErrMalformedHash, fmt.Sprintf(format, args...))
	}
	if len(encoded) > maxEncodedLen {
		return malformed("longer than %d bytes", maxEncodedLen)
	}
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, key
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" {
		return malformed("not in PHC string format")
	}
	if parts[1] != "argon2id" {
		return malformed("not an argon2id hash")
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return malformed("unsupported argon2 version")
	}

	fields := strings.Split(parts[3], ",")
	if len(fields) != 3 {
		return malformed("want parameters m, t and p")
	}
	var vals [3]uint32
	for i, name := range []string{"m=", "t=", "p="} {
		v, ok := strings.CutPrefix(fields[i], name)
		if !ok {
			return malformed("want parameters m, t and p")
		}
		if vals[i], ok = parseDecimal(v); !ok {
			return malformed("parameter %s is not a 32-bit decimal number", name[:1])
		}
	}
	// Threads is a uint8: bound it before converting so 257 cannot pass as 1.
	if vals[2] > uint32(max.Threads) {
		return malformed("parallelism %d exceeds %d", vals[2], max.Threads)
	}
	p = Params{Memory: vals[0], Time: vals[1], Threads: uint8(vals[2])}

	var ok bool
	if salt, ok = decodeB64(parts[4]); !ok {
		return malformed("salt is not unpadded base64")
	}
	if key, ok = decodeB64(parts[5]); !ok {
		return malformed("hash is not unpadded base64")
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	if err := p.check(max); err != nil {
		return malformed("%v", err)
	}
	return p, salt, key, nil
}

// check reports whether p is usable and no costlier than max. argon2 itself
// panics on zero time or threads and needs 8 KiB of memory per thread.
func (p Params) check(max Params) error {
	switch {
	case p.Time < 1 || p.Time > max.Time:
		return fmt.Errorf("time %d outside 1..%d", p.Time, max.Time)
	case p.Threads < 1 || p.Threads > max.Threads:
		return fmt.Errorf("parallelism %d outside 1..%d", p.Threads, max.Threads)
	case p.Memory < 8*uint32(p.Threads) || p.Memory > max.Memory:
		return fmt.Errorf("memory %d KiB outside %d..%d", p.Memory, 8*uint32(p.Threads), max.Memory)
	case p.SaltLen < minLen || p.SaltLen > max.SaltLen:
		return fmt.Errorf("salt length %d outside %d..%d", p.SaltLen, minLen, max.SaltLen)
	case p.KeyLen < minLen || p.KeyLen > max.KeyLen:
		return fmt.Errorf("hash length %d outside %d..%d", p.KeyLen, minLen, max.KeyLen)
	}
	return nil
}

// decodeB64 decodes s and insists it was the canonical encoding; the decoder
// alone skips line breaks and ignores stray trailing bits.
func decodeB64(s string) ([]byte, bool) {
	b, err := b64.DecodeString(s)
	if err != nil || b64.EncodeToString(b) != s {
		return nil, false
	}
	return b, true
}

// parseDecimal parses a uint32 written the PHC way: digits only, no sign and
// no leading zeros.
func parseDecimal(s string) (uint32, bool) {
	if s == "" || len(s) > 10 || (s[0] == '0' && len(s) > 1) {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	v, err := strconv.ParseUint(s, 10, 32)
	return uint32(v), err == nil
}
