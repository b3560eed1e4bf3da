package app

import (
	"context"
	"database/sql"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/webchat"
	"github.com/parleyhq/parley/internal/faillog"
	"github.com/parleyhq/parley/internal/postgres"
	"github.com/parleyhq/parley/internal/presence"
	"github.com/parleyhq/parley/internal/sse"
)

// presenceSignals adapts the presence hub to the event stream: each change
// of who views or types in a conversation becomes a "presence" frame.
func presenceSignals(h *presence.Hub) func(care.ID) (<-chan sse.Signal, func()) {
	return func(ws care.ID) (<-chan sse.Signal, func()) {
		updates, stop := h.Subscribe(ws)
		out := make(chan sse.Signal, 8)
		done := make(chan struct{})
		go func() {
			defer close(out)
			for {
				select {
				case <-done:
					return
				case u := <-updates:
					data, err := json.Marshal(u)
					if err != nil {
						continue
					}
					select {
					case out <- sse.Signal{Type: "presence", Data: data}:
					case <-done:
						return
					}
				}
			}
		}()
		return out, func() { stop(); close(done) }
	}
}

// presenceChannel is the PostgreSQL notification channel presence travels
// on between nodes.
const presenceChannel = "parley_presence"

// pgRelay carries presence between the nodes sharing a PostgreSQL
// database, with NOTIFY and LISTEN, when no NATS is configured (natsRelay
// otherwise): a signal lost while a node reconnects is renewed by the next
// touch, 15 s later at most.
//
// It carries agents typing a web chat reply too: the visitor's socket may
// be on another node than the agent's page.
type pgRelay struct {
	db   *sql.DB
	node string
	log  *slog.Logger
	// chat receives other nodes' agents typing to web chat visitors.
	chat *webchat.TypingHub

	failures relayFailures
}

// relayed is one signal between nodes: a presence touch, or, with Chat, an
// agent typing to a web chat visitor.
type relayed struct {
	Node  string                `json:"node,omitempty"`
	Touch presence.Touch        `json:"touch"`
	Chat  *webchat.TypingSignal `json:"chat,omitempty"`
}

// apply hands another node's signal to this node's hubs.
func (m relayed) apply(h *presence.Hub, chat *webchat.TypingHub) {
	if m.Chat != nil {
		if chat != nil {
			chat.Publish(*m.Chat)
		}
		return
	}
	h.Apply(m.Touch)
}

// relayFailures tells of relaying to other nodes failing, as it does on
// every touch and keystroke while the database or NATS is down: one log
// for all the goroutines that relay.
type relayFailures struct {
	once sync.Once
	log  *faillog.Log
}

func (f *relayFailures) record(log *slog.Logger, err error) {
	f.once.Do(func() {
		f.log = &faillog.Log{Logger: log, What: "presence: relay to other nodes", Level: slog.LevelWarn}
	})
	if err != nil {
		f.log.Failed(time.Now(), err)
	} else {
		f.log.OK(time.Now())
	}
}

func (r *pgRelay) Publish(t presence.Touch) { r.notify(relayed{Node: r.node, Touch: t}) }

// PublishTyping relays an agent's typing signal to the web chat sockets on
// other nodes.
func (r *pgRelay) PublishTyping(sig webchat.TypingSignal) {
	r.notify(relayed{Node: r.node, Chat: &sig})
}

func (r *pgRelay) notify(m relayed) {
	payload, err := json.Marshal(m)
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	r.failures.record(r.log, postgres.Notify(ctx, r.db, presenceChannel, string(payload)))
}

// listen applies the touches of other nodes to h until ctx ends.
func (r *pgRelay) listen(ctx context.Context, url string, h *presence.Hub) {
	postgres.Listen(ctx, url, presenceChannel, func(payload string) {
		var m relayed
		if json.Unmarshal([]byte(payload), &m) != nil || m.Node == r.node {
			return
		}
		m.apply(h, r.chat)
	})
}
