package meta_test

import (
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/meta"
)

// adapter is everything both Meta adapters implement.
type adapter interface {
	channel.Sender
	channel.Webhook
	channel.Policy
	channel.Moderator
	channel.Setup
}

func adapters() []adapter { return []adapter{&meta.Messenger{}, &meta.Instagram{}} }
