package auth

import (
	"errors"
	"runtime"
	"strings"
	"testing"
)

// cheap keeps tests fast; the bounds checks treat it like any other hash.
var cheap = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// Vectors from the argon2 reference implementation's test suite
// (phc-winner-argon2, src/test.c): password "password", salt "somesalt".
var referenceVectors = []struct {
	name    string
	p       Params
	encoded string
	costly  bool
}{
	{"m=256,t=2,p=1", Params{Memory: 256, Time: 2, Threads: 1, SaltLen: 8, KeyLen: 32},
		"$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4", false},
	{"m=256,t=2,p=2", Params{Memory: 256, Time: 2, Threads: 2, SaltLen: 8, KeyLen: 32},
		"$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc", false},
	{"m=65536,t=2,p=1", Params{Memory: 65536, Time: 2, Threads: 1, SaltLen: 8, KeyLen: 32},
		"$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", true},
}

func TestReferenceVectors(t *testing.T) {
	for _, tt := range referenceVectors {
		t.Run(tt.name, func(t *testing.T) {
			if tt.costly && testing.Short() {
				t.Skip("64 MiB hash skipped in short mode")
			}
			if got := hashWithSalt("password", []byte("somesalt"), tt.p); got != tt.encoded {
				t.Errorf("hashWithSalt(%q, %q, %+v) = %q, want %q", "password", "somesalt", tt.p, got, tt.encoded)
			}

			p, salt, key, err := decodeHash(tt.encoded, ceiling)
			if err != nil {
				t.Fatalf("decodeHash(%q) error = %v", tt.encoded, err)
			}
			if p != tt.p {
				t.Errorf("decodeHash(%q) params = %+v, want %+v", tt.encoded, p, tt.p)
			}
			if got := encodeHash(p, salt, key); got != tt.encoded {
				t.Errorf("encodeHash(decodeHash(%q)) = %q", tt.encoded, got)
			}

			for _, c := range []struct {
				pw   string
				want bool
			}{
				{"password", true},
				{"passwore", false},
				{"Password", false},
				{"password ", false},
				{"", false},
			} {
				ok, err := VerifyPassword(tt.encoded, c.pw)
				if err != nil || ok != c.want {
					t.Errorf("VerifyPassword(%q, %q) = %t, %v, want %t, nil", tt.encoded, c.pw, ok, err, c.want)
				}
			}
		})
	}
}

func TestHashPasswordDefault(t *testing.T) {
	if testing.Short() {
		t.Skip("64 MiB hash skipped in short mode")
	}
	encoded, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatalf("HashPassword: %v", err)
	}
	if want := "$argon2id$v=19$m=65536,t=1,p=2$"; !strings.HasPrefix(encoded, want) {
		t.Errorf("HashPassword() = %q, want prefix %q", encoded, want)
	}
	p, _, _, err := decodeHash(encoded, ceiling)
	if err != nil || p != DefaultParams {
		t.Errorf("decodeHash(HashPassword()) = %+v, %v, want %+v", p, err, DefaultParams)
	}
	if ok, err := VerifyPassword(encoded, "correct horse battery staple"); !ok || err != nil {
		t.Errorf("VerifyPassword(right password) = %t, %v, want true, nil", ok, err)
	}
}

func TestHashPasswordWith(t *testing.T) {
	for _, pw := range []string{"", "correct horse battery staple", "pässwörd ☃ 密码", strings.Repeat("x", 1000)} {
		encoded, err := HashPasswordWith(pw, cheap)
		if err != nil {
			t.Fatalf("HashPasswordWith(%q): %v", pw, err)
		}
		if ok, err := VerifyPassword(encoded, pw); !ok || err != nil {
			t.Errorf("VerifyPassword(HashPasswordWith(%q), same) = %t, %v, want true, nil", pw, ok, err)
		}
		if ok, err := VerifyPassword(encoded, pw+"x"); ok || err != nil {
			t.Errorf("VerifyPassword(HashPasswordWith(%q), other) = %t, %v, want false, nil", pw, ok, err)
		}
	}

	a, _ := HashPasswordWith("same password", cheap)
	b, _ := HashPasswordWith("same password", cheap)
	if a == b {
		t.Errorf("HashPasswordWith gave %q twice: salt is not random", a)
	}
}

func TestHashPasswordWithRejectsParams(t *testing.T) {
	for _, tt := range []struct {
		name string
		p    Params
	}{
		{"zero", Params{}},
		{"no time", Params{Memory: 64, Time: 0, Threads: 1, SaltLen: 16, KeyLen: 32}},
		{"no threads", Params{Memory: 64, Time: 1, Threads: 0, SaltLen: 16, KeyLen: 32}},
		{"memory below 8 KiB per thread", Params{Memory: 31, Time: 1, Threads: 4, SaltLen: 16, KeyLen: 32}},
		{"memory over 1 GiB", Params{Memory: 1<<20 + 1, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}},
		{"time over 20", Params{Memory: 64, Time: 21, Threads: 1, SaltLen: 16, KeyLen: 32}},
		{"threads over 16", Params{Memory: 1024, Time: 1, Threads: 17, SaltLen: 16, KeyLen: 32}},
		{"short salt", Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 7, KeyLen: 32}},
		{"long salt", Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 129, KeyLen: 32}},
		{"short key", Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 7}},
		{"long key", Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 129}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := HashPasswordWith("correct horse battery staple", tt.p); err == nil {
				t.Errorf("HashPasswordWith(%+v) = %q, want error", tt.p, got)
			}
		})
	}
}

