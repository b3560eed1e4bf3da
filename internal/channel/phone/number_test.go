package phone

import "testing"

func TestE164(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"+14155550123", true},
		{"+442079460958", true},
		{"+6834002", true},           // Niue: seven digits
		{"+123456789012345", true},   // fifteen
		{"+1234567890123456", false}, // sixteen
		{"+123456", false},
		{"+04155550123", false},
		{"14155550123", false},
		{"+1 415 555 0123", false},
		{"+1415555012٣", false}, // an Arabic-Indic digit
		{"", false},
		{"+", false},
	} {
		if got := E164(tt.in); got != tt.want {
			t.Errorf("E164(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{"+14155550123", "+14155550123", true},
		{" +1 (415) 555-0123 ", "+14155550123", true},
		{"+44.20.7946.0958", "+442079460958", true},
		{"4155550123", "", false},
		{"+1 415 555 0123 ext 12", "", false},
		{"00441234567890", "", false},
		{"++14155550123", "", false},
		{"1+4155550123", "", false},
		{"tel:+14155550123", "", false},
	} {
		got, ok := normalize(tt.in)
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("normalize(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCallLink(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"+14155550123", "tel:+14155550123"},
		{"+442079460958", "tel:+442079460958"},
		{"+266696687", ""}, // Twilio's anonymous caller
		{"+1 415 555 0123", ""},
		{"14155550123", ""}, // WhatsApp's form: no "+"
		{"withheld:c1", ""},
		{`+1415"onclick="x`, ""},
		{"javascript:alert(1)", ""},
		{"", ""},
	} {
		if got := CallLink(tt.in); got != tt.want {
			t.Errorf("CallLink(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWithheld(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", " ", "anonymous", "Anonymous", "RESTRICTED", "unknown", "private", "+266696687", "+7378742833", "+2562533", "+8656696", "+86282452253"} {
		if !withheld(s) {
			t.Errorf("withheld(%q) = false", s)
		}
	}
	for _, s := range []string{"+14155550123", "anon", "+26669668"} {
		if withheld(s) {
			t.Errorf("withheld(%q) = true", s)
		}
	}
}
