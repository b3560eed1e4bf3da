package csat

import "testing"

func TestScore(t *testing.T) {
	for _, tc := range []struct {
		text    string
		n       int
		comment string
		ok      bool
	}{
		{"5", 5, "", true},
		{"  4/5 ", 4, "", true},
		{"3 out of 5, slow but friendly", 3, "slow but friendly", true},
		{"2 - nobody read my message", 2, "nobody read my message", true},
		{"1. Terrible", 1, "Terrible", true},
		{"5 stars!", 5, "", true},
		{"⭐⭐⭐⭐ quick", 4, "quick", true},
		{"⭐️⭐️⭐️", 3, "", true},
		{"5\nthanks", 5, "thanks", true},
		{"5 great service", 0, "", false},
		{"2 bags lost", 0, "", false},
		{"10/10", 0, "", false},
		{"0", 0, "", false},
		{"6", 0, "", false},
		{"thanks, 5", 0, "", false},
		{"⭐⭐⭐⭐⭐⭐", 0, "", false},
		{"", 0, "", false},
	} {
		n, c, ok := score(tc.text)
		if n != tc.n || c != tc.comment || ok != tc.ok {
			t.Errorf("score(%q) = %d %q %v, want %d %q %v", tc.text, n, c, ok, tc.n, tc.comment, tc.ok)
		}
	}
}

func FuzzScore(f *testing.F) {
	for _, s := range []string{"5", "3 - ok", "⭐⭐", "2 bags", "\xff5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, c, ok := score(s)
		if ok && (n < 1 || n > 5 || len(c) > 2000) || !ok && (n != 0 || c != "") {
			t.Fatalf("score(%q) = %d %q %v", s, n, c, ok)
		}
	})
}
