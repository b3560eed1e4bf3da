package storetest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

func testConcurrency(t *testing.T, open opener) {
	const workers = 8

	t.Run("AppendRaw", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		const calls = 25
		// Call i of worker g appends keys i and (7i+g) mod 40: every worker
		// repeats every other's first key, second keys collide across
		// workers and sometimes with the first key of the same batch.
		key := func(n int) string { return fmt.Sprintf("x:%02d", n) }
		var (
			mu      sync.Mutex
			results = map[string][]care.AppendResult{}
			wg      sync.WaitGroup
		)
		for g := range workers {
			wg.Go(func() {
				for i := range calls {
					batch := []care.RawEvent{newRaw(w.inbox, key(i), at(0)), newRaw(w.inbox, key((7*i+g)%40), at(0))}
					res, err := s.AppendRaw(ctx, batch)
					if err != nil {
						t.Errorf("worker %d: AppendRaw(call %d): %v", g, i, err)
						return
					}
					if len(res) != len(batch) {
						t.Errorf("worker %d: AppendRaw(call %d) returned %d results for %d events", g, i, len(res), len(batch))
						return
					}
					mu.Lock()
					for j, e := range batch {
						results[e.DedupeKey] = append(results[e.DedupeKey], res[j])
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if t.Failed() {
			return
		}

		for k, rs := range results {
			fresh := 0
			for _, r := range rs {
				if r.ID != rs[0].ID {
					t.Errorf("key %s was stored as both %d and %d", k, rs[0].ID, r.ID)
				}
				if !r.Duplicate {
					fresh++
				}
			}
			if fresh != 1 {
				t.Errorf("key %s was reported new %d times in %d appends, want once", k, fresh, len(rs))
			}
		}
		pending, err := s.PendingRaw(ctx, 100000)
		must(t, err, "PendingRaw")
		seen := map[string]care.ID{}
		for _, e := range pending {
			if prev, ok := seen[e.DedupeKey]; ok {
				t.Errorf("key %s is stored twice: %d and %d", e.DedupeKey, prev, e.ID)
			}
			seen[e.DedupeKey] = e.ID
		}
		if len(seen) != len(results) {
			t.Errorf("PendingRaw() holds %d keys, want %d", len(seen), len(results))
		}
		for k, rs := range results {
			if seen[k] != rs[0].ID {
				t.Errorf("key %s: stored as %d, appends reported %d", k, seen[k], rs[0].ID)
			}
		}
	})

	t.Run("ResolveIdentity", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws := mustWorkspace(t, s, "acme")
		before := mustIdentity(t, s, ws, "before").ContactID
		a := care.Author{PlatformUserID: "12345", DisplayName: "Jo Doe", Handle: "jodoe", Followers: 10}
		type result struct {
			id      *care.Identity
			created bool
		}
		var (
			mu      sync.Mutex
			results []result
			wg      sync.WaitGroup
		)
		for g := range workers {
			wg.Go(func() {
				err := s.Update(ctx, func(q care.Queries) error {
					id, created, err := q.ResolveIdentity(ctx, ws.ID, care.ChannelX, a, at(0))
					if err != nil {
						return err
					}
					mu.Lock()
					results = append(results, result{id, created})
					mu.Unlock()
					return nil
				})
				if err != nil {
					t.Errorf("worker %d: ResolveIdentity: %v", g, err)
				}
			})
		}
		wg.Wait()
		if t.Failed() {
			return
		}
		after := mustIdentity(t, s, ws, "after").ContactID

		created := 0
		for _, r := range results {
			if r.id.ID != results[0].id.ID || r.id.ContactID != results[0].id.ContactID {
				t.Errorf("ResolveIdentity() gave identity %d of contact %d and identity %d of contact %d for one author",
					results[0].id.ID, results[0].id.ContactID, r.id.ID, r.id.ContactID)
			}
			if r.created {
				created++
			}
		}
		if created != 1 {
			t.Errorf("ResolveIdentity() reported a new contact %d times in %d calls, want once", created, len(results))
		}
		contactID := results[0].id.ContactID
		c, err := s.Contact(ctx, contactID)
		must(t, err, "Contact")
		if len(c.Identities) != 1 {
			t.Errorf("Contact(%d) has %d identities, want 1", contactID, len(c.Identities))
		}
		// Contact IDs increase, so any contact the race left behind lies
		// between the ones made before and after it.
		if after-before > 10000 {
			t.Fatalf("contact IDs jumped from %d to %d", before, after)
		}
		for id := before + 1; id < after; id++ {
			if id == contactID {
				continue
			}
			if c, err := s.Contact(ctx, id); err == nil {
				t.Errorf("stray contact %d (%q, %d identities) left by concurrent ResolveIdentity", id, c.Name, len(c.Identities))
			}
		}
	})
}
