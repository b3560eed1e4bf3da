package app

import (
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/webchat"
	"github.com/parleyhq/parley/internal/config"
)

// webChat serves the web chat widget's script and WebSocket (see package
// webchat). Its sockets outlive http.Server.Shutdown, so Close ends them.
type webChat = webchat.Server

// newWebChat wires the server of the web chat channel (its adapter is in
// Adapters): the server that takes visitors' messages down the committer's durable
// path and watches the store (through the bus, and by polling when other
// nodes write) for agents' replies. A visitor sees the offline form while
// no member of the workspace is online.
func (a *App) newWebChat(cfg *config.Config, adapters *channel.Registry) *webChat {
	return &webchat.Server{Store: a.Store, Ingest: a.Committer, Bus: a.Bus, Poll: ssePoll(cfg), Logger: a.log,
		PublicURL: cfg.PublicURL, Typing: webchat.NewTypingHub(),
		Available: webchat.AnyAgentOnline(a.Store, 15*time.Second),
		Observe: func(outcome string, started time.Time) {
			a.Metrics.IngestAccepted.WithLabelValues(string(care.ChannelWebChat), outcome).Inc()
			a.Metrics.PipelineLatency.WithLabelValues("ack").Observe(time.Since(started).Seconds())
		}}
}
