package webchat

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
)

func TestParseOrigins(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		code string
	}{
		{"", nil, ""},
		{"https://shop.example.com", []string{"https://shop.example.com"}, ""},
		{" HTTPS://Shop.Example.com/ ,\nhttp://localhost:3000\thttps://*.example.org ", []string{"https://shop.example.com", "http://localhost:3000", "https://*.example.org"}, ""},
		{"https://shop.example.com:443 http://shop.example.com:80", []string{"https://shop.example.com", "http://shop.example.com"}, ""},
		{"https://shop.example.com:8443", []string{"https://shop.example.com:8443"}, ""},
		{"http://192.0.2.7:8080", []string{"http://192.0.2.7:8080"}, ""},
		{"shop.example.com", nil, care.EINVALID},
		{"https://shop.example.com/chat", nil, care.EINVALID},
		{"https://shop.example.com?x=1", nil, care.EINVALID},
		{"https://shop.example.com#top", nil, care.EINVALID},
		{"https://user@shop.example.com", nil, care.EINVALID},
		{"ftp://shop.example.com", nil, care.EINVALID},
		{"https://*", nil, care.EINVALID},
		{"https://shop.*.com", nil, care.EINVALID},
		{"https://shop_example.com", nil, care.EINVALID},
		{"https://-shop.example.com", nil, care.EINVALID},
		{"https://[::1]:8080", nil, care.EINVALID},
		{"https://shop.example.com:99999", nil, care.EINVALID},
		{"null", nil, care.EINVALID},
		{strings.Repeat("https://a.example.com ", 51), nil, care.EINVALID},
	}
	for _, tt := range tests {
		got, err := ParseOrigins(tt.in)
		if care.ErrorCode(err) != tt.code || !cmp.Equal(got, tt.want) {
			t.Errorf("ParseOrigins(%q) = %q, %v; want %q, code %q", tt.in, got, err, tt.want, tt.code)
		}
	}
}

func TestOriginAllowed(t *testing.T) {
	allowed := []string{"https://shop.example.com", "http://localhost:3000", "https://*.example.org"}
	self := []string{"https://care.example.net"}
	tests := []struct {
		origin string
		want   bool
	}{
		{"https://shop.example.com", true},
		{"https://SHOP.example.com", true},
		{"https://shop.example.com:443", true},
		{"http://localhost:3000", true},
		{"https://care.example.net", true},
		{"https://eu.example.org", true},
		{"https://a.b.example.org", true},
		{"https://example.org", false},
		{"https://evilexample.org", false},
		{"https://eu.example.org.evil.com", false},
		{"http://eu.example.org", false},
		{"https://eu.example.org:8443", false},
		{"http://shop.example.com", false},
		{"https://shop.example.com:8443", false},
		{"http://localhost:3001", false},
		{"http://localhost", false},
		{"https://shop.example.com/", false},
		{"", false},
		{"null", false},
		{"https://*.example.org", false},
		{"file://", false},
	}
	for _, tt := range tests {
		if got := OriginAllowed(tt.origin, allowed, self); got != tt.want {
			t.Errorf("OriginAllowed(%q) = %v, want %v", tt.origin, got, tt.want)
		}
	}
}

func TestConfigOf(t *testing.T) {
	secret := strings.Repeat("s", 43)
	inbox := func(creds map[string]string) care.Inbox {
		return care.Inbox{ID: 3, Name: "Acme", Channel: care.ChannelWebChat, Credentials: creds}
	}
	cfg, err := ConfigOf(inbox(map[string]string{CredSecret: secret}))
	want := Config{Secret: []byte(secret), Title: "Acme", Greeting: DefaultGreeting, OfflineMessage: DefaultOfflineMessage, Color: DefaultColor}
	if err != nil || !cmp.Equal(cfg, want) {
		t.Errorf("ConfigOf(defaults) = %+v, %v; want %+v", cfg, err, want)
	}
	bad := []struct {
		name  string
		creds map[string]string
	}{
		{"no secret", map[string]string{}},
		{"short secret", map[string]string{CredSecret: "short"}},
		{"colour name", map[string]string{CredSecret: secret, CredColor: "red"}},
		{"short colour", map[string]string{CredSecret: secret, CredColor: "#fff"}},
		{"colour with alpha", map[string]string{CredSecret: secret, CredColor: "#2f6fedff"}},
		{"long title", map[string]string{CredSecret: secret, CredTitle: strings.Repeat("t", maxTitleChars+1)}},
		{"control in greeting", map[string]string{CredSecret: secret, CredGreeting: "hi\x00"}},
		{"long offline message", map[string]string{CredSecret: secret, CredOfflineMessage: strings.Repeat("o", maxTextChars+1)}},
		{"bad origin", map[string]string{CredSecret: secret, CredOrigins: "shop.example.com"}},
		{"page not a web address", map[string]string{CredSecret: secret, CredPageURL: "javascript:alert(1)"}},
		{"page with a space", map[string]string{CredSecret: secret, CredPageURL: "https://shop.example.com/help me"}},
	}
	for _, tt := range bad {
		if _, err := ConfigOf(inbox(tt.creds)); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("ConfigOf(%s) = %v, want EINVALID", tt.name, err)
		}
	}
}

func TestConfigMail(t *testing.T) {
	secret := strings.Repeat("s", 43)
	tests := []struct {
		name  string
		creds map[string]string
		mail  bool
		page  string
	}{
		{"no SMTP, no origins", map[string]string{}, false, ""},
		{"the first origin that names one site", map[string]string{CredOrigins: "https://*.example.org, https://shop.example.com", CredSMTPHost: "smtp.example.com:587"},
			true, "https://shop.example.com/"},
		{"only wildcards", map[string]string{CredOrigins: "https://*.example.org"}, false, ""},
		{"a page given", map[string]string{CredOrigins: "https://shop.example.com", CredPageURL: " https://shop.example.com/help "}, false, "https://shop.example.com/help"},
	}
	for _, tt := range tests {
		tt.creds[CredSecret] = secret
		cfg, err := ConfigOf(care.Inbox{Name: "Acme", Credentials: tt.creds})
		if err != nil || cfg.Mail != tt.mail || cfg.PageURL != tt.page {
			t.Errorf("%s: ConfigOf = mail %v, page %q, %v; want %v, %q", tt.name, cfg.Mail, cfg.PageURL, err, tt.mail, tt.page)
		}
	}
}