func TestVerifyPasswordMalformed(t *testing.T) {
	const salt = "c29tZXNhbHQ"                                // "somesalt"
	const key = "nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4" // 32 bytes
	hash := func(head string) string { return head + "$" + salt + "$" + key }
	for _, tt := range []struct {
		name, encoded string
	}{
		{"empty", ""},
		{"plain text", "password"},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"argon2i", hash("$argon2i$v=19$m=256,t=2,p=1")},
		{"argon2d", hash("$argon2d$v=19$m=256,t=2,p=1")},
		{"upper-case algorithm", hash("$ARGON2ID$v=19$m=256,t=2,p=1")},
		{"version 16", hash("$argon2id$v=16$m=256,t=2,p=1")},
		{"no version", hash("$argon2id$m=256,t=2,p=1")},
		{"no leading dollar", strings.TrimPrefix(hash("$argon2id$v=19$m=256,t=2,p=1"), "$")},
		{"trailing dollar", hash("$argon2id$v=19$m=256,t=2,p=1") + "$"},
		{"missing hash", "$argon2id$v=19$m=256,t=2,p=1$" + salt},
		{"parameters reordered", hash("$argon2id$v=19$t=2,m=256,p=1")},
		{"parameter missing", hash("$argon2id$v=19$m=256,t=2")},
		{"extra parameter", hash("$argon2id$v=19$m=256,t=2,p=1,k=1")},
		{"leading zero", hash("$argon2id$v=19$m=0256,t=2,p=1")},
		{"plus sign", hash("$argon2id$v=19$m=+256,t=2,p=1")},
		{"negative", hash("$argon2id$v=19$m=256,t=-2,p=1")},
		{"space", hash("$argon2id$v=19$m=256, t=2,p=1")},
		{"empty value", hash("$argon2id$v=19$m=,t=2,p=1")},
		{"hex value", hash("$argon2id$v=19$m=0x100,t=2,p=1")},
		{"overflow", hash("$argon2id$v=19$m=4294967296,t=2,p=1")},
		{"zero time", hash("$argon2id$v=19$m=256,t=0,p=1")},
		{"zero threads", hash("$argon2id$v=19$m=256,t=2,p=0")},
		{"threads wrap uint8", hash("$argon2id$v=19$m=256,t=2,p=257")},
		{"memory below 8 KiB per thread", hash("$argon2id$v=19$m=8,t=2,p=2")},
		{"memory 4 GiB", hash("$argon2id$v=19$m=4194304,t=1,p=1")},
		{"memory just over 1 GiB", hash("$argon2id$v=19$m=1048577,t=1,p=1")},
		{"time 21", hash("$argon2id$v=19$m=256,t=21,p=1")},
		{"time max uint32", hash("$argon2id$v=19$m=256,t=4294967295,p=1")},
		{"threads 17", hash("$argon2id$v=19$m=256,t=2,p=17")},
		{"salt too short", "$argon2id$v=19$m=256,t=2,p=1$c29tZXNh$" + key},
		{"salt too long", "$argon2id$v=19$m=256,t=2,p=1$" + strings.Repeat("A", 175) + "$" + key},
		{"hash too short", "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$c29tZXNh"},
		{"hash too long", "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$" + strings.Repeat("A", 175)},
		{"padded salt", "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ=$" + key},
		{"url base64 salt", "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ_$" + key},
		{"non-canonical base64", "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$" + key[:len(key)-1] + "5"},
		{"line break in hash", "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$" + key[:20] + "\r\n" + key[20:]},
		{"invalid base64", "$argon2id$v=19$m=256,t=2,p=1$!!!!!!!!!!!$" + key},
		{"too long", hash("$argon2id$v=19$m=256,t=2,p=1") + strings.Repeat("A", 512)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := VerifyPassword(tt.encoded, "password")
			if ok || !errors.Is(err, ErrMalformedHash) {
				t.Errorf("VerifyPassword(%q) = %t, %v, want false, ErrMalformedHash", tt.encoded, ok, err)
			}
		})
	}
}

// A hostile hash must be turned away before argon2 allocates its memory.
func TestVerifyPasswordAbsurdParamsAllocateNothing(t *testing.T) {
	const encoded = "$argon2id$v=19$m=4194304,t=1,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := VerifyPassword(encoded, "password")
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrMalformedHash) {
		t.Fatalf("VerifyPassword(%q) error = %v, want ErrMalformedHash", encoded, err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("VerifyPassword of a 4 GiB hash allocated %d bytes before rejecting it", n)
	}
}

func TestVerifyPasswordTampered(t *testing.T) {
	encoded, err := HashPasswordWith("correct horse battery staple", cheap)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.LastIndexByte(encoded, '$')
	salt := encoded[strings.LastIndexByte(encoded[:i], '$')+1 : i]
	key := encoded[i+1:]
	flip := func(s string) string { // changes the first byte while keeping the encoding canonical
		if s[0] == 'A' {
			return "B" + s[1:]
		}
		return "A" + s[1:]
	}
	for _, tt := range []struct {
		name, encoded string
	}{
		{"hash changed", encoded[:i+1] + flip(key)},
		{"salt changed", strings.Replace(encoded, salt, flip(salt), 1)},
		{"time raised", strings.Replace(encoded, "t=1,", "t=2,", 1)},
		{"memory raised", strings.Replace(encoded, "m=64,", "m=128,", 1)},
		{"threads raised", strings.Replace(encoded, ",p=1$", ",p=2$", 1)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.encoded == encoded {
				t.Fatalf("tampering left %q unchanged", encoded)
			}
			ok, err := VerifyPassword(tt.encoded, "correct horse battery staple")
			if ok || err != nil {
				t.Errorf("VerifyPassword(%q) = %t, %v, want false, nil", tt.encoded, ok, err)
			}
		})
	}
}
