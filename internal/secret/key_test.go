package secret

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func TestParseKey(t *testing.T) {
	key := make([]byte, KeySize)
	for i := range key {
		key[i] = byte(i*7 + 0xf0) // covers bytes that differ between std and URL base64
	}
	for _, tt := range []struct {
		name string
		in   string
		want []byte // nil means an error is expected
	}{
		{"hex", hex.EncodeToString(key), key},
		{"upper-case hex", strings.ToUpper(hex.EncodeToString(key)), key},
		{"hex with newline", hex.EncodeToString(key) + "\n", key},
		{"hex with spaces", "  " + hex.EncodeToString(key) + "\t", key},
		{"std base64", base64.StdEncoding.EncodeToString(key), key},
		{"raw std base64", base64.RawStdEncoding.EncodeToString(key), key},
		{"url base64", base64.URLEncoding.EncodeToString(key), key},
		{"raw url base64", base64.RawURLEncoding.EncodeToString(key), key},
		{"empty", "", nil},
		{"blank", "   ", nil},
		{"short hex", hex.EncodeToString(key[:31]), nil},
		{"long hex", hex.EncodeToString(append(bytes.Clone(key), 0)), nil},
		{"64 non-hex characters", strings.Repeat("zz", KeySize), nil},
		{"odd hex", hex.EncodeToString(key)[:63], nil},
		{"base64 of 16 bytes", base64.StdEncoding.EncodeToString(key[:16]), nil},
		{"base64 of 33 bytes", base64.StdEncoding.EncodeToString(append(bytes.Clone(key), 1)), nil},
		{"passphrase", "correct horse battery staple", nil},
		{"bad base64", strings.Repeat("!", 44), nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseKey(tt.in)
			if tt.want == nil {
				if err == nil {
					t.Fatalf("ParseKey(%q) = %x, want error", tt.in, got)
				}
				msg := err.Error()
				if !strings.Contains(msg, "PARLEY_SECRET_KEY must be 32 bytes, hex or base64") {
					t.Errorf("ParseKey(%q) error = %q, want it to say what a key looks like", tt.in, msg)
				}
				if trimmed := strings.TrimSpace(tt.in); len(trimmed) >= 8 && strings.Contains(msg, trimmed) {
					t.Errorf("ParseKey(%q) error = %q repeats the input", tt.in, msg)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseKey(%q) error = %v", tt.in, err)
			}
			if !bytes.Equal(got, tt.want) {
				t.Errorf("ParseKey(%q) = %x, want %x", tt.in, got, tt.want)
			}
		})
	}
}

func TestLoadOrCreateKeyFileCreates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "secret.key")
	key, err := LoadOrCreateKeyFile(path)
	if err != nil {
		t.Fatalf("LoadOrCreateKeyFile: %v", err)
	}
	if len(key) != KeySize {
		t.Fatalf("LoadOrCreateKeyFile returned %d bytes, want %d", len(key), KeySize)
	}
	if bytes.Equal(key, make([]byte, KeySize)) {
		t.Errorf("LoadOrCreateKeyFile returned an all-zero key")
	}

	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), hex.EncodeToString(key)+"\n"; got != want {
		t.Errorf("key file holds %q, want %q", got, want)
	}
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != 0o600 {
			t.Errorf("key file mode = %v, want 0600", got)
		}
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("key directory holds %d entries, want only the key file (temporary file left behind?)", len(entries))
	}

	again, err := LoadOrCreateKeyFile(path)
	if err != nil {
		t.Fatalf("LoadOrCreateKeyFile again: %v", err)
	}
	if !bytes.Equal(again, key) {
		t.Errorf("LoadOrCreateKeyFile again = %x, want the stored key %x", again, key)
	}
}

func TestLoadOrCreateKeyFileReads(t *testing.T) {
	dir := t.TempDir()
	key := testKey(0xab)
	for _, tt := range []struct {
		name    string
		content string
		want    []byte // nil means an error is expected
	}{
		{"hex", hex.EncodeToString(key) + "\n", key},
		{"base64", base64.StdEncoding.EncodeToString(key), key},
		{"empty", "", nil},
		{"garbage", "not a key\n", nil},
		{"short", hex.EncodeToString(key[:16]), nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name+".key")
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := LoadOrCreateKeyFile(path)
			if tt.want == nil {
				if err == nil {
					t.Fatalf("LoadOrCreateKeyFile(%s) = %x, want error", tt.name, got)
				}
				if !strings.Contains(err.Error(), path) {
					t.Errorf("LoadOrCreateKeyFile error = %q, want it to name the file", err)
				}
				// A file that does not parse must be left for a person to
				// inspect, never replaced by a new key.
				b, _ := os.ReadFile(path)
				if string(b) != tt.content {
					t.Errorf("key file changed to %q after a failed load", b)
				}
				return
			}
			if err != nil {
				t.Fatalf("LoadOrCreateKeyFile: %v", err)
			}
			if !bytes.Equal(got, tt.want) {
				t.Errorf("LoadOrCreateKeyFile = %x, want %x", got, tt.want)
			}
		})
	}
}

func TestLoadOrCreateKeyFileErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadOrCreateKeyFile(""); err == nil {
		t.Errorf("LoadOrCreateKeyFile(\"\") succeeded, want error")
	}
	if _, err := LoadOrCreateKeyFile(dir); err == nil {
		t.Errorf("LoadOrCreateKeyFile(directory) succeeded, want error")
	}
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateKeyFile(filepath.Join(file, "secret.key")); err == nil {
		t.Errorf("LoadOrCreateKeyFile under a regular file succeeded, want error")
	}
}

func TestWriteKeyFileNeverReplaces(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secret.key")
	if err := writeKeyFile(path, testKey(1)); err != nil {
		t.Fatalf("writeKeyFile: %v", err)
	}
	if err := writeKeyFile(path, testKey(2)); !errors.Is(err, fs.ErrExist) {
		t.Errorf("second writeKeyFile error = %v, want fs.ErrExist", err)
	}
	got, err := LoadOrCreateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, testKey(1)) {
		t.Errorf("key after second write = %x, want the first key", got)
	}
}

// Processes starting together must agree on one key, or values sealed by
// one could never be opened by the other.
func TestLoadOrCreateKeyFileConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secret.key")
	const n = 16
	keys := make([][]byte, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			key, err := LoadOrCreateKeyFile(path)
			if err != nil {
				t.Errorf("LoadOrCreateKeyFile: %v", err)
			}
			keys[i] = key
		})
	}
	wg.Wait()
	for i, k := range keys {
		if !bytes.Equal(k, keys[0]) {
			t.Errorf("caller %d got key %x, caller 0 got %x", i, k, keys[0])
		}
	}
}
