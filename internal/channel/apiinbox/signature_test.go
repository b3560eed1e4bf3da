package apiinbox

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

var (
	vectorSecret = []byte("whsec_test")
	vectorTime   = time.Unix(1700000000, 0)
	vectorBody   = []byte(`{"event":"message.created"}`)
)

// vectorV1 was computed outside Go:
//
//	printf '%s' '1700000000.{"event":"message.created"}' | openssl dgst -sha256 -hmac whsec_test -hex
const vectorV1 = "9884eb2fcc09ffc10f00127fff0a0c5686da2fef61d0363442271c6dfa1917eb"

func TestSignKnownVector(t *testing.T) {
	want := "t=1700000000,v1=" + vectorV1
	if got := Sign(vectorSecret, vectorTime, vectorBody); got != want {
		t.Errorf("Sign = %q, want %q", got, want)
	}

	// The same value, computed by hand from the documented recipe.
	h := hmac.New(sha256.New, vectorSecret)
	h.Write([]byte("1700000000." + string(vectorBody)))
	if got := hex.EncodeToString(h.Sum(nil)); got != vectorV1 {
		t.Errorf("HMAC-SHA256 by hand = %s, want %s", got, vectorV1)
	}
}

func TestVerify(t *testing.T) {
	valid := "t=1700000000,v1=" + vectorV1
	other := strings.Repeat("ab", 32)
	tests := []struct {
		name      string
		header    string
		secret    []byte
		body      []byte
		now       time.Time
		tolerance time.Duration
		want      error // nil, or the sentinel the error must wrap
	}{
		{"known vector", valid, vectorSecret, vectorBody, vectorTime, 0, nil},
		{"spaces after commas", "t=1700000000, v1=" + vectorV1, vectorSecret, vectorBody, vectorTime, 0, nil},
		{"upper-case hex", "t=1700000000,v1=" + strings.ToUpper(vectorV1), vectorSecret, vectorBody, vectorTime, 0, nil},
		{"rotation, new secret second", "t=1700000000,v1=" + other + ",v1=" + vectorV1, vectorSecret, vectorBody, vectorTime, 0, nil},
		{"rotation, new secret first", "t=1700000000,v1=" + vectorV1 + ",v1=" + other, vectorSecret, vectorBody, vectorTime, 0, nil},
		{"unknown version ignored", "t=1700000000,v0=abc,v2=xyz,v1=" + vectorV1, vectorSecret, vectorBody, vectorTime, 0, nil},
		{"within tolerance, late", valid, vectorSecret, vectorBody, vectorTime.Add(DefaultTolerance), 0, nil},
		{"within tolerance, early", valid, vectorSecret, vectorBody, vectorTime.Add(-DefaultTolerance), 0, nil},
		{"tampered body", valid, vectorSecret, []byte(`{"event":"message.created "}`), vectorTime, 0, ErrSignatureMismatch},
		{"empty body", valid, vectorSecret, nil, vectorTime, 0, ErrSignatureMismatch},
		{"wrong secret", valid, []byte("whsec_other"), vectorBody, vectorTime, 0, ErrSignatureMismatch},
		{"empty secret", Sign(nil, vectorTime, vectorBody), nil, vectorBody, vectorTime, 0, ErrSignatureMismatch},
		{"timestamp changed", "t=1700000001,v1=" + vectorV1, vectorSecret, vectorBody, vectorTime, 0, ErrSignatureMismatch},
		{"old timestamp", valid, vectorSecret, vectorBody, vectorTime.Add(DefaultTolerance + time.Second), 0, ErrSignatureExpired},
		{"future timestamp", valid, vectorSecret, vectorBody, vectorTime.Add(-DefaultTolerance - time.Second), 0, ErrSignatureExpired},
		{"custom tolerance", valid, vectorSecret, vectorBody, vectorTime.Add(31 * time.Second), 30 * time.Second, ErrSignatureExpired},
		{"missing header", "", vectorSecret, vectorBody, vectorTime, 0, ErrNoSignature},
		{"no timestamp", "v1=" + vectorV1, vectorSecret, vectorBody, vectorTime, 0, ErrMalformedSignature},
		{"no v1", "t=1700000000", vectorSecret, vectorBody, vectorTime, 0, ErrMalformedSignature},
		{"only other versions", "t=1700000000,v2=" + vectorV1, vectorSecret, vectorBody, vectorTime, 0, ErrMalformedSignature},
		{"v1 too short", "t=1700000000,v1=" + vectorV1[:62], vectorSecret, vectorBody, vectorTime, 0, ErrMalformedSignature},
		{"v1 not hex", "t=1700000000,v1=" + strings.Repeat("zz", 32), vectorSecret, vectorBody, vectorTime, 0, ErrMalformedSignature},
		{"leading zero in t", "t=01700000000,v1=" + vectorV1, vectorSecret, vectorBody, vectorTime, 0, ErrMalformedSignature},
		{"negative t", "t=-1700000000,v1=" + vectorV1, vectorSecret, vectorBody, vectorTime, 0, ErrMalformedSignature},
		{"t overflows", "t=99999999999999999999,v1=" + vectorV1, vectorSecret, vectorBody, vectorTime, 0, ErrMalformedSignature},
		{"largest t", "t=9223372036854775807,v1=" + vectorV1, vectorSecret, vectorBody, vectorTime, 0, ErrSignatureExpired},
		{"scheme prefix", "sha256=" + vectorV1, vectorSecret, vectorBody, vectorTime, 0, ErrMalformedSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify(tt.header, tt.secret, tt.body, tt.now, tt.tolerance)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Verify = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("Verify = %v, want an error wrapping %v", err, tt.want)
			}
			if code := care.ErrorCode(err); code != care.EUNAUTHORIZED {
				t.Errorf("ErrorCode(Verify) = %q, want %q", code, care.EUNAUTHORIZED)
			}
		})
	}
}

