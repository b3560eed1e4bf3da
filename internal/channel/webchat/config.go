package webchat

import (
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Defaults for the texts and colour an admin leaves out.
const (
	DefaultGreeting       = "Hi! How can we help?"
	DefaultOfflineMessage = "We are away right now. Leave your email and your message: we will answer here, and tell you by email when we have."
	DefaultColor          = "#2f6fed"
)

// Bounds on what an admin configures, in characters (code points).
const (
	maxTitleChars   = 100
	maxTextChars    = 500
	maxOrigins      = 50
	minSecretBytes  = 32
	maxSecretBytes  = 256
	maxOriginsBytes = 4096
)

var colorRE = regexp.MustCompile(`^#[0-9a-f]{6}$`)

// Config is a web chat inbox's settings, read from its credentials.
type Config struct {
	// Origins are the allowed page origins, normalised ("https://shop.example.com",
	// "https://*.example.org"); empty allows only Parley's own origin.
	Origins        []string
	Secret         []byte
	Title          string
	Greeting       string
	OfflineMessage string
	Color          string
	// Mail says the inbox has SMTP settings: replies to visitors who left
	// an email and are gone are emailed to them.
	Mail bool
	// PageURL is the page an emailed reply links back to, "" for none.
	PageURL string
}

// ConfigOf reads in's credentials, filling in defaults. It returns EINVALID
// naming the first credential that is missing or malformed.
func ConfigOf(in care.Inbox) (Config, error) {
	c := in.Credentials
	secret := c[CredSecret]
	if len(secret) < minSecretBytes || len(secret) > maxSecretBytes {
		return Config{}, care.Errorf(care.EINVALID, "credentials.secret must be %d to %d bytes; leave it empty to have one generated.", minSecretBytes, maxSecretBytes)
	}
	origins, err := ParseOrigins(c[CredOrigins])
	if err != nil {
		return Config{}, err
	}
	cfg := Config{Origins: origins, Secret: []byte(secret), Title: strings.TrimSpace(c[CredTitle]),
		Greeting: strings.TrimSpace(c[CredGreeting]), OfflineMessage: strings.TrimSpace(c[CredOfflineMessage]),
		Color: strings.ToLower(strings.TrimSpace(c[CredColor]))}
	for _, f := range []struct {
		name, v string
		max     int
	}{{CredTitle, cfg.Title, maxTitleChars}, {CredGreeting, cfg.Greeting, maxTextChars}, {CredOfflineMessage, cfg.OfflineMessage, maxTextChars}} {
		if !utf8.ValidString(f.v) || utf8.RuneCountInString(f.v) > f.max || strings.ContainsFunc(f.v, isControl) {
			return Config{}, care.Errorf(care.EINVALID, "credentials.%s must be text of at most %d characters.", f.name, f.max)
		}
	}
	if cfg.Color != "" && !colorRE.MatchString(cfg.Color) {
		return Config{}, care.Errorf(care.EINVALID, "credentials.color must be a colour like #2f6fed.")
	}
	if cfg.Title == "" {
		cfg.Title = in.Name
	}
	if cfg.Greeting == "" {
		cfg.Greeting = DefaultGreeting
	}
	if cfg.OfflineMessage == "" {
		cfg.OfflineMessage = DefaultOfflineMessage
	}
	if cfg.Color == "" {
		cfg.Color = DefaultColor
	}
	cfg.Mail = strings.TrimSpace(c[CredSMTPHost]) != ""
	if p := strings.TrimSpace(c[CredPageURL]); p != "" {
		if !pageURL(p) {
			return Config{}, care.Errorf(care.EINVALID, "credentials.%s must be an http or https address, e.g. https://shop.example.com/help.", CredPageURL)
		}
		cfg.PageURL = p
	} else {
		for _, o := range cfg.Origins {
			if !strings.Contains(o, "://*.") {
				cfg.PageURL = o + "/"
				break
			}
		}
	}
	return cfg, nil
}

// pageURL reports whether s is an absolute http(s) address of sane length
// with nothing in it that could break out of a line of text.
func pageURL(s string) bool {
	if len(s) > 2048 || strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.User == nil
}

// isControl reports control characters other than new lines, which a
// greeting may have.
func isControl(r rune) bool {
	return r != '\n' && (r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0)
}

// ParseOrigins reads the origins credential: origins separated by commas,
// spaces or new lines. Each is an http or https origin, scheme and host and
// optionally port, nothing else; a host may start with "*." to allow every
// subdomain of the rest (not the rest itself). It returns them normalised
// (lower case, default port dropped) or EINVALID naming the first bad one.
func ParseOrigins(s string) ([]string, error) {
	if len(s) > maxOriginsBytes {
		return nil, care.Errorf(care.EINVALID, "credentials.origins is longer than %d bytes.", maxOriginsBytes)
	}
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
	if len(fields) > maxOrigins {
		return nil, care.Errorf(care.EINVALID, "credentials.origins lists more than %d origins.", maxOrigins)
	}
	var out []string
	for _, f := range fields {
		o, ok := normalizeOrigin(strings.TrimSuffix(f, "/"), true)
		if !ok {
			return nil, care.Errorf(care.EINVALID, "credentials.origins: %q is not an origin like https://shop.example.com (scheme and host, no path).", channel.Cut(f, 100))
		}
		out = append(out, o)
	}
	return out, nil
}

// normalizeOrigin returns the serialised origin of s (RFC 6454 §6.1):
// lower-case scheme and host, the port only when not the scheme's default.
// wildcard allows a leading "*." label.
func normalizeOrigin(s string, wildcard bool) (string, bool) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "#") {
		return "", false
	}
	host, port := u.Hostname(), u.Port()
	if strings.HasPrefix(u.Host, "[") {
		return "", false // IPv6 literals: no shop embeds a widget on one
	}
	host = strings.ToLower(host)
	rest := host
	if wildcard {
		rest = strings.TrimPrefix(host, "*.")
	}
	if !validHost(rest) {
		return "", false
	}
	if port != "" {
		if (u.Scheme == "https" && port == "443") || (u.Scheme == "http" && port == "80") {
			port = ""
		} else if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return "", false
		} else {
			port = strconv.Itoa(n)
		}
	}
	o := u.Scheme + "://" + host
	if port != "" {
		o += ":" + port
	}
	return o, true
}

// validHost accepts DNS names and IPv4 addresses.
func validHost(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	if net.ParseIP(h) != nil {
		return true
	}
	for label := range strings.SplitSeq(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// OriginAllowed reports whether a WebSocket handshake's Origin header may
// open the widget: it must match one of allowed (a "*." pattern matches
// any subdomain, at any depth), or, whatever allowed says, one of self
// (Parley's own origins, for a page Parley serves itself). A missing or
// "null" Origin never matches: browsers always send one with a WebSocket
// handshake (RFC 6455 §4.1, item 8), and sandboxed pages send "null".
func OriginAllowed(origin string, allowed, self []string) bool {
	o, ok := normalizeOrigin(origin, false)
	if !ok {
		return false
	}
	for _, s := range self {
		if o == s {
			return true
		}
	}
	for _, a := range allowed {
		if o == a {
			return true
		}
		scheme, host, ok := strings.Cut(a, "://*.")
		if !ok {
			continue
		}
		// "https://*.example.com:8443" → suffix ".example.com:8443"
		if strings.HasPrefix(o, scheme+"://") && strings.HasSuffix(o, "."+host) && len(o) > len(scheme)+3+len(host)+1 {
			return true
		}
	}
	return false
}
