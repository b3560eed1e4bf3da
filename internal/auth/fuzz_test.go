package auth

import (
	"errors"
	"testing"
)

// fuzzCeiling lets the fuzzer reach argon2 itself without spending seconds
// and gigabytes per input; ceiling is checked separately below.
var fuzzCeiling = Params{Memory: 256, Time: 2, Threads: 4, SaltLen: 128, KeyLen: 128}

// FuzzVerifyPassword feeds arbitrary stored hashes to the verifier. It must
// never panic, never run argon2 with parameters outside its bounds, and
// accept only canonical strings.
func FuzzVerifyPassword(f *testing.F) {
	for _, v := range referenceVectors {
		f.Add(v.encoded, "password")
	}
	valid, err := HashPasswordWith("correct horse battery staple", cheap)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid, "correct horse battery staple")
	for _, s := range []string{
		"",
		"$argon2id$v=19$m=4194304,t=1,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
		"$argon2id$v=19$m=256,t=0,p=0$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
		"$argon2id$v=19$m=256,t=2,p=257$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
		"$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
		"$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
	} {
		f.Add(s, "password")
	}

	f.Fuzz(func(t *testing.T, encoded, pw string) {
		p, salt, key, err := decodeHash(encoded, ceiling)
		if err != nil {
			if !errors.Is(err, ErrMalformedHash) {
				t.Errorf("decodeHash(%q) error = %v, want ErrMalformedHash", encoded, err)
			}
			return
		}
		if err := p.check(ceiling); err != nil {
			t.Fatalf("decodeHash(%q) accepted %+v: %v", encoded, p, err)
		}
		if got := encodeHash(p, salt, key); got != encoded {
			t.Errorf("decodeHash(%q) accepted a non-canonical string; it re-encodes as %q", encoded, got)
		}
		if p.check(fuzzCeiling) != nil {
			return // legitimate but too costly to hash on every fuzz input
		}
		ok, err := verifyWithin(encoded, pw, fuzzCeiling)
		if err != nil {
			t.Errorf("verifyWithin(%q) error = %v after decodeHash accepted it", encoded, err)
		}
		if ok && hashWithSalt(pw, salt, p) != encoded {
			t.Errorf("VerifyPassword(%q, %q) = true for a password that hashes differently", encoded, pw)
		}
	})
}
