package bluesky

import (
	"testing"
	"time"
)

func TestRecordKey(t *testing.T) {
	t.Parallel()
	created := time.Date(2026, 11, 24, 10, 0, 0, 123456789, time.UTC)
	k := recordKey("parley-message-42", created)
	if !validTID(k) {
		t.Fatalf("recordKey = %q, not a TID", k)
	}
	if again := recordKey("parley-message-42", created); again != k {
		t.Errorf("recordKey is not stable: %q then %q", k, again)
	}
	if other := recordKey("parley-message-43", created); other == k {
		t.Errorf("two replies created at once share the key %q", k)
	}
	// The key's timestamp is the reply's creation, to the millisecond.
	v := decodeTID(t, k)
	if ms := int64(v>>10) / 1000; ms != created.UnixMilli() {
		t.Errorf("key's time = %d ms, want %d", ms, created.UnixMilli())
	}
	if later := recordKey("parley-message-44", created.Add(time.Second)); later <= k {
		t.Errorf("a later reply's key %q does not sort after %q", later, k)
	}
	for _, zero := range []time.Time{{}, time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)} {
		if k := recordKey("parley-message-42", zero); !validTID(k) || k != recordKey("parley-message-42", zero) {
			t.Errorf("recordKey(%v) = %q, want a stable TID", zero, k)
		}
	}
}

func TestEncodeTID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		v    uint64
		want string
	}{
		{0, "2222222222222"},
		{1, "2222222222223"},
		{1<<63 - 1, "bzzzzzzzzzzzz"}, // the top bit is zero
	}
	for _, tt := range tests {
		if got := encodeTID(tt.v); got != tt.want {
			t.Errorf("encodeTID(%d) = %q, want %q", tt.v, got, tt.want)
		}
	}
	for _, s := range []string{"", "3k43tv4rft22", "3k43tv4rft22gg", "kzzzzzzzzzzzz", "3K43TV4RFT22G", "3k43tv4rft22!"} {
		if validTID(s) {
			t.Errorf("validTID(%q) = true", s)
		}
	}
	if !validTID("3k43tv4rft22g") {
		t.Error("validTID of the docs' record key = false")
	}
}

func decodeTID(t *testing.T, s string) uint64 {
	t.Helper()
	var v uint64
	for i := 0; i < len(s); i++ {
		j := 0
		for j < len(tidAlphabet) && tidAlphabet[j] != s[i] {
			j++
		}
		if j == len(tidAlphabet) {
			t.Fatalf("%q is not base32-sortable", s)
		}
		v = v<<5 | uint64(j)
	}
	return v
}
