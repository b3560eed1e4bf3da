package apiinbox

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// SignatureHeader carries the signature of a delivery.
const SignatureHeader = "Parley-Signature"

// DefaultTolerance is how far a signature's timestamp may be from the
// receiver's clock when Verify is given no tolerance: enough for clock skew
// and a slow network, short enough to make replaying a capture pointless.
const DefaultTolerance = 5 * time.Minute

// Bounds on a signature header, so parsing a hostile one costs little. Eight
// signatures cover any rotation in progress.
const (
	maxHeaderBytes = 4 << 10
	maxSignatures  = 8
)

// Errors wrapped by Verify and ParseSignatureHeader.
var (
	ErrNoSignature        = errors.New("apiinbox: missing signature header")
	ErrMalformedSignature = errors.New("apiinbox: malformed signature header")
	ErrSignatureExpired   = errors.New("apiinbox: signature timestamp outside tolerance")
	ErrSignatureMismatch  = errors.New("apiinbox: no signature matches")
)

// Sign returns the Parley-Signature header value for body sent at t.
func Sign(secret []byte, t time.Time, body []byte) string {
	return SignAll(t, body, secret)
}

// SignAll returns a Parley-Signature header value with one v1 per secret, in
// order: while a rotation's grace period runs, a receiver that still has
// only the old secret verifies as well as one that has the new.
func SignAll(t time.Time, body []byte, secrets ...[]byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	var b strings.Builder
	b.WriteString("t=" + ts)
	for _, secret := range secrets {
		b.WriteString(",v1=" + hex.EncodeToString(mac(secret, ts, body)))
	}
	return b.String()
}

func mac(secret []byte, ts string, body []byte) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(ts))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// Verify checks a Parley-Signature header against body and secret. It returns
// nil when any v1 signature matches and the timestamp is within tolerance of
// now (DefaultTolerance when tolerance is not positive). Otherwise it returns
// a *care.Error with code EUNAUTHORIZED wrapping ErrNoSignature,
// ErrMalformedSignature, ErrSignatureExpired or ErrSignatureMismatch. An empty
// secret verifies nothing, since anyone could sign with it.
func Verify(header string, secret []byte, body []byte, now time.Time, tolerance time.Duration) error {
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	if header == "" {
		return unauthorized("signature header is missing", ErrNoSignature)
	}
	ts, sigs, err := ParseSignatureHeader(header)
	if err != nil {
		return unauthorized("signature header is malformed", err)
	}
	// Compare in whole seconds: ts may be anywhere in int64, and seconds
	// cannot overflow where a time.Duration would.
	if skew := now.Unix() - ts; skew > int64(tolerance/time.Second) || -skew > int64(tolerance/time.Second) {
		return unauthorized("signature timestamp is too old or in the future", ErrSignatureExpired)
	}
	if len(secret) == 0 {
		return unauthorized("no signing secret is configured", ErrSignatureMismatch)
	}
	want := mac(secret, strconv.FormatInt(ts, 10), body)
	ok := false
	for _, sig := range sigs {
		// No early exit: every candidate costs the same.
		if hmac.Equal(sig, want) {
			ok = true
		}
	}
	if !ok {
		return unauthorized("signature does not match", ErrSignatureMismatch)
	}
	return nil
}

func unauthorized(msg string, err error) error {
	return &care.Error{Code: care.EUNAUTHORIZED, Message: msg, Err: err}
}

// ParseSignatureHeader splits a Parley-Signature header into its timestamp and
// its v1 signatures, ignoring keys of other versions. The header must be at
// most 4 KiB, have exactly one t in decimal seconds without leading zeros, and one to eight v1 values
// of 64 hex digits. Errors wrap ErrMalformedSignature.
func ParseSignatureHeader(h string) (ts int64, sigs [][]byte, err error) {
	if len(h) > maxHeaderBytes {
		return 0, nil, fmt.Errorf("%w: longer than %d bytes", ErrMalformedSignature, maxHeaderBytes)
	}
	seenT := false
	for item := range strings.SplitSeq(h, ",") {
		k, v, found := strings.Cut(strings.TrimSpace(item), "=")
		if !found {
			return 0, nil, fmt.Errorf("%w: element without '='", ErrMalformedSignature)
		}
		switch k {
		case "t":
			if seenT {
				return 0, nil, fmt.Errorf("%w: more than one t", ErrMalformedSignature)
			}
			seenT = true
			if ts, err = parseTimestamp(v); err != nil {
				return 0, nil, err
			}
		case "v1":
			if len(sigs) == maxSignatures {
				return 0, nil, fmt.Errorf("%w: more than %d signatures", ErrMalformedSignature, maxSignatures)
			}
			if len(v) != 2*sha256.Size {
				return 0, nil, fmt.Errorf("%w: v1 is not %d hex digits", ErrMalformedSignature, 2*sha256.Size)
			}
			sig, err := hex.DecodeString(v)
			if err != nil {
				return 0, nil, fmt.Errorf("%w: v1 is not hex", ErrMalformedSignature)
			}
			sigs = append(sigs, sig)
		}
	}
	if !seenT {
		return 0, nil, fmt.Errorf("%w: no t", ErrMalformedSignature)
	}
	if len(sigs) == 0 {
		return 0, nil, fmt.Errorf("%w: no v1 signature", ErrMalformedSignature)
	}
	return ts, sigs, nil
}

// parseTimestamp accepts only canonical decimal seconds: strconv alone would
// also take a sign, and a leading zero would make the t that was signed differ
// from the t that Verify formats.
func parseTimestamp(v string) (int64, error) {
	if v == "" || len(v) > 19 || v[0] == '0' || strings.Trim(v, "0123456789") != "" {
		return 0, fmt.Errorf("%w: t is not a decimal number of seconds", ErrMalformedSignature)
	}
	ts, err := strconv.ParseInt(v, 10, 64)
	if err != nil || ts <= 0 {
		return 0, fmt.Errorf("%w: t is out of range", ErrMalformedSignature)
	}
	return ts, nil
}
