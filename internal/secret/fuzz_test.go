package secret

import (
	"bytes"
	"testing"
)

// FuzzOpen feeds Open arbitrary bytes. It must never panic, and must never
// accept anything but a value sealed under its own key.
func FuzzOpen(f *testing.F) {
	box := newTestBox(f, 1)
	for _, p := range [][]byte{nil, []byte("token"), bytes.Repeat([]byte{0xff}, 100)} {
		sealed, err := box.Seal(p)
		if err != nil {
			f.Fatalf("Seal: %v", err)
		}
		f.Add(sealed)
		f.Add(sealed[:len(sealed)/2])
	}
	f.Add([]byte{})
	f.Add([]byte{version1})
	f.Add([]byte{0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})

	f.Fuzz(func(t *testing.T, sealed []byte) {
		plaintext, err := box.Open(sealed)
		if err != nil {
			if plaintext != nil {
				t.Errorf("Open returned plaintext with error %v", err)
			}
			return
		}
		// Forging a GCM tag is out of reach of a fuzzer, so anything that
		// opens must be one of the seeds; check it is at least well formed.
		if len(sealed) != len(plaintext)+overhead || sealed[0] != version1 {
			t.Errorf("Open accepted a malformed value of %d bytes", len(sealed))
		}
	})
}
