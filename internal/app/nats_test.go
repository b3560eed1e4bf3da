package app_test

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/config"
	"github.com/parleyhq/parley/internal/testdb"
)

// Two nodes on one PostgreSQL database, with NATS: an agent's event stream
// on node B shows a customer message that arrived on node A. The nodes
// re-read the database only hourly here, so only NATS can bring the news
// within the stream's 10 s wait.
func TestEventsReachOtherNodesByNATS(t *testing.T) {
	n := startNATSPair(t, func(cfg *config.Config) { cfg.EventPoll = time.Hour })
	a, bNode, stream := n.a, n.b, n.stream
	if logs := a.logs.String(); !strings.Contains(logs, "nats_stream="+stream) || !strings.Contains(logs, "event_poll=1h0m0s") {
		t.Errorf("the start-up line does not say how other nodes' events arrive:\n%s", logs)
	}

	web := a.c.createInbox("Web form", "")
	events := bNode.c.openEvents("")
	a.c.mustPost(web, customer("n1", "ana", "Is anyone there?"))
	f := events.until(func(f sseFrame) bool { return f.Type == string(care.EventMessageCreated) })
	if m := f[len(f)-1].message(t); m.Text != "Is anyone there?" {
		t.Errorf("node B streamed message %q, want node A's customer message", m.Text)
	}
}

// natsPair is two nodes on one PostgreSQL database, with NATS.
type natsPair struct {
	a, b   *testApp
	dbURL  string
	key    string // the nodes' secret key, random and so the test's own
	stream string // the nodes' NATS stream, the test's own
}

// startNATSPair starts the two nodes, each configured by configure too
// when it is not nil. It skips the test without PARLEY_TEST_NATS_URL or a
// PostgreSQL database.
func startNATSPair(t *testing.T, configure func(*config.Config)) natsPair {
	t.Helper()
	natsURL := os.Getenv("PARLEY_TEST_NATS_URL")
	if natsURL == "" {
		t.Skip("PARLEY_TEST_NATS_URL is not set")
	}
	n := natsPair{dbURL: testdb.PostgresURL(t)}
	b := make([]byte, 32)
	rand.Read(b)
	n.key = hex.EncodeToString(b)
	n.stream = "PARLEY_TEST_" + strings.ToUpper(n.key[:12])
	node := func() *testApp {
		cfg := testConfig(t.TempDir())
		cfg.DatabaseURL, cfg.SecretKey = n.dbURL, n.key
		cfg.NATSURL, cfg.NATSStream = natsURL, n.stream
		if configure != nil {
			configure(cfg)
		}
		return startAppWith(t, cfg)
	}
	n.a, n.b = node(), node()
	return n
}
