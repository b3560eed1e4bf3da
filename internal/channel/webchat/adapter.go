package webchat

import (
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Credential keys of a web chat inbox.
const (
	// CredOrigins lists the page origins allowed to open the widget's
	// WebSocket, separated by commas, spaces or new lines:
	// "https://shop.example.com, https://*.example.org".
	CredOrigins = "origins"
	// CredSecret signs visitor tokens; Prepare generates it.
	CredSecret = "secret"
	// CredTitle heads the chat panel; default the inbox's name.
	CredTitle = "title"
	// CredGreeting is the first bubble a visitor sees.
	CredGreeting = "greeting"
	// CredOfflineMessage tops the form shown when no agent is available.
	CredOfflineMessage = "offline_message"
	// CredColor is the widget's accent colour, "#rrggbb".
	CredColor = "color"

	// The SMTP submission settings with which Server emails agents'
	// replies to visitors who left an email and are gone (see Mailer).
	// They are an email inbox's credentials, under the same keys: the
	// server as host:port, its TLS mode (tls, starttls, or none for the
	// loopback interface only; default starttls), the login, and the
	// address the emails come from ("Acme Support <support@acme.example>").
	// DKIM keys (dkim_selector, dkim_private_key, dkim_domain) may be set
	// as for an email inbox. Without smtp_host nothing is emailed.
	CredSMTPHost     = "smtp_host"
	CredSMTPTLS      = "smtp_tls"
	CredSMTPUser     = "smtp_user"
	CredSMTPPassword = "smtp_password"
	CredFrom         = "from"
	// CredPageURL is the page the emails link back to, where the widget
	// is; default the first allowed origin that names one site.
	CredPageURL = "page_url"
)

// Adapter is the web chat channel as the core's outbox and inbox setup see
// it: a channel.Sender that confirms replies (Server delivers them), a
// channel.Policy and a channel.Setup. Register it once:
//
//	r.Register(care.ChannelWebChat, &webchat.Adapter{CheckSMTP: email.CheckSMTP})
//
// Its zero value is ready to use and it is safe for concurrent use.
type Adapter struct {
	// CheckSMTP validates an inbox's SMTP settings, returning EINVALID
	// naming the credential at fault (package email's CheckSMTP); nil
	// checks only that smtp_host and from are both given.
	CheckSMTP func(in care.Inbox) error
}

var (
	_ channel.Sender = (*Adapter)(nil)
	_ channel.Policy = (*Adapter)(nil)
	_ channel.Setup  = (*Adapter)(nil)
)
