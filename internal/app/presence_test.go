package app

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/parleyhq/parley/internal/channel/webchat"
	"github.com/parleyhq/parley/internal/presence"
	"github.com/parleyhq/parley/internal/testdb"
)

// relayTest returns what a relay between two nodes needs: the test
// database's URL and a connection to it, a context bounding the test, and a
// quiet logger. It skips the test without a PostgreSQL database.
func relayTest(t *testing.T) (string, *sql.DB, context.Context, *slog.Logger) {
	t.Helper()
	url := os.Getenv(testdb.EnvURL)
	if url == "" {
		t.Skip(testdb.EnvURL + " is not set")
	}
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return url, db, ctx, slog.New(slog.NewTextHandler(io.Discard, nil))
}

// Two nodes on one PostgreSQL database: an agent's touch on one is seen
// by the agents of the other, and a node ignores its own echo.
func TestPresenceAcrossNodes(t *testing.T) {
	url, db, ctx, log := relayTest(t)
	a, b := &presence.Hub{}, &presence.Hub{}
	ra, rb := &pgRelay{db: db, node: "node-a", log: log}, &pgRelay{db: db, node: "node-b", log: log}
	a.Relay, b.Relay = ra, rb
	done := make(chan struct{}, 2)
	lctx, stop := context.WithCancel(ctx)
	go func() { ra.listen(lctx, url, a); done <- struct{}{} }()
	go func() { rb.listen(lctx, url, b); done <- struct{}{} }()
	defer func() { stop(); <-done; <-done }()

	// The listeners connect in their own time: touch until node B sees it.
	for {
		a.Touch(presence.Touch{WorkspaceID: 1, ConversationID: 77, UserID: 5, Name: "Ana", Typing: true})
		if vs := b.Viewers(77); len(vs) == 1 && vs[0].Name == "Ana" && vs[0].Typing {
			break
		}
		if ctx.Err() != nil {
			t.Fatal("node B never saw node A's agent")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if vs := a.Viewers(77); len(vs) != 1 {
		t.Errorf("node A has %d viewers, want its own agent once", len(vs))
	}
	a.Touch(presence.Touch{WorkspaceID: 1, ConversationID: 77, UserID: 5, Leave: true})
	for len(b.Viewers(77)) != 0 {
		if ctx.Err() != nil {
			t.Fatal("node B never saw the agent leave")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// An agent typing a web chat reply on one node reaches the visitor's
// socket on another: the relay carries it to that node's typing hub.
func TestAgentTypingAcrossNodes(t *testing.T) {
	url, db, ctx, log := relayTest(t)
	hubA, hubB := webchat.NewTypingHub(), webchat.NewTypingHub()
	ra := &pgRelay{db: db, node: "node-a", log: log, chat: hubA}
	rb := &pgRelay{db: db, node: "node-b", log: log, chat: hubB}
	agentNode := &typingBridge{hub: hubA, relay: ra.PublishTyping}
	done := make(chan struct{}, 2)
	lctx, stop := context.WithCancel(ctx)
	go func() { ra.listen(lctx, url, &presence.Hub{}); done <- struct{}{} }()
	go func() { rb.listen(lctx, url, &presence.Hub{}); done <- struct{}{} }()
	defer func() { stop(); <-done; <-done }()

	// The visitor's socket is on node B; its own node's echo is ignored.
	onB, leaveB := hubB.Subscribe(1, 77)
	defer leaveB()
	onA, leaveA := hubA.Subscribe(1, 77)
	defer leaveA()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	// The listeners connect in their own time: type until node B hears it.
	for {
		agentNode.agentTyping(1, 77, 5, "Ana Lima", true)
		select {
		case sig := <-onB:
			if sig.Visitor || sig.UserID != 5 || sig.Name != "Ana Lima" || !sig.On || sig.ConversationID != 77 {
				t.Fatalf("node B heard %+v", sig)
			}
		case <-tick.C:
			continue
		case <-ctx.Done():
			t.Fatal("node B never heard the agent on node A typing")
		}
		break
	}
	// A visitor socket on the agent's own node hears it from the local
	// hub. (The relay ignores its own node's echo: TestPresenceAcrossNodes.)
	n := 0
	for len(onA) > 0 {
		<-onA
		n++
	}
	if n == 0 {
		t.Error("node A's own visitor socket did not hear its agent typing")
	}
}
