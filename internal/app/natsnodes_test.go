package app_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/postgres"
	"github.com/parleyhq/parley/internal/presence"
)

// Two nodes on one PostgreSQL database, with NATS: an agent's presence on
// node A reaches node B over NATS, and none of it goes by NOTIFY. A
// listener on the channel NOTIFY would use tells: PostgreSQL delivers
// notifications in commit order, and a NOTIFY is committed before the
// touch returns, so had the touch gone that way the listener would hear it
// before a marker sent after it.
func TestPresenceTravelsByNATSNotNotify(t *testing.T) {
	n := startNATSPair(t, nil)
	a, bNode, dbURL, key := n.a, n.b, n.dbURL, n.key
	if logs := a.logs.String(); !strings.Contains(logs, "nats_auth=none") {
		t.Errorf("the start-up line does not say how the node logs in to NATS:\n%s", logs)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Other tests may share the database's channels: only what names this
	// test's agent counts.
	agent := "Ana " + key[:8]
	heard := make(chan string, 64)
	lctx, stop := context.WithCancel(ctx)
	listening := make(chan struct{})
	go func() {
		defer close(listening)
		postgres.Listen(lctx, dbURL, "parley_presence", func(p string) {
			select {
			case heard <- p:
			case <-lctx.Done():
			}
		})
	}()
	defer func() { stop(); <-listening }()
	// mark sends marker until the listener hears it, and returns whether
	// it heard the agent before.
	mark := func(marker string) (agentHeard bool) {
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			if err := postgres.Notify(ctx, db, "parley_presence", marker); err != nil {
				t.Fatal(err)
			}
		wait:
			for {
				select {
				case p := <-heard:
					if p == marker {
						return agentHeard
					}
					agentHeard = agentHeard || strings.Contains(p, agent)
				case <-tick.C:
					break wait // the listener was not connected yet
				case <-ctx.Done():
					t.Fatalf("the listener never heard %s", marker)
				}
			}
		}
	}
	mark("before " + key)

	a.app.Presence.Touch(presence.Touch{WorkspaceID: 1, ConversationID: 77, UserID: 5, Name: agent, Typing: true})
	for vs := bNode.app.Presence.Viewers(77); len(vs) != 1 || vs[0].Name != agent || !vs[0].Typing; vs = bNode.app.Presence.Viewers(77) {
		if ctx.Err() != nil {
			t.Fatal("node B never saw node A's agent")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if mark("after " + key) {
		t.Error("node A's presence went by NOTIFY too, with NATS configured")
	}
}
