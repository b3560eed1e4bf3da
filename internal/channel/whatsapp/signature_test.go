package whatsapp

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/meta"
)

// The vector of shared/CHANNELS.md §2.2: Meta signs the body with non-ASCII
// escaped as \uXXXX; the same JSON re-encoded as UTF-8 has another
// signature, which must be refused.
const (
	vectorSecret    = "test_app_secret"
	vectorSignature = "sha256=8a836a0ff3810f4c5b8bf87e0e788aa20b9705214bb7da9d95e28bbf8050e1de"
)

func TestVerifySignatureVector(t *testing.T) {
	body, err := os.ReadFile("testdata/webhooks/unicode_escaped_COMPOSITE.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := verifySignature(vectorSecret, vectorSignature, body); err != nil {
		t.Errorf("verifySignature(known vector) = %v, want nil", err)
	}

	// Decoding and re-encoding turns "d\u00edas" into UTF-8 "días".
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	var reencoded bytes.Buffer
	enc := json.NewEncoder(&reencoded)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(reencoded.Bytes(), []byte("días")) {
		t.Fatalf("re-encoding kept the escapes: %s", reencoded.Bytes())
	}
	wrong := meta.Sign(vectorSecret, bytes.TrimSpace(reencoded.Bytes()))
	if wrong == vectorSignature {
		t.Fatal("re-encoded body has the same signature")
	}
	if err := verifySignature(vectorSecret, vectorSignature, bytes.TrimSpace(reencoded.Bytes())); care.ErrorCode(err) != care.EUNAUTHORIZED {
		t.Errorf("verifySignature(re-encoded body) = %v, want EUNAUTHORIZED", err)
	}
}

func TestVerifySignatureRejects(t *testing.T) {
	body := []byte(`{"object":"whatsapp_business_account","entry":[]}`)
	good := meta.Sign("s3cret", body)
	for _, tt := range []struct {
		name, secret, header string
	}{
		{"no secret configured", "", good},
		{"no header", "s3cret", ""},
		{"no prefix", "s3cret", good[len("sha256="):]},
		{"sha1 prefix", "s3cret", "sha1=" + good[len("sha256="):]},
		{"upper-case prefix", "s3cret", "SHA256=" + good[len("sha256="):]},
		{"not hex", "s3cret", "sha256=zz"},
		{"truncated", "s3cret", good[:len(good)-2]},
		{"wrong secret", "other", good},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := verifySignature(tt.secret, tt.header, body); care.ErrorCode(err) != care.EUNAUTHORIZED {
				t.Errorf("verifySignature = %v, want EUNAUTHORIZED", err)
			}
		})
	}
	if err := verifySignature("s3cret", good, body); err != nil {
		t.Errorf("verifySignature(good) = %v", err)
	}
	// Meta's hex is lower-case; the comparison is of bytes, so upper-case
	// hex digits are the same signature.
	upper := "sha256=" + strings.ToUpper(strings.TrimPrefix(meta.Sign("s3cret", body), "sha256="))
	if err := verifySignature("s3cret", upper, body); err != nil {
		t.Errorf("verifySignature(upper-case hex) = %v", err)
	}
}
