package app

import (
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/webchat"
	"github.com/parleyhq/parley/internal/config"
	"github.com/parleyhq/parley/internal/presence"
)

// webChat serves the web chat widget's script and WebSocket (see package
// webchat). Its sockets outlive http.Server.Shutdown, so Close ends them.
type webChat = webchat.Server

// newWebChat wires the server of the web chat channel (its adapter is in
// Adapters): the server that takes visitors' messages down the committer's durable
// path and watches the store (through the bus, and by polling when other
// nodes write) for agents' replies. A visitor sees the offline form while
// no member of the workspace is online; a reply to a visitor who left an
// email and is gone is emailed through the inbox's SMTP settings.
func (a *App) newWebChat(cfg *config.Config, adapters *channel.Registry) *webChat {
	return &webchat.Server{Store: a.Store, Ingest: a.Committer, Bus: a.Bus, Poll: cfg.EventPollFor(), Logger: a.log,
		PublicURL: cfg.PublicURL, Typing: a.typing,
		Available: webchat.AnyAgentOnline(a.Store, 15*time.Second),
		Mail:      newWebChatMail(adapters),
		Observe: func(outcome string, started time.Time) {
			a.Metrics.IngestAccepted.WithLabelValues(string(care.ChannelWebChat), outcome).Inc()
			a.Metrics.PipelineLatency.WithLabelValues("ack").Observe(time.Since(started).Seconds())
		}}
}

// typingBridge joins web chat's typing signals to the agents' presence: a
// visitor typing shows on the agents' conversation page as a viewer who
// types ("Maya (customer)"), and an agent typing a reply (never a note)
// reaches the widget.
type typingBridge struct {
	hub      *webchat.TypingHub
	presence *presence.Hub
	// relay, when nodes share a database, carries agents' typing to the
	// visitors' sockets on the other nodes.
	relay func(webchat.TypingSignal)
}

// visitorID stands for the customer among the viewers: no user has it.
const visitorID care.ID = -1

func (b *typingBridge) Publish(sig webchat.TypingSignal) {
	b.hub.Publish(sig)
	if !sig.Visitor || b.presence == nil {
		return
	}
	b.presence.Touch(presence.Touch{WorkspaceID: sig.WorkspaceID, ConversationID: sig.ConversationID, UserID: visitorID,
		Name: sig.Name + " (customer)", Typing: sig.On, Leave: !sig.On})
}

func (b *typingBridge) Subscribe(ws, conv care.ID) (<-chan webchat.TypingSignal, func()) {
	return b.hub.Subscribe(ws, conv)
}

// agentTyping is the web interface's ReplyTyping.
func (b *typingBridge) agentTyping(ws, conv, user care.ID, name string, on bool) {
	sig := webchat.TypingSignal{WorkspaceID: ws, ConversationID: conv, UserID: user, Name: name, On: on}
	b.hub.Publish(sig)
	if b.relay != nil {
		b.relay(sig)
	}
}
