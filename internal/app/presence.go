package app

import (
	"encoding/json"

	"github.com/parleyhq/parley/internal/care"
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
