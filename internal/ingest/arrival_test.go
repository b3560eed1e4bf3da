package ingest_test

import (
	"context"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// step is one event coming to an inbox, in the order a test has them come.
type step struct {
	inbox int
	in    care.Inbound
	drain bool // thread what is stored so far
}

// arrive has the steps come one after the other, each stored with store
// and threaded where it says so; later passes before the last one.
func (f *fixture) arrive(t *testing.T, steps []step, later time.Duration, store func(*testing.T, int, care.Inbound)) {
	t.Helper()
	for i, st := range steps {
		if i == len(steps)-1 {
			f.now = f.now.Add(later)
		}
		store(t, st.inbox, st.in)
		if st.drain {
			f.drain(t)
		}
	}
}

// updates counts the message.updated events published so far.
func (f *fixture) updates() int {
	n := 0
	for _, e := range f.pub.events {
		if e.Type == care.EventMessageUpdated {
			n++
		}
	}
	return n
}

// replay threads every stored event again, as parley replay does.
func (f *fixture) replay(t *testing.T) {
	t.Helper()
	if _, err := f.store.ResetRaw(context.Background(), 0, time.Time{}); err != nil {
		t.Fatal(err)
	}
	f.drain(t)
}
