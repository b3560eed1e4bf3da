package fold

import "testing"

func TestAppend(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Nestlé", "nestle"},
		{"REMBOURSÉ", "rembourse"},
		{"Citroën", "citroen"},
		{"Ａｃｍｅ１２", "acme12"}, // full-width letters and digits
		{"𝗔𝗰𝗺𝗲", "acme"},     // bold letters posts use for emphasis
		{"Ёлка", "елка"},     // Russian ё
		{"ソニー", "ソニー"},       // no case, no diacritics: as it is
		{"đường", "duong"},   // a stroke and Vietnamese tones
		{"Ελλάδα", "ελλαδα"}, // Greek tonos
	} {
		var b []byte
		for _, r := range tt.in {
			b = Append(b, r)
		}
		if string(b) != tt.want {
			t.Errorf("fold(%q) = %q, want %q", tt.in, b, tt.want)
		}
	}
}
