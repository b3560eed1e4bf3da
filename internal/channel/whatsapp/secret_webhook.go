package whatsapp

import (
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

var _ channel.SharedSecret = (*Adapter)(nil)

// WebhookSecret is the secret inbox's webhook deliveries are verified with:
// events a delivery carries for another inbox are filed there only if it
// holds the same one.
func (a *Adapter) WebhookSecret(inbox care.Inbox) string {
	return inbox.Credentials[CredAppSecret]
}
