package app

import (
	"encoding/json"
	"log/slog"

	"github.com/parleyhq/parley/internal/channel/webchat"
	"github.com/parleyhq/parley/internal/natsbus"
	"github.com/parleyhq/parley/internal/presence"
)

// natsRelay carries presence and agents' web chat typing between nodes
// over NATS when it is configured, instead of PostgreSQL NOTIFY: NATS
// already links the nodes, and the database is spared a notification per
// keystroke. These signals go by NATS core publish/subscribe, not
// JetStream: one lost is renewed by the next touch, and one replayed after
// an outage would show an agent typing who stopped long ago.
type natsRelay struct {
	bus *natsbus.Relay
	log *slog.Logger
	// chat receives other nodes' agents typing to web chat visitors.
	chat *webchat.TypingHub

	failures relayFailures
}

func (r *natsRelay) Publish(t presence.Touch) { r.signal(relayed{Touch: t}) }

// PublishTyping relays an agent's typing signal to the web chat sockets on
// other nodes.
func (r *natsRelay) PublishTyping(sig webchat.TypingSignal) { r.signal(relayed{Chat: &sig}) }

func (r *natsRelay) signal(m relayed) {
	payload, err := json.Marshal(m)
	if err != nil {
		return
	}
	r.failures.record(r.log, r.bus.Signal(payload))
}

// listen applies other nodes' signals to h and the chat hub until the bus
// closes; the bus skips this node's own.
func (r *natsRelay) listen(h *presence.Hub) error {
	return r.bus.OnSignal(func(payload []byte) {
		var m relayed
		if json.Unmarshal(payload, &m) != nil {
			return
		}
		m.apply(h, r.chat)
	})
}
