package postgres_test

import (
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/storetest"
	"github.com/parleyhq/parley/internal/testdb"
)

func TestConformance(t *testing.T) {
	testdb.PostgresURL(t) // skips early when no database is configured
	storetest.Run(t, func(t *testing.T) care.Store { return testdb.Postgres(t) })
}
