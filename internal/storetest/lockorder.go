package storetest

import (
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// testRecordSentLockOrder: the outbox records a send's platform id, merging
// the echo of it, while a pipeline pass holds the event lock and is about
// to touch that echo. Had RecordSent taken its row locks before the event
// lock, the two would deadlock on PostgreSQL, RecordSent would fail, and
// the outbox would send the reply again.
func testRecordSentLockOrder(t *testing.T, open opener) {
	s := open(t)
	ctx := t.Context()
	w := mustWorld(t, s, "acme")
	mustMessage(t, s, newMessage(w.conv, care.DirectionIn, care.Private, at(0)))
	ours := newMessage(w.conv, care.DirectionOut, care.Private, at(time.Minute))
	ours.AuthorID, ours.AuthorName = mustUser(t, s, "ada@example.com").ID, "Ada"
	ours = mustMessage(t, s, ours)
	dup := newMessage(w.conv, care.DirectionOut, care.Private, at(2*time.Minute))
	dup.PlatformID, dup.Status, dup.AuthorName = "p2", care.DeliverySent, "Acme (outside Parley)"
	dup = mustMessage(t, s, dup)

	inPass, release := make(chan struct{}), make(chan struct{})
	passErr := make(chan error, 1)
	go func() {
		// A pass takes the event lock first, as the pipeline's do.
		passErr <- s.Update(ctx, func(q care.Queries) error {
			close(inPass)
			<-release
			return q.SetReaction(ctx, dup.ID, care.Reaction{ContactID: w.identity.ContactID, Emoji: "👍", At: at(3 * time.Minute)})
		})
	}()
	<-inPass
	sentErr := make(chan error, 1)
	go func() {
		_, err := s.RecordSent(ctx, ours.ID, care.DeliverySent, "p2", at(time.Hour))
		sentErr <- err
	}()
	// Give RecordSent time to reach the locks it takes. This orders the
	// two; nothing is timed: with one lock order neither can fail however
	// long either waits.
	time.Sleep(300 * time.Millisecond)
	close(release)
	if err := <-passErr; err != nil {
		t.Errorf("pass: %v", err)
	}
	if err := <-sentErr; err != nil {
		t.Fatalf("RecordSent while a pass held the event lock: %v", err)
	}
	m, err := s.Message(ctx, ours.ID)
	must(t, err, "Message")
	if m.PlatformID != "p2" || len(m.Reactions) != 1 {
		t.Errorf("ours: platform id %q, reactions %v; want p2 and the echo's reaction", m.PlatformID, m.Reactions)
	}
}
