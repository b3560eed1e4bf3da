package app

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/config"
	"github.com/parleyhq/parley/internal/testdb"
)

// Nodes started together on a fresh database all come up: one default
// workspace, one first admin, whose password one of them prints.
func TestFirstRunRace(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		const nodes = 4
		cfg := &config.Config{AdminEmail: "admin@parley.local"}
		outs := make([]bytes.Buffer, nodes)
		errs := make([]error, nodes)
		var wg sync.WaitGroup
		for i := range nodes {
			wg.Go(func() { errs[i] = firstRun(t.Context(), s, cfg, &outs[i]) })
		}
		wg.Wait()
		printed := 0
		for i := range nodes {
			if errs[i] != nil {
				t.Errorf("node %d: %v", i, errs[i])
			}
			if strings.Contains(outs[i].String(), "password:") {
				printed++
			}
		}
		wss, err := s.Workspaces(t.Context())
		if err != nil || len(wss) != 1 {
			t.Errorf("workspaces = %d, %v; want 1", len(wss), err)
		}
		if n, err := s.CountUsers(t.Context()); err != nil || n != 1 {
			t.Errorf("users = %d, %v; want 1", n, err)
		}
		if printed != 1 {
			t.Errorf("%d nodes printed the first admin's password, want 1", printed)
		}
	})
}
