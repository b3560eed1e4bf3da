package webchat

import (
	"strings"
	"testing"
)

var (
	testSecret  = []byte("0123456789abcdef0123456789abcdef")
	testVisitor = "00112233445566778899aabbccddeeff"
)

// The vector was computed independently:
// base64url(HMAC-SHA256(secret, "parley-webchat-visitor\n7\n" + visitor)).
const testToken = "v1.00112233445566778899aabbccddeeff.YSeM65gRftEIA-0op1M7WSGyj3z2lLRpYF2IX2tj0kc"

func TestSignVisitorVector(t *testing.T) {
	if got := SignVisitor(testSecret, 7, testVisitor); got != testToken {
		t.Errorf("SignVisitor = %q, want %q", got, testToken)
	}
}

func TestVerifyVisitor(t *testing.T) {
	sig := testToken[strings.LastIndexByte(testToken, '.')+1:]
	tests := []struct {
		name   string
		secret []byte
		inbox  int64
		token  string
		ok     bool
	}{
		{"valid", testSecret, 7, testToken, true},
		{"another inbox", testSecret, 8, testToken, false},
		{"another secret", []byte("fedcba9876543210fedcba9876543210"), 7, testToken, false},
		{"no secret", nil, 7, testToken, false},
		{"empty", testSecret, 7, "", false},
		{"another visitor, same signature", testSecret, 7, "v1.00112233445566778899aabbccddeefe." + sig, false},
		{"signature changed", testSecret, 7, testToken[:len(testToken)-1] + "A", false},
		{"signature cut", testSecret, 7, testToken[:len(testToken)-2], false},
		{"signature padded", testSecret, 7, testToken + "=", false},
		{"unknown version", testSecret, 7, "v2" + testToken[2:], false},
		{"upper-case visitor id", testSecret, 7, "v1." + strings.ToUpper(testVisitor) + "." + sig, false},
		{"short visitor id", testSecret, 7, "v1.0011." + sig, false},
		{"extra part", testSecret, 7, testToken + ".x", false},
		{"too long", testSecret, 7, testToken + strings.Repeat("A", MaxTokenBytes), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, ok := VerifyVisitor(tt.secret, tt.inbox, tt.token)
			if ok != tt.ok || (ok && id != testVisitor) || (!ok && id != "") {
				t.Errorf("VerifyVisitor = %q, %v, want ok %v", id, ok, tt.ok)
			}
		})
	}
}

func TestNewVisitorID(t *testing.T) {
	a, b := NewVisitorID(), NewVisitorID()
	if !validVisitorID(a) || !validVisitorID(b) || a == b {
		t.Errorf("NewVisitorID = %q, %q: want two different 32-digit hex ids", a, b)
	}
	if id, ok := VerifyVisitor(testSecret, 1, SignVisitor(testSecret, 1, a)); !ok || id != a {
		t.Errorf("round trip of %q = %q, %v", a, id, ok)
	}
}

func TestVisitorOf(t *testing.T) {
	tests := []struct {
		platformID      string
		visitor, client string
		ok              bool
	}{
		{testVisitor + ":m1", testVisitor, "m1", true},
		{testVisitor + ":" + strings.Repeat("a", MaxClientIDBytes), testVisitor, strings.Repeat("a", MaxClientIDBytes), true},
		{"out:12", "", "", false},
		{testVisitor, "", "", false},
		{testVisitor + ":", "", "", false},
		{testVisitor + ":a:b", "", "", false},
		{testVisitor + ":" + strings.Repeat("a", MaxClientIDBytes+1), "", "", false},
		{"0011:m1", "", "", false},
	}
	for _, tt := range tests {
		v, c, ok := VisitorOf(tt.platformID)
		if v != tt.visitor || c != tt.client || ok != tt.ok {
			t.Errorf("VisitorOf(%q) = %q, %q, %v, want %q, %q, %v", tt.platformID, v, c, ok, tt.visitor, tt.client, tt.ok)
		}
	}
}
