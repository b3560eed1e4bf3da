package storetest

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// rawKeyFinder is what the ingest pipeline asks of a SQL store to find the
// deletions that came before their message.
type rawKeyFinder interface {
	RawKeysSince(ctx context.Context, inboxID care.ID, keys []string, since time.Time) (map[string]bool, error)
}

func testRawKeysSince(t *testing.T, open opener) {
	s := open(t)
	var f rawKeyFinder
	err := s.Update(t.Context(), func(q care.Queries) error {
		f, _ = q.(rawKeyFinder)
		return nil
	})
	must(t, err, "Update")
	if f == nil {
		t.Skip("the store does not find raw events by key")
	}
	w := mustWorld(t, s, "acme")
	other := mustWorld(t, s, "other")
	mustAppend(t, s, newRaw(w.inbox, "x:delete:1", at(0)), newRaw(w.inbox, "x:delete:2", at(time.Hour)),
		newRaw(other.inbox, "x:delete:3", at(time.Hour)))
	for _, tc := range []struct {
		name  string
		keys  []string
		since time.Time
		want  map[string]bool
	}{
		{"all", []string{"x:delete:1", "x:delete:2", "x:delete:3", "x:delete:4"}, at(-time.Hour), map[string]bool{"x:delete:1": true, "x:delete:2": true}},
		{"received since", []string{"x:delete:1", "x:delete:2"}, at(time.Minute), map[string]bool{"x:delete:2": true}},
		{"at since", []string{"x:delete:2"}, at(time.Hour), map[string]bool{"x:delete:2": true}},
		{"none", []string{"x:1"}, at(-time.Hour), map[string]bool{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got map[string]bool
			err := s.Update(t.Context(), func(q care.Queries) error {
				var err error
				got, err = q.(rawKeyFinder).RawKeysSince(t.Context(), w.inbox.ID, tc.keys, tc.since)
				return err
			})
			must(t, err, "RawKeysSince")
			if !maps.Equal(got, tc.want) {
				t.Errorf("RawKeysSince(%v) = %v; want %v", tc.keys, got, tc.want)
			}
		})
	}
}
