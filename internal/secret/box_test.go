package secret

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"testing"
)

func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, KeySize) }

func newTestBox(t testing.TB, b byte) *Box {
	t.Helper()
	box, err := NewBox(testKey(b))
	if err != nil {
		t.Fatalf("NewBox: %v", err)
	}
	return box
}

func TestNewBox(t *testing.T) {
	for _, tt := range []struct {
		name    string
		key     []byte
		wantErr bool
	}{
		{"32 bytes", testKey(1), false},
		{"nil", nil, true},
		{"16 bytes", make([]byte, 16), true},
		{"31 bytes", make([]byte, 31), true},
		{"33 bytes", make([]byte, 33), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewBox(tt.key)
			if (err != nil) != tt.wantErr {
				t.Errorf("NewBox(%d bytes) error = %v, want error %t", len(tt.key), err, tt.wantErr)
			}
		})
	}
}

func TestSealOpen(t *testing.T) {
	box := newTestBox(t, 1)
	for _, tt := range []struct {
		name      string
		plaintext []byte
	}{
		{"empty", nil},
		{"token", []byte("EAAG-page-access-token")},
		{"binary", []byte{0, 1, 2, 0xff, 0xfe}},
		{"large", bytes.Repeat([]byte("x"), 64<<10)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sealed, err := box.Seal(tt.plaintext)
			if err != nil {
				t.Fatalf("Seal: %v", err)
			}
			if got, want := len(sealed), len(tt.plaintext)+overhead; got != want {
				t.Errorf("len(Seal(%d bytes)) = %d, want %d", len(tt.plaintext), got, want)
			}
			if sealed[0] != version1 {
				t.Errorf("Seal version byte = %#02x, want %#02x", sealed[0], version1)
			}
			if len(tt.plaintext) >= 8 && bytes.Contains(sealed, tt.plaintext[:8]) {
				t.Errorf("Seal output contains the plaintext")
			}
			got, err := box.Open(sealed)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if !bytes.Equal(got, tt.plaintext) {
				t.Errorf("Open(Seal(%q)) = %q", tt.plaintext, got)
			}
		})
	}
}

func TestSealIsRandomised(t *testing.T) {
	box := newTestBox(t, 1)
	a, _ := box.Seal([]byte("same"))
	b, _ := box.Seal([]byte("same"))
	if bytes.Equal(a, b) {
		t.Errorf("Seal gave identical output twice for the same plaintext")
	}
	if bytes.Equal(a[1:1+nonceSize], b[1:1+nonceSize]) {
		t.Errorf("Seal reused a nonce")
	}
}

func TestOpenErrors(t *testing.T) {
	box := newTestBox(t, 1)
	sealed, err := box.Seal([]byte("EAAG-page-access-token"))
	if err != nil {
		t.Fatalf("Seal: %v", err)
	}
	modify := func(f func(b []byte) []byte) []byte {
		return f(bytes.Clone(sealed))
	}
	for _, tt := range []struct {
		name   string
		box    *Box
		sealed []byte
		want   error
	}{
		{"nil", box, nil, ErrTruncated},
		{"version only", box, []byte{version1}, ErrTruncated},
		{"one byte short of empty plaintext", box, sealed[:overhead-1], ErrTruncated},
		{"truncated ciphertext", box, sealed[:len(sealed)-1], ErrAuthentication},
		{"cut to empty plaintext", box, sealed[:overhead], ErrAuthentication},
		{"unknown version", box, modify(func(b []byte) []byte { b[0] = 0x02; return b }), ErrUnknownVersion},
		{"version zero", box, modify(func(b []byte) []byte { b[0] = 0; return b }), ErrUnknownVersion},
		{"flipped nonce bit", box, modify(func(b []byte) []byte { b[1] ^= 1; return b }), ErrAuthentication},
		{"flipped ciphertext bit", box, modify(func(b []byte) []byte { b[1+nonceSize] ^= 0x80; return b }), ErrAuthentication},
		{"flipped tag bit", box, modify(func(b []byte) []byte { b[len(b)-1] ^= 1; return b }), ErrAuthentication},
		{"appended byte", box, modify(func(b []byte) []byte { return append(b, 0) }), ErrAuthentication},
		{"wrong key", newTestBox(t, 2), sealed, ErrAuthentication},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.box.Open(tt.sealed)
			if !errors.Is(err, tt.want) {
				t.Errorf("Open() error = %v, want %v", err, tt.want)
			}
			if got != nil {
				t.Errorf("Open() = %q, want nil on error", got)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "secret: ") {
				t.Errorf("Open() error %q lacks the package prefix", err)
			}
		})
	}
}

func TestBoxConcurrentUse(t *testing.T) {
	box := newTestBox(t, 1)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			want := []byte(strings.Repeat("k", i+1))
			for range 100 {
				sealed, err := box.Seal(want)
				if err != nil {
					t.Errorf("Seal: %v", err)
					return
				}
				got, err := box.Open(sealed)
				if err != nil || !bytes.Equal(got, want) {
					t.Errorf("Open(Seal(%q)) = %q, %v", want, got, err)
					return
				}
			}
		})
	}
	wg.Wait()
}
