package email

import (
	"context"
	"crypto/tls"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Credential keys of an email inbox.
const (
	CredIMAPHost       = "imap_host"
	CredIMAPTLS        = "imap_tls"
	CredIMAPUser       = "imap_user"
	CredIMAPPassword   = "imap_password"
	CredIMAPMailbox    = "imap_mailbox"
	CredSMTPHost       = "smtp_host"
	CredSMTPTLS        = "smtp_tls"
	CredSMTPUser       = "smtp_user"
	CredSMTPPassword   = "smtp_password"
	CredFrom           = "from"
	CredDKIMDomain     = "dkim_domain"
	CredDKIMSelector   = "dkim_selector"
	CredDKIMPrivateKey = "dkim_private_key"
	// CredAuthservID names the receiving servers whose
	// Authentication-Results decide whether a sender's address is
	// authenticated; empty means the topmost field's.
	CredAuthservID = "authserv_id"
)

// TLS modes of imap_tls and smtp_tls.
const (
	// TLSImplicit starts TLS as soon as the connection opens (IMAP 993,
	// SMTP submission 465).
	TLSImplicit = "tls"
	// TLSStartTLS upgrades a plain connection with STARTTLS (IMAP 143,
	// SMTP submission 587) and refuses servers that do not offer it.
	TLSStartTLS = "starttls"
	// TLSNone sends everything, the password too, in clear. It is only
	// accepted for servers on the loopback interface, for tests and demos.
	TLSNone = "none"
)

// DefaultMailbox is the mailbox polled when imap_mailbox is empty.
const DefaultMailbox = "INBOX"

// Adapter connects mailboxes: IMAP in, SMTP submission out. Register it once:
//
//	r.Register(care.ChannelEmail, &email.Adapter{})
//
// Its zero value is ready to use and it is safe for concurrent use.
type Adapter struct {
	// TLSConfig is the base of every TLS connection (its ServerName is set
	// to the server's host); nil means the system's roots. Tests set
	// RootCAs to trust a local server's certificate.
	TLSConfig *tls.Config
	// Now is the clock for Date headers and the UIDVALIDITY resume window;
	// nil means time.Now.
	Now func() time.Time
	// Logger notes the messages Poll skips on purpose (auto-replies,
	// bounces it cannot match, our own messages); nil means slog.Default().
	Logger *slog.Logger
	// PublicURL is Parley's public address (--public-url). A reply's
	// attachment linked under PublicURL/files/, a file Parley keeps, is
	// fetched from there and sent inside the email; other attachments go
	// as links. "" sends every attachment as a link.
	PublicURL string
	// Client fetches those files; nil means one with a 30 s timeout. It
	// follows no redirect.
	Client *http.Client
	// Dial connects to IMAP and SMTP servers, whose hosts an inbox's
	// admin chooses; Parley passes one that keeps them off internal
	// addresses (netguard). nil means a plain net.Dialer.
	Dial func(ctx context.Context, network, address string) (net.Conn, error)
}

var (
	_ channel.Sender       = (*Adapter)(nil)
	_ channel.Poller       = (*Adapter)(nil)
	_ channel.Policy       = (*Adapter)(nil)
	_ channel.Setup        = (*Adapter)(nil)
	_ channel.MediaFetcher = (*Adapter)(nil)
)

func (a *Adapter) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

func (a *Adapter) logger() *slog.Logger {
	if a.Logger != nil {
		return a.Logger
	}
	return slog.Default()
}

// tlsConfig returns a copy of the adapter's TLS configuration for host.
func (a *Adapter) tlsConfig(host string) *tls.Config {
	var cfg *tls.Config
	if a.TLSConfig != nil {
		cfg = a.TLSConfig.Clone()
	} else {
		cfg = &tls.Config{}
	}
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	if cfg.MinVersion == 0 {
		cfg.MinVersion = tls.VersionTLS12
	}
	return cfg
}

// PollInterval is how often an email inbox is polled: once a minute. An
// Idler on the same inbox makes new mail arrive within seconds in between.
func (a *Adapter) PollInterval(care.Inbox) time.Duration { return PollEvery }

// PollEvery is the interval between two polls of a mailbox.
const PollEvery = time.Minute
