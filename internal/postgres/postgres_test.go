package postgres_test

import (
	"context"
	"sync"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/postgres"
	"github.com/parleyhq/parley/internal/storetest"
	"github.com/parleyhq/parley/internal/testdb"
)

func TestConformance(t *testing.T) {
	testdb.PostgresURL(t) // skips early when no database is configured
	storetest.Run(t, func(t *testing.T) care.Store { return testdb.Postgres(t) })
}

// Nodes started together on an empty database migrate it once, none
// failing on the other's schema_migrations table.
func TestMigrateRace(t *testing.T) {
	url := testdb.PostgresURL(t)
	const nodes = 4
	errs := make([]error, nodes)
	var wg sync.WaitGroup
	for i := range nodes {
		wg.Go(func() {
			db, err := postgres.Open(context.Background(), url, nil)
			if err == nil {
				db.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("node %d: %v", i, err)
		}
	}
}
