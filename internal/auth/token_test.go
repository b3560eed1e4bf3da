package auth

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
)

func TestNewToken(t *testing.T) {
	for _, prefix := range []string{TokenPrefix, "", "whk_"} {
		t.Run("prefix "+prefix, func(t *testing.T) {
			secret, hash, err := NewToken(prefix)
			if err != nil {
				t.Fatalf("NewToken(%q): %v", prefix, err)
			}
			body, ok := strings.CutPrefix(secret, prefix)
			if !ok {
				t.Fatalf("NewToken(%q) = %q, want the prefix", prefix, secret)
			}
			if len(body) != 43 {
				t.Errorf("NewToken(%q) body %q has %d characters, want 43", prefix, body, len(body))
			}
			if raw, err := base64.RawURLEncoding.DecodeString(body); err != nil || len(raw) != 32 {
				t.Errorf("NewToken(%q) body %q decodes to %d bytes, %v; want 32 bytes of unpadded base64url", prefix, body, len(raw), err)
			}
			if !bytes.Equal(hash, HashToken(secret)) {
				t.Errorf("NewToken(%q) hash = %x, want HashToken(secret) = %x", prefix, hash, HashToken(secret))
			}
		})
	}

	seen := make(map[string]bool)
	for range 1000 {
		secret, _, _ := NewToken(TokenPrefix)
		if seen[secret] {
			t.Fatalf("NewToken repeated %q", secret)
		}
		seen[secret] = true
	}
}

func TestHashToken(t *testing.T) {
	for _, tt := range []struct {
		secret, want string
	}{
		// Known SHA-256 digests.
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	} {
		if got := hex.EncodeToString(HashToken(tt.secret)); got != tt.want {
			t.Errorf("HashToken(%q) = %s, want %s", tt.secret, got, tt.want)
		}
	}
	const secret = "prl_dGVzdA"
	if want := sha256.Sum256([]byte(secret)); !bytes.Equal(HashToken(secret), want[:]) {
		t.Errorf("HashToken(%q) does not hash the whole secret, prefix included", secret)
	}
	if bytes.Equal(HashToken("prl_a"), HashToken("prl_b")) {
		t.Errorf("HashToken gave equal hashes for different secrets")
	}
}

func TestNewSessionID(t *testing.T) {
	id, hash, err := NewSessionID()
	if err != nil {
		t.Fatalf("NewSessionID: %v", err)
	}
	if raw, err := base64.RawURLEncoding.DecodeString(id); err != nil || len(raw) != 32 {
		t.Errorf("NewSessionID() = %q, want 32 bytes of unpadded base64url", id)
	}
	if !bytes.Equal(hash, HashToken(id)) {
		t.Errorf("NewSessionID() hash = %x, want HashToken(id)", hash)
	}
	if other, _, _ := NewSessionID(); other == id {
		t.Errorf("NewSessionID repeated %q", id)
	}
}

func TestNewCSRFToken(t *testing.T) {
	a, b := NewCSRFToken(), NewCSRFToken()
	if len(a) < 22 { // 128 bits in base32
		t.Errorf("NewCSRFToken() = %q, too short to carry 128 bits", a)
	}
	if a == b {
		t.Errorf("NewCSRFToken repeated %q", a)
	}
	if !EqualToken(a, a) || EqualToken(a, b) {
		t.Errorf("EqualToken does not tell CSRF tokens apart")
	}
}

func TestEqualToken(t *testing.T) {
	for _, tt := range []struct {
		name string
		a, b string
		want bool
	}{
		{"same", "prl_abc", "prl_abc", true},
		{"different", "prl_abc", "prl_abd", false},
		{"prefix of the other", "prl_ab", "prl_abc", false},
		{"case differs", "prl_abc", "prl_ABC", false},
		{"both empty", "", "", false},
		{"first empty", "", "prl_abc", false},
		{"second empty", "prl_abc", "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := EqualToken(tt.a, tt.b); got != tt.want {
				t.Errorf("EqualToken(%q, %q) = %t, want %t", tt.a, tt.b, got, tt.want)
			}
		})
	}
}
