package webchat

import (
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
)

// Adapter is the web chat channel as the core's outbox and inbox setup see
// it: a channel.Sender that confirms replies (Server delivers them), a
// channel.Policy and a channel.Setup. Register it once:
//
//	r.Register(care.ChannelWebChat, &webchat.Adapter{})
//
// Its zero value is ready to use and it is safe for concurrent use.
type Adapter struct{}

var (
	_ channel.Sender = (*Adapter)(nil)
	_ channel.Policy = (*Adapter)(nil)
	_ channel.Setup  = (*Adapter)(nil)
)
