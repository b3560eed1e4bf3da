package app

import (
	"net/http"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/apiinbox"
)

// Adapters registers every channel adapter Parley ships. Each platform's
// base URL comes from the inbox's credentials ("api_base") when set, so an
// inbox can point at a local fake; otherwise the platform's own.
func Adapters() *channel.Registry {
	client := &http.Client{Timeout: 30 * time.Second}
	r := &channel.Registry{}
	r.Register(care.ChannelAPI, &apiinbox.Sender{Client: client})
	return r
}
