package natsbus

import (
	"strings"
	"testing"
)

// A node's signal reaches the other node's OnSignal, and not its own.
func TestSignalsReachTheOtherNode(t *testing.T) {
	s := newTestStream(t)
	a := s.node(t, "node-a", newLocalBus(), false)
	b := s.node(t, "node-b", newLocalBus(), false)
	onA, onB := make(chan string, 8), make(chan string, 8)
	for r, ch := range map[*Relay]chan string{a: onA, b: onB} {
		if err := r.OnSignal(func(data []byte) { ch <- string(data) }); err != nil {
			t.Fatal(err)
		}
	}

	if err := a.Signal([]byte("from a")); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-onB:
		if got != "from a" {
			t.Errorf("node B heard %q, want %q", got, "from a")
		}
	case <-s.ctx.Done():
		t.Fatal("node B never heard node A's signal")
	}
	// Node A hears its connection's messages in the server's order: had
	// its own signal come back, it would come before node B's answer.
	if err := b.Signal([]byte("from b")); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-onA:
		if got != "from b" {
			t.Errorf("node A heard %q first, want node B's signal (its own is not news to it)", got)
		}
	case <-s.ctx.Done():
		t.Fatal("node A never heard node B's signal")
	}
}

func TestSignalRefusesWhatIsTooLong(t *testing.T) {
	s := newTestStream(t)
	a := s.node(t, "node-a", newLocalBus(), false)
	if err := a.Signal(make([]byte, maxSignal+1)); err == nil || !strings.Contains(err.Error(), "over") {
		t.Errorf("Signal of %d bytes: %v, want refused", maxSignal+1, err)
	}
}
