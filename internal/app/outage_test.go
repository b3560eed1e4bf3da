package app

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/presence"
	"github.com/parleyhq/parley/internal/testlog"
)

// checkOutage fails the test unless got is each of firsts once, in order,
// with at most one reminder ("still failing") after each: what a loop
// failing every pass for less than two minutes may log. Run on the wall
// clock, as these loops are, a test this short is done within the first.
func checkOutage(t *testing.T, got []string, firsts ...string) {
	t.Helper()
	var failed []string
	reminders := 0
	for _, line := range got {
		if strings.HasSuffix(line, " still failing") {
			reminders++
			continue
		}
		failed = append(failed, line)
	}
	if strings.Join(failed, "|") != strings.Join(firsts, "|") || reminders > len(firsts) {
		t.Errorf("logged %d warnings %q, want %q once each, and a reminder at most", len(got), got, firsts)
	}
}

// The relay, sending while the database is down from several goroutines
// at once (every agent's touch and keystroke), says so once, not once a
// send.
func TestRelayLogsOutageNotEverySend(t *testing.T) {
	// Nothing listens on port 1: every notification is refused.
	db, err := sql.Open("pgx", "postgres://postgres@127.0.0.1:1/none?connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	log, warnings := testlog.Warnings()
	r := &pgRelay{db: db, node: "node-a", log: log}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for range 25 {
				r.Publish(presence.Touch{WorkspaceID: 1, ConversationID: 77, UserID: care.ID(g), Name: "Ana"})
			}
		})
	}
	wg.Wait()
	checkOutage(t, warnings(), "presence: relay to other nodes failed")
}

// downStore is a store whose database is down: the housekeeping chores
// fail at every round. It ends the test's rounds after rounds of them.
type downStore struct {
	care.Store // nil: housekeeping asks for nothing else
	rounds     int
	cancel     context.CancelFunc
}

var errRefused = errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")

func (s *downStore) Update(context.Context, func(care.Queries) error) error { return errRefused }

func (s *downStore) DeleteExpiredSessions(context.Context, time.Time) (int, error) {
	if s.rounds++; s.rounds >= 100 {
		s.cancel()
	}
	return 0, errRefused
}

// Housekeeping, its chores failing round after round, says so once for
// each chore, not twice a round.
func TestHousekeepingLogsOutageNotEveryRound(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	s := &downStore{cancel: cancel}
	log, warnings := testlog.Warnings()
	a := &App{Store: s, Desk: &desk.Service{Store: s}, log: log}
	a.housekeeping(ctx, time.Microsecond)
	checkOutage(t, warnings(), "wake snoozed conversations failed", "delete expired sessions failed")
}
