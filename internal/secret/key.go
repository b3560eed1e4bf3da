package secret

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

var errKeyFormat = errors.New("must be 32 bytes, hex or base64")

// ParseKey decodes a key given as 64 hex characters or as standard or URL
// base64 (padded or not) of 32 bytes. Surrounding whitespace is ignored.
// The error never repeats the input, which may be a real key with a typo.
func ParseKey(s string) ([]byte, error) {
	key, err := decodeKey(s)
	if err != nil {
		return nil, fmt.Errorf("secret: PARLEY_SECRET_KEY %w (got %d characters); generate one with: openssl rand -hex 32",
			err, len(strings.TrimSpace(s)))
	}
	return key, nil
}

func decodeKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if len(s) == 2*KeySize {
		if key, err := hex.DecodeString(s); err == nil {
			return key, nil
		}
	}
	for _, enc := range []*base64.Encoding{
		base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding,
	} {
		if key, err := enc.DecodeString(s); err == nil && len(key) == KeySize {
			return key, nil
		}
	}
	return nil, errKeyFormat
}

// LoadOrCreateKeyFile returns the key stored in the file at path, as hex text.
// If there is no such file it creates one, and any missing parent directories,
// holding a fresh random key readable only by its owner.
//
// The file appears whole or not at all, and an existing file is never
// replaced: when two processes start at once, both end up with the key of
// whichever wrote first. Losing a key would lose every credential sealed with
// it, so a file that cannot be parsed is an error, not something to overwrite.
func LoadOrCreateKeyFile(path string) ([]byte, error) {
	if path == "" {
		return nil, errors.New("secret: key file path is empty")
	}
	key, err := readKeyFile(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}

	key = make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("secret: generate key: %w", err)
	}
	if err := writeKeyFile(path, key); errors.Is(err, fs.ErrExist) {
		return readKeyFile(path)
	} else if err != nil {
		return nil, err
	}
	return key, nil
}

func readKeyFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("secret: read key file: %w", err)
	}
	key, err := decodeKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("secret: key file %s %w", path, err)
	}
	return key, nil
}

// writeKeyFile publishes key at path through a synced temporary file in the
// same directory, so a crash never leaves a partial key behind. It returns an
// error wrapping fs.ErrExist if path already exists.
func writeKeyFile(path string, key []byte) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("secret: create key directory: %w", err)
	}
	f, err := os.CreateTemp(dir, ".parley-key-*")
	if err != nil {
		return fmt.Errorf("secret: create key file: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a link, removes the spare name only

	// CreateTemp already uses 0600; saying so again guards against a change
	// there, since this file must stay private.
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return fmt.Errorf("secret: create key file: %w", err)
	}
	if _, err := f.WriteString(hex.EncodeToString(key) + "\n"); err != nil {
		f.Close()
		return fmt.Errorf("secret: write key file: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("secret: sync key file: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("secret: write key file: %w", err)
	}

	// A hard link publishes the file atomically and, unlike rename, fails
	// rather than replace a key another process has just written. Some
	// filesystems have no hard links; there rename is the best available.
	if err := os.Link(tmp, path); errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("secret: create key file: %w", err)
	} else if err != nil {
		if err := os.Rename(tmp, path); err != nil {
			return fmt.Errorf("secret: create key file: %w", err)
		}
	}
	syncDir(dir)
	return nil
}

// syncDir makes a new directory entry durable. Failure is ignored: the file
// is already complete, and some platforms cannot sync a directory at all.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
