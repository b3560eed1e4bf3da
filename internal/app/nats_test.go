package app_test

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/testdb"
)

// Two nodes on one PostgreSQL database, with NATS: an agent's event stream
// on node B shows a customer message that arrived on node A. The nodes
// re-read the database only hourly here, so only NATS can bring the news
// within the stream's 10 s wait.
func TestEventsReachOtherNodesByNATS(t *testing.T) {
	natsURL := os.Getenv("PARLEY_TEST_NATS_URL")
	if natsURL == "" {
		t.Skip("PARLEY_TEST_NATS_URL is not set")
	}
	dbURL := testdb.PostgresURL(t)
	b := make([]byte, 32)
	rand.Read(b)
	key := hex.EncodeToString(b)
	stream := "PARLEY_TEST_" + strings.ToUpper(key[:12])
	node := func() *testApp {
		cfg := testConfig(t.TempDir())
		cfg.DatabaseURL, cfg.SecretKey = dbURL, key
		cfg.NATSURL, cfg.NATSStream, cfg.EventPoll = natsURL, stream, time.Hour
		return startAppWith(t, cfg)
	}
	a, bNode := node(), node()
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
