package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/parleyhq/parley/internal/channel/webchat"
	"github.com/parleyhq/parley/internal/inmem"
	"github.com/parleyhq/parley/internal/natsbus"
	"github.com/parleyhq/parley/internal/presence"
)

// natsNode is one node's presence and web chat typing, relayed over NATS.
type natsNode struct {
	presence *presence.Hub
	chat     *webchat.TypingHub
	typing   *typingBridge
}

// natsNodes connects n nodes to the NATS server PARLEY_TEST_NATS_URL
// names, on a stream of the test's own, each relaying its presence and
// its agents' typing as Start wires them. It skips the test without a
// server.
func natsNodes(t *testing.T, n int) (context.Context, []natsNode) {
	t.Helper()
	url := os.Getenv("PARLEY_TEST_NATS_URL")
	if url == "" {
		t.Skip("PARLEY_TEST_NATS_URL is not set")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	b := make([]byte, 6)
	rand.Read(b)
	stream := "PARLEY_TEST_" + strings.ToUpper(hex.EncodeToString(b))
	// Deleted once every node has closed, the cleanups running last first.
	t.Cleanup(func() {
		nc, err := nats.Connect(url)
		if err != nil {
			t.Errorf("delete the test stream: %v", err)
			return
		}
		defer nc.Close()
		js, err := jetstream.New(nc)
		if err == nil {
			err = js.DeleteStream(context.Background(), stream)
		}
		if err != nil {
			t.Errorf("delete the test stream: %v", err)
		}
	})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var nodes []natsNode
	for range n {
		bus, err := natsbus.Connect(ctx, natsbus.Options{URL: url, Stream: stream, Node: "node", Logger: log}, inmem.NewBus())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(bus.Close)
		node := natsNode{presence: &presence.Hub{}, chat: webchat.NewTypingHub()}
		relay := &natsRelay{bus: bus, log: log, chat: node.chat}
		if err := relay.listen(node.presence); err != nil {
			t.Fatal(err)
		}
		node.presence.Relay = relay
		node.typing = &typingBridge{hub: node.chat, presence: node.presence, relay: relay.PublishTyping}
		nodes = append(nodes, node)
	}
	return ctx, nodes
}

// With NATS, an agent's presence and typing on one node reach the agents
// of the other, over NATS, and a node ignores its own echo.
func TestPresenceAcrossNodesByNATS(t *testing.T) {
	ctx, nodes := natsNodes(t, 2)
	a, b := nodes[0].presence, nodes[1].presence
	updates, stop := b.Subscribe(1)
	defer stop()

	a.Touch(presence.Touch{WorkspaceID: 1, ConversationID: 77, UserID: 5, Name: "Ana", Typing: true})
	select {
	case u := <-updates:
		if len(u.Viewers) != 1 || u.Viewers[0].Name != "Ana" || !u.Viewers[0].Typing || u.ConversationID != 77 {
			t.Errorf("node B saw %+v, want Ana typing in conversation 77", u)
		}
	case <-ctx.Done():
		t.Fatal("node B never saw node A's agent typing")
	}
	a.Touch(presence.Touch{WorkspaceID: 1, ConversationID: 77, UserID: 5, Leave: true})
	select {
	case u := <-updates:
		if len(u.Viewers) != 0 {
			t.Errorf("node B saw %+v, want the agent gone", u)
		}
	case <-ctx.Done():
		t.Fatal("node B never saw the agent leave")
	}
	// Node B's agent answers; node A sees its own agent once, not twice
	// from its own echo.
	b.Touch(presence.Touch{WorkspaceID: 1, ConversationID: 78, UserID: 6, Name: "Bo"})
	for len(a.Viewers(78)) == 0 {
		if ctx.Err() != nil {
			t.Fatal("node A never saw node B's agent")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if vs := a.Viewers(77); len(vs) != 0 {
		t.Errorf("node A has viewers %+v in conversation 77, want none after its agent left", vs)
	}
}

// An agent typing a web chat reply on one node reaches the visitor's socket
// on another over NATS, and a visitor typing on that node shows among the
// agent's node's viewers.
func TestWebChatTypingAcrossNodesByNATS(t *testing.T) {
	ctx, nodes := natsNodes(t, 2)
	agentNode, visitorNode := nodes[0], nodes[1]
	onVisitorNode, leave := visitorNode.chat.Subscribe(1, 77)
	defer leave()

	agentNode.typing.agentTyping(1, 77, 5, "Ana Lima", true)
	select {
	case sig := <-onVisitorNode:
		if sig.Visitor || sig.UserID != 5 || sig.Name != "Ana Lima" || !sig.On {
			t.Errorf("the visitor's node heard %+v, want Ana Lima typing", sig)
		}
	case <-ctx.Done():
		t.Fatal("the visitor's node never heard the agent typing")
	}

	agents, stop := agentNode.presence.Subscribe(1)
	defer stop()
	visitorNode.typing.Publish(webchat.TypingSignal{WorkspaceID: 1, ConversationID: 77, Name: "Carla", Visitor: true, On: true})
	select {
	case u := <-agents:
		if len(u.Viewers) != 1 || u.Viewers[0].UserID != visitorID || !u.Viewers[0].Typing {
			t.Errorf("the agent's node saw %+v, want the visitor typing", u)
		}
	case <-ctx.Done():
		t.Fatal("the agent's node never saw the visitor typing")
	}
}