func TestSignVerifyRoundTrip(t *testing.T) {
	secret := []byte("s3cret")
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, body := range [][]byte{nil, {}, []byte("x"), bytes.Repeat([]byte{0, 0xff}, 5000)} {
		if err := Verify(Sign(secret, now, body), secret, body, now, 0); err != nil {
			t.Errorf("Verify(Sign(%d-byte body)) = %v, want nil", len(body), err)
		}
	}
}

func TestParseSignatureHeader(t *testing.T) {
	sig := strings.Repeat("0f", 32)
	many := "t=1"
	for range maxSignatures {
		many += ",v1=" + sig
	}
	tests := []struct {
		name     string
		header   string
		wantTS   int64
		wantSigs int
		wantErr  bool
	}{
		{"one signature", "t=1700000000,v1=" + sig, 1700000000, 1, false},
		{"order does not matter", "v1=" + sig + ",t=5", 5, 1, false},
		{"the most signatures", many, 1, maxSignatures, false},
		{"too many signatures", many + ",v1=" + sig, 0, 0, true},
		{"too long", "t=1,v1=" + sig + ",x=" + strings.Repeat("a", maxHeaderBytes), 0, 0, true},
		{"two timestamps", "t=1,t=2,v1=" + sig, 0, 0, true},
		{"empty", "", 0, 0, true},
		{"empty element", "t=1,,v1=" + sig, 0, 0, true},
		{"trailing comma", "t=1,v1=" + sig + ",", 0, 0, true},
		{"zero t", "t=0,v1=" + sig, 0, 0, true},
		{"empty t", "t=,v1=" + sig, 0, 0, true},
		{"t with plus", "t=+1,v1=" + sig, 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, sigs, err := ParseSignatureHeader(tt.header)
			if tt.wantErr {
				if !errors.Is(err, ErrMalformedSignature) {
					t.Errorf("ParseSignatureHeader = %v, want an error wrapping ErrMalformedSignature", err)
				}
				return
			}
			if err != nil || ts != tt.wantTS || len(sigs) != tt.wantSigs {
				t.Errorf("ParseSignatureHeader = %d, %d signatures, %v, want %d, %d, nil", ts, len(sigs), err, tt.wantTS, tt.wantSigs)
			}
		})
	}
}

// FuzzParseSignatureHeader feeds the parser arbitrary headers, as any sender
// on the network can. It must never panic, and whatever it accepts must be
// within its documented bounds.
func FuzzParseSignatureHeader(f *testing.F) {
	for _, s := range []string{
		"", "t=1700000000,v1=" + vectorV1, "t=1,v1=" + vectorV1 + ",v1=" + vectorV1,
		"t=1,v0=x,v2=y,v1=" + vectorV1, "t=,v1=", "=,=", "t=9223372036854775808,v1=" + vectorV1,
		strings.Repeat("v1="+vectorV1+",", 9) + "t=1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		ts, sigs, err := ParseSignatureHeader(h)
		if err != nil {
			if !errors.Is(err, ErrMalformedSignature) {
				t.Fatalf("ParseSignatureHeader(%q) = %v, want ErrMalformedSignature", h, err)
			}
			return
		}
		if len(h) > maxHeaderBytes || ts <= 0 || len(sigs) == 0 || len(sigs) > maxSignatures {
			t.Fatalf("ParseSignatureHeader(%q) accepted ts=%d with %d signatures", h, ts, len(sigs))
		}
		for _, s := range sigs {
			if len(s) != sha256.Size {
				t.Fatalf("ParseSignatureHeader(%q) returned a %d-byte signature", h, len(s))
			}
		}
		// Anything that parses must also go through Verify without panicking.
		_ = Verify(h, vectorSecret, vectorBody, time.Unix(ts, 0), time.Second)
	})
}
