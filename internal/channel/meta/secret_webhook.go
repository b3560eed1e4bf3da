package meta

import (
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

var (
	_ channel.SharedSecret = (*Messenger)(nil)
	_ channel.SharedSecret = (*Instagram)(nil)
)

// WebhookSecret is the app secret inbox's webhook deliveries are verified
// with: a delivery's events for another Page or Instagram account are filed
// there only if its inbox holds the same one.
func (m *Messenger) WebhookSecret(inbox care.Inbox) string { return inbox.Credentials[CredAppSecret] }

// WebhookSecret is as for Messenger.
func (g *Instagram) WebhookSecret(inbox care.Inbox) string { return inbox.Credentials[CredAppSecret] }
