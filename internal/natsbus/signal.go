package natsbus

import (
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
)

// Signals are what is stale seconds later, such as who is typing: they go
// over NATS core publish/subscribe, not JetStream, to the nodes connected
// at the time and to no other. Replayed after an outage they would be
// wrong; lost, the next one (a touch every 15 s) makes up for it.
const (
	// maxSignal bounds a signal either way; Parley's are a few hundred
	// bytes, and another program may publish on the subject.
	maxSignal = 8 << 10
	// nodeHeader names the relay that sent a signal, so that it skips
	// its own.
	nodeHeader = "Parley-Node"
	// subscribeTimeout bounds the wait for the server to confirm the
	// subscription; one unconfirmed is made again at the reconnect.
	subscribeTimeout = 2 * time.Second
)

// SignalSubject is the core NATS subject of the signals of the
// installation whose stream is named stream: outside the stream's own
// subjects (stream.*), so that JetStream keeps none of them.
func SignalSubject(stream string) string { return stream + "_SIGNALS" }

// Signal sends data to the other nodes' OnSignal. It does not wait for
// them and does not queue: while NATS is away it fails at once rather than
// deliver stale signals at the reconnect.
func (r *Relay) Signal(data []byte) error {
	if len(data) > maxSignal {
		return fmt.Errorf("natsbus: signal of %d bytes, over %d", len(data), maxSignal)
	}
	if !r.nc.IsConnected() {
		return fmt.Errorf("natsbus: signal: not connected to NATS (%s)", r.nc.Status())
	}
	m := nats.NewMsg(SignalSubject(r.stream))
	m.Header.Set(nodeHeader, r.node)
	m.Data = data
	if err := r.nc.PublishMsg(m); err != nil {
		return fmt.Errorf("natsbus: signal: %w", err)
	}
	return nil
}

// OnSignal calls fn with each signal another node sends, one at a time,
// from its return until Close. Signals over maxSignal bytes are skipped.
func (r *Relay) OnSignal(fn func(data []byte)) error {
	_, err := r.nc.Subscribe(SignalSubject(r.stream), func(m *nats.Msg) {
		if m.Header.Get(nodeHeader) == r.node || len(m.Data) > maxSignal {
			return
		}
		fn(m.Data)
	})
	if err != nil {
		return fmt.Errorf("natsbus: subscribe to %s: %w", SignalSubject(r.stream), err)
	}
	if err := r.nc.FlushTimeout(subscribeTimeout); err != nil {
		// Subscribed all the same: the client makes the subscription
		// again when it reconnects.
		r.log.Warn("nats: the server has not confirmed the subscription to other nodes' presence signals yet", "err", err)
	}
	return nil
}
